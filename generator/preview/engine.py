"""Incremental rebuilds for `serve`: redo only what an edit can have changed.

A rebuild re-reads the changed files (sources.py), runs the cross-file rules over the cached
per-file results (cheap), builds the new Site from the cached Report objects, and plans again only
the pages of the reports that changed. The result is a Build (buildfiles.py): the edited reports'
pages are rendered at once; every other page keeps its bytes when its `depends` say it is unchanged
and is otherwise made when first requested, and the pages that are not one report's own (home,
indexes, search, feeds, exports, sitemap) are planned on first use, reusing what an earlier plan
made. A template, theme, config, people or menu change starts every page afresh.

`Engine(lazy=False)` (tests, benchmarks) makes every file in the rebuild; the equivalence test in
tests/test_incremental.py checks after long random sequences of edits that the files are byte for
byte what `render_site` makes.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.build import BuildOptions, BuildResult
from generator.content import schema
from generator.content.checks import Context, _context, check_people, check_project, check_site
from generator.content.load import PEOPLE_FILE, SITE_FILE, YamlDoc
from generator.content.markdown import MarkdownRenderer
from generator.content.validate import Obj, get_text, validate_doc
from generator.diagnostics import BuildFailed, Diagnostic
from generator.model.assemble import build_config, build_model
from generator.model.entities import Person, Report, Site
from generator.output.disk import copy_static
from generator.output.memory import TEMPLATE_ERRORS, Build, SitePart, Slot
from generator.preview.sources import CachingModelBuilder, CheckCache, ModelCache, Recheck, ReportHook, SourceFiles
from generator.site import urls
from generator.site.render import PageJob, ReportPlanner, plan_file_sets, plan_report, plan_site_pages
from generator.site.structured import base_url_warnings
from generator.site.theme import OVERRIDES, Theme, make_environment, resolve_theme, template_diagnostic


@dataclass
class _Good:
    """The last build that succeeded: what requests are served from."""

    site: Site
    theme: Theme
    build: Build


@dataclass
class Outcome:
    """One successful rebuild: its files, and the result as `render_site` gives it (pages listed only when not lazy)."""

    result: BuildResult
    files: Build
    rendered: int  # pages rendered during the rebuild
    full: bool
    seconds: float
    checked_files: int = 0


@dataclass(frozen=True)
class _Planned:
    """One report's planned pages: the Report they were planned from, and their output paths."""

    report: Report
    own: tuple[str, ...]
    extra: tuple[str, ...]


