"""Render one planned page to bytes through the Jinja theme, and tell a template's error from ours.

Neither touches the disk: the output sinks (output/disk.py, output/memory.py) decide what to
render and where the bytes go.
"""

from __future__ import annotations

import contextvars
import threading
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.diagnostics import Diagnostic
from generator.model.entities import Claim, Page, Rating, Report, Site
from generator.site import urls
from generator.site.compiler import UnwritableText
from generator.site.deadline import render_deadline
from generator.site.jobs import PageJob, RenderedPage, joined
from generator.site.sandbox import PAGE
from generator.site.theme import LoadedTemplates, Theme, context_value, template_diagnostic

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


# Inside a `shared` block: the prefixes that lead from the page's folder to its language's root and to the
# site's root. Links made there are that prefix plus the target, so one copy serves every page at the same depth.
_FROM_ROOT: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("factcheck_from_root", default=None)


def _page_of(ctx: jinja2.runtime.Context) -> Mapping[str, Any] | jinja2.runtime.Context:
    """Where `page_url` and `link_root` are read: the context itself when it is a page's, else the page being rendered."""
    if context_value(ctx, "page_url") is not None:
        return ctx
    return PAGE.get() or ctx


def _link(ctx: jinja2.runtime.Context, url: str) -> str:
    # A page served at any address (404.html) links absolutely from `link_root` when it has one.
    page = _page_of(ctx)
    root = context_value(page, "link_root")
    if root:
        return f"{root}{url}"
    rooted = _FROM_ROOT.get()
    return _prefixed(rooted[0], url) if rooted else urls.relative(page["page_url"], url)


def _root_link(ctx: jinja2.runtime.Context, url: str) -> str:
    # A link to a file of the whole site (static/, another language): from the page's place under the site root.
    page = _page_of(ctx)
    root = context_value(page, "link_root")
    if root:
        return f"{root}{url}"
    rooted = _FROM_ROOT.get()
    return _prefixed(rooted[1], url) if rooted else urls.relative(context_value(ctx, "lang_root", "") + page["page_url"], url)


def _prefixed(prefix: str, url: str) -> str:
    target, _, fragment = url.partition("#")
    return prefix + urls.output_path(target) + (f"#{fragment}" if fragment else "")


def _up(url: str) -> str:
    # From the folder of the page's file (output_path adds index.html to folder URLs) back to the root.
    return "../" * url.count("/")


@jinja2.pass_context
def _url(ctx: jinja2.runtime.Context, target: object, fragment: str = "") -> str:
    target_url = url_of(target)
    # The theme's files are shared by every language; everything else is the page's language's own.
    link = _root_link(ctx, target_url) if target_url.startswith("static/") else _link(ctx, target_url)
    return f"{link}#{fragment}" if fragment else link


@jinja2.pass_context
def _static(ctx: jinja2.runtime.Context, path: str) -> str:
    return _root_link(ctx, "static/" + path)


@jinja2.pass_context
def _root_url(ctx: jinja2.runtime.Context, path: str) -> str:
    return _root_link(ctx, path)


# Each environment's overlays for a multilingual site's other languages (their own globals and compiled templates).
_LANGUAGE_ENVS: weakref.WeakKeyDictionary[jinja2.Environment, dict[str, jinja2.Environment]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def install_globals(env: jinja2.Environment, site: Site, extra: Mapping[str, Any], languages: Mapping[str, Mapping[str, Any]] | None = None) -> None:
    """Make `site`, `url()`, `static()`, `root_url()`, `absolute()` and the planners' globals available to every template.

    `languages` are the globals of a multilingual site's other languages: each gets an overlay of
    `env` with its own globals, which `render_job` uses for that language's pages.
    """
    env.globals.update(
        site=site,
        url=_url,
        static=_static,
        root_url=_root_url,
        absolute=lambda target: urls.absolute(site.config.base_url, url_of(target)),
        Markup=Markup,
        remember=_remembering(),
        shared=_sharing(),
    )
    env.globals.update(extra)
    overlays: dict[str, jinja2.Environment] = {}
    for code, values in (languages or {}).items():
        overlay = env.overlay()
        overlay.cache = LoadedTemplates()  # its own, as make_environment's
        # Each language remembers its own blocks: the same key shows another language's words.
        overlay.globals = {**env.globals, "remember": _remembering(), "shared": _sharing(), **values}
        overlay.filters = dict(env.filters)
        overlays[code] = overlay
    with _LOCK:
        _LANGUAGE_ENVS[env] = overlays


def load_templates(env: jinja2.Environment) -> None:
    """Load every template of the theme now, into `env` and its languages' overlays, before the render's helpers are forked.

    A helper would otherwise load each one again (the pages and the partials they import) on its first
    page: a few milliseconds and megabytes a helper, and a large site's render forks dozens of them.
    """
    with _LOCK:
        envs = [env, *_LANGUAGE_ENVS.get(env, {}).values()]
    # The build has checked every template by now (build._template_problems): each compiles.
    for name in env.list_templates(filter_func=lambda name: name.endswith(TEMPLATE_SUFFIXES)):
        for each in envs:
            each.get_template(name)


def language_env(env: jinja2.Environment, language: str) -> jinja2.Environment:
    """The environment a page in `language` renders with: `env` itself for the default language."""
    if not language:
        return env
    with _LOCK:
        return _LANGUAGE_ENVS.get(env, {}).get(language, env)


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


def _sharing() -> Callable[..., Markup]:
    """`{% call shared(*key) %}...{% endcall %}`: a block made once per key and page depth, then reused (a header, a footer).

    Links made inside by url(), static() and root_url() go up to the root and down again
    ('../../ratings/index.html'), so they are the same on every page at that depth; the template
    names in the key anything else the block shows that differs between pages.
    """
    made: dict[tuple[object, ...], Markup] = {}

    @jinja2.pass_context
    def shared(ctx: jinja2.runtime.Context, *key: object, caller: Callable[[], str]) -> Markup:
        page = _page_of(ctx)
        page_url = str(page["page_url"])
        root = context_value(page, "link_root")
        prefixes = (str(root), str(root)) if root else (_up(page_url), _up(str(context_value(ctx, "lang_root", "")) + page_url))
        full = (*key, *prefixes)
        found = made.get(full)
        if found is None:
            token = _FROM_ROOT.set(prefixes)
            try:
                found = made[full] = Markup(caller())
            finally:
                _FROM_ROOT.reset(token)
        return found

    return shared


def render_job(env: jinja2.Environment, job: PageJob, site: Site) -> RenderedPage:
    """Render one planned page to bytes; a template's error propagates (see `render_failure`)."""
    if job.produce is not None:
        return RenderedPage(urls.output_path(job.url), joined(job.produce()))
    env = language_env(env, job.language)
    template = env.get_template(job.template)
    canonical = urls.absolute(site.config.base_url, job.url) if job.url != "404.html" else ""
    # A language's pages link to each other as if its root were the site's: page_url is the URL under it.
    local = job.url.removeprefix(str(env.globals.get("lang_root", "")))
    values = {"page_url": local, "title": job.title, "description": job.page_description(), "canonical": canonical, **job.context}
    token = PAGE.set(values)
    try:
        with render_deadline(PAGE_SECONDS):  # a runaway loop in a template is a diagnostic, not a hang
            html = template.render(values)
    finally:
        PAGE.reset(token)
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError as exc:  # a half surrogate the template made ('%c' % 55296): its error, not ours
        raise UnwritableText(f"the page holds {html[exc.start]!a}, half of a surrogate pair, which UTF-8 cannot write", template.filename) from None
    return RenderedPage(urls.output_path(job.url), data)


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
