"""Render stage: plan every page of the site and render it through the theme, in memory.

`plan_pages` lists what the site contains (a URL, a template and a small context each);
`render_pages` turns that plan into bytes. Neither touches the disk, so `build` writes
the result and `serve` keeps it in memory.
"""

from __future__ import annotations

import contextvars
import itertools
import operator
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import jinja2
from markupsafe import Markup

from generator.model.entities import Claim, Page, Rating, Report, Site
from generator.site import urls


@dataclass(frozen=True)
class PageJob:
    """One page to render: where it goes, with which template and context."""

    url: str
    template: str
    context: Mapping[str, Any]
    title: str
    description: str = ""
    # What this page shows, for incremental rebuilds: report ids, or "*" for everything.
    depends: frozenset[str] = field(default_factory=frozenset)
    # Files that are not HTML (feeds, exports, search data) make their bytes themselves.
    produce: Callable[[], bytes] | None = None
    # A page about the whole collection (home, an index): the sitemap dates it by the newest report.
    lists_site: bool = False


@dataclass(frozen=True)
class FileSet:
    """Files whose names are known only once they are made (the search index's shards): made together."""

    prefix: str  # every file's URL starts with it
    title: str
    make: Callable[[], list[tuple[str, bytes]]]  # (URL, bytes), in URL order


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


@dataclass(frozen=True)
class RenderedPage:
    """A rendered file: its site-relative output path and bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Segment:
    """A run of article text, highlighted when a claim covers it."""

    text: str
    claim: Claim | None = None
    uncovered: bool = False


Planner = Callable[[Site], Iterable[PageJob]]
_PLANNERS: list[Planner] = []
LatePlanner = Callable[[Site, Sequence[PageJob]], Iterable[PageJob]]
_LATE_PLANNERS: list[LatePlanner] = []
GlobalsMaker = Callable[[Site], Mapping[str, Any]]
_GLOBALS_MAKERS: list[GlobalsMaker] = []
# One report's own pages; they may read `report` and `site.config` only, so `serve` re-plans just the edited report.
ReportPlanner = Callable[[Site, Report], Iterable[PageJob]]
_REPORT_PLANNERS: list[ReportPlanner] = []
FileSetPlanner = Callable[[Site], Iterable[FileSet]]
_FILE_SET_PLANNERS: list[FileSetPlanner] = []
EVERYTHING = frozenset({"*"})
T = TypeVar("T")


def planner(func: Planner) -> Planner:
    """Register a function that adds pages to the site (used by feature modules)."""
    _PLANNERS.append(func)
    return func


def late_planner(func: LatePlanner) -> LatePlanner:
    """Register a function that adds pages after seeing every other page (the sitemap)."""
    _LATE_PLANNERS.append(func)
    return func


def report_planner(func: ReportPlanner) -> ReportPlanner:
    """Register a function that adds one report's own pages (depending on that report only)."""
    _REPORT_PLANNERS.append(func)
    return func


def file_set_planner(func: FileSetPlanner) -> FileSetPlanner:
    """Register a function that adds a set of files named only once made (`serve` makes them on request)."""
    _FILE_SET_PLANNERS.append(func)
    return func


def plan_file_sets(site: Site) -> list[FileSet]:
    """Every file set of the site."""
    return [fs for plan in _FILE_SET_PLANNERS for fs in plan(site)]


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def expand(file_set: FileSet) -> list[PageJob]:
    """A file set made now, as one page job per file (they show everything, so depend on everything)."""
    return [PageJob(url, "", {}, file_set.title, depends=EVERYTHING, produce=_constant(data)) for url, data in file_set.make()]


def per_site(func: Callable[[Site], T]) -> Callable[[Site], T]:
    """Memoize a function of the whole site for the last two Site objects, by identity (a Site never changes)."""
    memo: list[tuple[Site, T]] = []
    lock = threading.Lock()

    def cached(site: Site) -> T:
        with lock:
            for known, value in memo:
                if known is site:
                    return value
        value = func(site)
        with lock:
            memo.append((site, value))
            del memo[:-2]
        return value

    cached.__doc__ = func.__doc__
    return cached


