"""Themes: find `themes/<name>/` and its parents, and make the Jinja environment.

A theme is `theme.yaml` (name, description, optional `extends`), `templates/` and `static/`.
A site overrides single templates by placing them in `content/templates/`, searched first.
Themes are looked up in the project's `themes/`, then among the themes shipped with the package.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.exceptions import SecurityError
from jinja2.utils import missing

from generator.content.files import read_project_file, refusal
from generator.content.i18n import format_day
from generator.content.load import unprintable
from generator.content.names import split_url
from generator.content.textpos import value_at
from generator.diagnostics import BuildFailed, Diagnostic, error, shortened
from generator.packaged import known_themes, theme_candidates
from generator.site import urls
from generator.site.ceiling import MESSAGE as MEMORY_MESSAGE
from generator.site.compiler import SURROGATE_HINT, ThemeCodeGenerator, UnwritableText
from generator.site.deadline import check_deadline
from generator.site.sandbox import PageNamespace, ThemeSandbox, TimedContext, guarded_filters

OVERRIDES = "content/templates"
STRINGS = "content/i18n"
THEMES = "themes"
MISSING_TEMPLATE_HINT = "check the name, or add the template"
SITE_THEME_FIELD = "content/site.yaml"
# A theme is named by its folder under themes/: one path segment, no dots in front.
THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its folders, child first, parents after."""

    name: str
    chain: tuple[Path, ...]
    overrides: Path | None
    project: Path  # the project folder (a theme of the chain may be a packaged one, outside it)
    strings: Path | None = None  # content/i18n, the site's own string tables, when it exists

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, in order."""
        dirs = [self.overrides] if self.overrides else []
        return dirs + [d / "templates" for d in self.chain]

    @property
    def root(self) -> Path:
        """The project folder."""
        return self.project

    @property
    def static_dirs(self) -> list[Path]:
        """Static folders, parents first, so a child's file replaces its parent's."""
        return [d / "static" for d in reversed(self.chain) if (d / "static").is_dir()]


def resolve_theme(root: Path, name: str) -> Theme:
    """Follow `extends` from theme `name`, the project's themes/ first, then the packaged ones.

    A project's `themes/default/` replaces the packaged default; with `extends: default` in its
    theme.yaml it extends it instead (a theme extending its own name means the next one found).
    Missing themes, loops and names leaving themes/ are diagnostics.
    """
    chain: list[Path] = []
    current: str | None = name
    child_rel = SITE_THEME_FIELD
    while current:
        rel = f"{THEMES}/{current}/theme.yaml"
        field = "theme" if child_rel == SITE_THEME_FIELD else "extends"
        if not THEME_NAME.fullmatch(current):
            # Only a sibling folder under themes/: never '../outside'.
            raise BuildFailed([error(child_rel, 1, 1, f"theme '{shortened(current)}' must name a folder directly under {THEMES}/", field)])
        refused = refusal(root, f"{THEMES}/{current}") if os.path.lexists(root / THEMES / current) else ""
        if refused:  # a link leaving the project, or into a hidden folder: named at the folder itself
            raise BuildFailed([error(f"{THEMES}/{current}", 1, 1, refused, hint="keep the theme's folder itself in themes/; do not link to one elsewhere")])
        candidates = theme_candidates(root, current)
        fresh = [folder for folder in candidates if folder not in chain]
        if not candidates:
            known = known_themes(root)
            hint = did_you_mean(current, known) if known else "themes available: none"
            raise BuildFailed([error(f"{THEMES}/{current}", 0, 0, f"theme '{current}' not found", "theme", hint)])
        if not fresh:  # at the line of the `extends:` that closes the loop
            line, col = _extends_at(chain[-1] / "theme.yaml")
            hint = "a theme extends another one, never itself through others: remove this extends or name another theme"
            raise BuildFailed([error(child_rel, line, col, f"theme '{current}' extends itself (through {chain[-1].name})", "extends", hint)])
        folder = fresh[0]
        chain.append(folder)
        child_rel = rel
        current = _parent(root, folder, rel)
    overrides = root / OVERRIDES
    strings = root / STRINGS
    return Theme(name, tuple(chain), overrides if overrides.is_dir() else None, root, strings if strings.is_dir() else None)


def did_you_mean(name: str, known: list[str]) -> str:
    """'did you mean 'x'?' for a misspelt theme name, else the themes available."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? themes available: {', '.join(known)}" if close else f"themes available: {', '.join(known)}"


