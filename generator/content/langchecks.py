"""Checks of languages: tags in site.yaml, reports and pages, rating translations, and translations between reports.

A report's `translations` name the reports that are the same fact-check in another language: each
must exist, be in another language than the report and than each other, and name the report back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.content.hints import did_you_mean
from generator.content.i18n import language_name, language_problem, normalize_tag
from generator.content.validate import Located, Obj, get_objs, get_text
from generator.diagnostics import Diagnostic, error, warning

DEFAULT_LANGUAGE = "en"


def site_languages(site: Obj) -> tuple[str, ...]:
    """The site's language tags, the default first: `languages[].code`, else `language`, else 'en'."""
    codes = [normalize_tag(get_text(row, "code")) for row in get_objs(site, "languages") if get_text(row, "code")]
    return tuple(dict.fromkeys(codes)) or (normalize_tag(get_text(site, "language", DEFAULT_LANGUAGE)),)


def _err(located: Located, where: str, message: str, hint: str = "") -> Diagnostic:
    line, col = located.mark(where)
    return error(located.path, line, col, message, where, hint)


def _warn(located: Located, where: str, message: str, hint: str = "") -> Diagnostic:
    line, col = located.mark(where)
    return warning(located.path, line, col, message, where, hint)


TAG_HINT = "use a BCP 47 tag such as en, es, fr, de, pt-BR or ar"


def check_site_languages(located: Located, site: Obj, diags: list[Diagnostic]) -> None:
    """The site's language tags are known and distinct, and each rating's translations are in a site language."""
    if "language" in site and language_problem(get_text(site, "language")):
        diags.append(_err(located, "language", language_problem(get_text(site, "language")), TAG_HINT))
    seen: set[str] = set()
    for index, row in enumerate(get_objs(site, "languages")):
        code = get_text(row, "code")
        where = f"languages[{index}].code"
        if language_problem(code):
            diags.append(_err(located, where, language_problem(code), TAG_HINT))
        elif normalize_tag(code) in seen:
            diags.append(_err(located, where, f"language '{code}' is listed twice", "list each language once"))
        seen.add(normalize_tag(code))
    languages = site_languages(site)
    if "language" in site and "languages" in site and normalize_tag(get_text(site, "language")) != languages[0]:
        hint = "remove 'language:' (the first of 'languages:' is the default) or list it first"
        diags.append(_err(located, "language", f"'language' is '{get_text(site, 'language')}' but the first of 'languages' is '{languages[0]}'", hint))
    ratings = site.get("ratings")
    groups = (("scale", get_objs(ratings, "scale")), ("other", get_objs(ratings, "other"))) if isinstance(ratings, dict) else ()
    for group, rows in groups:
        for rating in rows:
            where = f"ratings.{group}[{get_text(rating, 'key')}]"
            given = set()
            for n, row in enumerate(get_objs(rating, "translations")):
                code = normalize_tag(get_text(row, "language"))
                if code not in languages[1:]:
                    hint = did_you_mean(code, list(languages[1:])) if languages[1:] else "add the language to 'languages:' first"
                    diags.append(_err(located, f"{where}.translations[{n}].language", f"'{code}' is not one of the site's other languages", hint))
                given.add(code)
            for code in languages[1:]:
                if code not in given and not language_problem(code):  # a code that is no language tag has its error already
                    message = f"rating '{get_text(rating, 'key')}' has no {language_name(code)} label: the {language_name(languages[0])} one is shown"
                    diags.append(_warn(located, where, message, f"add translations: [{{language: {code}, label: ..., definition: ...}}]"))


def check_language_field(located: Located, data: Obj, languages: Sequence[str], diags: list[Diagnostic]) -> None:
    """A report's or page's `language` is one of the site's languages."""
    if "language" not in data or not languages:
        return
    code = get_text(data, "language")
    if language_problem(code):
        diags.append(_err(located, "language", language_problem(code), TAG_HINT))
    elif normalize_tag(code) not in languages:
        hint = f"the site's languages are {', '.join(languages)} (site.yaml `languages`)"
        diags.append(_err(located, "language", f"'{code}' is not one of the site's languages", hint))


@dataclass(frozen=True)
class TranslationLinks:
    """What the cross-file rule needs of one report: its id, language, and each translation with where it is written."""

    path: str
    report_id: str
    language: str
    targets: tuple[tuple[str, int, int], ...]  # (report id, line, column)


def translation_problems(reports: Iterable[TranslationLinks]) -> list[Diagnostic]:
    """Translations naming a missing report, one of the same language, two of one language, or not named back."""
    rows = [r for r in reports if r.report_id]
    by_id = {r.report_id: r for r in rows}
    diags: list[Diagnostic] = []
    for row in rows:
        languages: dict[str, str] = {}
        for target, line, col in row.targets:
            other = by_id.get(target)
            if other is None:
                others = sorted(set(by_id) - {row.report_id})
                hint = did_you_mean(target, others) if others else "translations name other reports by their id"
                diags.append(error(row.path, line, col, f"translation '{target}' is not a report", "translations", hint))
                continue
            if other.language == row.language:
                message = f"translation '{target}' is in {language_name(row.language)} too ({row.language})"
                diags.append(
                    error(row.path, line, col, message, "translations", "a translation is the same fact-check in another language: set its `language`")
                )
                continue
            if other.language in languages:
                message = f"'{target}' and '{languages[other.language]}' are both {language_name(other.language)} translations"
                diags.append(error(row.path, line, col, message, "translations", "keep one translation per language"))
                continue
            languages[other.language] = target
            if row.report_id not in {t for t, _, _ in other.targets}:
                hint = f"add '{row.report_id}' to the translations of {other.path}"
                diags.append(warning(row.path, line, col, f"'{target}' does not name '{row.report_id}' among its translations", "translations", hint))
    return diags