class Engine:
    """Rebuilds a project in memory, incrementally, keeping the last good build."""

    def __init__(self, root: Path, options: BuildOptions | None = None, extra_planners: Sequence[ReportPlanner] = (), lazy: bool = False) -> None:
        self.root = root
        self.options = options or BuildOptions()
        self.extra_planners = extra_planners
        self.lazy = lazy
        self.files = SourceFiles(root)
        self.checker = CheckCache(self.files.full_doc)
        self.good: _Good | None = None
        self.lock = threading.RLock()  # rendering and planning: the environment's globals serve one site at a time
        self._md = MarkdownRenderer()
        self._models: ModelCache = {}
        self._persons: dict[tuple[str, ...], Person] = {}
        self._model_key: object = None
        self._planned: dict[str, _Planned] = {}
        # The last plan of the site's other pages, and the report ids changed since (what may be stale in it).
        self._site_ref: dict[str, Slot] | None = None
        self._since: set[str] = set()
        self._env: jinja2.Environment | None = None
        self._templates_dirty = True
        self._static_dirty = True
        self._first = True

    def rebuild(self, changed: Collection[str] | None = None) -> Outcome:
        """Apply changed paths (relative; None: rescan everything); raise BuildFailed and keep the last good build on errors."""
        started = time.perf_counter()
        self._note_changes(changed)
        misses = self.checker.misses
        self.files.refresh(None if self._first else changed, self._report_read())
        self._first = False
        site, diagnostics = self._check()
        diagnostics = [*diagnostics, *base_url_warnings(site)]
        theme = resolve_theme(self.root, site.config.theme)
        good = self.good
        if good is None or good.theme != theme:
            self._templates_dirty = self._static_dirty = True
        full = self._templates_dirty or good is None or _site_wide(good.site) != _site_wide(site)
        affected = set() if full or good is None else _affected(good.site, site)
        with self.lock:
            try:
                if self._env is None or self._templates_dirty:
                    self._env = make_environment(theme)
                build, planned, fresh = self._plan(site, theme, diagnostics, None if full else affected)
                if self._static_dirty or good is None:
                    build.static = {page.path: page.data for page in copy_static(theme.static_dirs)}
                else:
                    build.static = good.build.static
                if self.lazy:
                    self._render_now(build, fresh, full)
                pages = [] if self.lazy else build.pages()
            except TEMPLATE_ERRORS as exc:
                raise BuildFailed([*diagnostics, template_diagnostic(exc, theme, self.root)]) from None
            self.good = _Good(site, theme, build)
            self._planned = planned
            if build.site_planned:
                self._site_ref, self._since = build.site_part().slots, set()
            elif full:
                self._site_ref, self._since = None, set()
            else:
                self._since |= affected
            self._templates_dirty = self._static_dirty = False
        seconds = time.perf_counter() - started
        result = BuildResult(site, pages, diagnostics, seconds)
        return Outcome(result, build, build.rendered, full, seconds, self.checker.misses - misses)

    def _note_changes(self, changed: Collection[str] | None) -> None:
        # Remember template and static changes until a build succeeds: a failed build must not forget them.
        if changed is None:
            self._templates_dirty = self._static_dirty = True
            return
        theme_dirs = [d.relative_to(self.root).as_posix() for d in self.good.theme.chain] if self.good else []
        for rel in changed:
            in_theme = any(rel == d or rel.startswith(d + "/templates") or rel == d + "/theme.yaml" for d in theme_dirs)
            if in_theme or rel == OVERRIDES or rel.startswith(OVERRIDES + "/"):
                self._templates_dirty = True
            if any(rel.startswith(d + "/static") for d in theme_dirs):
                self._static_dirty = True
            if rel == "themes" or (not theme_dirs and rel.startswith("themes/")):
                self._templates_dirty = self._static_dirty = True

    def _check(self) -> tuple[Site, list[Diagnostic]]:
        # Mirrors build.check(), with the per-file caches plugged in.
        for _ in range(len(self.checker.entries) + 2):  # each pass re-checks at least one more file
            project = self.files.project()
            checked, diagnostics = check_project(project, self.checker)
            if any(d.is_error for d in diagnostics):
                raise BuildFailed(diagnostics)
            config = build_config(checked.site)
            if self._use_model_key((config.scale, checked.people)):
                # The slimmed results went with the models: check those files again, one at a time, so only
                # one report's full result is held at once (all of them would double the memory the preview needs).
                check = self._report_read()
                for doc in project.reports:
                    if doc.path not in self.checker.entries:
                        check(self.files.full_doc(doc))
                continue
            builder = CachingModelBuilder(config, checked.people, self._md, self._models, self._persons)
            for path in self._models.keys() - self.files.yaml.keys():
                del self._models[path]  # the file is gone (a model is only ever used with its very checked result)
            try:
                site, model_diagnostics = build_model(checked, drafts=self.options.drafts, builder=builder)
            except Recheck as recheck:
                self.checker.forget([recheck.path])
                continue
            break
        else:  # pragma: no cover - each pass forgets a file, so this cannot loop for ever
            raise AssertionError("checking did not settle")
        self._slim_checked()
        diagnostics += model_diagnostics
        if any(d.is_error for d in diagnostics):
            raise BuildFailed(diagnostics)
        if self.options.base_url is not None:
            site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=self.options.base_url))
        return site, diagnostics

    def _use_model_key(self, key: tuple[object, ...]) -> bool:
        """Models are made for one rating scale and people (all ModelBuilder reads besides the report): on a
        change drop them, and the slim check results that need them."""
        if key == self._model_key:
            return False
        self._models.clear()
        self._model_key = key
        return self.checker.forget_slim()

    def _slim_checked(self) -> None:
        # Keep only what replaying needs of the results checked anew; the models hold the rest.
        for path in self.checker.take_fresh():
            slim = self.checker.slim(path)
            hit = self._models.get(path)
            if hit is not None and slim is not None and hit[0] is not slim:
                self._models[path] = (slim, hit[1], hit[2])

    def _report_read(self) -> ReportHook:
        """Checks each report file as it is read (and makes its model), so its node tree can go at once."""
        prepared: list[tuple[Context | None, CachingModelBuilder | None]] = []

        def check(doc: YamlDoc) -> None:
            if not prepared:
                prepared.append(self._prepare())
            ctx, builder = prepared[0]
            if ctx is None:
                return
            for _ in range(2):
                _, checked = self.checker(doc, ctx, [])
                if checked is None or builder is None or not (self.options.drafts or get_text(checked.data, "status") == "published"):
                    break
                try:
                    builder.report(checked)
                    break
                except Recheck:
                    self.checker.forget([doc.path])  # slimmed, and its model is gone: check it again, now
            self._slim_checked()

        return check

    def _prepare(self) -> tuple[Context | None, CachingModelBuilder | None]:
        # What check_project works out before checking reports, from the files read so far.
        site_file, people_file = self.files.yaml.get(SITE_FILE), self.files.yaml.get(PEOPLE_FILE)
        if site_file is None or not isinstance(site_file.doc, YamlDoc):
            return None, None
        scratch: list[Diagnostic] = []
        site = check_site(validate_doc(site_file.doc, schema.SITE, scratch), scratch)
        people_doc = people_file.doc if people_file is not None and isinstance(people_file.doc, YamlDoc) else None
        people: list[Obj] = check_people(people_doc, scratch)
        ctx = _context(site, people, self.files.snapshots)
        if any(d.is_error for d in scratch) or any(d.is_error for f in (site_file, people_file) if f for d in f.diags):
            return ctx, None
        config = build_config(site)
        self._use_model_key((config.scale, people))
        return ctx, CachingModelBuilder(config, people, self._md, self._models, self._persons)

    def _plan(self, site: Site, theme: Theme, diagnostics: list[Diagnostic], affected: set[str] | None) -> tuple[Build, dict[str, _Planned], list[str]]:
        """The new build with each report's pages planned (the changed reports' anew); the paths planned anew."""
        assert self._env is not None
        build = Build(site, self._env, theme, self.root, diagnostics, self.lock, self._plan_site_part)
        old = self.good.build if self.good is not None else None
        fresh: list[str] = []
        if affected is None or old is None:
            planned: dict[str, _Planned] = {}
            todo = list(site.reports)
            build.ref, build.since = None, set()
        else:
            # Everything but the changed reports' pages carries over as it is.
            planned = dict(self._planned)
            build.own, build.extra = dict(old.own), set(old.extra)
            for rid in affected & planned.keys():
                gone = planned.pop(rid)
                for path in gone.own + gone.extra:
                    build.own.pop(path, None)
                build.extra.difference_update(gone.extra)
            by_id = {r.id: r for r in site.reports}
            todo = [by_id[rid] for rid in sorted(affected) if rid in by_id]
            build.ref, build.since = self._site_ref, self._since | affected
        for report in todo:
            own = [self._slot(build, job) for job in plan_report(site, report)]
            extra = [self._slot(build, job) for plan in self.extra_planners for job in plan(site, report)]
            build.extra.update(extra)
            planned[report.id] = _Planned(report, tuple(own), tuple(extra))
            fresh += own + extra
        return build, planned, fresh

    @staticmethod
    def _slot(build: Build, job: PageJob) -> str:
        path = urls.output_path(job.url)
        build.own[path] = Slot(job)
        return path

    def _plan_site_part(self, build: Build) -> SitePart:
        """Plan the pages that are not one report's own, keeping what the last plan made where it still holds."""
        report_jobs = [slot.job for path, slot in build.own.items() if path not in build.extra]
        slots: dict[str, Slot] = {}
        ref, since = build.ref, build.since
        for job in plan_site_pages(build.site, report_jobs):
            path = urls.output_path(job.url)
            old = ref.get(path) if ref is not None else None
            # Made bytes carry over where the page is unchanged; anything not yet made is planned afresh.
            slots[path] = old if old is not None and old.data is not None and not _stale(job, old.job, since) else Slot(job)
        if self.good is not None and self.good.build is build:
            self._site_ref, self._since = slots, set()
        return SitePart(slots, [(file_set, None) for file_set in plan_file_sets(build.site)])

    def _render_now(self, build: Build, fresh: list[str], full: bool) -> None:
        """What a lazy rebuild renders itself: the changed reports' pages; after a full change, one page per template."""
        if not full:
            for path in fresh:
                build.make(build.own, path)
        else:
            # Every template is compiled by its first page, so a template error shows now, not on some later request.
            seen: set[str] = set()
            part = build.site_part()
            for table in (build.own, part.slots):
                for path, slot in sorted(table.items(), key=lambda item: item[1].job.url):
                    if slot.job.template and slot.job.template not in seen:
                        seen.add(slot.job.template)
                        build.make(table, path)


