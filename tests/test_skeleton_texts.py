"""The new site's own words in the theme's languages, and English marked for translation in any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build, check
from generator.editors.init import init_site
from generator.editors.skeleton_texts import KEYS, skeleton_texts
from generator.site.theme import resolve_theme


def test_every_language_of_the_packaged_theme_has_every_text() -> None:
    """A table for each language the default theme's strings speak, none left in English but the English one."""
    english = skeleton_texts("en")
    strings = resolve_theme(Path("/nonexistent"), "default").chain[0] / "i18n"
    spoken = sorted(p.stem for p in strings.glob("*.yaml"))
    assert {"en", "es", "fr", "de", "pt", "ar"} <= set(spoken)
    for code in spoken:
        texts = skeleton_texts(code)
        assert list(texts) == list(KEYS) and all(texts.values()), code
        assert code == "en" or not set(texts.values()) & set(english.values()), code
    assert skeleton_texts("pt-BR") == skeleton_texts("pt")


@pytest.mark.parametrize(("language", "menu", "rating"), [("es", "Quiénes somos", "Verdadero"), ("ar", "من نحن", "صحيح"), ("de", "Über uns", "Wahr")])
def test_a_new_site_in_a_theme_language_has_its_menu_pages_and_ratings_in_it(tmp_path: Path, language: str, menu: str, rating: str) -> None:
    init_site(tmp_path / "s", title="Verificado", language=language)
    build(tmp_path / "s", tmp_path / "out")
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f">{menu}</a>" in home and "About us" not in home
    assert f">{rating}<" in (tmp_path / "out" / "ratings" / "index.html").read_text(encoding="utf-8")


def test_in_another_language_each_english_text_is_a_placeholder_check_names(tmp_path: Path) -> None:
    init_site(tmp_path / "s", title="Verificato", language="it")
    _site, diagnostics = check(tmp_path / "s")
    marked = [d for d in diagnostics if "TODO: translate:" in d.message]
    assert len(marked) == len(KEYS)
    assert {d.path for d in marked} == {"content/site.yaml", "content/pages/about.md", "content/pages/methodology.md", "content/pages/corrections-policy.md"}
