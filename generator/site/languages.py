"""Languages of a site: each language's own site (its reports, pages, scale and strings) and its template globals.

The default language is served at the root, each other language under `/<code>/`, as if it were the
site deployed under a subpath: a language's pages link to each other exactly as a one-language
site's do, and its absolute URLs start at `base_url` + `<code>/`.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator.content.i18n import Catalog, Strings, fill, language_name, text_direction
from generator.model.entities import Language, Report, Site
from generator.site import urls
from generator.site.render import url_of

# Pages every language has at the same place under its root: alternates of each other.
SHARED_PAGES = ("", "ratings/", "search/", "topics/", "claimants/", "outlets/", "corrections/", "people/")
# Files only the root has: hosts look for them there.
ROOT_ONLY = frozenset({"404.html", "robots.txt"})


@dataclass(frozen=True)
class LanguageSite:
    """One language of a site: its code, where its pages start, and its own site."""

    code: str
    root: str  # '' for the default language, 'es/' for Spanish...
    site: Site


def language_root(code: str, default: str) -> str:
    """Where a language's pages start: '' for the default, else its lowercased code and a slash."""
    return "" if code == default else code.lower() + "/"


_LANGUAGE = operator.attrgetter("language")


def _in_language(reports: tuple[Report, ...], code: str, default: str) -> tuple[Report, ...]:
    """The reports in one language; the very tuple when all are (a one-language site), found with no Python call a report."""
    if set(map(_LANGUAGE, reports)) <= ({"", default} if code == default else {code}):
        return reports
    return tuple(r for r in reports if (r.language or default) == code)


def language_sites(site: Site, catalog: Catalog | None = None) -> tuple[LanguageSite, ...]:
    """Each language's own site, the default first; a one-language site gets one, with its strings."""
    config = site.config
    default = config.default_language
    out = []
    for language in config.languages or (Language(config.language),):
        code = language.code
        root = language_root(code, default)
        strings = catalog.strings(code) if catalog is not None else site.strings
        own = dataclasses.replace(
            config,
            language=code,
            title=language.title or config.title,
            description=language.description or config.description,
            base_url=config.base_url.rstrip("/") + "/" + root if config.base_url else "",
            scale=config.scale.in_language(code) if code != default else config.scale,
        )
        out.append(
            LanguageSite(
                code,
                root,
                dataclasses.replace(
                    site,
                    config=own,
                    reports=_in_language(site.reports, code, default),
                    withdrawn=tuple(r for r in site.withdrawn if (r.language or default) == code),
                    pages=tuple(p for p in site.pages if (p.language or default) == code),
                    strings=strings,
                ),
            )
        )
    return tuple(out)


def _strings_global(strings: Strings) -> Any:
    table, language = dict(strings.table), strings.language
    # Most of a page's texts take no values: each is made once here, and a page's call is one lookup.
    plain = {key: Markup(fill(language, table, key, {})) for key, entry in table.items() if isinstance(entry, str)}

    def t(key: str, **values: object) -> Markup:
        """The theme's text `key` in the page's language, values filled in and escaped."""
        if not values:
            made = plain.get(key)
            if made is not None:
                return made
        if key not in table:
            raise jinja2.UndefinedError(f"no text '{key}' in the theme's string tables (i18n/*.yaml)")
        entry = table[key]
        # The same few texts with the same values come back on every page: fill each once. A Markup value is
        # a link or a date made for one page: kept, it would only push the shared texts out of the cache.
        if not all(type(value) in _REPEATING for value in values.values()):
            return Markup(fill(language, table, key, values))
        # Each value's type is part of the key: 1 == 1.0, yet they are filled differently.
        items = tuple(sorted((name, type(value), value) for name, value in values.items()))
        return _filled(language, key, entry if isinstance(entry, str) else tuple(sorted(entry.items())), items)

    return t


_REPEATING = (str, int, float)  # the types of values whose filled texts are kept (exactly these: not Markup, not bool)


# Outside the closure above on purpose: template globals are fingerprinted for page keys, and a cache is not.
# Its size: the texts most pages share stay (4,096 entries missed 15% more than 8,192 over 12,000 pages at
# 4,000 reports, 1,024 two and a half times as often), and each process that renders holds half the 4 MB.
@functools.lru_cache(maxsize=4096)
def _filled(language: str, key: str, entry: str | tuple[tuple[str, str], ...], values: tuple[tuple[str, type, object], ...]) -> Markup:
    table = {key: entry if isinstance(entry, str) else dict(entry)}
    return Markup(fill(language, table, key, {name: value for name, _, value in values}))


