"""Incremental rebuilds for `serve`: redo only what an edit can have changed.

The engine keeps the files as last read, per-file validation and model results (keyed by the
file's content digest and what the checks read from the rest of the project), each report's
planned pages, and the rendered bytes of the last good build. A rebuild re-reads the changed
files, runs the cross-file rules over the cached per-file results (cheap), and re-renders the
pages whose `depends` name a report that changed, or "*". A template, theme, config, people or
menu change re-renders everything. The stages mirror `build.render_site`; the equivalence test
in tests/test_incremental.py fails if the two ever disagree.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .assemble import ModelBuilder, build_config, build_model
from .build import BuildOptions, BuildResult
from .checks import CheckedReport, Context, check_project, check_report_doc
from .diagnostics import BuildFailed, Diagnostic
from .load import PAGES_DIR, PEOPLE_FILE, REPORTS_DIR, SEEDS, SITE_FILE, PageDoc, Project, YamlDoc, load_page, load_project, load_yaml_file
from .markdown import MarkdownRenderer
from .model import Report, Site, SiteConfig
from .render import PageJob, RenderedPage, ReportPlanner, plan_pages, plan_report, render_pages
from .structured import base_url_warnings
from .theme import OVERRIDES, Theme, make_environment, resolve_theme, template_diagnostic
from .validate import Located, Obj, get_obj, get_text
from .write import copy_static

Signature = tuple[int, int, int]  # mtime_ns, size, inode: enough to notice a file changed on a rescan


@dataclass
class _File:
    sig: Signature
    doc: YamlDoc | PageDoc
    diags: tuple[Diagnostic, ...]


def _sig(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class SourceFiles:
    """The project's content files as last read; re-reads only changed files (load.py's rules)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.yaml: dict[str, _File] = {}  # site.yaml, people.yaml and reports
        self.pages: dict[str, _File] = {}
        self.snapshots: dict[str, bytes] = {}
        self._snapshot_sigs: dict[str, Signature] = {}

    def refresh(self, changed: Collection[str] | None) -> None:
        """Re-read the named files (None: compare every file's signature and re-read what differs)."""
        if changed is None:
            self._rescan_all()
            return
        for rel in changed:
            parent = rel.rpartition("/")[0]
            if rel in (SITE_FILE, PEOPLE_FILE) or parent == REPORTS_DIR:
                self._read_yaml(rel, force=True)
            elif parent == PAGES_DIR:
                self._read_page(rel, force=True)
            elif rel.startswith(SEEDS + "/"):
                self._read_snapshot(rel)
            elif rel in ("content", REPORTS_DIR, PAGES_DIR, SEEDS):  # a whole folder moved or went away
                self._rescan_all()

    def _rescan_all(self) -> None:
        for rel in [SITE_FILE, PEOPLE_FILE, *self._listing(REPORTS_DIR), *self.yaml]:
            self._read_yaml(rel, force=False)
        for rel in [*self._listing(PAGES_DIR), *self.pages]:
            self._read_page(rel, force=False)
        seeds = self.root / SEEDS
        found = {p.relative_to(self.root).as_posix() for p in seeds.rglob("*")} if seeds.is_dir() else set()
        for rel in sorted(found | set(self.snapshots)):
            self._read_snapshot(rel, force=False)

    def _listing(self, rel_dir: str) -> list[str]:
        folder = self.root / rel_dir
        return [f"{rel_dir}/{e.name}" for e in os.scandir(folder)] if folder.is_dir() else []

    def _included(self, rel: str, suffix: str) -> bool:
        # load.py's rule: regular files with the suffix, not hidden, directly in the folder.
        name = rel.rpartition("/")[2]
        return rel in (SITE_FILE, PEOPLE_FILE) or (name.endswith(suffix) and Path(name).suffix == suffix and not name.startswith("."))

    def _read_yaml(self, rel: str, force: bool) -> None:
        path = self.root / rel
        sig = _sig(path) if path.is_file() and self._included(rel, ".yaml") else None
        if sig is None:
            self.yaml.pop(rel, None)
            return
        old = self.yaml.get(rel)
        if force or old is None or old.sig != sig:
            diags: list[Diagnostic] = []
            doc = load_yaml_file(self.root, rel, diags)
            self.yaml[rel] = _File(sig, doc, tuple(diags))

    def _read_page(self, rel: str, force: bool) -> None:
        path = self.root / rel
        sig = _sig(path) if path.is_file() and self._included(rel, ".md") else None
        if sig is None:
            self.pages.pop(rel, None)
            return
        old = self.pages.get(rel)
        if force or old is None or old.sig != sig:
            diags: list[Diagnostic] = []
            doc = load_page(self.root, rel, diags)
            self.pages[rel] = _File(sig, doc, tuple(diags))

    def _read_snapshot(self, rel: str, force: bool = True) -> None:
        path = self.root / rel
        hidden = any(part.startswith(".") for part in rel.split("/")[1:])
        if path.is_dir() and not hidden:
            for child in path.rglob("*"):
                self._read_snapshot(child.relative_to(self.root).as_posix(), force)
            return
        sig = _sig(path) if path.is_file() and not hidden else None
        if sig is None:
            for known in [k for k in self.snapshots if k == rel or k.startswith(rel + "/")]:
                self.snapshots.pop(known, None)
                self._snapshot_sigs.pop(known, None)
            return
        if force or self._snapshot_sigs.get(rel) != sig:
            self.snapshots[rel] = path.read_bytes()
            self._snapshot_sigs[rel] = sig

    def project(self) -> Project:
        """The project as `load_project` would return it."""
        site = self.yaml.get(SITE_FILE)
        if site is None:
            return load_project(self.root)  # no site.yaml: load stops at once with one diagnostic
        people = self.yaml.get(PEOPLE_FILE)
        reports = [self.yaml[rel] for rel in sorted(r for r in self.yaml if r.startswith(REPORTS_DIR + "/"))]
        pages = [self.pages[rel] for rel in sorted(self.pages)]
        files = [site, *([people] if people else []), *reports, *pages]
        diags = tuple(d for f in files for d in f.diags)
        return Project(
            self.root,
            _yaml(site.doc),
            _yaml(people.doc) if people else None,
            tuple(_yaml(r.doc) for r in reports),
            tuple(_page(p.doc) for p in pages),
            self.snapshots,
            diags,
        )


