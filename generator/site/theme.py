"""Themes: find `themes/<name>/` and its parents, and make the Jinja environment.

A theme is `theme.yaml` (name, description, optional `extends`), `templates/` and `static/`.
A site overrides single templates by placing them in `content/templates/`, searched first.
Themes are looked up in the project's `themes/`, then among the themes shipped with the package.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import yaml

from generator.diagnostics import BuildFailed, Diagnostic, error
from generator.packaged import known_themes, theme_candidates

OVERRIDES = "content/templates"
THEMES = "themes"


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its folders, child first, parents after."""

    name: str
    chain: tuple[Path, ...]
    overrides: Path | None

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, in order."""
        dirs = [self.overrides] if self.overrides else []
        return dirs + [d / "templates" for d in self.chain]

    @property
    def static_dirs(self) -> list[Path]:
        """Static folders, parents first, so a child's file replaces its parent's."""
        return [d / "static" for d in reversed(self.chain) if (d / "static").is_dir()]


def resolve_theme(root: Path, name: str) -> Theme:
    """Follow `extends` from theme `name`, the project's themes/ first, then the packaged ones.

    A project's `themes/default/` replaces the packaged default; with `extends: default` in its
    theme.yaml it extends it instead (a theme extending its own name means the next one found).
    """
    chain: list[Path] = []
    current: str | None = name
    while current:
        rel = f"{THEMES}/{current}/theme.yaml"
        candidates = theme_candidates(root, current)
        fresh = [folder for folder in candidates if folder not in chain]
        if not candidates:
            known = known_themes(root)
            hint = did_you_mean(current, known) if known else "themes available: none"
            raise BuildFailed([error(f"{THEMES}/{current}", 0, 0, f"theme '{current}' not found", "theme", hint)])
        if not fresh:
            raise BuildFailed([error(rel, 0, 0, f"theme '{current}' extends itself (through {chain[-1].name})", "extends")])
        folder = fresh[0]
        chain.append(folder)
        current = _parent(folder / "theme.yaml", rel)
    overrides = root / OVERRIDES
    return Theme(name, tuple(chain), overrides if overrides.is_dir() else None)


def did_you_mean(name: str, known: list[str]) -> str:
    """'did you mean 'x'?' for a misspelt theme name, else the themes available."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? themes available: {', '.join(known)}" if close else f"themes available: {', '.join(known)}"


def _parent(path: Path, rel: str) -> str | None:
    if not path.is_file():
        return None
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        raise BuildFailed([error(rel, 0, 0, f"cannot read theme.yaml: {exc}")]) from None
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("extends", ""), str):
        raise BuildFailed([error(rel, 0, 0, "theme.yaml must be a mapping; 'extends' must name a theme")])
    parent = data.get("extends")
    return str(parent) if parent else None


def format_date(value: dt.date | None, style: str = "long") -> str:
    """'26 November 2026' (long) or '26 Nov 2026' (short); '' for no date."""
    if value is None:
        return ""
    month = value.strftime("%B" if style == "long" else "%b")
    return f"{value.day} {month} {value.year}"


def host(url: str) -> str:
    """The host name of a URL without 'www.', for link labels."""
    name = urlsplit(url).hostname or url
    return name.removeprefix("www.")


def make_environment(theme: Theme) -> jinja2.Environment:
    """A Jinja environment with autoescape, StrictUndefined and the project filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["date"] = format_date
    env.filters["isodate"] = lambda value: value.isoformat() if value else ""
    env.filters["host"] = host
    return env


def template_diagnostic(exc: BaseException, theme: Theme, root: Path) -> Diagnostic:
    """A template error as a diagnostic naming the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return error(_template_path(exc.filename, exc.name, theme, root), exc.lineno, 1, f"template syntax error: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return error(f"{THEMES}/{theme.name}/templates", 0, 0, f"template '{exc.name}' not found in the theme or its parents")
    frame_file, frame_line = _template_frame(exc)
    where = _template_path(frame_file, None, theme, root) if frame_file else f"{THEMES}/{theme.name}/templates"
    return error(where, frame_line, 1 if frame_line else 0, f"template error: {type(exc).__name__}: {exc}")


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
