"""Languages: tag rules, plural forms, dates and numbers (CLDR through Babel), and the theme's string tables.

A theme ships one table per language (`themes/<name>/i18n/<lang>.yaml`); a site adds or replaces
strings in `content/i18n/<lang>.yaml`. A table maps a key to a text, or to its plural forms
(`one`, `other`, and for Arabic `zero`, `two`, `few`, `many`). Texts name their values in braces:
`"{count} claims"`. A key missing in a language falls back to the site's default language, then
to English, and `check` warns about it. Nothing here depends on the machine's locale.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel import Locale, localedata
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from generator.content.files import read_project_file
from generator.content.load import SITE_FILE, parse_yaml, unprintable, written_at
from generator.diagnostics import Diagnostic, error, warning
from generator.packaged import THEMES, data_dir

I18N_DIR = "i18n"
SITE_STRINGS = "content/i18n"
FALLBACK = "en"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
# Keys whose text is a CLDR date pattern: a language without its own uses CLDR's, never another language's.
DATE_KEYS = {"date.long": "long", "date.short": "medium"}
# BCP 47 as sites use it: language, optional script, optional region, optional variants.
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$")
_KEY = re.compile(r"^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_NULL = "tag:yaml.org,2002:null"

Entry = str | Mapping[str, str]  # a text, or its plural forms


def normalize_tag(tag: str) -> str:
    """A language tag in its usual casing: 'pt-br' -> 'pt-BR', 'ZH-hant' -> 'zh-Hant'."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 and part.isalpha() else part.upper() if len(part) in (2, 3) else part.lower())
    return "-".join(out)


def _identifier(tag: str) -> str:
    # Babel names locales with underscores and without variants: 'pt-BR' -> 'pt_BR'.
    return "_".join(normalize_tag(tag).split("-")[:3])


MAX_TAG = 35


def language_problem(tag: str) -> str:
    """Why `tag` cannot name a language ('' when it can): not BCP 47, or unknown to CLDR."""
    if len(tag) > MAX_TAG:  # RFC 5646 asks tools to handle 35 characters; a tag becomes a folder name
        return f"'{tag[:40]}…' is {len(tag)} characters long; a language tag has at most {MAX_TAG}"
    if not _TAG.match(tag):
        return f"'{tag}' is not a language tag"
    ident = _identifier(tag)
    parts = ident.split("_")
    # 'sr-Latn-RS' may be unknown as a whole while 'sr_Latn' and 'sr' are known: the language decides.
    if not any(localedata.exists("_".join(parts[:n])) for n in range(len(parts), 0, -1)):
        return f"unknown language '{tag}'"
    return ""


@functools.lru_cache(maxsize=64)
def _locale(tag: str) -> Locale:
    ident = _identifier(tag)
    parts = ident.split("_")
    for n in range(len(parts), 0, -1):
        if localedata.exists("_".join(parts[:n])):
            return Locale.parse("_".join(parts[:n]))
    return Locale.parse(FALLBACK)


def text_direction(tag: str) -> str:
    """'rtl' for right-to-left languages (Arabic, Hebrew, Persian, Urdu and every other RTL script), else 'ltr'."""
    return "rtl" if _locale(tag).character_order == "right-to-left" else "ltr"


def language_name(tag: str) -> str:
    """The language's name in itself, capitalised as a menu shows it: 'Español', 'العربية'."""
    name = _locale(tag).get_display_name(_locale(tag)) or tag
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=4096)  # Babel evaluates the language's plural rules in Python; counts recur on every page
def plural_category(tag: str, count: int) -> str:
    """The CLDR plural category of `count` in the language: 'one', 'few', 'other'..."""
    return str(_locale(tag).plural_form(count))


def plural_categories(tag: str) -> tuple[str, ...]:
    """The plural categories the language uses, in CLDR order ('other' always among them)."""
    tags = set(_locale(tag).plural_form.tags) | {"other"}
    return tuple(form for form in PLURAL_FORMS if form in tags)


@functools.lru_cache(maxsize=4096)  # counts and scale values recur on every page: Babel is slow to ask
def format_number(value: int | float, tag: str) -> str:
    """A number written the language's way: 1,234 in English, 1.234 in Spanish."""
    return str(format_decimal(value, locale=_locale(tag)))


@functools.lru_cache(maxsize=16384)  # a large archive has a few thousand dates, each shown on many pages
def format_day(value: dt.date | None, tag: str, pattern: str = "", style: str = "long") -> str:
    """A date in the language: `pattern` (CLDR, e.g. 'd MMMM y') or the language's own long/medium form; '' for none."""
    if value is None:
        return ""
    return str(format_date(value, pattern or style, locale=_locale(tag)))


