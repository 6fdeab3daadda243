"""The memory sink: a page plan held as files in memory for the preview, each made when first asked for.

A MemorySite maps output paths to bytes like a dict, but a page is rendered (or a feed, an export,
the search index produced) only when someone reads it, or when the preview asks for it at once.
A page whose key (keys.py) is the same as in the previous MemorySite keeps the bytes made there,
so after an edit only the pages that show the change are made again. Everything is made from the
plan's own immutable Site, so what a request gets is byte for byte what `build` writes. Rendering
happens under one lock, because the Jinja environment's globals belong to one site at a time.
"""

from __future__ import annotations

import bisect
import operator
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.diagnostics import BuildFailed, Diagnostic
from generator.site import urls
from generator.site.jobs import PageJob, RenderedPage
from generator.site.plan import SitePlan
from generator.site.render import install_globals, render_failure, render_job
from generator.site.theme import Theme


@dataclass(frozen=True, slots=True)
class Slot:
    """One planned file: its job, its key, and its bytes once made."""

    job: PageJob
    key: str | None
    data: bytes | None = None


_PATH = operator.attrgetter("path")
_URL = operator.attrgetter("url")
INDEX = "index.html"


class MemorySite(Mapping[str, bytes]):
    """One build's files by output path; reading a file makes it if needed (a template error raises BuildFailed)."""

    def __init__(
        self,
        plan: SitePlan,
        env: jinja2.Environment,
        theme: Theme,
        root: Path,
        keys: Sequence[str | None],
        static: Iterable[RenderedPage],
        diagnostics: Sequence[Diagnostic],
        lock: threading.RLock,
        previous: MemorySite | None = None,
    ) -> None:
        self.plan, self.env, self.theme, self.root = plan, env, theme, root
        self.site = plan.site
        self.diagnostics = tuple(diagnostics)
        self.lock = lock
        self.rendered = 0
        self._keys = keys
        self._made: dict[str, tuple[str | None, bytes]] = {}  # path -> the key it was made with, its bytes
        if previous is not None and previous.env is env:
            # The bytes made before are kept where the page's key is the same: the same key, the same bytes.
            with previous.lock:  # a request may be making a page of the previous build right now
                made = list(previous._made.items())
            for path, (key, data) in made:
                at = self._find(path)
                if at is not None and key is not None and keys[at] == key:
                    self._made[path] = (key, data)
        self.slots: Mapping[str, Slot] = _Slots(self)
        self.static = {page.path: page.data for page in static}
        self._sets: list[dict[str, bytes] | None] = [None] * len(plan.file_sets)

    def _find(self, path: str) -> int | None:
        """Where the job that writes `path` is in the plan, found by its URL (the plan's jobs are in URL order).

        No index of every path is made: a rebuild plans every page (25,000 at 4,000 reports), and a
        preview is asked for a few of them.
        """
        jobs = self.plan.jobs
        # A file's URL is its path, or its folder's when it is a folder's index.html (urls.output_path).
        folder = path[: -len(INDEX)] if path.endswith(INDEX) and (path == INDEX or path.endswith("/" + INDEX)) else None
        for url in (path, folder):
            if url is None:
                continue
            at = bisect.bisect_left(jobs, url, key=_URL)
            if at < len(jobs) and jobs[at].url == url and jobs[at].path == path:
                return at
        return None

    def job(self, path: str) -> PageJob | None:
        """The planned job that makes `path`, None if no page is planned there."""
        at = self._find(path)
        return self.plan.jobs[at] if at is not None else None

    def key(self, path: str) -> str | None:
        """The key of the page planned at `path` (None: made again on every rebuild, or no such page)."""
        at = self._find(path)
        return self._keys[at] if at is not None else None

    def made(self, path: str) -> bytes | None:
        """The bytes of a planned page if it was made already (in this build, or kept from the previous one), else None."""
        hit = self._made.get(path)
        return hit[1] if hit is not None else None

    def make(self, path: str) -> bytes:
        """The bytes of a planned page, rendering it if it was not made yet."""
        hit = self._made.get(path)
        if hit is not None:
            return hit[1]
        with self.lock:
            hit = self._made.get(path)
            if hit is not None:
                return hit[1]  # made meanwhile by another request
            at = self._find(path)
            if at is None:
                raise KeyError(path)
            if self.env.globals.get("site") is not self.site:
                install_globals(self.env, self.site, self.plan.globals, self.plan.other_languages)
            try:
                page = render_job(self.env, self.plan.jobs[at], self.site)
            except Exception as exc:
                failure = render_failure(exc, self.theme, self.root)
                if failure is None:
                    raise
                raise BuildFailed([*self.diagnostics, failure]) from None
            self._made[path] = (self._keys[at], page.data)
            self.rendered += 1
            return page.data

    def _set_files(self, index: int) -> dict[str, bytes]:
        with self.lock:
            files = self._sets[index]
            if files is None:
                files = {urls.output_path(url): data for url, data in self.plan.file_sets[index].make()}
                self._sets[index] = files
            return files

    def _set_for(self, path: str) -> int | None:
        return next((i for i, fs in enumerate(self.plan.file_sets) if path.startswith(fs.prefix)), None)

    def pages(self) -> list[RenderedPage]:
        """Every file `build` writes, made now: pages and file sets in URL order, static files last."""
        rows = [(job.url, job.path) for job in self.plan.jobs if job.path not in self.plan.preview_only]
        made = [(url, path, self.make(path)) for url, path in rows]
        for index in range(len(self.plan.file_sets)):
            made += [(path, path, data) for path, data in self._set_files(index).items()]
        made.sort(key=lambda row: row[0])
        return [RenderedPage(path, data) for _, path, data in made] + [RenderedPage(p, d) for p, d in self.static.items()]

    def get_file(self, path: str) -> bytes | None:
        """The file at `path`, made if needed; None if the build has no such file."""
        if self._find(path) is not None:
            return self.make(path)
        if path in self.static:
            return self.static[path]
        index = self._set_for(path)
        return self._set_files(index).get(path) if index is not None else None

    def __getitem__(self, path: str) -> bytes:
        data = self.get_file(path)
        if data is None:
            raise KeyError(path)
        return data

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        if path in self.static or self._find(path) is not None:
            return True
        index = self._set_for(path)
        return index is not None and path in self._set_files(index)

    def __iter__(self) -> Iterator[str]:
        paths = [*map(_PATH, self.plan.jobs), *self.static]
        for index in range(len(self.plan.file_sets)):
            paths += list(self._set_files(index))
        return iter(paths)

    def __len__(self) -> int:
        return sum(1 for _ in self)  # makes the file sets: their files are known only once made

    def __bool__(self) -> bool:
        return True  # a build always has files (404.html at least); saying so makes nothing


class _Slots(Mapping[str, Slot]):
    """A MemorySite's planned files as Slots (job, key, bytes if made), made when looked at."""

    def __init__(self, files: MemorySite) -> None:
        self._files = files

    def __getitem__(self, path: str) -> Slot:
        job = self._files.job(path)
        if job is None:
            raise KeyError(path)
        return Slot(job, self._files.key(path), self._files.made(path))

    def __iter__(self) -> Iterator[str]:
        return iter(map(_PATH, self._files.plan.jobs))

    def __len__(self) -> int:
        return len(self._files.plan.jobs)
