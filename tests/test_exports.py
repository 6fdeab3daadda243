"""data/claims.json (a DataFeed of the pages' ClaimReviews) and data/claims.csv (a row per claim)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SITE_YAML, write_tree
from generator.build import BuildOptions, build
from generator.site.exports import CSV_COLUMNS, csv_cell
from publishing import BASE_URL, json_ld, many_reports, read


def test_claims_json_is_a_data_feed_of_the_pages_claim_reviews(tmp_path: Path) -> None:
    """Each DataFeedItem holds exactly the ClaimReview its claim page carries (minus @context)."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(3)), out)
    feed = json.loads(read(out, "data/claims.json"))
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    assert feed["url"] == BASE_URL + "data/claims.json"
    assert feed["dateModified"] == "2026-03-03"
    items = feed["dataFeedElement"]
    assert len(items) == 6
    assert {i["@type"] for i in items} == {"DataFeedItem"}
    for item in items:
        review = item["item"]
        page = review["url"].removeprefix(BASE_URL) + "index.html"
        [on_page] = json_ld(read(out, page))
        assert {"@context": "https://schema.org", **review} == on_page
        assert item["dateCreated"] == review["datePublished"]


def test_claims_csv_has_one_row_per_claim(tmp_path: Path) -> None:
    """A header row, then one row per claim with ids, URLs, rating and dates."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(3)), out)
    data = (out / "data/claims.csv").read_bytes()
    assert b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 6
    first = rows[0]
    assert first == {
        "report_id": "report-002",
        "report_url": BASE_URL + "reports/report-002/",
        "claim_id": "rents-doubled",
        "claim_url": BASE_URL + "reports/report-002/claims/rents-doubled/",
        "claim_reviewed": "Rents in Metropolis doubled since 2015",
        "claimant": "John Roe",
        "rating": "false",
        "rating_label": "False",
        "claim_date": "",
        "report_published": "2026-03-03",
        "article_url": "https://planet.example/rents",
        "article_publisher": "Daily-Planet",
    }


def test_formula_cells_are_neutralised_and_the_rest_kept(make_project: Callable[..., Path]) -> None:
    """OWASP CSV injection: cells starting with = + - @ tab or CR get a leading apostrophe; nothing else changes."""
    from conftest import REPORT_YAML

    formula = '=HYPERLINK("https://evil.example","Click")'
    report = REPORT_YAML.replace("claim_reviewed: Rents in Metropolis doubled since 2015", f"claim_reviewed: '{formula}'")
    report = report.replace("claimant: {name: Jane Doe,", "claimant: {name: '@Jane Doe',").replace("publisher: Daily Planet", "publisher: '+Planet'")
    root = make_project({"content/reports/planet-rents.yaml": report})
    build(root, root / "site")
    rows = list(csv.reader(io.StringIO((root / "site/data/claims.csv").read_text(encoding="utf-8"))))
    assert rows[0] == list(CSV_COLUMNS)
    by_id = {row[2]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    doubled = by_id["rents-doubled"]
    assert doubled["claim_reviewed"] == "'" + formula
    assert doubled["claimant"] == "'@Jane Doe"
    assert by_id["shelter-spend"]["claim_reviewed"] == "The council spent $4 million on shelters last year"


@pytest.mark.parametrize(("cell", "safe"), [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx")])
def test_csv_cell(cell: str, safe: str) -> None:
    assert csv_cell(cell) == safe
    assert csv_cell("a=b") == "a=b" and csv_cell("") == "" and csv_cell("2026-05-01") == "2026-05-01"


# Field names of the Fact Check Tools API (v1alpha1): ClaimReviewMarkupPage, ClaimReviewMarkup, ClaimAuthor, ClaimRating.
API_PAGE = {"pageUrl", "publishDate", "claimReviewAuthor", "claimReviewMarkups"}
API_MARKUP = {"url", "claimReviewed", "claimDate", "claimLocation", "claimFirstAppearance", "claimAppearances", "claimAuthor", "rating"}
API_AUTHOR = {"name", "jobTitle", "imageUrl", "sameAs"}
API_RATING = {"textualRating", "ratingValue", "bestRating", "worstRating", "imageUrl", "ratingExplanation"}


def test_claimreview_api_export_has_one_markup_page_per_claim_page(make_project: Callable[..., Path], tmp_path: Path) -> None:
    site_yaml = (
        SITE_YAML
        + "claimants:\n  - {name: Jane Doe, image: 'https://img.example/j.jpg', same_as: ['https://www.wikidata.org/wiki/Q1', 'https://j.example/']}\n"
    )
    out = tmp_path / "site"
    build(make_project({"content/site.yaml": site_yaml}), out, BuildOptions(base_url="https://x.example/", cache=False))
    pages = json.loads((out / "data/claimreview-api.json").read_text(encoding="utf-8"))
    assert [p["pageUrl"] for p in pages] == [
        "https://x.example/reports/planet-rents/claims/rents-doubled/",
        "https://x.example/reports/planet-rents/claims/shelter-spend/",
    ]
    for page in pages:
        assert set(page) <= API_PAGE and page["publishDate"] == "2026-05-01" and page["claimReviewAuthor"] == {"name": "Test Org"}
        [markup] = page["claimReviewMarkups"]
        assert set(markup) <= API_MARKUP and set(markup["claimAuthor"]) <= API_AUTHOR and set(markup["rating"]) <= API_RATING
        assert markup["url"] == page["pageUrl"] and markup["claimAppearances"] == ["https://planet.example/rents"]
    first = pages[0]["claimReviewMarkups"][0]
    assert first["claimAuthor"] == {
        "name": "Jane Doe",
        "jobTitle": "Mayor",
        "imageUrl": "https://img.example/j.jpg",
        "sameAs": "https://www.wikidata.org/wiki/Q1",
    }
    assert first["rating"] == {"textualRating": "False", "ratingValue": 1, "bestRating": 3, "worstRating": 1, "ratingExplanation": "Rents rose 38%, not 100%."}


def test_exports_are_made_in_pieces_written_as_they_come(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large archive's exports are never held whole: pieces of a few rows, the same bytes as in one piece."""
    from generator.build import check
    from generator.site import exports

    project = write_tree(tmp_path / "p", many_reports(3))
    build(project, tmp_path / "whole", BuildOptions(cache=False))
    monkeypatch.setattr(exports, "ROWS_A_PIECE", 2)
    site, _ = check(project, BuildOptions(cache=False))
    for make, name in ((exports.claims_json, "claims.json"), (exports.claims_csv, "claims.csv"), (exports.claimreview_api_json, "claimreview-api.json")):
        pieces = list(make(site)())
        assert len(pieces) == 4  # six claims, two a piece, then the closing piece
        assert b"".join(pieces) == (tmp_path / "whole/data" / name).read_bytes()
    build(project, tmp_path / "pieces", BuildOptions(cache=False))
    for name in ("claims.json", "claims.csv", "claimreview-api.json"):
        assert (tmp_path / "pieces/data" / name).read_bytes() == (tmp_path / "whole/data" / name).read_bytes()


def test_exports_in_parts_join_into_the_file_made_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part is made alone (the disk sink spreads them over processes): head in the first, tail in the last, commas across."""
    from generator.build import check
    from generator.site import exports

    project = write_tree(tmp_path / "p", many_reports(5))
    build(project, tmp_path / "whole", BuildOptions(cache=False, workers=1))
    monkeypatch.setattr(exports, "PART_CLAIMS", 3)  # five reports of two claims: parts of two reports, the last of one
    site, _ = check(project, BuildOptions(cache=False))
    for make, name in ((exports.claims_json, "claims.json"), (exports.claims_csv, "claims.csv"), (exports.claimreview_api_json, "claimreview-api.json")):
        parts = make(site).parts
        assert len(parts) == 3
        assert b"".join(b"".join(part()) for part in parts) == (tmp_path / "whole/data" / name).read_bytes()
    json.loads(b"".join(b"".join(part()) for part in exports.claims_json(site).parts))