def _extends_at(path: Path) -> tuple[int, int]:
    """Line and column of the value of `extends:` in a theme.yaml (read already, so readable), else the first line."""
    return value_at(path.read_bytes().decode("utf-8-sig", "replace"), "extends") or (1, 1)


def _parent(root: Path, folder: Path, rel: str) -> str | None:
    if not os.path.lexists(folder / "theme.yaml"):
        return None
    diags: list[Diagnostic] = []
    # A project theme is read under the file rule; a packaged one comes with factcheck itself.
    raw = read_project_file(root, rel, diags) if folder == root / THEMES / folder.name else (folder / "theme.yaml").read_bytes()
    if raw is None:
        raise BuildFailed(diags)
    try:
        text = raw.decode("utf-8-sig")
        if unprintable(rel, text, diags, source=True):  # at its line, before YAML miscounts the lines after it
            raise BuildFailed(diags)
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise BuildFailed([error(rel, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, f"cannot read theme.yaml: {exc.problem}")]) from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:  # ValueError: an integer of over 4,300 digits
        raise BuildFailed([error(rel, 1, 1, f"cannot read theme.yaml: {type(exc).__name__}")]) from None
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("extends", ""), str):
        raise BuildFailed([error(rel, 1, 1, "theme.yaml must be a mapping; 'extends' must name a theme")])
    parent = data.get("extends")
    return str(parent) if parent else None


def format_date(value: dt.date | None, style: str = "long") -> str:
    """'26 November 2026' (long) or '26 Nov 2026' (short); '' for no date (English, whatever the machine's locale)."""
    return format_day(value, "en", "d MMMM y" if style == "long" else "d MMM y")


def context_value(ctx: Mapping[str, Any] | jinja2.runtime.Context, name: str, default: Any = None) -> Any:
    """ctx.get(name, default), without the KeyError a Context's `get` raises and catches for a name it lacks (links ask on every call)."""
    if isinstance(ctx, jinja2.runtime.Context):
        value = ctx.resolve_or_missing(name)
        return default if value is missing else value
    return ctx.get(name, default)


@jinja2.pass_context
def _date_filter(ctx: jinja2.runtime.Context, value: dt.date | None, style: str = "long") -> str:
    # The page's language and its theme's date patterns (the `dates` global), else English.
    check_deadline()
    dates = context_value(ctx, "dates")
    if not isinstance(dates, dict):
        return format_date(value, style)
    return format_day(value, str(dates.get("lang", "en")), str(dates.get(style, "")), "long" if style == "long" else "medium")


def host(url: str) -> str:
    """The host name of a URL without 'www.', for link labels."""
    parts = split_url(url)
    name = (parts.hostname if parts is not None else None) or url
    return name.removeprefix("www.")


class ProjectLoader(jinja2.FileSystemLoader):
    """A file-system loader that reads templates under the file rule (no links leaving the project, no FIFOs, bounded size)."""

    def __init__(self, searchpath: list[Path], root: Path) -> None:
        super().__init__([str(d) for d in searchpath])
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The template's text, file name and an up-to-date check; refused files raise TemplateError."""
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if not os.path.lexists(path):
                continue
            # A project's template is read under the file rule; a packaged theme's comes with factcheck itself.
            rel = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()
            diags: list[Diagnostic] = []
            data = read_project_file(self.root, rel, diags) if path.is_relative_to(self.root) else path.read_bytes()
            if data is None:
                raise jinja2.TemplateError(f"template '{template}' ({rel}): {diags[0].message}")
            try:
                source = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise jinja2.TemplateError(f"template '{template}' ({rel}) is not UTF-8 text") from None
            return source, os.path.normpath(path), functools.partial(_unchanged, path, path.stat().st_mtime)
        raise jinja2.TemplateNotFound(template)


def _unchanged(path: Path, mtime: float) -> bool:
    return path.exists() and path.stat().st_mtime == mtime


class _TimedRange:
    """`range` for templates: the same sequence, checking the render deadline as it is iterated."""

    def __init__(self, *args: int) -> None:
        self._range = range(*args)

    def __iter__(self) -> Iterator[int]:
        for index, value in enumerate(self._range):
            if not index & 1023:  # every 1,024 items: cheap, and still prompt
                check_deadline()
            yield value

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, key: int) -> int:
        return self._range[key]


def _urlencode(value: Any) -> str:
    # Jinja's urlencode, with a text quoted by table (urls.quote); a mapping or a list still goes to Jinja's own.
    if isinstance(value, str) or not isinstance(value, Iterable):
        return urls.quote(str(value))
    return jinja2.filters.do_urlencode(value)


