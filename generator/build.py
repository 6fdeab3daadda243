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
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .assemble import build_model
from .checks import check_project
from .diagnostics import BuildFailed, Diagnostic
from .load import load_project
from .model import Site
from .render import RenderedPage, plan_pages, render_pages
from .theme import make_environment, resolve_theme, template_diagnostic
from .write import copy_static, write_site


@dataclass(frozen=True)
class BuildOptions:
    """What to build: drafts or not, and an optional base URL override."""

    drafts: bool = False
    base_url: str | None = None


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
        return sum(not d.is_error for d in self.diagnostics)


def _stop_on_errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.is_error for d in diagnostics):
        raise BuildFailed(diagnostics)


def check(root: Path, options: BuildOptions = BuildOptions(drafts=True)) -> tuple[Site, list[Diagnostic]]:
    """Load, validate and model the project; raise BuildFailed if anything is an error."""
    project = load_project(root)
    checked, diagnostics = check_project(project)
    _stop_on_errors(diagnostics)
    site, model_diagnostics = build_model(checked, drafts=options.drafts)
    diagnostics += model_diagnostics
    _stop_on_errors(diagnostics)
    if options.base_url is not None:
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=options.base_url))
    return site, diagnostics


def render_site(root: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Run every stage but writing; the pages stay in memory."""
    started = time.perf_counter()
    site, diagnostics = check(root, options)
    theme = resolve_theme(root, site.config.theme)
    try:
        env = make_environment(theme)
        pages = render_pages(env, site, plan_pages(site))
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise BuildFailed([*diagnostics, template_diagnostic(exc, theme, root)]) from None
    pages += copy_static(theme.static_dirs)
    return BuildResult(site, pages, diagnostics, time.perf_counter() - started)


def build(root: Path, out: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the site into `out`, replacing it only if every stage succeeded."""
    started = time.perf_counter()
    result = render_site(root, options)
    result.written = write_site(result.pages, out, root)
    result.seconds = time.perf_counter() - started
    return result
