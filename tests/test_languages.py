"""Multilingual sites (site/languages.py): each language's pages under its root, alternates, the switcher, RTL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import write_tree
from generator.build import BuildOptions, build
from multilingual import BASE_URL, arabic_site, bilingual_site, french_site
from publishing import json_ld


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three test sites, built."""
    base = tmp_path_factory.mktemp("languages")
    out = {}
    for name, files in (("bilingual", bilingual_site()), ("arabic", arabic_site()), ("french", french_site())):
        root = write_tree(base / name, files)
        result = build(root, base / f"{name}-site", BuildOptions(cache=False))
        assert result.diagnostics == [], name
        out[name] = base / f"{name}-site"
    return out


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _html_tag(html: str) -> str:
    found = re.search(r"<html[^>]*>", html)
    assert found is not None
    return found.group()


def test_each_language_has_its_own_home_listings_feeds_search_and_pages(sites: dict[str, Path]) -> None:
    site = sites["bilingual"]
    for root, lang in (("", "en"), ("es/", "es")):
        for path in ("index.html", "ratings/index.html", "ratings/false/index.html", "topics/index.html", "search/index.html", "people/index.html"):
            assert _html_tag(_read(site, root + path)) == f'<html lang="{lang}" dir="ltr">', root + path
        assert f'xml:lang="{lang}"' in _read(site, root + "feeds/reports.xml")
        assert (site / root / "search/data/meta.js").is_file()
        assert (site / root / "data/claims.json").is_file()
    # Each language lists only its own reports, and its own pages.
    assert "planet-rents" in _read(site, "index.html") and "diario-alquileres" not in _read(site, "index.html")
    assert "diario-alquileres" in _read(site, "es/index.html") and "planet-rents/" not in _read(site, "es/index.html").split("<main")[1]
    assert (site / "es/acerca/index.html").is_file() and not (site / "acerca").exists() and not (site / "es/about").exists()
    # Files hosts look for at the root are there only.
    assert not (site / "es/404.html").exists() and not (site / "es/robots.txt").exists()


def test_rating_labels_and_theme_strings_are_in_the_pages_language(sites: dict[str, Path]) -> None:
    site = sites["bilingual"]
    claim = _read(site, "es/reports/diario-alquileres/claims/rents-doubled/index.html")
    assert '<span class="verdict-label">Falso</span>' in claim and ">Nuestro análisis<" in claim and "2 de mayo de 2026" in claim
    assert "Our analysis" not in claim and ">False<" not in claim
    ratings = _read(site, "es/ratings/index.html")
    assert "No es exacto." in ratings and "Cómo calificamos las afirmaciones" in ratings
    assert "Afirmaciones calificadas como «Falso»" in _read(site, "es/ratings/false/index.html")


def test_translations_are_linked_both_ways_with_hreflang_and_x_default(sites: dict[str, Path]) -> None:
    site = sites["bilingual"]
    for path in ("reports/planet-rents/index.html", "es/reports/diario-alquileres/index.html"):
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', _read(site, path)))
        assert links == {
            "en": f"{BASE_URL}reports/planet-rents/",
            "es": f"{BASE_URL}es/reports/diario-alquileres/",
            "x-default": f"{BASE_URL}reports/planet-rents/",
        }, path
    # Claims with the same id in both reports are each other's alternates; the switcher links there.
    claim = _read(site, "reports/planet-rents/claims/rents-doubled/index.html")
    assert f'hreflang="es" href="{BASE_URL}es/reports/diario-alquileres/claims/rents-doubled/"' in claim
    assert 'href="../../../../es/reports/diario-alquileres/claims/rents-doubled/index.html" hreflang="es" lang="es">Español</a>' in claim
    # Pages every language has are alternates too; a report without a translation has none.
    assert f'hreflang="es" href="{BASE_URL}es/"' in _read(site, "index.html")


def test_structured_data_names_each_pages_language(sites: dict[str, Path]) -> None:
    site = sites["bilingual"]
    for path, lang in (("es/reports/diario-alquileres/claims/rents-doubled/index.html", "es"), ("reports/planet-rents/claims/rents-doubled/index.html", "en")):
        review = next(d for d in json_ld(_read(site, path)) if d["@type"] == "ClaimReview")
        assert review["inLanguage"] == lang
        assert review["url"].startswith(BASE_URL + ("es/" if lang == "es" else "reports/"))
    arabic = next(d for d in json_ld(_read(sites["arabic"], "reports/madina-rents/claims/rents-doubled/index.html")) if d["@type"] == "ClaimReview")
    assert arabic["inLanguage"] == "ar" and arabic["reviewRating"]["alternateName"] == "خاطئ"
    feed = json.loads(_read(site, "es/data/claims.json"))
    assert feed["inLanguage"] == "es"


def test_the_sitemap_lists_every_languages_pages(sites: dict[str, Path]) -> None:
    sitemap = _read(sites["bilingual"], "sitemap.xml")
    assert f"<loc>{BASE_URL}es/reports/diario-alquileres/</loc>" in sitemap and f"<loc>{BASE_URL}reports/planet-rents/</loc>" in sitemap
    assert f"<loc>{BASE_URL}es/</loc>" in sitemap


def test_arabic_pages_are_right_to_left_with_arabic_dates_and_no_english(sites: dict[str, Path]) -> None:
    page = _read(sites["arabic"], "reports/madina-rents/claims/rents-doubled/index.html")
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "1 مايو 2026" in page
    visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
    english = {w for w in re.findall(r"[A-Za-z]{3,}", visible)} - {"Ann", "Writer", "Facebook", "WhatsApp", "LinkedIn", "claims", "json", "csv"}
    assert english == set()


def test_french_dates_and_plurals(sites: dict[str, Path]) -> None:
    page = _read(sites["french"], "reports/quotidien-loyers/index.html")
    assert _html_tag(page) == '<html lang="fr" dir="ltr">' and "Publiée le <time" in page and "2 mai 2026" in page
    assert "2 affirmations vérifiées" in _read(sites["french"], "index.html")
