"""Build: the engine's front door, where `check`, `build` and `serve` enter.

    check   pipeline/check.py   load -> validate -> model, the one check pipeline (store, workers)
    plan    site/plan.py        what pages exist: every page as a job with its dependency keys
    keys    output/keys.py      what each page is made from, so unchanged pages are kept
    write   output/disk.py      the disk sink: staging folder, atomic swap (`build`)
            output/memory.py    the memory sink: pages made on request (`serve`, via preview/engine.py)

`check` runs the pipeline and renders one page of each template; `build` writes the whole plan;
`serve` keeps a store and the last MemorySite and redoes this on every save. Content problems
are diagnostics; a stage that ends with an error stops before anything is written.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.content.files import read_project_file
from generator.content.i18n import Catalog
from generator.content.load import SITE_FILE
from generator.content.stringtables import load_catalog, string_dirs
from generator.diagnostics import BuildFailed, Diagnostic
from generator.model.entities import Site, SiteConfig
from generator.output.disk import DiskSink, WriteStats, copy_static
from generator.output.filesets import SetsAside, worth_a_helper
from generator.output.keys import KeyMemo, page_keys, site_wide_key, theme_fingerprint
from generator.output.memory import MemorySite
from generator.packaged import data_dir
from generator.pipeline.cache import CACHE_DIR, TemplateCache, code_fingerprint, load_pickle, save_pickle
from generator.pipeline.check import Checked, CheckOptions, CheckStats, run_check
from generator.pipeline.heap import tuned_gc
from generator.pipeline.rescan import Rescan
from generator.pipeline.store import ReportStore, signature
from generator.pipeline.workers import Aside, StageProgress, no_progress, worker_count
from generator.site import urls
from generator.site.ceiling import memory_ceiling
from generator.site.jobs import PageJob, RenderedPage
from generator.site.pagelinks import favicon_warnings, page_link_warnings
from generator.site.plan import ReportJobs, ReportPlanner, SitePlan, plan_site
from generator.site.related import RelatedMemo
from generator.site.structured import base_url_warnings
from generator.site.template_checks import check_templates
from generator.site.theme import Theme, make_environment, resolve_theme

_URL = operator.attrgetter("url")

# What to build: drafts or not, a base URL override, and (for speed only) workers and the cache.
BuildOptions = CheckOptions
PUBLISHED = BuildOptions()
WITH_DRAFTS = BuildOptions(drafts=True)


@dataclass
class BuildResult:
    """What a build produced, for the closing line, `-v` and tests."""

    site: Site
    pages: list[RenderedPage]  # the files, when built in memory (render_site); empty when written to disk
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    written: int = 0
    check: CheckStats = field(default_factory=CheckStats)
    write: WriteStats = field(default_factory=WriteStats)

    @property
    def warnings(self) -> int:
        """How many warnings the build reported."""
        return sum(d.is_warning for d in self.diagnostics)


@dataclass(frozen=True)
class Prepared:
    """Every stage up to the page plan and its keys: what a sink needs."""

    checked: Checked
    site: Site
    theme: Theme
    theme_digest: str
    plan: SitePlan
    keys: Sequence[str | None]
    diagnostics: list[Diagnostic]


@dataclass
class Memos:
    """What the preview keeps between rebuilds so that unchanged reports cost little: their results, pages and keys."""

    store: ReportStore = field(default_factory=ReportStore)
    jobs: ReportJobs = field(default_factory=ReportJobs)
    keys: KeyMemo = field(default_factory=KeyMemo)
    rescan: Rescan | None = None  # which files may have changed since the last rebuild (None: look at every one)
    templates: tuple[tuple[str, tuple[str, ...]], list[Diagnostic]] = (("", ()), [])  # the theme last checked, and what was found
    catalog: tuple[object, tuple[Catalog, list[Diagnostic]]] | None = None  # the string tables last read, by their files' signatures


def prepare(
    root: Path,
    options: BuildOptions,
    memos: Memos | None = None,
    preview_planners: Sequence[ReportPlanner] = (),
    publishing: bool = True,
    progress: StageProgress = no_progress,
    sets: SetsAside | None = None,
) -> Prepared:
    """Check the project, resolve the theme and plan every page; raise BuildFailed with every diagnostic on errors.

    `publishing` (build, serve) makes a missing base_url a warning, which `check` only notes, and adds
    the page keys that decide which pages are made again, which `check` does not need. With `sets`
    (a build), the file sets are made in a helper while the pages are planned, where that pays (worth_a_helper).
    """
    # The preview keeps its store in memory; a build's is saved while its pages are planned (`saving`).
    store = memos.store if memos is not None else ReportStore(root if options.cache else None, save_later=True, move_texts=True)
    checked = run_check(root, options, store, progress, memos.rescan if memos is not None else None)
    with store.saving(fork=checked.stats.workers > 1) as saving:
        try:
            return _plan(root, options, checked, memos, preview_planners, publishing, sets)
        finally:
            saving.finish()  # the check's results are on disk (or, if the helper died, not) before any page is written


def _plan(
    root: Path,
    options: BuildOptions,
    checked: Checked,
    memos: Memos | None,
    preview_planners: Sequence[ReportPlanner],
    publishing: bool,
    sets: SetsAside | None,
) -> Prepared:
    """`prepare` past the check: the theme, the string tables, the page plan, the templates' check and the page keys."""
    if checked.site is None:
        # A report's mistakes stop the build here; the theme's and the string tables' are reported with them.
        problems = _theme_and_strings(root, checked.config, memos)[2] if checked.config is not None else []
        raise BuildFailed([*checked.diagnostics, *problems])
    site = checked.site
    # Publishing needs the address canonical links, ClaimReview and the sitemap are made from.
    # site.yaml is read again only to point at the line where base_url would go (the check keeps no text).
    site_yaml = b"" if site.config.base_url else read_project_file(root, SITE_FILE, []) or b""
    diagnostics = [*checked.diagnostics, *base_url_warnings(site, site_yaml.decode("utf-8-sig", "replace"), publishing)]
    theme, catalog, problems = _theme_and_strings(root, site.config, memos)
    diagnostics += problems
    if theme is None or catalog is None:
        raise BuildFailed(diagnostics)
    theme_digest = theme_fingerprint(theme)
    if sets is not None and not (checked.stats.workers > 1 and worth_a_helper(sum(len(report.claims) for report in site.reports))):
        sets = None  # one process (no helper to make them), or a site whose planning is long (filesets.MAX_CLAIMS)
    jobs = memos.jobs if memos is not None else _build_memo(root, options, publishing, len(site.reports), sets)
    plan = plan_site(site, preview_planners, jobs, keyed=publishing, catalog=catalog, sets_elsewhere=sets.start if sets is not None else None)
    if sets is not None:
        sets.go()  # no related claims were chosen in a helper that would have made them
    diagnostics += page_link_warnings(plan, theme.static_dirs)  # every page is known only now
    diagnostics += favicon_warnings(site.config.favicon, theme.static_dirs, root)
    if memos is None and jobs is not None:
        _save_related(root, jobs.related)
    # Every broken template at once (syntax, missing includes, templates the plan needs), before any page renders.
    problems = _template_problems(root, options, theme, (theme_digest, tuple(plan.templates())), memos)
    if any(d.is_error for d in problems):
        raise BuildFailed([*diagnostics, *problems])
    if publishing:
        site_wide = site_wide_key(checked.inputs, theme_digest, plan)
        keys = page_keys(plan.jobs, checked.report_digests, site_wide, memos.keys if memos is not None else None)
    else:
        keys = [None] * len(plan.jobs)  # no page is kept: check renders a few and writes none
    return Prepared(checked, site, theme, theme_digest, plan, keys, diagnostics)


