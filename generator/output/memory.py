"""The memory sink: a page plan held as files in memory for the preview, each made when first asked for.

A MemorySite maps output paths to bytes like a dict, but a page is rendered (or a feed, an export,
the search index produced) only when someone reads it, or when the preview asks for it at once.
A page whose key (keys.py) is the same as in the previous MemorySite keeps the bytes made there,
so after an edit only the pages that show the change are made again. Everything is made from the
plan's own immutable Site, so what a request gets is byte for byte what `build` writes. Rendering
happens under one lock, because the Jinja environment's globals belong to one site at a time.
"""

from __future__ import annotations

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
        old = previous.slots if previous is not None and previous.env is env else {}
        self.slots: dict[str, Slot] = {}
        slots = self.slots
        for job, key in zip(plan.jobs, keys, strict=True):
            path = job.path
            kept = old.get(path)
            if kept is None or key is None or kept.key != key:
                slots[path] = Slot(job, key)
            else:  # the same key: the same bytes, and most often the very same job (its slot is then taken as it is)
                slots[path] = kept if kept.job is job else Slot(job, key, kept.data)
        self.static = {page.path: page.data for page in static}
        self._sets: list[dict[str, bytes] | None] = [None] * len(plan.file_sets)

    def make(self, path: str) -> bytes:
        """The bytes of a planned page, rendering it if it was not made yet."""
        slot = self.slots[path]
        if slot.data is not None:
            return slot.data
        with self.lock:
            slot = self.slots[path]
            if slot.data is not None:
                return slot.data  # made meanwhile by another request
            if self.env.globals.get("site") is not self.site:
                install_globals(self.env, self.site, self.plan.globals, self.plan.other_languages)
            try:
                page = render_job(self.env, slot.job, self.site)
            except Exception as exc:
                failure = render_failure(exc, self.theme, self.root)
                if failure is None:
                    raise
                raise BuildFailed([*self.diagnostics, failure]) from None
            self.slots[path] = Slot(slot.job, slot.key, page.data)
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
        rows = [(slot.job.url, path) for path, slot in self.slots.items() if path not in self.plan.preview_only]
        made = [(url, path, self.make(path)) for url, path in rows]
        for index in range(len(self.plan.file_sets)):
            made += [(path, path, data) for path, data in self._set_files(index).items()]
        made.sort(key=lambda row: row[0])
        return [RenderedPage(path, data) for _, path, data in made] + [RenderedPage(p, d) for p, d in self.static.items()]

    def get_file(self, path: str) -> bytes | None:
        """The file at `path`, made if needed; None if the build has no such file."""
        if path in self.slots:
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
        if path in self.slots or path in self.static:
            return True
        index = self._set_for(path)
        return index is not None and path in self._set_files(index)

    def __iter__(self) -> Iterator[str]:
        paths = [*self.slots, *self.static]
        for index in range(len(self.plan.file_sets)):
            paths += list(self._set_files(index))
        return iter(paths)

    def __len__(self) -> int:
        return sum(1 for _ in self)  # makes the file sets: their files are known only once made

    def __bool__(self) -> bool:
        return True  # a build always has files (404.html at least); saying so makes nothing
