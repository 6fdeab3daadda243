"""Render one planned page to bytes through the Jinja theme, and tell a template's error from ours.

Neither touches the disk: the output sinks (output/disk.py, output/memory.py) decide what to
render and where the bytes go.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.diagnostics import Diagnostic
from generator.model.entities import Claim, Page, Rating, Report, Site
from generator.site import urls
from generator.site.jobs import PageJob, RenderedPage
from generator.site.theme import Theme, render_deadline, template_diagnostic

# A page renders in milliseconds; the largest listing of a large archive in well under a second.
PAGE_SECONDS = 5.0
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".json", ".j2", ".jinja")


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


def install_globals(env: jinja2.Environment, site: Site, extra: Mapping[str, Any]) -> None:
    """Make `site`, `url()`, `static()`, `absolute()` and the planners' globals available to every template."""
    env.globals.update(
        site=site,
        url=_url,
        static=_static,
        absolute=lambda target: urls.absolute(site.config.base_url, url_of(target)),
        Markup=Markup,
        remember=_remembering(),
    )
    env.globals.update(extra)


def _remembering() -> Callable[..., Markup]:
    """`{% call remember(*key) %}...{% endcall %}`: the block's output made once per key for this site, then reused.

    For markup that depends only on the key and the site (a verdict badge drawn 100,000 times in a large
    build): the template names in the key everything the block shows.
    """
    made: dict[tuple[object, ...], Markup] = {}

    def remember(*key: object, caller: Callable[[], str]) -> Markup:
        found = made.get(key)
        if found is None:
            found = made[key] = Markup(caller())
        return found

    return remember


def render_job(env: jinja2.Environment, job: PageJob, site: Site) -> RenderedPage:
    """Render one planned page to bytes; a template's error propagates (see `render_failure`)."""
    if job.produce is not None:
        return RenderedPage(urls.output_path(job.url), job.produce())
    template = env.get_template(job.template)
    canonical = urls.absolute(site.config.base_url, job.url) if job.url != "404.html" else ""
    with render_deadline(PAGE_SECONDS):  # a runaway loop in a template is a diagnostic, not a hang
        html = template.render(
            page_url=job.url,
            title=job.title,
            description=job.description,
            canonical=canonical,
            **job.context,
        )
    return RenderedPage(urls.output_path(job.url), html.encode("utf-8"))


def render_failure(exc: Exception, theme: Theme, root: Path) -> Diagnostic | None:
    """The diagnostic for an exception raised while rendering, if a template caused it; None if it is our bug.

    Jinja's own errors are the template's. Any other exception counts as the template's only when a
    template's code is on the stack (a division by zero in a template, a filter given the wrong
    type): then the template's file and line lead to the cause. With no template code on the stack
    (a planner, a feed writer) the exception is the generator's own bug.
    """
    if isinstance(exc, jinja2.TemplateError | RecursionError) or _raised_in_template(exc):
        return template_diagnostic(exc, theme, root)
    return None


def _raised_in_template(exc: BaseException) -> bool:
    # Jinja compiles templates to code whose file name is the template's path.
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(TEMPLATE_SUFFIXES):
            return True
        tb = tb.tb_next
    return False
