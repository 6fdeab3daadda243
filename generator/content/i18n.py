"""Languages: tag rules, plural forms, dates and numbers (CLDR through Babel), and the theme's string tables.

A theme ships one table per language (`themes/<name>/i18n/<lang>.yaml`); a site adds or replaces
strings in `content/i18n/<lang>.yaml`. A table maps a key to a text, or to its plural forms
(`one`, `other`, and for Arabic `zero`, `two`, `few`, `many`). Texts name their values in braces:
`"{count} claims"`. A key missing in a language falls back to the site's default language, then
to English, and `check` warns about it. Nothing here depends on the machine's locale.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from babel import Locale, localedata
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

I18N_DIR = "i18n"
SITE_STRINGS = "content/i18n"
FALLBACK = "en"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
# Keys whose text is a CLDR date pattern: a language without its own uses CLDR's, never another language's.
DATE_KEYS = {"date.long": "long", "date.short": "medium"}
# BCP 47 as sites use it: language, optional script, optional region, optional variants.
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$")
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")

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
def locale_of(tag: str) -> Locale:
    """Babel's locale for a language tag: the tag itself, or its nearest parent CLDR knows."""
    ident = _identifier(tag)
    parts = ident.split("_")
    for n in range(len(parts), 0, -1):
        if localedata.exists("_".join(parts[:n])):
            return Locale.parse("_".join(parts[:n]))
    return Locale.parse(FALLBACK)


def text_direction(tag: str) -> str:
    """'rtl' for right-to-left languages (Arabic, Hebrew, Persian, Urdu and every other RTL script), else 'ltr'."""
    return "rtl" if locale_of(tag).character_order == "right-to-left" else "ltr"


def language_name(tag: str) -> str:
    """The language's name in itself, capitalised as a menu shows it: 'Español', 'العربية'."""
    name = locale_of(tag).get_display_name(locale_of(tag)) or tag
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=4096)  # Babel evaluates the language's plural rules in Python; counts recur on every page
def plural_category(tag: str, count: int) -> str:
    """The CLDR plural category of `count` in the language: 'one', 'few', 'other'..."""
    return str(locale_of(tag).plural_form(count))


def plural_categories(tag: str) -> tuple[str, ...]:
    """The plural categories the language uses, in CLDR order ('other' always among them)."""
    tags = set(locale_of(tag).plural_form.tags) | {"other"}
    return tuple(form for form in PLURAL_FORMS if form in tags)


@functools.lru_cache(maxsize=4096)  # counts and scale values recur on every page: Babel is slow to ask
def format_number(value: int | float, tag: str) -> str:
    """A number written the language's way: 1,234 in English, 1.234 in Spanish."""
    return str(format_decimal(value, locale=locale_of(tag)))


@functools.lru_cache(maxsize=16384)  # a large archive has a few thousand dates, each shown on many pages
def format_day(value: dt.date | None, tag: str, pattern: str = "", style: str = "long") -> str:
    """A date in the language: `pattern` (CLDR, e.g. 'd MMMM y') or the language's own long/medium form; '' for none."""
    if value is None:
        return ""
    return str(format_date(value, pattern or style, locale=locale_of(tag)))


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
        return PLACEHOLDER.sub(lambda m: str(shown.get(m.group(1), m.group(0))), entry)
    # Text is escaped for HTML text and double-quoted attributes; apostrophes stay as written (as in a template).
    safe = entry.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    return Markup(PLACEHOLDER.sub(lambda m: str(escape(shown[m.group(1)])) if m.group(1) in shown else m.group(0), safe))


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
        wanted = fallback_chain(language)
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


def fallback_chain(language: str) -> list[str]:
    """The tags whose tables a language reads, lowest priority first: 'pt-BR' reads 'pt', then 'pt-BR' over it."""
    parts = normalize_tag(language).split("-")
    return ["-".join(parts[:n]) for n in range(1, len(parts) + 1)]
