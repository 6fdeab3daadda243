"""Language tags, CLDR plural forms, dates and numbers, and the theme's string tables (content/i18n.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import REPO, SITE_YAML
from generator.build import check, render_site
from generator.content.i18n import (
    english,
    fill,
    format_day,
    format_number,
    language_name,
    language_problem,
    load_catalog,
    normalize_tag,
    plural_categories,
    plural_category,
    string_dirs,
    text_direction,
)
from generator.diagnostics import BuildFailed, format_text

SHIPPED = ("en", "es", "fr", "de", "pt", "ar")
DAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("tag", "problem"),
    [
        ("en", ""),
        ("pt-BR", ""),
        ("zh-Hant", ""),
        ("english", "not a language tag"),
        ("xx", "unknown language"),
        ("en" + "-abcdefgh" * 40, "a language tag has at most 35"),
    ],
)
def test_language_tags_are_checked_against_bcp47_and_cldr(tag: str, problem: str) -> None:
    assert (problem in language_problem(tag)) if problem else language_problem(tag) == ""


def test_tags_are_normalised() -> None:
    assert normalize_tag("pt-br") == "pt-BR" and normalize_tag("ZH-hant") == "zh-Hant" and normalize_tag("EN") == "en"


@pytest.mark.parametrize(("tag", "direction"), [("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("en", "ltr"), ("es", "ltr"), ("zh", "ltr")])
def test_right_to_left_languages(tag: str, direction: str) -> None:
    assert text_direction(tag) == direction


def test_arabic_has_six_plural_forms_and_english_two() -> None:
    assert plural_categories("ar") == ("zero", "one", "two", "few", "many", "other")
    assert plural_categories("en") == ("one", "other")
    assert [plural_category("ar", n) for n in (0, 1, 2, 3, 11, 100)] == ["zero", "one", "two", "few", "many", "other"]


def test_plural_forms_and_values_fill_a_text() -> None:
    table = {"claims": {"one": "{count} claim", "other": "{count} claims"}, "by": "By {names} & co"}
    assert fill("en", table, "claims", {"count": 1}, escaped=False) == "1 claim"
    assert fill("en", table, "claims", {"count": 1234}, escaped=False) == "1,234 claims"
    assert fill("es", table, "claims", {"count": 1234}, escaped=False) == "1.234 claims"
    # Escaped: the text and plain values are escaped, Markup values (links a template made) are kept.
    assert fill("en", table, "by", {"names": "<b>"}) == "By &lt;b&gt; &amp; co"
    assert fill("en", table, "by", {"names": Markup('<a href="x">A</a>')}) == 'By <a href="x">A</a> &amp; co'


def test_dates_and_numbers_do_not_depend_on_the_machine_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert format_day(DAY, "en", "d MMMM y") == "26 November 2026"
    assert format_day(DAY, "es", "d 'de' MMMM 'de' y") == "26 de noviembre de 2026"
    assert format_day(DAY, "fr") == "26 novembre 2026"
    assert format_day(DAY, "ar", "d MMMM y") == "26 نوفمبر 2026"
    assert format_number(1234567, "de") == "1.234.567"
    assert language_name("es") == "Español" and language_name("ar") == "العربية"


def test_every_shipped_table_has_every_english_key_with_the_same_values_named() -> None:
    catalog, diags = load_catalog(REPO, string_dirs([REPO / "themes" / "default"], REPO), "en", SHIPPED)
    assert diags == []
    reference = catalog.own("en")
    for language in SHIPPED:
        own = catalog.own(language)
        assert set(own) == set(reference), language
        for key, entry in own.items():
            # A zero form ("not corrected") may leave values out; every other form names the English ones.
            forms = [text for form, text in entry.items() if form != "zero"] if isinstance(entry, dict) else [entry]
            english_forms = reference[key].values() if isinstance(reference[key], dict) else [reference[key]]
            names = {n for text in english_forms for n in _names(text)} - {"count"}
            for text in forms:
                # A translation may leave out {count} (Arabic says "one claim" in words), never another value.
                assert _names(text) - {"count"} == names, (language, key, text)
            if isinstance(entry, dict):
                assert set(entry) <= set(plural_categories(language)), (language, key)


def _names(text: str) -> set[str]:
    return set(re.findall(r"\{([a-z_]+)\}", text))


def test_english_strings_come_with_the_package() -> None:
    assert english().text("nav.search") == "Search" and english().language == "en"


def test_a_language_without_strings_and_a_missing_key_are_warned_about(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/site.yaml": _site("it")})
    _site_model, diags = check(root)
    # No table at all: at the line of site.yaml that names the language (it named the file it lacks; hostile-input audit F6).
    line = _site("it").splitlines().index("language: it") + 1
    assert f"content/site.yaml:{line}:11: warning: no strings for language 'it': the theme's English texts are shown" in format_text(diags)
    root = make_project({"content/site.yaml": _site("it"), "content/i18n/it.yaml": "nav.search: Cerca\n"})
    _site_model, diags = check(root)
    text = format_text(diags)
    assert "content/i18n/it.yaml:1:1: warning: 'nav.ratings' has no Italiano text: the English one is shown" in text
    assert "'nav.search' has no" not in text


def test_a_key_no_page_shows_and_a_value_no_text_is_given_are_warned_about(make_project: Callable[..., Path]) -> None:
    """Both would pass unnoticed: an unknown key is never shown, an unknown {value} is printed braces and all."""
    table = "nav.serch: Find\nnav.search: Find {what}\nlisting.in_report: In {reprot}\n"
    _site_model, diags = check(make_project({"content/i18n/en.yaml": table}))
    text = format_text(diags)
    assert "content/i18n/en.yaml:1:1: warning: 'nav.serch' is not a text any page shows\n    hint: did you mean 'nav.search'?" in text
    assert "content/i18n/en.yaml:2:1: warning: 'nav.search': {what} is not filled in (this text is given no values)" in text
    assert "content/i18n/en.yaml:3:1: warning: 'listing.in_report': {reprot} is not filled in (this text is given {report})" in text


def test_a_site_s_own_key_shown_by_its_own_template_is_no_mistake(make_project: Callable[..., Path]) -> None:
    files = {"content/i18n/en.yaml": "my.motto: Facts first\n", "content/templates/partials/motto.html": "<p>{{ t('my.motto') }}</p>\n"}
    root = make_project(files)
    _site_model, diags = check(root)
    assert "my.motto" not in format_text(diags)
    (root / "content/templates/partials/motto.html").write_text("{{ t('my.' ~ which) }}\n", encoding="utf-8")  # a key made of parts
    _site_model, diags = check(root)
    assert "my.motto" not in format_text(diags)
    (root / "content/templates/partials/motto.html").unlink()  # no template shows it now
    _site_model, diags = check(root)
    assert "content/i18n/en.yaml:1:1: warning: 'my.motto' is not a text any page shows" in format_text(diags)


def test_a_site_s_own_key_needs_no_english_text(make_project: Callable[..., Path]) -> None:
    fr = {"content/site.yaml": _site("fr"), "content/i18n/fr.yaml": "my.motto: Les faits\n", "content/templates/partials/motto.html": "{{ t('my.motto') }}\n"}
    _site_model, diags = check(make_project(fr))
    assert "my.motto" not in format_text(diags)


def test_a_site_table_overrides_the_theme(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/i18n/en.yaml": "nav.search: Find a check\n"})
    home = next(p for p in render_site(root).pages if p.path == "index.html").data.decode()
    assert ">Find a check</a>" in home and ">Search</a></li>" not in home


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("nav.search: [a, b]\n", "content/i18n/en.yaml:1:13: error: 'nav.search' must be a text or plural forms"),
        ("count.claims:\n  one: x\n", "content/i18n/en.yaml:2:3: error: 'count.claims' needs an 'other' form"),
        ("count.claims:\n  lots: x\n  other: y\n", "content/i18n/en.yaml:2:3: error: 'count.claims': 'lots' is not a plural form"),
        ("Bad Key: x\n", "content/i18n/en.yaml:1:1: error: 'Bad Key' is not a string key"),
        ('date.long: "\'unterminated"\n', "content/i18n/en.yaml:1:12: error: 'date.long': ''unterminated' shows no day, month or year"),
        ('nav.about: "About\u2028us"\n', "content/i18n/en.yaml:1:18: error: contains an invisible line break (U+2028)"),
        # A date is printed on every page: 300,000 fields of it made a 17 GB site.
        ("date.long: " + "d " * 60 + "\n", "content/i18n/en.yaml:1:12: error: 'date.long': 'd d d d d d d d d d d d d d d d d d d d ...' is 119"),
    ],
)
def test_broken_tables_are_reported_at_their_line(make_project: Callable[..., Path], table: str, message: str) -> None:
    root = make_project({"content/i18n/en.yaml": table})
    with pytest.raises(BuildFailed) as failed:
        check(root)
    assert message in format_text(failed.value.diagnostics)


def _site(language: str) -> str:
    return SITE_YAML.replace("language: en", f"language: {language}")
