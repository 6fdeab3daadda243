"""Withdrawn reports: still at their URLs under a notice, out of listings, search and ClaimReview, in corrections."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from generator.build import BuildOptions, build
from publishing import json_ld, withdrawn_project


def _built(make_project: Callable[..., Path], tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build(make_project(withdrawn_project()), out, BuildOptions(base_url="https://x.example/", cache=False))
    return out


def test_withdrawn_report_stays_at_its_url_under_a_notice_without_claim_review(make_project: Callable[..., Path], tmp_path: Path) -> None:
    out = _built(make_project, tmp_path)
    for page in ("reports/planet-old/index.html", "reports/planet-old/claims/rents-doubled/index.html", "reports/planet-old/claims/shelter-spend/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "This fact-check was withdrawn on 2 June 2026" in html and "so neither verdict stands." in html, page
        assert html.index("banner-withdrawn") < html.index("<h1"), page  # the notice comes first
        assert json_ld(html) == [], page
        assert "Not published." not in html
    listed = (out / "reports/planet-rents/claims/rents-doubled/index.html").read_text(encoding="utf-8")
    assert [d["@type"] for d in json_ld(listed)] == ["ClaimReview"] and "planet-old" not in listed  # not a related check either


def test_withdrawn_report_is_out_of_listings_search_and_exports(make_project: Callable[..., Path], tmp_path: Path) -> None:
    out = _built(make_project, tmp_path)
    listings = ("index.html", "ratings/false/index.html", "topics/housing/index.html", "people/ann/index.html")
    for path in (*listings, "feeds/reports.xml", "data/claims.json", "data/claims.csv"):
        assert "planet-old" not in (out / path).read_text(encoding="utf-8"), path
    assert not (out / "claimants/john-roe").exists()
    search = "".join(p.read_text(encoding="utf-8") for p in (out / "search").rglob("*") if p.is_file())
    assert "planet-rents" in search and "planet-old" not in search


def test_withdrawal_is_in_the_corrections_index_and_feed(make_project: Callable[..., Path], tmp_path: Path) -> None:
    out = _built(make_project, tmp_path)
    index = (out / "corrections/index.html").read_text(encoding="utf-8")
    assert 'href="../reports/planet-old/index.html"' in index and "We withdrew this fact-check" in index
    assert "reports/planet-old/" in (out / "feeds/corrections.xml").read_text(encoding="utf-8")
    assert "https://x.example/reports/planet-old/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert json.loads((out / "data/claims.json").read_text(encoding="utf-8"))  # still valid without it
