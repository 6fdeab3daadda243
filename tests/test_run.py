"""factcheck import (generator/importer/run.py): round trip, options, all-or-nothing writes, hostile inputs."""

from __future__ import annotations

import errno
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, REPO
from generator import cli
from generator.build import BuildOptions, build, check, render_site
from generator.importer import writer

IMPORT = DATA / "import"
RATINGS_MAP = "'Pants on Fire!': 'false'\nMostly False: 'false'\n"


def run(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["--root", str(root), "import", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "themes" not in p.parts}


def reviews_by_id(feed: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(feed.read_text(encoding="utf-8"))
    return {e["item"]["@id"]: e for e in data["dataFeedElement"]}


def test_round_trip_of_this_sites_datafeed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Import this site's data/claims.json into a copy without reports; the rebuilt feed's ClaimReviews are the same."""
    build(REPO, tmp_path / "before", BuildOptions(base_url="https://example.org/", cache=False))
    scratch = tmp_path / "scratch"
    for folder in ("content", "themes"):
        shutil.copytree(REPO / folder, scratch / folder)
    shutil.rmtree(scratch / "content" / "reports")
    code, out = run(scratch, "claimreview", str(tmp_path / "before" / "data" / "claims.json"), "--add-people", capsys=capsys)
    assert code == 0, out
    # Imported as drafts; a drafts preview offers them to no aggregator, so they are published to compare the feeds.
    for imported in (scratch / "content" / "reports").rglob("*.yaml"):
        text = imported.read_text(encoding="utf-8").replace("status: draft", "status: published\nreviewers: [review-desk]", 1)
        imported.write_text(text, encoding="utf-8")
    after = build(scratch, tmp_path / "after", BuildOptions(base_url="https://example.org/", cache=False))
    assert {d.message for d in after.diagnostics} == {"the article's text was not saved: quotes are shown as recorded, not anchored"}
    before_feed = json.loads((tmp_path / "before" / "data" / "claims.json").read_text(encoding="utf-8"))
    after_feed = json.loads((tmp_path / "after" / "data" / "claims.json").read_text(encoding="utf-8"))
    # Everything a ClaimReview says survives, in the same order; what is not kept (analysis, sources,
    # reviewers, topics, corrections, the article's text) is not part of a ClaimReview.
    assert before_feed["dataFeedElement"] and after_feed["dataFeedElement"] == before_feed["dataFeedElement"]


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    return make_project()


def test_saved_pages_of_three_publishers(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """@graph (Yoast), a list of ClaimReviews (two claims of one page) and a WordPress plugin's markup."""
    (tmp_path / "map.yaml").write_text(RATINGS_MAP, encoding="utf-8")
    code, out = run(project, "claimreview", str(IMPORT / "publishers"), "--ratings", str(tmp_path / "map.yaml"), "--add-people", capsys=capsys)
    assert code == 0, out
    assert "Imported 3 reports (4 claims)" in out and "links dropped: 0" in out
    wind = yaml.safe_load((project / "content/reports/wind-turbines-birds.yaml").read_text(encoding="utf-8"))
    assert wind["authors"] == ["priya-raman"] and wind["published"].isoformat() == "2024-03-05" and wind["updated"].isoformat() == "2024-03-07"
    assert wind["article"]["url"] == "https://news.example/opinion/wind" and wind["article"]["publisher"] == "News Example"
    assert wind["article"]["archives"] == [
        {"url": "https://web.archive.org/web/20240301000000/https://news.example/opinion/wind", "label": "Wayback Machine, 1 March 2024"}
    ]
    claim = wind["claims"][0]
    assert claim["claimant"] == {"name": "Sam Blogger", "type": "person", "job_title": "Columnist"}
    assert claim["verdict"] == {"rating": "false", "explanation": "Cats kill billions of birds a year in the US; turbines kill hundreds of thousands."}
    assert wind["sources"][0]["url"] == "https://checkers.example/2024/03/wind-turbines-birds/"
    vaccine_text = (project / "content/reports/vaccine-claims.yaml").read_text(encoding="utf-8")
    vaccine = yaml.safe_load(vaccine_text)
    assert [c["id"] for c in vaccine["claims"]] == ["microchips", "trials"]
    assert vaccine["article"]["url"] == "https://social.example/posts/123"
    assert "# Other appearances, not kept: https://social.example/posts/456" in vaccine_text
    wp = yaml.safe_load((project / "content/reports/mayor-budget-schools.yaml").read_text(encoding="utf-8"))
    assert wp["claims"][0]["claim_reviewed"] == "The mayor’s budget cut schools by 40%"
    assert wp["claims"][0]["claim_date"].isoformat() == "2022-06-01" and wp["published"].isoformat() == "2022-06-14"
    assert wp["article"]["headline"] == "Budget row at city hall" and wp["authors"] == ["wp-checks"]
    people = yaml.safe_load((project / "content/people.yaml").read_text(encoding="utf-8"))
    assert [p["id"] for p in people] == ["ann", "bob", "priya-raman", "ada-okafor", "wp-checks"]
    site, diags = check(project, BuildOptions(drafts=True))
    assert len(site.reports) == 4 and all(d.message.startswith("the article's text was not saved") for d in diags if d.field != "base_url")


def test_every_tolerated_variant(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(project, "claimreview", str(IMPORT / "variants.json"), "--add-people", capsys=capsys)
    assert code == 0, out
    assert "Ratings mapped: 'FALSE!' ×1, 'True' ×1, 'half TRUE' ×1; unmapped: none." in out
    rents = yaml.safe_load((project / "content/reports/rents.yaml").read_text(encoding="utf-8"))
    assert rents["claims"][0]["claim_reviewed"] == '"Rents" rose & fell – twice'
    assert rents["article"]["headline"] == "Rents & the mayor" and rents["authors"] == ["ann"]
    assert rents["claims"][0]["claimant"] == {"name": "Jane Doe", "type": "person", "job_title": "Mayor"}
    shelters_text = (project / "content/reports/shelters.yaml").read_text(encoding="utf-8")
    shelters = yaml.safe_load(shelters_text)
    assert shelters["authors"] == ["ann", "bob"] and shelters["updated"].isoformat() == "2024-01-05"
    assert shelters["claims"][0]["verdict"]["rating"] == "half-true" and shelters["article"]["url"] == "https://council.example/press/shelters"
    assert "not kept: https://radio.example/interview" in shelters_text
    budget = yaml.safe_load((project / "content/reports/budget.yaml").read_text(encoding="utf-8"))
    assert budget["published"].isoformat() == "2024-01-04" and budget["claims"][0]["claim_date"].isoformat() == "2024-01-01"
    assert budget["article"]["archives"] == [{"url": "https://archive.ph/abc12"}] and budget["authors"] == ["test-org"]


def test_unmapped_ratings_and_unknown_people_write_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files_of(project)
    code, out = run(project, "claimreview", str(IMPORT / "publishers"), capsys=capsys)
    assert code == 1
    assert "2 rating label(s) match no rating of content/site.yaml: 'Mostly False' ×1, 'Pants on Fire!' ×1" in out
    assert "authors not in content/people.yaml: Ada Okafor, Priya Raman, WP Checks" in out and "Nothing was written." in out
    assert files_of(project) == before


def test_add_ratings_adds_placeholders_that_check_reports(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(project, "claimreview", str(IMPORT / "publishers"), "--add-ratings", "--add-people", capsys=capsys)
    assert code == 0, out
    site_text = (project / "content/site.yaml").read_text(encoding="utf-8")
    assert site_text.startswith("title: Test Checks\n")  # edited in place, not rewritten
    other = yaml.safe_load(site_text)["ratings"]["other"]
    assert [r["key"] for r in other] == ["unproven", "mostly-false", "pants-on-fire"]
    _site, diags = check(project, BuildOptions(drafts=True))
    placeholders = [d for d in diags if d.message.startswith("placeholder text")]
    lines = site_text.splitlines()
    # One warning for each added rating, at its definition line.
    assert [lines[d.line - 1].strip().split(":")[0] for d in placeholders] == ["definition", "definition"]
    assert all("TODO: say in one sentence when this rating applies" in d.message for d in placeholders)


def test_dry_run_json_summary_and_reimport_clashes(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files_of(project)
    code, out = run(project, "claimreview", str(IMPORT / "variants.json"), "--add-people", "--dry-run", "--format", "json", capsys=capsys)
    summary = json.loads(out)
    assert code == 0 and files_of(project) == before
    assert summary["dry_run"] and summary["reports"] == 3 and summary["claims"] == 3 and summary["written"] == []
    assert summary["people"] == {"mapped": 2, "new": ["test-org"]}
    assert run(project, "claimreview", str(IMPORT / "variants.json"), "--add-people", "--published", capsys=capsys)[0] == 0
    assert yaml.safe_load((project / "content/reports/budget.yaml").read_text(encoding="utf-8"))["status"] == "published"
    written = files_of(project)
    code, out = run(project, "claimreview", str(IMPORT / "variants.json"), "--add-people", capsys=capsys)
    assert code == 0 and "content/reports/rents.yaml (or a report with id 'rents') already exists" in out and "Imported 0 reports" in out
    assert files_of(project) == written


def test_ids_from_the_same_slug_are_made_unique(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = json.loads((IMPORT / "variants.json").read_text(encoding="utf-8"))["dataFeedElement"][0]["item"][0]
    other = json.loads(
        json.dumps(review).replace("https://variants.example/checks/rents", "https://elsewhere.example/rents/").replace("planet.example", "moon.example")
    )
    (tmp_path / "two.json").write_text(json.dumps([review, other]), encoding="utf-8")
    assert run(project, "claimreview", str(tmp_path / "two.json"), capsys=capsys)[0] == 0
    assert sorted(p.name for p in (project / "content/reports").glob("rents*")) == ["rents-2.yaml", "rents.yaml"]


@pytest.mark.parametrize("name", sorted(p.stem for p in (IMPORT / "hostile").glob("*.expected")))
def test_hostile_data_files_give_the_expected_messages(project: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each tests/data/import/hostile/NAME.json prints exactly the lines of NAME.expected (paths relative)."""
    path = IMPORT / "hostile" / f"{name}.json"
    code, out = run(project, "claimreview", str(path.relative_to(REPO)), "--add-people", "--dry-run", capsys=capsys)
    expected = (IMPORT / "hostile" / f"{name}.expected").read_text(encoding="utf-8")
    assert out == expected
    assert code == (1 if "error:" in expected else 0)


def test_html_in_every_text_field_stays_text(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Markup and YAML syntax in every field round-trip as data and are escaped on every built page."""
    source = json.loads((IMPORT / "hostile" / "html-everywhere.json").read_text(encoding="utf-8"))
    evil = " ".join(source["claimReviewed"].replace("\u2028", " ").split()).replace("&amp;", "&")
    assert run(project, "claimreview", str(IMPORT / "hostile" / "html-everywhere.json"), "--add-people", capsys=capsys)[0] == 0
    [path] = [p for p in (project / "content/reports").glob("*.yaml") if p.name != "planet-rents.yaml"]
    values = yaml.safe_load(path.read_text(encoding="utf-8"))
    claim = values["claims"][0]
    assert claim["claim_reviewed"] == evil and claim["verdict"]["explanation"] == evil and values["title"] == evil
    assert claim["claimant"] == {"name": evil, "type": "person", "job_title": evil} and values["article"]["headline"] == evil
    pages = render_site(project, BuildOptions(drafts=True, cache=False)).pages
    text = "\n".join(p.data.decode("utf-8", "replace") for p in pages if p.path.endswith(".html"))
    assert "<script>alert" not in text and "<img src=x" not in text and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text


def write_feed(path: Path, reviews: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": r} for r in reviews]}), encoding="utf-8")
    return path


def small_review(n: int, page: int) -> dict[str, Any]:
    return {
        "@type": "ClaimReview",
        "url": f"https://big.example/checks/page-{page}#c{n}",
        "datePublished": "2024-05-01",
        "claimReviewed": f"Claim number {n}",
        "itemReviewed": {"appearance": {"url": f"https://news.example/{page}"}},
        "reviewRating": {"alternateName": "True"},
        "author": {"@type": "Person", "name": "Ann Writer"},
    }


def test_ten_thousand_reviews(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = write_feed(tmp_path / "big.json", [small_review(n, n // 100) for n in range(10_000)])
    code, out = run(project, "claimreview", str(feed), "--format", "json", capsys=capsys)
    summary = json.loads(out)
    assert code == 0 and summary["reports"] == 100 and summary["claims"] == 10_000
    assert len(list((project / "content/reports").glob("page-*.yaml"))) == 100


def test_oversized_deep_and_giant_inputs_are_refused_cleanly(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files_of(project)
    big = tmp_path / "fifty.json"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    nested: Any = small_review(1, 1)
    for _ in range(100):
        nested = {"hasPart": nested}
    (tmp_path / "nested.json").write_text(json.dumps(nested), encoding="utf-8")
    (tmp_path / "array.json").write_text("[" + ",".join(["0"] * 3_000_000) + "]", encoding="utf-8")
    laughs = tmp_path / "laughs.json"  # JSON has no references: the nearest thing is one object repeated past the limit
    laughs.write_text(json.dumps({"@graph": [{"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"name": "True"}}] * 120_000}), encoding="utf-8")
    code, out = run(project, "claimreview", str(big), str(deep), str(tmp_path / "nested.json"), str(tmp_path / "array.json"), str(laughs), capsys=capsys)
    assert code == 1
    assert f"{big}: error: file is 50 MB; the import reads files up to 20 MB (hint: split it into smaller files)" in out
    assert f"{deep}:1:1: error: JSON nested too deeply to read" in out  # file:line:col, as every message
    assert f"{tmp_path / 'nested.json'}: skipped: parts nested deeper than 64 levels were not read" in out
    assert f"{tmp_path / 'array.json'}: skipped: no ClaimReview found" in out
    assert "one import takes at most 100000" in out and "Nothing was written." in out
    assert files_of(project) == before


def test_ratings_map_must_name_site_ratings(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "map.yaml").write_text("Pants on Fire!: pants\nbomb: &a [x]\nmore: *a\n", encoding="utf-8")
    code, out = run(project, "claimreview", str(IMPORT / "publishers"), "--ratings", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1 and "map.yaml:3:7: error: YAML aliases (*name) are not accepted here" in out
    (tmp_path / "map.yaml").write_text("Pants on Fire!: pants\n", encoding="utf-8")
    code, out = run(project, "claimreview", str(IMPORT / "publishers"), "--ratings", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1 and "'Pants on Fire!' maps to 'pants', which is not a rating of site.yaml (false, half-true, true, unproven)" in out


def test_progress_line_only_on_a_terminal(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out = run(project, "claimreview", str(IMPORT / "variants.json"), "--add-people", "--dry-run", capsys=capsys)
    assert "Reading 1/1" not in out


def test_a_failed_write_leaves_nothing(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """people.yaml cannot be replaced (disk full): the reports written before it are removed again."""
    before = files_of(project)

    def disk_full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(writer.os, "replace", disk_full)
    code, out = run(project, "claimreview", str(IMPORT / "variants.json"), "--add-people", capsys=capsys)
    assert code == 1 and "error: could not write: No space left on device" in out
    assert files_of(project) == before


def test_people_and_ratings_of_skipped_reports_are_not_added(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A report check would reject is skipped: its new author and its new rating label go with it; the kept report's stay."""
    kept = small_review(1, 1) | {"author": {"@type": "Person", "name": "Kim Kept"}}
    skipped = small_review(2, 2) | {"url": "https://big.example/checks/zero\u200bwidth", "author": {"@type": "Person", "name": "Zed Hidden"}}
    skipped["reviewRating"] = {"alternateName": "Cherry-picked"}
    people_before = (project / "content/people.yaml").read_text(encoding="utf-8")
    site_before = (project / "content/site.yaml").read_text(encoding="utf-8")
    feed = write_feed(tmp_path / "feed.json", [kept, skipped])
    code, out = run(project, "claimreview", str(feed), "--add-people", "--add-ratings", capsys=capsys)
    assert code == 0, out
    assert "would fail check" in out and "Imported 1 report (1 claim)" in out
    assert "People: 0 matched, 1 new (kim-kept)." in out
    people = (project / "content/people.yaml").read_text(encoding="utf-8")
    assert people.startswith(people_before) and "Kim Kept" in people and "Zed Hidden" not in people
    assert (project / "content/site.yaml").read_text(encoding="utf-8") == site_before  # the one new label was the skipped report's
    assert "Ratings added" not in out
    assert "Not added, used only by skipped reports: person zed-hidden, rating cherry-picked." in out
    _site, diags = check(project, BuildOptions(drafts=True))
    assert not [d for d in diags if d.is_error]


def test_a_rating_only_a_review_skipped_while_planning_uses_is_not_added(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A review without a date is skipped before any check: its new label is not added either, though no report failed check."""
    undated = small_review(2, 2)
    del undated["datePublished"]
    undated["reviewRating"] = {"alternateName": "Cherry-picked"}
    site_before = (project / "content/site.yaml").read_text(encoding="utf-8")
    code, out = run(project, "claimreview", str(write_feed(tmp_path / "feed.json", [small_review(1, 1), undated])), "--add-ratings", capsys=capsys)
    assert code == 0, out
    assert "would fail check" not in out and "Imported 1 report (1 claim)" in out
    assert "Not added, used only by skipped reports: rating cherry-picked." in out
    assert (project / "content/site.yaml").read_text(encoding="utf-8") == site_before


@pytest.mark.parametrize("date", ["2025-02-30", "0000-01-01", "yesterday"])
def test_an_impossible_review_date_is_named_as_such(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], date: str) -> None:
    review = json.loads((IMPORT / "variants.json").read_text(encoding="utf-8"))["dataFeedElement"][0]["item"][0]
    review["datePublished"] = date
    review.get("itemReviewed", {}).pop("datePublished", None)  # no other date to fall back on
    review.pop("dateModified", None)
    (tmp_path / "bad-date.json").write_text(json.dumps(review), encoding="utf-8")
    _code, out = run(project, "claimreview", str(tmp_path / "bad-date.json"), capsys=capsys)
    # Named at reading, with the text as written: it was read as no date, and another date could stand in.
    assert f"skipped: '\"Rents\" rose & fell – twice': datePublished '{date}' is not a date" in out, out
    assert "Imported 0 reports" in out


def test_a_claim_of_one_endless_word_gets_an_id_of_a_file_name_s_length(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The id is made of the claim's first words: one word of 300 letters made an id `check` refused, and no report."""
    review = json.loads((IMPORT / "variants.json").read_text(encoding="utf-8"))["dataFeedElement"][0]["item"][0]
    review["claimReviewed"] = "a" * 300
    review["url"] = "https://c.example/"  # no path: the id comes from the claim's words
    (tmp_path / "long.json").write_text(json.dumps(review), encoding="utf-8")
    run(project, "claimreview", str(tmp_path / "long.json"), "--add-people", capsys=capsys)
    written = yaml.safe_load((project / "content/reports/rents-the-mayor.yaml").read_text(encoding="utf-8"))
    assert [len(claim["id"]) for claim in written["claims"]] == [60]


def _review(name: str, label: str, n: int) -> dict[str, Any]:
    return {
        "@type": "ClaimReview",
        "url": f"https://old.example/2025/check-{n}/",
        "datePublished": "2025-03-12",
        "author": {"@type": "Person", "name": name},
        "claimReviewed": f"Something was said, number {n}",
        "itemReviewed": {"@type": "Claim", "appearance": {"url": f"https://news.example/{n}"}},
        "reviewRating": {"@type": "Rating", "alternateName": label},
    }


def test_names_windows_keeps_for_devices_become_ids_check_accepts(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An author "Con" and a rating "AUX" give ids with a suffix: the import never leaves check failing."""
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([_review("Con", "AUX", 1), _review("Nul", "Weird One", 2)]), encoding="utf-8")
    code, out = run(project, "claimreview", str(feed), "--add-ratings", "--add-people", capsys=capsys)
    assert code == 0, out
    people = [p["id"] for p in yaml.safe_load((project / "content/people.yaml").read_text(encoding="utf-8"))]
    keys = [r["key"] for r in yaml.safe_load((project / "content/site.yaml").read_text(encoding="utf-8"))["ratings"]["other"]]
    assert {"con-imported-author", "nul-imported-author"} <= set(people) and {"aux-rating", "weird-one"} <= set(keys)
    _site, diags = check(project, BuildOptions(drafts=True))
    assert [d for d in diags if d.is_error] == []


def test_additions_check_would_refuse_write_nothing(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rating label over check's length limit: an error naming it, and every file as it was."""
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([_review("Ann Writer", "Very " * 60, 1)]), encoding="utf-8")
    before = files_of(project)
    code, out = run(project, "claimreview", str(feed), "--add-ratings", capsys=capsys)
    assert code == 1
    assert "content/site.yaml: error: the import's additions would fail check: ratings.other[" in out and "over the limit of 200" in out
    assert files_of(project) == before


ONE_REVIEW = {
    "@type": "ClaimReview",
    "url": "https://old.example/2025/03/buses/",
    "datePublished": "2025-03-12",
    "author": {"@type": "Person", "name": "Dana Reyes"},
    "claimReviewed": "Bus ridership doubled",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Tom Hale"}},
    "reviewRating": {"@type": "Rating", "alternateName": "Correct"},
}


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda site, people: (site.replace("title: ", "title:\t", 1).replace("\n", "\t# a comment\n", 1), people), id="tabs-before-comments"),
        pytest.param(lambda site, people: (site.replace('key: "true"', "key: true"), people), id="plain-true-key"),
        pytest.param(lambda site, people: (site, people + "- id: 010\n  name: Ann\n  role: &r Staff\n- id: bo\n  name: Bo\n  role: *r\n"), id="alias-and-010"),
    ],
)
def test_import_reads_site_and_people_as_check_does(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Callable[[str, str], tuple[str, str]]
) -> None:
    """What check accepts (a tab before a comment, `key: true` read as the text "true", aliases), import reads alike."""
    from conftest import PEOPLE_YAML, SITE_YAML

    site, people = change(SITE_YAML, PEOPLE_YAML)
    root = make_project({"content/site.yaml": site, "content/people.yaml": people})
    assert cli.main(["--root", str(root), "check"]) == 0
    (tmp_path / "one.json").write_text(json.dumps(ONE_REVIEW), encoding="utf-8")
    (tmp_path / "map.yaml").write_text("Correct: true\n", encoding="utf-8")  # plain, as in site.yaml: the key "true"
    code, out = run(root, "claimreview", str(tmp_path / "one.json"), "--ratings", str(tmp_path / "map.yaml"), "--add-people", capsys=capsys)
    assert code == 0 and "Imported 1 report" in out, out
    assert cli.main(["--root", str(root), "check"]) == 0


def test_site_yaml_errors_stop_the_import_at_their_line_as_check_says_them(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = project / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("title: ", "title: [", 1), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps(ONE_REVIEW), encoding="utf-8")
    code, out = run(project, "claimreview", str(tmp_path / "one.json"), "--add-ratings", "--add-people", capsys=capsys)
    assert code == 1 and "content/site.yaml:1:" in out and "error: YAML syntax error" in out, out
    assert "is not a block list" not in out  # no false follow-on


def test_crlf_and_a_byte_order_mark_are_kept_where_import_adds(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Read through universal newlines and utf-8-sig, both files were rewritten as LF without their mark: every line changed."""
    for name in ("site.yaml", "people.yaml"):
        path = project / "content" / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    (tmp_path / "one.json").write_text(json.dumps(ONE_REVIEW), encoding="utf-8")
    code, out = run(project, "claimreview", str(tmp_path / "one.json"), "--add-ratings", "--add-people", capsys=capsys)
    assert code == 0 and "Ratings added" in out, out
    for name in ("site.yaml", "people.yaml"):
        data = (project / "content" / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n"), name


def test_a_review_without_author_is_not_given_the_placeholder_of_a_new_sites_name(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fresh site's organisation is 'TODO: ...': an authorless review added a person of that name."""
    site = project / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("name: Test Org", 'name: "TODO: your organisation\'s name"', 1), encoding="utf-8")
    review = {key: value for key, value in ONE_REVIEW.items() if key != "author"}
    (tmp_path / "one.json").write_text(json.dumps(review), encoding="utf-8")
    (tmp_path / "map.yaml").write_text("Correct: 'true'\n", encoding="utf-8")
    _code, out = run(project, "claimreview", str(tmp_path / "one.json"), "--ratings", str(tmp_path / "map.yaml"), "--add-people", "--dry-run", capsys=capsys)
    assert "new (imported-desk)" in out and "todo" not in out.split("People:")[1].split("\n")[0], out


def test_a_people_file_whose_last_text_has_no_line_break_is_named_as_the_cause(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It said 'it is not one block list of people', which it is: a line break appended would change the last '|' text."""
    (project / "content/people.yaml").write_text("- id: ann\n  name: Ann\n  bio: |\n    Line one\n    line two", encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps(ONE_REVIEW), encoding="utf-8")
    (tmp_path / "map.yaml").write_text("Correct: 'true'\n", encoding="utf-8")
    code, out = run(project, "claimreview", str(tmp_path / "one.json"), "--ratings", str(tmp_path / "map.yaml"), "--add-people", capsys=capsys)
    assert code == 1 and "content/people.yaml: error: cannot append people: its last line has no line break" in out, out
    assert "(hint: end the file with a line break, then import again)" in out and "not one block list" not in out


def test_thousands_of_long_rating_labels_are_summed_up_in_a_line(project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The seventh hostile-input audit: 3,000 labels of a thousand characters each made one summary line of 3 MB."""
    item = {"@type": "ClaimReview", "url": "https://x.example/1", "claimReviewed": "A claim", "datePublished": "2024-01-01"}
    items = [{**item, "url": f"https://x.example/{n}", "reviewRating": {"@type": "Rating", "alternateName": f"{n:04d}" + "x" * 1000}} for n in range(3000)]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"dataFeedElement": [{"item": items}]}), encoding="utf-8")
    _code, out = run(project, "claimreview", str(feed), capsys=capsys)
    line = next(line for line in out.splitlines() if "rating label(s) match no rating" in line)
    assert ", and 2980 more (hint: " in line and "'0000xxx" in line and "'0019xxx" in line and "'0020x" not in line and len(line) < 2000
