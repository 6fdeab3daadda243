"""A build's files as `serve` holds them: each made when first asked for, and kept while it holds.

A Build maps output paths to bytes like a dict, but a page is rendered (or a feed, an export, the
search index produced) only when someone reads it: the rebuild itself renders just the edited
reports' pages. The pages that are not one report's own (home, indexes, feeds...) are even planned
on first use. Everything is made from the build's own immutable Site, so what a request gets is
exactly what a full build of the same content writes; a page made once is kept, and handed to the
next build when its dependencies say it is unchanged. Rendering happens under one lock, because
the Jinja environment's globals belong to one site at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.diagnostics import BuildFailed, Diagnostic
from generator.model.entities import Site
from generator.site import urls
from generator.site.render import FileSet, PageJob, RenderedPage, install_globals, lookups_hold, noting, render_job
from generator.site.theme import Theme, template_diagnostic

# What a template (or a planner feeding it) can raise: reported as a template diagnostic.
TEMPLATE_ERRORS = (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError)
Notes = Mapping[tuple[str, str], str]
_NO_NOTES: Notes = {}


@dataclass(frozen=True, slots=True)
class Slot:
    """One planned file: its job, and its bytes once made, with the site lookups its template made."""

    job: PageJob
    data: bytes | None = None
    notes: Notes = field(default_factory=lambda: _NO_NOTES)


@dataclass
class SitePart:
    """The files that are not one report's own, planned for one build."""

    slots: dict[str, Slot]
    sets: list[tuple[FileSet, dict[str, bytes] | None]]

    def set_for(self, path: str) -> int | None:
        """Index of the file set whose files may include `path`."""
        return next((i for i, (fs, _) in enumerate(self.sets) if path.startswith(fs.prefix)), None)


class Build(Mapping[str, bytes]):
    """One build's files by output path; reading a file makes it if needed (may raise BuildFailed)."""

    def __init__(
        self,
        site: Site,
        env: jinja2.Environment,
        theme: Theme,
        root: Path,
        diagnostics: Sequence[Diagnostic],
        lock: threading.RLock,
        plan_site: Callable[[Build], SitePart],
    ) -> None:
        self.site = site
        self.env = env
        self.theme = theme
        self.root = root
        self.diagnostics = tuple(diagnostics)
        self.lock = lock
        self.own: dict[str, Slot] = {}  # each report's own pages (and serve's extra pages), planned in the rebuild
        self.extra: set[str] = set()  # paths of serve-only pages among them (never in `factcheck build` output)
        self.static: dict[str, bytes] = {}
        # The previous plan of the site's other pages, and the keys changed since: what `plan_site` may keep.
        self.ref: dict[str, Slot] | None = None
        self.since: set[str] = set()
        self.rendered = 0
        self._plan_site = plan_site
        self._site_part: SitePart | None = None

    # -- planning and making ------------------------------------------------------------------

    def site_part(self) -> SitePart:
        """The site's other files, planned on first use."""
        with self.lock:
            if self._site_part is None:
                try:
                    self._site_part = self._plan_site(self)
                except TEMPLATE_ERRORS as exc:  # a planner's error, reported as a full build reports it
                    raise BuildFailed([*self.diagnostics, template_diagnostic(exc, self.theme, self.root)]) from None
            return self._site_part

    @property
    def site_planned(self) -> bool:
        """True once the site's other files were planned."""
        return self._site_part is not None

    def make(self, table: dict[str, Slot], path: str) -> bytes:
        """The bytes of a planned file, rendering it unless it was made and its site lookups still hold."""
        slot = table[path]
        if slot.data is not None and (not slot.notes or lookups_hold(self.site, slot.notes)):
            return slot.data
        with self.lock:
            slot = table[path]
            if slot.data is not None and (not slot.notes or lookups_hold(self.site, slot.notes)):
                return slot.data  # made meanwhile by another request
            if self.env.globals.get("site") is not self.site:
                install_globals(self.env, self.site)
            try:
                with noting() as notes:
                    page = render_job(self.env, slot.job, self.site)
            except TEMPLATE_ERRORS as exc:
                raise BuildFailed([*self.diagnostics, template_diagnostic(exc, self.theme, self.root)]) from None
            table[path] = Slot(slot.job, page.data, dict(notes) if notes else _NO_NOTES)
            self.rendered += 1
            return page.data

    def _set_files(self, index: int) -> dict[str, bytes]:
        part = self.site_part()
        with self.lock:
            file_set, files = part.sets[index]
            if files is None:
                try:
                    files = {urls.output_path(url): data for url, data in file_set.make()}
                except TEMPLATE_ERRORS as exc:
                    raise BuildFailed([*self.diagnostics, template_diagnostic(exc, self.theme, self.root)]) from None
                part.sets[index] = (file_set, files)
            return files

    def _listed(self) -> list[tuple[str, dict[str, Slot], str]]:
        # (URL, table, path) of every planned file of the site, serve-only pages left out, in URL order.
        part = self.site_part()
        rows = [(slot.job.url, self.own, path) for path, slot in self.own.items() if path not in self.extra]
        rows += [(slot.job.url, part.slots, path) for path, slot in part.slots.items()]
        rows.sort(key=lambda row: row[0])
        return rows

    def force(self) -> None:
        """Make every file now: file sets first, then pages in URL order, as a full build meets them."""
        for index in range(len(self.site_part().sets)):
            self._set_files(index)
        for _, table, path in self._listed():
            self.make(table, path)
        for path in sorted(self.extra):
            self.make(self.own, path)

    def pages(self) -> list[RenderedPage]:
        """Every file as `render_site` lists them (URL order, static files last; serve-only pages left out)."""
        self.force()
        rows = [(url, path, self.make(table, path)) for url, table, path in self._listed()]
        for index in range(len(self.site_part().sets)):
            rows += [(path, path, data) for path, data in self._set_files(index).items()]
        rows.sort(key=lambda row: row[0])
        return [RenderedPage(path, data) for _, path, data in rows] + [RenderedPage(p, d) for p, d in self.static.items()]

    # -- the Mapping interface (what the server reads) -----------------------------------------

    def get_file(self, path: str) -> bytes | None:
        """The file at `path`, made if needed; None if the build has no such file."""
        if path in self.own:
            return self.make(self.own, path)
        if path in self.static:
            return self.static[path]
        part = self.site_part()
        if path in part.slots:
            return self.make(part.slots, path)
        index = part.set_for(path)
        return self._set_files(index).get(path) if index is not None else None

    def __getitem__(self, path: str) -> bytes:
        data = self.get_file(path)
        if data is None:
            raise KeyError(path)
        return data

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        if path in self.own or path in self.static:
            return True
        part = self.site_part()
        if path in part.slots:
            return True
        index = part.set_for(path)
        return index is not None and path in self._set_files(index)

    def __iter__(self) -> Iterator[str]:
        part = self.site_part()
        paths = [*self.own, *self.static, *part.slots]
        for index in range(len(part.sets)):
            paths += list(self._set_files(index))
        return iter(paths)

    def __len__(self) -> int:
        return sum(1 for _ in self)  # makes the file sets: their files are known only then

    def __bool__(self) -> bool:
        return True  # a build always has files (404.html at least); saying so makes nothing


__all__ = ["TEMPLATE_ERRORS", "Build", "SitePart", "Slot"]