def _yaml(doc: YamlDoc | PageDoc) -> YamlDoc:
    assert isinstance(doc, YamlDoc)
    return doc


def _page(doc: YamlDoc | PageDoc) -> PageDoc:
    assert isinstance(doc, PageDoc)
    return doc


@dataclass
class _Checked:
    doc: YamlDoc
    ctx_key: tuple[object, ...]
    snapshot: str
    snapshot_bytes: bytes | None
    names: frozenset[str]
    located: Located
    checked: CheckedReport | None
    diags: tuple[Diagnostic, ...]


class CheckCache:
    """A report checker for `check_project` that remembers each file's result.

    A result stays valid while the file's text, the ratings, people and reviewer rule, and
    the one snapshot the report points at are unchanged (a missing snapshot's hint lists
    the others, so then the set of snapshot names counts too).
    """

    def __init__(self) -> None:
        self.entries: dict[str, _Checked] = {}
        self.misses = 0

    def __call__(self, doc: YamlDoc, ctx: Context, diags: list[Diagnostic]) -> tuple[Located, CheckedReport | None]:
        """Check one report, or replay the remembered result."""
        key = (ctx.ratings, ctx.people, ctx.reviewers_required)
        hit = self.entries.get(doc.path)
        if hit is not None and hit.doc.digest == doc.digest and hit.doc.node is not None and hit.ctx_key == key and self._snapshot_same(hit, ctx):
            diags.extend(hit.diags)
            return hit.located, hit.checked
        self.misses += 1
        start = len(diags)
        located, checked = check_report_doc(doc, ctx, diags)
        value = located.value if isinstance(located.value, dict) else {}
        snapshot = get_text(get_obj(value, "article"), "snapshot")
        data = ctx.snapshots.get(snapshot) if snapshot else None
        names = frozenset(ctx.snapshots) if snapshot and data is None else frozenset()
        self.entries[doc.path] = _Checked(doc, key, snapshot, data, names, located, checked, tuple(diags[start:]))
        return located, checked

    @staticmethod
    def _snapshot_same(hit: _Checked, ctx: Context) -> bool:
        if not hit.snapshot:
            return True
        data = ctx.snapshots.get(hit.snapshot)
        if data != hit.snapshot_bytes:
            return False
        return data is not None or hit.names == frozenset(ctx.snapshots)


_ModelCache = dict[str, tuple[CheckedReport, Report, tuple[Diagnostic, ...]]]


class CachingModelBuilder(ModelBuilder):
    """A ModelBuilder that reuses the Report made from the same CheckedReport last time."""

    def __init__(self, config: SiteConfig, people: list[Obj], md: MarkdownRenderer, cache: _ModelCache) -> None:
        super().__init__(config, people, md)
        self.cache = cache

    def report(self, checked: CheckedReport) -> Report:
        """The report model, from the cache when its checked input is the very same object."""
        hit = self.cache.get(checked.doc.path)
        if hit is not None and hit[0] is checked:
            self.diagnostics.extend(hit[2])
            return hit[1]
        start = len(self.diagnostics)
        report = super().report(checked)
        self.cache[checked.doc.path] = (checked, report, tuple(self.diagnostics[start:]))
        return report


@dataclass
class _Good:
    """The last build that succeeded: what requests are served from."""

    site: Site
    theme: Theme
    jobs: dict[str, PageJob]
    rendered: dict[str, RenderedPage]
    static: list[RenderedPage]
    extra_jobs: dict[str, PageJob]
    extra: dict[str, RenderedPage]


@dataclass
class Outcome:
    """One successful rebuild: the result as `render_site` gives it, plus serve-only pages."""

    result: BuildResult
    extra: list[RenderedPage]
    rendered: int
    full: bool
    seconds: float
    checked_files: int = 0


