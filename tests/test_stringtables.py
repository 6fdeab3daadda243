"""String tables, the theme's and a site's, and the warnings about them (content/stringtables.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, REPORT_YAML, SITE_YAML
from generator.build import check, render_site
from generator.content.i18n import plural_categories
from generator.content.stringtables import english, load_catalog, string_dirs
from generator.diagnostics import BuildFailed, format_text

SHIPPED = ("en", "es", "fr", "de", "pt", "ar")


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


def test_a_broken_table_is_reported_with_a_broken_report(make_project: Callable[..., Path]) -> None:
    """Every mistake at once: a report's error hid the string tables' until it was fixed (the fifteenth session's final read)."""
    report = REPORT_YAML.replace("status: published", "statut: published")
    root = make_project({"content/reports/planet-rents.yaml": report, "content/i18n/en.yaml": "nav.search: [a, b]\n"})
    for run in (check, render_site):
        with pytest.raises(BuildFailed) as failed:
            run(root)
        text = format_text(failed.value.diagnostics)
        assert "planet-rents.yaml:4:1: error: statut: unknown field 'statut'" in text
        assert "content/i18n/en.yaml:1:13: error: 'nav.search' must be a text or plural forms" in text


def test_a_table_of_thousands_of_unknown_keys_gets_a_listed_few(make_project: Callable[..., Path]) -> None:
    """Each unknown key was matched against every theme key, and each warned about: 100,000 of them took minutes."""
    table = "".join(f"nav.serch-{n}: Find\n" for n in range(3000))
    _site_model, diags = check(make_project({"content/i18n/en.yaml": table}))
    found = [d for d in diags if d.path == "content/i18n/en.yaml"]
    assert len(found) == 201 and found[-1].message == "2800 more problems in this file are not listed"


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
        # Any text is: one of a megabyte repeated the site that many times.
        ("nav.search: " + "Find " * 500 + "\n", "content/i18n/en.yaml:1:13: error: 'nav.search': a text of 2,499 characters, over the limit of 2,000"),
        ("count.claims:\n  one: x\n  other: " + "y" * 3000 + "\n", "content/i18n/en.yaml:2:3: error: 'count.claims': a text of 3,000 characters"),
    ],
)
def test_broken_tables_are_reported_at_their_line(make_project: Callable[..., Path], table: str, message: str) -> None:
    root = make_project({"content/i18n/en.yaml": table})
    with pytest.raises(BuildFailed) as failed:
        check(root)
    assert message in format_text(failed.value.diagnostics)


def _site(language: str) -> str:
    return SITE_YAML.replace("language: en", f"language: {language}")