def _theme_and_strings(root: Path, config: SiteConfig, memos: Memos | None) -> tuple[Theme | None, Catalog | None, list[Diagnostic]]:
    """The site's theme and its string tables, with their problems; None for either when it has errors."""
    try:
        theme = resolve_theme(root, config.theme)
    except BuildFailed as failed:
        return None, None, list(failed.diagnostics)
    # The theme's string tables and the site's own, for every language of the site.
    codes = [language.code for language in config.languages] or [config.language]
    # The packaged default theme's tables first, lowest: a theme that extends nothing still has every text the pages need.
    packaged = data_dir("themes")
    fallback = [packaged / "default" / "i18n"] if packaged is not None else []
    own = string_dirs(theme.chain, root)
    catalog, problems = _catalog(root, [*(d for d in fallback if d not in own), *own], codes, memos)
    return theme, None if any(d.is_error for d in problems) else catalog, problems


def _catalog(root: Path, dirs: list[Path], codes: list[str], memos: Memos | None) -> tuple[Catalog, list[Diagnostic]]:
    """load_catalog, or the preview's last answer while no string table changed: parsing them costs milliseconds on every save."""
    stamp = (tuple(dirs), tuple(codes), tuple((path, signature(path)) for folder in dirs if folder.is_dir() for path in sorted(folder.glob("*.yaml"))))
    # A file the watcher names is read again even with the same signature (a rewrite within one timestamp tick).
    changed = memos.rescan.changed if memos is not None and memos.rescan is not None else None
    # A template too: which keys the templates name decides a warning about a site's own key (stringtables.unknown_texts).
    watched = [*dirs, *(folder.parent / "templates" for folder in dirs)]
    named = changed is not None and any((root / rel).is_relative_to(folder) for rel in changed for folder in watched)
    if memos is not None and memos.catalog is not None and memos.catalog[0] == stamp and not named:
        return memos.catalog[1]
    made = load_catalog(root, dirs, codes[0], codes)
    if memos is not None:
        memos.catalog = (stamp, made)
    return made


