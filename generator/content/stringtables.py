"""String tables: a theme's (`themes/<name>/i18n/<lang>.yaml`) and a site's (`content/i18n/<lang>.yaml`), read into a Catalog.

Broken tables are errors at their line; a key a language lacks, a site key no page shows and a {value}
a text is not given are warnings, at most MAX_LISTED of them per file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml
from babel.dates import format_date

from generator.content.files import read_project_file
from generator.content.i18n import (
    DATE_KEYS,
    FALLBACK,
    I18N_DIR,
    PLACEHOLDER,
    PLURAL_FORMS,
    SITE_STRINGS,
    Catalog,
    Entry,
    Strings,
    TableFile,
    fallback_chain,
    language_name,
    locale_of,
    normalize_tag,
    plural_categories,
)
from generator.content.load import SITE_FILE, parse_yaml, unprintable, written_at
from generator.diagnostics import MAX_LISTED, Diagnostic, error, listed, warning
from generator.packaged import THEMES, data_dir

_KEY = re.compile(r"^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$")
_NULL = "tag:yaml.org,2002:null"
MAX_TEXT = 2_000  # characters in one text: ten times the longest the default theme has; one megabyte would be on every page


@functools.lru_cache(maxsize=1)
def english() -> Strings:
    """The packaged default theme's English strings: what a site model starts with before the plan gives it its own."""
    themes = data_dir(THEMES)
    diags: list[Diagnostic] = []
    table = _read_table(Path("/"), themes / "default" / I18N_DIR / f"{FALLBACK}.yaml", FALLBACK, diags) if themes is not None else None
    return Strings(FALLBACK, dict(table.entries) if table is not None else {})


def string_dirs(theme_chain: Sequence[Path], root: Path) -> list[Path]:
    """Where tables are read, lowest priority first: the theme's parents, the theme, then content/i18n."""
    return [folder / I18N_DIR for folder in reversed(theme_chain)] + [root / SITE_STRINGS]


def load_catalog(root: Path, dirs: Sequence[Path], default: str, languages: Iterable[str]) -> tuple[Catalog, list[Diagnostic]]:
    """Read the tables of English and every site language from `dirs`; warnings for missing keys, errors for broken files."""
    diags: list[Diagnostic] = []
    wanted = {FALLBACK, *(name for language in languages for name in fallback_chain(language))}
    files: list[TableFile] = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            language = path.stem
            if normalize_tag(language) not in wanted:
                continue
            table = _read_table(root, path, normalize_tag(language), diags)
            if table is not None:
                files.append(table)
    catalog = Catalog(default, tuple(files))
    diags += missing_keys(catalog, [default, *languages], root)
    diags += unknown_texts(catalog, root, [folder.parent / "templates" for folder in dirs])
    return catalog, diags


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def _read_table(root: Path, path: Path, language: str, diags: list[Diagnostic]) -> TableFile | None:
    rel = _rel(root, path)
    # A project's file is read under the file rule; a packaged theme's comes with factcheck itself.
    data = read_project_file(root, rel, diags) if path.is_relative_to(root) else path.read_bytes()
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        diags.append(error(rel, 1, 1, "string table is not UTF-8 text", hint="save it as UTF-8"))
        return None
    if unprintable(rel, text, diags, source=True):  # control characters, and line breaks editors do not count
        return None
    doc = parse_yaml(rel, text, diags)
    if doc.node is None:
        return None
    if not isinstance(doc.node, yaml.MappingNode):
        diags.append(
            error(rel, doc.node.start_mark.line + 1, doc.node.start_mark.column + 1, "a string table maps keys to texts", hint="write key: text lines")
        )
        return None
    entries: dict[str, Entry] = {}
    lines: dict[str, int] = {}
    forms = plural_categories(language)
    for key_node, value_node in doc.node.value:
        line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if not _KEY.match(key):
            diags.append(error(rel, line, col, f"'{str(key)[:40]}' is not a string key", hint="keys are lowercase words joined by dots, e.g. nav.search"))
            continue
        entry = _entry(rel, key, value_node, forms, diags)
        at = value_node.start_mark
        if entry is not None and (longest := max(map(len, _texts(entry)))) > MAX_TEXT:
            message = f"'{key}': a text of {longest:,} characters, over the limit of {MAX_TEXT:,}"
            diags.append(error(rel, at.line + 1, at.column + 1, message, hint="shorten it: texts are shown on every page"))
            continue
        if key in DATE_KEYS and isinstance(entry, str) and (problem := _date_problem(entry, language)):
            # Found here, at its line, rather than as an error in whichever template first shows a date.
            diags.append(error(rel, at.line + 1, at.column + 1, f"'{key}': {problem}", hint="a date pattern such as 'd MMMM y' (day, month, year fields)"))
            continue
        if entry is not None:
            entries[key] = entry
            lines[key] = line
    return TableFile(rel, language, entries, lines)


def _date_problem(pattern: str, language: str) -> str:
    """Why Babel cannot format a date with `pattern`, or ''."""
    if len(pattern) > 100:  # dates are printed on every page: a pattern of 300,000 fields made a 17 GB site
        return f"'{pattern[:40]}...' is {len(pattern):,} characters long; a date pattern needs a few dozen at most"
    try:
        format_date(dt.date(2026, 5, 1), pattern, locale=locale_of(language))
    except ValueError as exc:  # a field of a length Babel does not know, e.g. 'QQQQQQ'
        return f"'{pattern[:40]}' is not a date pattern ({exc})"
    except AttributeError:  # a time field (hour, minute, zone): a date has none
        return f"'{pattern[:40]}' is not a date pattern (it has a time field)"
    if not any(field in _unquoted(pattern) for field in "dMLyY"):  # "'unterminated" shows nothing at all
        return f"'{pattern[:40]}' shows no day, month or year"
    return ""