class Engine:
    """Rebuilds a project in memory, incrementally, keeping the last good build."""

    def __init__(self, root: Path, options: BuildOptions | None = None, extra_planners: Sequence[ReportPlanner] = ()) -> None:
        self.root = root
        self.options = options or BuildOptions()
        self.extra_planners = extra_planners
        self.files = SourceFiles(root)
        self.checker = CheckCache()
        self.good: _Good | None = None
        self._md = MarkdownRenderer()
        self._models: _ModelCache = {}
        self._model_key: object = None
        self._report_jobs: dict[str, tuple[Report, list[PageJob], list[PageJob]]] = {}
        self._env: jinja2.Environment | None = None
        self._templates_dirty = True
        self._static_dirty = True
        self._first = True

    def rebuild(self, changed: Collection[str] | None = None) -> Outcome:
        """Apply changed paths (relative; None: rescan everything); raise BuildFailed and keep the last good build on errors."""
        started = time.perf_counter()
        self._note_changes(changed)
        self.files.refresh(None if self._first else changed)
        self._first = False
        misses = self.checker.misses
        site, diagnostics = self._check()
        diagnostics = [*diagnostics, *base_url_warnings(site)]
        theme = resolve_theme(self.root, site.config.theme)
        good = self.good
        if good is None or good.theme != theme:
            self._templates_dirty = self._static_dirty = True
        full = self._templates_dirty or good is None or _site_wide(good.site) != _site_wide(site)
        try:
            if self._env is None or self._templates_dirty:
                self._env = make_environment(theme)
            jobs, extra_jobs = self._plan(site)
            affected = set() if full or good is None else _affected(good.site, site)
            rendered, extra, count = self._render(site, jobs, extra_jobs, affected, full)
        except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
            raise BuildFailed([*diagnostics, template_diagnostic(exc, theme, self.root)]) from None
        static = copy_static(theme.static_dirs) if self._static_dirty or good is None else good.static
        self.good = _Good(site, theme, jobs, rendered, static, extra_jobs, extra)
        self._templates_dirty = self._static_dirty = False
        pages = [rendered[url] for url in jobs] + static
        seconds = time.perf_counter() - started
        result = BuildResult(site, pages, diagnostics, seconds)
        return Outcome(result, [extra[url] for url in extra_jobs], count, full, seconds, self.checker.misses - misses)

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
        project = self.files.project()
        checked, diagnostics = check_project(project, self.checker)
        if any(d.is_error for d in diagnostics):
            raise BuildFailed(diagnostics)
        config = build_config(checked.site)
        key = (config, checked.people)
        if key != self._model_key:
            self._models.clear()
            self._model_key = key
        builder = CachingModelBuilder(config, checked.people, self._md, self._models)
        live = {r.doc.path for r in checked.reports}
        for path in [p for p in self._models if p not in live]:
            del self._models[path]
        site, model_diagnostics = build_model(checked, drafts=self.options.drafts, builder=builder)
        diagnostics += model_diagnostics
        if any(d.is_error for d in diagnostics):
            raise BuildFailed(diagnostics)
        if self.options.base_url is not None:
            site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=self.options.base_url))
        return site, diagnostics

    def _plan(self, site: Site) -> tuple[dict[str, PageJob], dict[str, PageJob]]:
        cache: dict[str, tuple[Report, list[PageJob], list[PageJob]]] = {}
        old = {} if self._templates_dirty or self.good is None or self.good.site.config != site.config else self._report_jobs

        def report_jobs(report: Report) -> list[PageJob]:
            hit = old.get(report.id)
            if hit is None or hit[0] is not report:
                extra = [job for plan in self.extra_planners for job in plan(site, report)]
                hit = (report, plan_report(site, report), extra)
            cache[report.id] = hit
            return hit[1]

        jobs = plan_pages(site, report_jobs)
        self._report_jobs = cache
        extra_jobs = sorted((job for _, _, extra in cache.values() for job in extra), key=lambda j: j.url)
        return {job.url: job for job in jobs}, {job.url: job for job in extra_jobs}

    def _render(
        self, site: Site, jobs: dict[str, PageJob], extra_jobs: dict[str, PageJob], affected: set[str], full: bool
    ) -> tuple[dict[str, RenderedPage], dict[str, RenderedPage], int]:
        assert self._env is not None
        good = self.good
        todo: list[PageJob] = []
        rendered: dict[str, RenderedPage] = {}
        extra: dict[str, RenderedPage] = {}
        for plan, old_jobs, old_pages, out in (
            (jobs, good.jobs if good else {}, good.rendered if good else {}, rendered),
            (extra_jobs, good.extra_jobs if good else {}, good.extra if good else {}, extra),
        ):
            for url, job in plan.items():
                old = old_jobs.get(url)
                if full or old is None or url not in old_pages or _stale(job, old, affected):
                    todo.append(job)
                else:
                    out[url] = old_pages[url]
        fresh = render_pages(self._env, site, todo)
        for job, page in zip(todo, fresh, strict=True):
            (rendered if job.url in jobs else extra)[job.url] = page
        return rendered, extra, len(todo)


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