def _timed(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        check_deadline()
        return function(*args, **kwargs)

    return timed


TEMPLATES_HELD = 400  # loaded templates an environment keeps (Jinja's default): a theme has tens


class LoadedTemplates(dict[Any, Any]):
    """Jinja's cache of loaded templates: a dict read without a lock, holding at most `capacity` of them.

    Jinja's own LRU cache locks and reorders a queue on every include and import (2% of a page's time).
    A bound is still needed: a name is cached as spelled, and a template from a pull request can spell one
    file in endless ways ('a.html', './a.html', './/a.html'); past `capacity` the oldest entry goes.
    """

    def __init__(self, capacity: int = TEMPLATES_HELD) -> None:
        super().__init__()
        self.capacity = capacity  # the name Jinja's copy_cache reads
        self._lock = threading.Lock()  # serve renders in threads: one of them evicts at a time

    def __setitem__(self, key: Any, value: Any) -> None:
        with self._lock:
            while len(self) >= self.capacity:
                del self[next(iter(self))]
            super().__setitem__(key, value)


def make_environment(theme: Theme, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja environment with autoescape, StrictUndefined and the project filters; compiled templates kept in `compiled` if given."""
    # Sandboxed: templates come with pull requests (content/templates/, themes/), and a plain environment
    # lets `{{ cycler.__init__.__globals__.os.popen(...) }}` run any program on the machine that builds.
    env = ThemeSandbox(
        # Jinja keys each compiled template by its source's checksum, so an edited template is compiled again.
        bytecode_cache=compiled,
        loader=ProjectLoader(theme.template_dirs, theme.root),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.cache = LoadedTemplates()
    env.filters["date"] = _date_filter
    env.filters["isodate"] = _timed(lambda value: value.isoformat() if value else "")
    env.filters["host"] = _timed(host)
    env.filters["urlencode"] = _timed(_urlencode)
    env.globals["range"] = _TimedRange
    env.globals["namespace"] = PageNamespace
    guarded_filters(env.filters)
    del env.globals["lipsum"]  # lipsum(100000000) fills memory in one call; no theme needs placeholder text
    env.context_class = TimedContext
    env.code_generator_class = ThemeCodeGenerator
    return env


def template_diagnostic(exc: BaseException, theme: Theme, root: Path) -> Diagnostic:
    """A template error as a diagnostic naming the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return error(_template_path(exc.filename, exc.name, theme, root), exc.lineno, 1, f"template syntax error: {exc.message}")
    frame_file, frame_line = _template_frame(exc)
    if isinstance(exc, UnwritableText):  # found in the finished page: the page's template, at no line
        frame_file = exc.filename or ""
    where = _template_path(frame_file, None, theme, root) if frame_file else f"{THEMES}/{theme.name}/templates"
    if isinstance(exc, jinja2.TemplateNotFound):  # named by an expression ('x' ~ '.html'): the line that names it
        return error(where, frame_line, 1 if frame_line else 0, f"template '{exc.name}' not found in the theme or its parents", hint=MISSING_TEMPLATE_HINT)
    if isinstance(exc, UnwritableText):
        return error(where, 0, 0, f"template error: {exc}", hint=SURROGATE_HINT)
    if isinstance(exc, MemoryError):  # the render's memory ceiling (ceiling.py): MemoryError says nothing itself
        hint = "look for a string or a list that a loop, a replace or a join makes larger and larger"
        return error(where, frame_line, 1 if frame_line else 0, f"template error: {MEMORY_MESSAGE}", hint=hint)
    advice = SHARED_VALUE_HINT if isinstance(exc, SecurityError) and _CHANGES_SHARED.search(str(exc)) else ""
    return error(where, frame_line, 1 if frame_line else 0, f"template error: {type(exc).__name__}: {exc}", hint=advice)


# Jinja's refusal of a method that changes a list, dict or set (sandbox.py says why templates may not).
_CHANGES_SHARED = re.compile(
    r"attribute '(append|extend|insert|pop|popitem|remove|reverse|sort|clear|update|setdefault|add|discard|"
    r"difference_update|intersection_update|symmetric_difference_update|appendleft|extendleft|popleft|rotate)' of "
)
SHARED_VALUE_HINT = "lists, dicts and sets are read-only in templates (every page shares them); keep a running total in a namespace() made on the page"


def _template_frame(exc: BaseException) -> tuple[str, int]:
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    tb = exc.__traceback__
    found = ("", 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json", ".j2")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_path(filename: str | None, name: str | None, theme: Theme, root: Path) -> str:
    if filename:
        try:
            return Path(filename).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return filename
    return f"{THEMES}/{theme.name}/templates/{name or ''}"