RELATED_FILE = "related.pickle"


def _build_memo(root: Path, options: BuildOptions, publishing: bool, reports: int, sets: SetsAside | None) -> ReportJobs | None:
    """For a build with the cache: the related lists of the last build, which stand while no report's order, claims, claimants or topics changed.

    Lists to choose anew are chosen in a helper process while this one plans the other pages, where that pays.
    """
    if not (publishing and options.cache):
        return None
    elsewhere = (sets.related() if sets is not None else functools.partial(Aside, fork=True)) if worker_count(reports, options.workers) > 1 else None
    jobs = ReportJobs(keep=False, elsewhere=elsewhere)
    saved = load_pickle(root / CACHE_DIR / RELATED_FILE)
    # Kept only for the same code: the way they are chosen may have changed.
    if isinstance(saved, dict) and saved.get("code") == code_fingerprint() and isinstance(saved.get("signature"), str) and isinstance(saved.get("rows"), dict):
        jobs.related.signature, jobs.related.rows = saved["signature"], saved["rows"]
    jobs.related.loaded = len(jobs.related.rows)
    return jobs


def _save_related(root: Path, memo: RelatedMemo) -> None:
    if len(memo.rows) != memo.loaded or memo.fresh:  # choosing them again costs a second at 4,000 reports
        save_pickle(root / CACHE_DIR / RELATED_FILE, {"code": code_fingerprint(), "signature": memo.signature, "rows": memo.rows})


def _template_problems(root: Path, options: BuildOptions, theme: Theme, key: tuple[str, tuple[str, ...]], memos: Memos | None) -> list[Diagnostic]:
    """check_templates for this theme and these needed templates, unless the same check was done before (in this preview, or in the cache)."""
    if memos is not None and memos.templates[0] == key:
        return memos.templates[1]
    # Parsing every template costs a second a build; its answer depends only on the files and the code.
    path = root / CACHE_DIR / "templates.pickle"
    stamp = (code_fingerprint(), *key)
    saved = load_pickle(path) if options.cache else None
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == stamp and isinstance(saved[1], list):
        problems: list[Diagnostic] = saved[1]
    else:
        problems = check_templates(theme, key[1], TemplateCache(root / CACHE_DIR / "templates") if options.cache else None)
        # Only a clean theme is remembered: a refused file (a link to /dev/zero) leaves no mark in the
        # theme's digest, so its error must be found again, and gone once the file is.
        if options.cache and not problems:
            save_pickle(path, (stamp, problems))
    if memos is not None:
        memos.templates = (key, problems)
    return problems


