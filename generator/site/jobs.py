"""What a page plan is made of: page jobs, file sets and the lazy context some pages need.

A planner (see plan.py) turns the site model into PageJobs; the output sinks render them. A job
names its dependency keys, which is all the sinks need to know to keep a page from an earlier build.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from generator.model.entities import Report, Site
from generator.site import urls

T = TypeVar("T")

# A dependency key meaning "everything in the site" (feeds, exports, the sitemap, search data).
EVERYTHING_KEY = "*"  # the dependency of a page that shows every report
EVERYTHING = frozenset({EVERYTHING_KEY})


@dataclass(frozen=True, slots=True)
class PageJob:
    """One page to render: where it goes, with which template and context, and what it depends on."""

    url: str
    template: str
    context: Mapping[str, Any]
    title: str
    description: str = ""
    # What this page shows: report ids (their content), "*" for everything, or keys that carry
    # their own value ("mix:true=3,false=1", "span:...", "hub:<digest>"): a page is rendered again
    # exactly when one of these changes (output/keys.py reads them, for `build` and `serve` alike).
    # Given as a set or a tuple, kept as a sorted tuple without repeats: a plan holds tens of thousands of
    # jobs, and a frozenset's hash table takes four to five times the memory of a tuple of the same keys.
    depends: Set[str] | tuple[str, ...] = ()
    # Files that are not HTML (feeds, exports, search data) make their bytes themselves; a large one
    # (an export of every claim) in pieces, which the disk sink writes as they come instead of holding them.
    produce: Callable[[], bytes | Iterator[bytes]] | None = None
    # A page about the whole collection (home, an index): the sitemap dates it by the newest report.
    lists_site: bool = False
    # The language of a multilingual site's page outside its default language ('' otherwise): which globals it renders with.
    language: str = ""
    # A description worked out from the context when it is needed (`page_description`), instead of `description`:
    # a claim page's ("Mostly false: ...") took 175 bytes of the plan, and a plan holds one for every claim.
    describe: Callable[[Mapping[str, Any]], str] | None = None
    # Slots, not an instance dict: a plan holds a job for every page, and a dict took twice the memory.
    _path: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "depends", tuple(sorted(set(self.depends))))

    def page_description(self) -> str:
        """The page's description: `description`, or what `describe` makes of the context."""
        return self.describe(self.context) if self.describe is not None else self.description

    @property
    def path(self) -> str:
        """The file the page is written to (urls.output_path of its URL), worked out once a job: the preview keeps most jobs for many rebuilds."""
        if not self._path:
            object.__setattr__(self, "_path", urls.output_path(self.url))
        return self._path


@dataclass(frozen=True)
class InParts:
    """A job's `produce` for a file made of parts, one after another, each of which can be made alone.

    The disk sink spreads a large file's parts (an export of every claim) over its processes and joins
    them; everywhere else the file is made whole, part after part, with the same bytes.
    """

    parts: tuple[Callable[[], Iterable[bytes]], ...]

    def __call__(self) -> Iterator[bytes]:
        for part in self.parts:
            yield from part()


def report_runs(reports: tuple[Report, ...], size: int) -> list[tuple[Report, ...]]:
    """The reports in order, cut into runs of at least `size` claims (the last may hold fewer; never none): what a part reads."""
    runs: list[tuple[Report, ...]] = []
    start = count = 0
    for index, report in enumerate(reports):
        count += len(report.claims)
        if count >= size:
            runs.append(reports[start : index + 1])
            start, count = index + 1, 0
    if start < len(reports) or not runs:
        runs.append(reports[start:])
    return runs


def pieces(made: bytes | Iterator[bytes]) -> Iterable[bytes]:
    """What a job's `produce` made, as pieces to write one after another."""
    return (made,) if isinstance(made, bytes) else made


def joined(made: bytes | Iterator[bytes]) -> bytes:
    """What a job's `produce` made, as one bytes object."""
    return b"".join(pieces(made))


Files = list[tuple[str, bytes]]  # (URL, bytes), in URL order


@dataclass(frozen=True)
class FileSet:
    """Files whose names are known only once they are made (the search index's shards): made together."""

    prefix: str  # every file's URL starts with it
    title: str
    make: Callable[[], Files]
    language: str = ""  # as PageJob.language


