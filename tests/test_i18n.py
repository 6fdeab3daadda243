"""Language tags, CLDR plural forms, dates and numbers (content/i18n.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from markupsafe import Markup

from generator.content.i18n import (
    fill,
    format_day,
    format_number,
    language_name,
    language_problem,
    normalize_tag,
    plural_categories,
    plural_category,
    text_direction,
)

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