def environment(prepared: Prepared, root: Path, options: BuildOptions) -> jinja2.Environment:
    """The Jinja environment for a prepared plan; with the cache on, compiled templates are kept in .cache/factcheck/templates/."""
    return make_environment(prepared.theme, TemplateCache(root / CACHE_DIR / "templates") if options.cache else None)


def memory_site(prepared: Prepared, root: Path, env: jinja2.Environment, previous: MemorySite | None = None) -> MemorySite:
    """The prepared plan as a MemorySite (pages made on request), keeping the unchanged pages of `previous`."""
    static = copy_static(prepared.theme.static_dirs, root)
    return MemorySite(prepared.plan, env, prepared.theme, root, prepared.keys, static, prepared.diagnostics, threading.RLock(), previous)


@dataclass(frozen=True)
class CheckResult:
    """What `check` found: the site model, every diagnostic, and how much the check pipeline did (for `-v`)."""

    site: Site
    diagnostics: list[Diagnostic]
    stats: CheckStats


def check(root: Path, options: BuildOptions = WITH_DRAFTS, progress: StageProgress = no_progress) -> tuple[Site, list[Diagnostic]]:
    """Check the project and render one page of each template; raise BuildFailed if anything is an error."""
    result = check_project(root, options, progress)
    return result.site, result.diagnostics


def check_project(root: Path, options: BuildOptions = WITH_DRAFTS, progress: StageProgress = no_progress) -> CheckResult:
    """`check`, with the pipeline's counts and time; raise BuildFailed if anything is an error."""
    with tuned_gc():
        prepared = prepare(root, options, publishing=False, progress=progress)
        first: dict[str, PageJob] = {}
        for job in prepared.plan.jobs:
            if job.template:  # feeds and exports are the generator's own code: no template to check
                first.setdefault(job.template, job)
        # Only those pages go into the memory sink: holding a slot for each of the others would cost more than rendering these.
        sample = dataclasses.replace(prepared, plan=dataclasses.replace(prepared.plan, jobs=tuple(sorted(first.values(), key=_URL))), keys=[None] * len(first))
        files = memory_site(sample, root, environment(prepared, root, options))
        with memory_ceiling():
            for job in first.values():
                files.make(urls.output_path(job.url))  # raises BuildFailed naming the template file and line
    return CheckResult(prepared.site, prepared.diagnostics, prepared.checked.stats)


def render_site(root: Path, options: BuildOptions = PUBLISHED) -> BuildResult:
    """Run every stage but writing; the files stay in memory (the memory sink, made whole)."""
    started = time.perf_counter()
    prepared = prepare(root, options)
    files = memory_site(prepared, root, environment(prepared, root, options))
    with memory_ceiling():
        pages = files.pages()
    return BuildResult(prepared.site, pages, prepared.diagnostics, time.perf_counter() - started, len(pages), prepared.checked.stats)


def build(
    root: Path,
    out: Path,
    options: BuildOptions = PUBLISHED,
    waiting: Callable[[str], None] = lambda message: None,
    strict: bool = False,
    progress: StageProgress = no_progress,
) -> BuildResult:
    """Build the site into `out`, replacing it only if every stage succeeded (and, if `strict`, warned of nothing); raise BuildFailed otherwise."""
    started = time.perf_counter()
    with tuned_gc(), SetsAside() as sets:
        prepared = prepare(root, options, progress=progress, sets=sets)
        sets.wait()  # its helper ends before the render's are forked
        if strict and any(d.is_warning for d in prepared.diagnostics):  # notes are advice: `check --strict` passes them too
            raise BuildFailed(prepared.diagnostics)
        sink = DiskSink(root, out, cache=options.cache, workers=options.workers, waiting=waiting, progress=progress)
        with memory_ceiling():  # the render helpers inherit it
            stats, failures = sink.write(prepared.plan, environment(prepared, root, options), prepared.theme, prepared.keys)
    if failures:
        raise BuildFailed([*prepared.diagnostics, *failures])
    return BuildResult(prepared.site, [], prepared.diagnostics, time.perf_counter() - started, stats.files, prepared.checked.stats, stats)