@dataclass(frozen=True)
class Strings:
    """One language's strings: its own table over the default language's and English (merged)."""

    language: str
    table: Mapping[str, Entry] = field(default_factory=dict)
    own_dates: Mapping[str, str] = field(default_factory=dict)  # date patterns the language's own tables give

    def text(self, key: str, **values: object) -> str:
        """The plain text of `key` with its values filled in (for titles, feeds and other non-HTML output)."""
        return fill(self.language, self.table, key, values, escaped=False)

    def date(self, value: dt.date | None, style: str = "long") -> str:
        """A date in this language, 'long' or 'short'."""
        key = "date.long" if style == "long" else "date.short"
        return format_day(value, self.language, self.own_dates.get(key, ""), DATE_KEYS[key])


def fill(language: str, table: Mapping[str, Entry], key: str, values: Mapping[str, object], escaped: bool = True) -> str:
    """Text `key` of `table` in `language`, plural form chosen by `count`, with `{name}` values filled in.

    With `escaped`, the text is HTML-escaped and so are the values, except Markup values (links that a
    template made), and the result is Markup. An unknown key is a KeyError: a template's mistake.
    """
    entry = table[key]
    if not isinstance(entry, str):
        count = values.get("count", 0)
        category = plural_category(language, count) if isinstance(count, int) else "other"
        entry = entry.get(category) or entry.get("other", "")
    shown = {name: format_number(v, language) if isinstance(v, int) and not isinstance(v, bool) else v for name, v in values.items()}
    if not escaped:
        return _PLACEHOLDER.sub(lambda m: str(shown.get(m.group(1), m.group(0))), entry)
    # Text is escaped for HTML text and double-quoted attributes; apostrophes stay as written (as in a template).
    safe = entry.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    return Markup(_PLACEHOLDER.sub(lambda m: str(escape(shown[m.group(1)])) if m.group(1) in shown else m.group(0), safe))


@dataclass(frozen=True)
class TableFile:
    """One table file as read: its path (for diagnostics), its language and entries with their lines."""

    path: str
    language: str
    entries: Mapping[str, Entry]
    lines: Mapping[str, int]


@dataclass(frozen=True)
class Catalog:
    """Every language's merged table, and the files they came from (highest priority last)."""

    default: str
    files: tuple[TableFile, ...] = ()

    def own(self, language: str) -> dict[str, Entry]:
        """The language's own entries: its base language's files, then its own, lowest priority first."""
        wanted = _chain(language)
        merged: dict[str, Entry] = {}
        for name in wanted:
            for table in self.files:
                if table.language == name:
                    merged.update(table.entries)
        return merged

    def strings(self, language: str) -> Strings:
        """The strings of `language`, falling back to the default language, then English."""
        table = {**self.own(FALLBACK), **self.own(self.default), **self.own(language)}
        own = self.own(language)
        return Strings(language, table, {k: v for k, v in own.items() if k in DATE_KEYS and isinstance(v, str)})


def _chain(language: str) -> list[str]:
    # 'pt-BR' reads 'pt' first, then 'pt-BR' over it.
    parts = normalize_tag(language).split("-")
    return ["-".join(parts[:n]) for n in range(1, len(parts) + 1)]


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
    wanted = {FALLBACK, *(name for language in languages for name in _chain(language))}
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
        if key in DATE_KEYS and isinstance(entry, str) and (problem := _date_problem(entry, language)):
            # Found here, at its line, rather than as an error in whichever template first shows a date.
            at = value_node.start_mark
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
        format_date(dt.date(2026, 5, 1), pattern, locale=_locale(language))
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
        if _chain(language)[0] == FALLBACK:
            continue
        own = catalog.own(language)
        shown = language_name(catalog.default if catalog.default != language and catalog.own(catalog.default) else FALLBACK)
        where = next((t.path for t in reversed(catalog.files) if t.language in _chain(language)), f"{SITE_STRINGS}/{language}.yaml")
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
    diags: list[Diagnostic] = []
    for table in site_tables:
        for key, entry in table.entries.items():
            line = table.lines.get(key, 1)
            if key not in themed and not _named(key, named()):
                close = difflib.get_close_matches(key, sorted(themed), 1)
                hint = f"did you mean '{close[0]}'?" if close else "no theme text has this key, and no template names it"
                diags.append(warning(table.path, line, 1, f"'{key}' is not a text any page shows", hint=hint))
                continue
            if key not in english:
                continue  # a text of the site's own: its templates decide what it is given
            given = set(_PLACEHOLDER.findall(" ".join(_texts(english[key]))))
            for name in sorted(set(_PLACEHOLDER.findall(" ".join(_texts(entry)))) - given):
                if f"{name}=" in named():
                    continue  # a template of the site's may give it
                offered = ", ".join(f"{{{n}}}" for n in sorted(given))
                message = f"'{key}': {{{name}}} is not filled in " + (f"(this text is given {offered})" if given else "(this text is given no values)")
                diags.append(warning(table.path, line, 1, message, hint=f"use {offered}, spelt as in English" if given else f"remove {{{name}}}"))
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