def _stale(job: PageJob, old: PageJob, affected: set[str]) -> bool:
    """True when a page may show something different from what was rendered last time."""
    if job is old:
        return False
    if "*" in job.depends or job.depends & affected or job.depends != old.depends:
        return True
    return (job.template, job.title, job.description, job.produce is None) != (old.template, old.title, old.description, old.produce is None)


def _site_wide(site: Site) -> tuple[object, ...]:
    """What every page may show: a change here re-renders everything."""
    return (site.config, site.people, site.menu, site.drafts)


def _affected(old: Site, new: Site) -> set[str]:
    """Report ids (and "page:<slug>" keys) whose model objects differ between two builds."""
    before = {r.id: r for r in old.reports}
    after = {r.id: r for r in new.reports}
    changed = {rid for rid in before.keys() | after.keys() if before.get(rid) is not after.get(rid)}
    old_pages = {p.slug: p for p in old.pages}
    new_pages = {p.slug: p for p in new.pages}
    changed |= {"page:" + slug for slug in old_pages.keys() | new_pages.keys() if old_pages.get(slug) != new_pages.get(slug)}
    return changed


def render_clean(root: Path, options: BuildOptions | None = None) -> BuildResult:
    """A from-scratch build through the engine (for tests and the benchmark)."""
    return Engine(root, options).rebuild(None).result


__all__ = ["CheckCache", "Engine", "Outcome", "SourceFiles", "render_clean"]