def link(href: str, text: object, **attrs: str) -> Markup:
    """An <a> element, for a link inside a translated sentence: t('key', name=link(url(x), label))."""
    # Escaped as Markup.format would escape them, without its formatter (listings make tens of thousands).
    extra = "".join(f' {escape(name.replace("_", "-"))}="{escape(value)}"' for name, value in sorted(attrs.items()))
    return Markup(f'<a href="{escape(href)}"{extra}>{escape(text)}</a>')


def _alternates_global(languages: Sequence[LanguageSite], everything: Mapping[str, tuple[str, tuple[str, ...], tuple[str, ...]]], base_url: str) -> Any:
    roots = {lang.code: lang.root for lang in languages}
    names = {lang.code: language_name(lang.code) for lang in languages}
    default = languages[0].code if languages else ""
    # A plain page's versions: the pages of the same file name in the other languages (about.md, es/about.md).
    versions: dict[str, list[str]] = {}
    for lang in languages:
        for page in lang.site.pages:
            versions.setdefault(urls.page(page.slug), []).append(lang.code)

    def alternates(page_url: str, report: object = None, claim: object = None) -> list[dict[str, str]]:
        """The page in every language it exists in: [{'lang', 'name', 'path' (from the site root), 'absolute'}], in site order."""
        if len(roots) < 2:
            return []
        found: dict[str, str] = {}
        report_id = getattr(report, "id", "")
        if report_id and report_id in everything:
            language, translations, _ = everything[report_id]
            claim_id = getattr(claim, "id", "")
            for rid in (report_id, *translations):
                if rid not in everything:
                    continue
                lang, _, claims = everything[rid]
                if claim_id and claim_id not in claims:
                    continue
                found.setdefault(lang, roots.get(lang, "") + (urls.claim(rid, claim_id) if claim_id else urls.report(rid)))
            if language not in found:
                return []
        elif page_url in SHARED_PAGES or page_url.startswith("ratings/"):
            found = {code: root + page_url for code, root in roots.items()}
        elif page_url in versions:
            found = {code: roots[code] + page_url for code in versions[page_url] if code in roots}
        rows = [{"lang": code, "name": names[code], "path": found[code], "absolute": urls.absolute(base_url, found[code])} for code in roots if code in found]
        if len(rows) < 2:
            return []
        if default in found:
            rows.append({"lang": "x-default", "name": names[default], "path": found[default], "absolute": urls.absolute(base_url, found[default])})
        return rows

    return alternates


def template_globals(lang: LanguageSite, languages: Sequence[LanguageSite], every_report: Sequence[Report], base_url: str) -> dict[str, Any]:
    """The globals of one language's pages: its site, strings, direction, and links to the other languages."""
    # Only reports that have translations or are one: the others have no alternates, and every page's key holds this.
    linked = {t for r in every_report for t in r.translations} | {r.id for r in every_report if r.translations}
    everything = {r.id: (r.language or languages[0].code, r.translations, tuple(c.id for c in r.claims)) for r in every_report if r.id in linked}
    own_base = lang.site.config.base_url
    return {
        "site": lang.site,
        "lang": lang.code,
        "dir": text_direction(lang.code),
        "lang_root": lang.root,
        "t": _strings_global(lang.site.strings),
        "link": link,
        "languages": [{"lang": other.code, "name": language_name(other.code), "path": other.root} for other in languages],
        "alternates": _alternates_global(languages, everything, base_url),
        "absolute": _absolute_global(own_base),
        # The search page's script reads its texts from the page (plural forms included).
        # The `date` filter's language and the theme's date patterns for it ('' for the language's own CLDR form).
        "dates": {"lang": lang.code, "long": lang.site.strings.own_dates.get("date.long", ""), "short": lang.site.strings.own_dates.get("date.short", "")},
        "search_strings": {key.removeprefix("search_js."): value for key, value in lang.site.strings.table.items() if key.startswith("search_js.")},
    }


def _absolute_global(base: str) -> Any:
    def absolute(target: object) -> str:
        """The canonical absolute URL of a model object or a URL in this language, '' without base_url."""
        return urls.absolute(base, url_of(target))

    return absolute