def _unquoted(pattern: str) -> str:
    # A date pattern's fields: what lies outside its 'quoted literals' (an unclosed quote runs to the end).
    return "".join(pattern.split("'")[::2])


def _entry(rel: str, key: str, node: yaml.Node, forms: tuple[str, ...], diags: list[Diagnostic]) -> Entry | None:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
        return str(node.value)
    if isinstance(node, yaml.MappingNode):
        plural: dict[str, str] = {}
        for form_node, text_node in node.value:
            form = form_node.value if isinstance(form_node, yaml.ScalarNode) else ""
            if form not in PLURAL_FORMS or not isinstance(text_node, yaml.ScalarNode):
                diags.append(
                    error(
                        rel,
                        form_node.start_mark.line + 1,
                        form_node.start_mark.column + 1,
                        f"'{key}': '{form}' is not a plural form",
                        hint="use " + ", ".join(forms),
                    )
                )
                continue
            plural[str(form)] = str(text_node.value)
        if "other" not in plural:
            diags.append(error(rel, line, col, f"'{key}' needs an 'other' form", hint="every language has one: it is used for any count without its own form"))
            return None
        return plural
    diags.append(error(rel, line, col, f"'{key}' must be a text or plural forms", hint=f"e.g. {key}: some text"))
    return None


def missing_keys(catalog: Catalog, languages: Sequence[str], root: Path) -> list[Diagnostic]:
    """A warning for each key the default theme's English table has that a site language lacks (it falls back)."""
    reference = catalog.own(FALLBACK)
    diags: list[Diagnostic] = []
    for language in dict.fromkeys(languages):
        if fallback_chain(language)[0] == FALLBACK:
            continue
        own = catalog.own(language)
        shown = language_name(catalog.default if catalog.default != language and catalog.own(catalog.default) else FALLBACK)
        where = next((t.path for t in reversed(catalog.files) if t.language in fallback_chain(language)), f"{SITE_STRINGS}/{language}.yaml")
        if not own:  # with no table at all, at the line of site.yaml that names the language
            hint = f"copy the keys of the theme's i18n/{FALLBACK}.yaml into {SITE_STRINGS}/{language}.yaml and translate them"
            at = (where, 0, 0) if (root / where).is_file() else (SITE_FILE, *written_at(root, SITE_FILE, ("code", "language"), language))
            diags.append(warning(*at, f"no strings for language '{language}': the theme's {shown} texts are shown", hint=hint))
            continue
        for key in sorted(set(reference) - set(own)):
            diags.append(warning(where, 1, 1, f"'{key}' has no {language_name(language)} text: the {shown} one is shown", hint=f"add '{key}:' to {where}"))
    return diags


def unknown_texts(catalog: Catalog, root: Path, template_dirs: Sequence[Path] = ()) -> list[Diagnostic]:
    """Warnings for a site's own tables (content/i18n/): a key that no theme table has and no template names
    (a misspelling: no page shows it), and a {value} the theme's English text is not given (printed as written).
    `template_dirs`: the templates beside the tables, content/templates/ among them."""
    site_tables = [table for table in catalog.files if table.path.startswith(SITE_STRINGS + "/")]
    themes = [table for table in catalog.files if table not in site_tables]
    themed = {key for table in themes for key in table.entries}
    english = {key: entry for table in themes if table.language == FALLBACK for key, entry in table.entries.items()}
    named = functools.cache(lambda: _template_text(root, template_dirs))  # read only if some key needs it
    known = sorted(themed)
    diags: list[Diagnostic] = []
    for table in site_tables:
        found: list[Diagnostic] = []
        for key, entry in table.entries.items():
            line = table.lines.get(key, 1)
            if key not in themed and not _named(key, named()):
                # A close match costs a look at every key: past the warnings a file lists, none is sought.
                close = difflib.get_close_matches(key, known, 1) if len(found) < MAX_LISTED else []
                hint = f"did you mean '{close[0]}'?" if close else "no theme text has this key, and no template names it"
                found.append(warning(table.path, line, 1, f"'{key}' is not a text any page shows", hint=hint))
                continue
            if key not in english:
                continue  # a text of the site's own: its templates decide what it is given
            given = set(PLACEHOLDER.findall(" ".join(_texts(english[key]))))
            for name in sorted(set(PLACEHOLDER.findall(" ".join(_texts(entry)))) - given):
                if f"{name}=" in named():
                    continue  # a template of the site's may give it
                offered = ", ".join(f"{{{n}}}" for n in sorted(given))
                message = f"'{key}': {{{name}}} is not filled in " + (f"(this text is given {offered})" if given else "(this text is given no values)")
                found.append(warning(table.path, line, 1, message, hint=f"use {offered}, spelt as in English" if given else f"remove {{{name}}}"))
        diags += listed(table.path, found)
    return diags


def _named(key: str, templates: str) -> bool:
    """Whether the templates name `key`: as a whole ('my.key'), or by its start joined to a value ('nav.' ~ name)."""
    if f"'{key}'" in templates or f'"{key}"' in templates:
        return True
    start = key.rsplit(".", 1)[0] + "."
    return re.search(rf"""['"]{re.escape(start)}['"]\s*~""", templates) is not None


def _template_text(root: Path, folders: Sequence[Path]) -> str:
    """Every template's text, to find the keys they name; read under the file rule (a refused file is left out)."""
    texts = []
    for folder in folders:
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else []:
            data = read_project_file(root, _rel(root, path), []) if path.is_relative_to(root) else path.read_bytes()
            texts.append(data.decode("utf-8", "replace") if data is not None else "")
    return "\n".join(texts)


def _texts(entry: Entry) -> list[str]:
    return [entry] if isinstance(entry, str) else list(entry.values())
