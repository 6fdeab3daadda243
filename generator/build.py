"""Build: the pipeline, stage by stage.

    load      read content/, seeds/ and parse YAML into nodes with line marks   (load.py)
    validate  walk nodes against the schema, then cross-file rules              (validate.py, checks.py)
    model     checked values -> frozen dataclasses, markdown rendered once       (assemble.py, model.py)
    render    plan pages and render them through the Jinja theme, in memory     (render.py, theme.py)
    write     stage the files beside site/ and swap them in                      (write.py)

Every stage collects diagnostics; the first stage that ends with an error stops the build
before anything is written. `serve` calls `render_site` and keeps the pages in memory.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.content.checks import CheckedProject, ReportChecker, check_project, check_report_doc
from generator.content.load import Project, ReportLoader, load_project, load_yaml_file
from generator.diagnostics import BuildFailed, Diagnostic
from generator.model.assemble import ModelBuilder, build_model
from generator.model.entities import Site
from generator.output.disk import copy_static, write_site
from generator.pipeline.workers import tuned_gc

# Feature modules register their pages and template globals when imported.
from generator.site import claimants, exports, feeds, indexes, people, related, search, sharecards, transparency, withdrawn  # noqa: F401  (registers their pages)
from generator.site.render import PageJob, RenderedPage, plan_pages, render_pages
from generator.site.structured import base_url_warnings
from generator.site.theme import Theme, make_environment, resolve_theme, template_diagnostic


@dataclass(frozen=True)
class BuildOptions:
    """What to build: drafts or not, and an optional base URL override."""

    drafts: bool = False
    base_url: str | None = None
    # Speed only, never the output: worker processes (0: one per core on large projects) and .cache/factcheck/.
    workers: int = 0
    cache: bool = True


@dataclass
class BuildResult:
    """What a build produced, for the closing line and for `serve`."""

    site: Site
    pages: list[RenderedPage]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    written: int = 0

    @property
    def warnings(self) -> int:
        """How many warnings the build reported."""
        return sum(d.is_warning for d in self.diagnostics)


def _stop_on_errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.is_error for d in diagnostics):
        raise BuildFailed(diagnostics)


@dataclass(frozen=True)
class CheckHooks:
    """Where `build` plugs its worker processes and cache into `check` (fastbuild.py); the defaults do the plain thing."""

    load_report: ReportLoader = load_yaml_file
    loaded: Callable[[Project], Project] = lambda project: project
    check_one: ReportChecker = check_report_doc
    model_builder: Callable[[CheckedProject], ModelBuilder | None] = lambda checked: None


def check(root: Path, options: BuildOptions = BuildOptions(drafts=True), hooks: CheckHooks = CheckHooks()) -> tuple[Site, list[Diagnostic]]:
    """Load, validate and model the project; raise BuildFailed if anything is an error."""
    project = hooks.loaded(load_project(root, hooks.load_report))
    checked, diagnostics = check_project(project, hooks.check_one)
    _stop_on_errors(diagnostics)
    site, model_diagnostics = build_model(checked, drafts=options.drafts, builder=hooks.model_builder(checked))
    diagnostics += model_diagnostics
    _stop_on_errors(diagnostics)
    if options.base_url is not None:
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=options.base_url))
    return site, diagnostics


# Errors that a template (or a planner feeding it) can raise; reported as a template diagnostic.
TEMPLATE_ERRORS = (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError)


@dataclass
class Plan:
    """Every stage up to the page plan: what rendering needs."""

    site: Site
    diagnostics: list[Diagnostic]
    theme: Theme
    env: jinja2.Environment
    jobs: list[PageJob]


def plan_site(root: Path, options: BuildOptions = BuildOptions(), hooks: CheckHooks = CheckHooks()) -> Plan:
    """Check the project, then make the theme environment and the page plan."""
    site, diagnostics = check(root, options, hooks)
    diagnostics = [*diagnostics, *base_url_warnings(site)]
    theme = resolve_theme(root, site.config.theme)
    try:
        env = make_environment(theme)
        jobs = plan_pages(site)
    except TEMPLATE_ERRORS as exc:
        raise BuildFailed([*diagnostics, template_diagnostic(exc, theme, root)]) from None
    return Plan(site, diagnostics, theme, env, jobs)


def render_site(root: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Run every stage but writing; the pages stay in memory."""
    started = time.perf_counter()
    plan = plan_site(root, options)
    try:
        pages = render_pages(plan.env, plan.site, plan.jobs)
    except TEMPLATE_ERRORS as exc:
        raise BuildFailed([*plan.diagnostics, template_diagnostic(exc, plan.theme, root)]) from None
    pages += copy_static(plan.theme.static_dirs)
    return BuildResult(plan.site, pages, plan.diagnostics, time.perf_counter() - started)


def build(root: Path, out: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the site into `out`, replacing it only if every stage succeeded.

    Large projects use worker processes and the cache in .cache/factcheck/ (fastbuild.py), which
    write files as they are rendered: the result's `pages` is then empty. The output is the same.
    """
    from generator.fastbuild import Fallback, build_fast

    started = time.perf_counter()
    with tuned_gc():
        try:
            result = build_fast(root, out, options)
        except Fallback:
            result = render_site(root, options)
            result.written = write_site(result.pages, out, root)
    result.seconds = time.perf_counter() - started
    return result