@dataclass(frozen=True)
class Gathered:
    """A file set's `make` cut into parts made alone (each reads some reports), whose bytes `finish` turns into the files.

    The disk sink spreads a large site's parts over its processes; everywhere else the same files are made
    in one go by `whole`, without the parts' bytes in between.
    """

    parts: tuple[Callable[[], bytes], ...]
    finish: Callable[[Iterable[bytes]], Files]  # given each part's bytes in order, read as it asks for them
    whole: Callable[[], Files]

    def __call__(self) -> Files:
        return self.whole()


@dataclass(frozen=True)
class RenderedPage:
    """A rendered file: its site-relative output path and bytes."""

    path: str
    data: bytes


class ReportContext(Mapping[str, Any]):
    """The context of a report's own page, `report`, and of a claim's page, `report` and `claim`: a dict took 184 bytes a page."""

    __slots__ = ("_claim", "_report")

    def __init__(self, report: object, claim: object = None) -> None:
        self._report, self._claim = report, claim

    def __getitem__(self, key: str) -> Any:
        if key == "report":
            return self._report
        if key == "claim" and self._claim is not None:
            return self._claim
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(("report",) if self._claim is None else ("report", "claim"))

    def __len__(self) -> int:
        return 1 if self._claim is None else 2


class LazyContext(Mapping[str, Any]):
    """A page's template context whose costly values (the annotated article) are worked out when it renders."""

    def __init__(self, values: Mapping[str, Any], later: Mapping[str, Callable[[], Any]]) -> None:
        self._values = dict(values)
        self._later = dict(later)

    def __getitem__(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        return self._later[key]()

    def __iter__(self) -> Iterator[str]:
        return iter([*self._values, *self._later])

    def __len__(self) -> int:
        return len(self._values) + len(self._later)


class KeptJobs:
    """One planner's jobs of the last plan by URL, given again while they would be planned the same (the preview plans on every save).

    A job is the same while the values it was planned from are equal and the model objects it shows
    are the very same ones (an unchanged report is the same object from one rebuild to the next).
    Jobs of a plan that was not finished are never kept.
    """

    def __init__(self) -> None:
        self._read: object = None
        self._last: dict[str, tuple[object, tuple[object, ...], PageJob]] = {}
        self._next: dict[str, tuple[object, tuple[object, ...], PageJob]] = {}

    def begin(self, read: object) -> None:
        """Start a plan made with `read` (the configuration and strings): with other values, nothing is kept."""
        if read != self._read:
            self._read, self._last = read, {}
        self._next = {}

    def job(self, url: str, shown: object, objects: Iterable[object], make: Callable[[], PageJob]) -> PageJob:
        """The job at `url`: the last plan's if `shown` is equal and `objects` are the same, else make()."""
        objects = tuple(objects)
        hit = self._last.get(url)
        if hit is None or hit[0] != shown or len(hit[1]) != len(objects) or not all(map(operator.is_, hit[1], objects)):
            hit = (shown, objects, make())
        self._next[url] = hit
        return hit[2]

    def end(self) -> None:
        """The plan is whole: its jobs are the ones the next plan may keep."""
        self._last, self._next = self._next, {}


class PerSite(Generic[T]):
    """A function of the whole site, memoized for the last two Site objects by identity (a Site never changes)."""

    def __init__(self, func: Callable[[Site], T]) -> None:
        self._func = func
        self._memo: list[tuple[Site, T]] = []
        self._lock = threading.Lock()
        self.__doc__ = func.__doc__

    def __call__(self, site: Site) -> T:
        with self._lock:
            for known, value in self._memo:
                if known is site:
                    return value
        value = self._func(site)
        with self._lock:
            self._memo.append((site, value))
            del self._memo[:-2]
        return value

    def holds(self, site: Site) -> bool:
        """Whether a value for `site` is kept."""
        with self._lock:
            return any(known is site for known, _ in self._memo)

    def forget(self, site: Site) -> None:
        """Drop what was kept for `site` (asked again, it is made again)."""
        with self._lock:
            self._memo = [(known, value) for known, value in self._memo if known is not site]


def per_site(func: Callable[[Site], T]) -> PerSite[T]:
    """Memoize a function of the whole site for the last two Site objects, by identity (a Site never changes)."""
    return PerSite(func)


def _reports_by_id(site: Site) -> dict[str, Report]:
    """Each listed report of the site by its id."""
    return {report.id: report for report in site.reports}


# Made while the pages are planned (groups, related lists), in the build's process: each render helper would
# otherwise make its own on its first claim page, copying the memory page of every report (reference counts).
reports_by_id = per_site(_reports_by_id)