# Template globals that look something up in the whole site (a group's URL by its name) note the
# question and the answer while a page renders, so `serve` can tell whether the page is still right
# for a later build: it is, as long as every answer is the same there.
Lookup = Callable[[Site, str], str]
_LOOKUPS: dict[str, Lookup] = {}
_NOTES: contextvars.ContextVar[dict[tuple[str, str], str] | None] = contextvars.ContextVar("factcheck_notes", default=None)


def site_lookup(name: str) -> Callable[[Lookup], Lookup]:
    """Register how to answer the lookup `name` for a site, so that noted answers can be checked against a later build."""

    def register(func: Lookup) -> Lookup:
        _LOOKUPS[name] = func
        return func

    return register


def note(name: str, key: str, value: str) -> str:
    """Note a lookup's answer for the page being rendered (if anyone listens); returns the answer."""
    notes = _NOTES.get()
    if notes is not None:
        notes[(name, key)] = value
    return value


@contextmanager
def noting() -> Iterator[dict[tuple[str, str], str]]:
    """Collect the lookups made inside the block: {(lookup name, key): answer}."""
    notes: dict[tuple[str, str], str] = {}
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def lookups_hold(site: Site, notes: Mapping[tuple[str, str], str]) -> bool:
    """True when every noted lookup gives the same answer for `site`."""
    return all(_LOOKUPS[name](site, key) == value for (name, key), value in notes.items())


def plan_report(site: Site, report: Report) -> list[PageJob]:
    """The pages of one report, from every report planner."""
    return [job for plan in _REPORT_PLANNERS for job in plan(site, report)]


def template_globals(func: GlobalsMaker) -> GlobalsMaker:
    """Register a function that adds globals to every template (used by feature modules)."""
    _GLOBALS_MAKERS.append(func)
    return func


def verdict_mix(claims: Iterable[Claim], site: Site) -> list[tuple[Rating, int]]:
    """Claims per rating, in scale order, leaving out ratings with no claims."""
    counts = Counter(c.rating.key for c in claims)
    return [(r, counts[r.key]) for r in site.config.scale.ratings if counts[r.key]]


def annotate(report: Report, mark_uncovered: bool = False) -> list[list[Segment]]:
    """The article's text as paragraphs of segments, claims' quotes highlighted."""
    from generator.content.anchors import sentences  # local: only the article view needs sentence splitting

    text = report.article.text
    spans = sorted(((c.quote.start, c.quote.end, c) for c in report.claims), key=lambda s: (s[0], -s[1]))
    uncovered: list[tuple[int, int]] = []
    if mark_uncovered:
        covered = [(s, e) for s, e, _ in spans]
        uncovered = [(a.start, a.end) for a in sentences(text) if not any(s < a.end and e > a.start for s, e in covered)]
    paragraphs: list[list[Segment]] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        cuts = {start, end}
        for s, e, _ in spans:
            cuts.update(x for x in (s, e) if start < x < end)
        for s, e in uncovered:
            cuts.update(x for x in (s, e) if start < x < end)
        points = sorted(cuts)
        segments = []
        for a, b in itertools.pairwise(points):
            claim = next((c for s, e, c in spans if s <= a and b <= e), None)
            gap = claim is None and any(s <= a and b <= e for s, e in uncovered)
            segments.append(Segment(text[a:b], claim, gap and bool(text[a:b].strip())))
        paragraphs.append(segments)
    return paragraphs


def mix_key(mix: Iterable[tuple[Rating, int]]) -> str:
    """A `depends` key for pages that show claim counts per rating."""
    return "mix:" + ",".join(f"{rating.key}={count}" for rating, count in mix)


@planner
def _core_pages(site: Site) -> Iterable[PageJob]:
    mix = verdict_mix(site.claims, site)
    latest = site.reports[:10]
    # What each page shows: its reports by id (their content), plus a key for the rest (the counts).
    home_deps = frozenset({mix_key(mix), *(r.id for r in latest)})
    yield PageJob(urls.home(), "home.html", {"reports": latest, "mix": mix}, site.config.title, site.config.description, home_deps, lists_site=True)
    yield PageJob(
        urls.ratings(),
        "ratings.html",
        {"mix": dict((r.key, n) for r, n in mix)},
        "How we rate claims",
        "The rating scale and what each verdict means.",
        frozenset({mix_key(mix)}),
        lists_site=True,
    )
    root = site.config.base_url.rstrip("/") + "/" if site.config.base_url else ""
    yield PageJob("404.html", "404.html", {"link_root": root}, "Page not found", "", frozenset({"404:" + root}))
    for page in site.pages:
        yield PageJob(urls.page(page.slug), "page.html", {"page": page}, page.title, page.description, frozenset({"page:" + page.slug}))


