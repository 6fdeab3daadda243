"""Checks of languages in site.yaml, reports and pages, and of translations between reports (content/langchecks.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from multilingual import bilingual_site

from conftest import write_tree
from generator.build import check
from generator.content.langchecks import TranslationLinks, translation_problems
from generator.diagnostics import BuildFailed, Diagnostic, format_text


def _diagnostics(root: Path) -> str:
    try:
        _site, diags = check(root)
    except BuildFailed as failed:
        diags = list(failed.diagnostics)
    return format_text(diags)


def test_the_bilingual_site_checks_clean(tmp_path: Path) -> None:
    assert _diagnostics(write_tree(tmp_path / "p", bilingual_site())) == ""


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("  - code: es\n", "  - code: castellano\n"), "content/site.yaml:6:11: error: languages[1].code: 'castellano' is not a language tag"),
        (("  - code: es\n", "  - code: qq\n"), "content/site.yaml:6:11: error: languages[1].code: unknown language 'qq'"),
        (("  - code: es\n", "  - code: EN\n"), "content/site.yaml:6:11: error: languages[1].code: language 'EN' is listed twice"),
        (
            ("{language: es, label: Falso", "{language: fr, label: Falso"),
            "error: ratings.scale[false].translations[0].language: 'fr' is not one of the site's other languages",
        ),
        (
            ("      translations: [{language: es, label: Falso, definition: No es exacto.}]\n", ""),
            "warning: ratings.scale[false]: rating 'false' has no Español label",
        ),
        (
            ("title: Test Checks\n", "title: Test Checks\nlanguage: es\n"),
            "content/site.yaml:2:11: error: language: 'language' is 'es' but the first of 'languages' is 'en'",
        ),
    ],
)
def test_site_languages_are_checked(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    files = bilingual_site()
    files["content/site.yaml"] = files["content/site.yaml"].replace(*edit)
    assert message in _diagnostics(write_tree(tmp_path / "p", files))


def test_a_code_that_is_no_language_tag_brings_no_follow_on_warnings(tmp_path: Path) -> None:
    """Its error alone: not a warning for each rating lacking a label in it, hinting to use the code (hostile-input audit F9)."""
    files = bilingual_site()
    files["content/site.yaml"] = files["content/site.yaml"].replace("  - code: es\n", "  - code: es\n  - code: reports\n")
    found = _diagnostics(write_tree(tmp_path / "p", files))
    assert "'reports' is not a language tag" in found and "language: reports" not in found and "label" not in found


def test_a_page_in_a_language_the_site_lacks(tmp_path: Path) -> None:
    files = bilingual_site()
    files["content/pages/acerca.md"] = files["content/pages/acerca.md"].replace("language: es", "language: fr")
    assert "content/pages/acerca.md:4:11: error: language: 'fr' is not one of the site's languages" in _diagnostics(write_tree(tmp_path / "p", files))


def test_translations_of_the_same_language_and_one_way_links(tmp_path: Path) -> None:
    files = bilingual_site()
    files["content/reports/diario-alquileres.yaml"] = files["content/reports/diario-alquileres.yaml"].replace("translations: [planet-rents]\n", "")
    text = _diagnostics(write_tree(tmp_path / "one-way", files))
    assert "content/reports/planet-rents.yaml:9:16: warning: translations: 'diario-alquileres' does not name 'planet-rents' among its translations" in text
    files = bilingual_site()
    files["content/reports/diario-alquileres.yaml"] = files["content/reports/diario-alquileres.yaml"].replace("language: es\n", "language: en\n")
    text = _diagnostics(write_tree(tmp_path / "same", files))
    assert "content/reports/planet-rents.yaml:9:16: error: translations: translation 'diario-alquileres' is in English too (en)" in text


def test_two_translations_in_one_language() -> None:
    rows = [
        TranslationLinks("a.yaml", "a", "en", (("b", 3, 5), ("c", 3, 8))),
        TranslationLinks("b.yaml", "b", "es", (("a", 2, 2),)),
        TranslationLinks("c.yaml", "c", "es", (("a", 2, 2),)),
    ]
    problems: list[Diagnostic] = translation_problems(rows)
    assert [(d.path, d.line, d.col, d.message) for d in problems] == [("a.yaml", 3, 8, "'c' and 'b' are both Español translations")]


def test_a_report_language_defaults_to_the_sites_first(make_project: Callable[..., Path]) -> None:
    site, _diags = check(make_project())
    assert site.reports[0].language == "en"