@report_planner
def _report_pages(site: Site, report: Report) -> Iterable[PageJob]:
    deps = frozenset({report.id})
    yield PageJob(urls.report(report.id), "report.html", {"report": report}, report.title, report.summary, deps)
    for claim in report.claims:
        description = f"{claim.rating.label}: {claim.explanation}"
        yield PageJob(urls.claim(report.id, claim.id), "claim.html", {"report": report, "claim": claim}, claim.claim_reviewed, description, deps)
    if report.article.publish_text:
        yield PageJob(
            urls.article(report.id),
            "article.html",
            LazyContext({"report": report, "report_mix": verdict_mix(report.claims, site)}, {"paragraphs": lambda: annotate(report)}),
            f"Annotated: {report.article.headline}",
            report.summary,
            deps,
        )


_URL = operator.attrgetter("url")


def plan_pages(site: Site) -> list[PageJob]:
    """Every page and file of the site, in a stable order (file sets made now, one job per file)."""
    own = [job for report in site.reports for job in plan_report(site, report)]
    made = [job for file_set in plan_file_sets(site) for job in expand(file_set)]
    return sorted(itertools.chain(own, plan_site_pages(site, own), made), key=_URL)


def plan_site_pages(site: Site, report_jobs: Sequence[PageJob]) -> list[PageJob]:
    """The pages that are not one report's own (home, indexes, feeds...), given every report's pages; file sets apart."""
    own = [job for plan in _PLANNERS for job in plan(site)]
    every = tuple(sorted(itertools.chain(own, report_jobs), key=_URL))
    return own + [job for plan in _LATE_PLANNERS for job in plan(site, every)]


def url_of(target: object) -> str:
    """The site-relative URL of a model object or a URL string."""
    if isinstance(target, str):
        return target
    if isinstance(target, Claim):
        return urls.claim(target.report_id, target.id)
    if isinstance(target, Report):
        return urls.report(target.id)
    if isinstance(target, Page):
        return urls.page(target.slug)
    if isinstance(target, Rating):
        return urls.ratings() + "#rating-" + target.key
    raise TypeError(f"no URL for {type(target).__name__}")


def _link(ctx: jinja2.runtime.Context, url: str) -> str:
    # A page served at any address (404.html) links absolutely from `link_root` when it has one.
    root = ctx.get("link_root")
    return f"{root}{url}" if root else urls.relative(ctx["page_url"], url)


@jinja2.pass_context
def _url(ctx: jinja2.runtime.Context, target: object, fragment: str = "") -> str:
    link = _link(ctx, url_of(target))
    return f"{link}#{fragment}" if fragment else link


@jinja2.pass_context
def _static(ctx: jinja2.runtime.Context, path: str) -> str:
    return _link(ctx, "static/" + path)


def install_globals(env: jinja2.Environment, site: Site) -> None:
    """Make `site`, `url()`, `static()` and `absolute()` available to every template."""
    env.globals.update(
        site=site,
        url=_url,
        static=_static,
        absolute=lambda target: urls.absolute(site.config.base_url, url_of(target)),
        Markup=Markup,
    )
    for make in _GLOBALS_MAKERS:
        env.globals.update(make(site))


def render_job(env: jinja2.Environment, job: PageJob, site: Site) -> RenderedPage:
    """Render one planned page to bytes."""
    if job.produce is not None:
        return RenderedPage(urls.output_path(job.url), job.produce())
    template = env.get_template(job.template)
    canonical = urls.absolute(site.config.base_url, job.url) if job.url != "404.html" else ""
    html = template.render(
        page_url=job.url,
        title=job.title,
        description=job.description,
        canonical=canonical,
        **job.context,
    )
    return RenderedPage(urls.output_path(job.url), html.encode("utf-8"))


def render_pages(env: jinja2.Environment, site: Site, jobs: Iterable[PageJob]) -> list[RenderedPage]:
    """Render planned pages; template errors propagate to the caller to be reported."""
    install_globals(env, site)
    return [render_job(env, job, site) for job in jobs]
