"""generator/importer/verify.py: an import writes no report that `check` would reject, and splits an article's reviews beyond a report's size."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli
from generator.build import BuildOptions, check
from generator.content.validate import MAX_ITEMS


def review(n: int, url: str = "", article: str = "https://news.example/one-article") -> dict[str, Any]:
    return {
        "@type": "ClaimReview",
        "url": url or f"https://desk.example/checks/{n}",
        "datePublished": "2024-05-01",
        "claimReviewed": f"Claim number {n}",
        "itemReviewed": {"appearance": {"url": article}},
        "reviewRating": {"alternateName": "True"},
        "author": {"@type": "Organization", "name": "Desk"},
    }


def run_import(root: Path, reviews: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    (tmp_path / "feed.json").write_text(json.dumps(reviews), encoding="utf-8")
    code = cli.main(["--root", str(root), "import", "claimreview", str(tmp_path / "feed.json"), "--add-people"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def errors_of_check(root: Path) -> list[str]:
    """The errors `check` finds (it raises BuildFailed on any, which fails the test with them)."""
    return [f"{d.path}: {d.message}" for d in check(root, BuildOptions(drafts=True))[1] if d.is_error]


def test_a_report_check_would_reject_is_skipped_with_why(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A zero-width space in a review's address reads fine as JSON but fails check: that report is not written, the others are."""
    root = make_project()
    hidden = review(1, "https://desk.example/checks/zero\u200bwidth", "https://news.example/other")
    code, out = run_import(root, [hidden, review(2)], tmp_path, capsys)
    assert code == 0
    assert "skipped: not imported: content/reports/zerowidth.yaml would fail check: sources[original-review].url: contains an invisible" in out
    assert "Imported 1 report (1 claim)" in out
    assert not (root / "content/reports/zerowidth.yaml").exists()
    assert errors_of_check(root) == []


def test_more_reviews_of_one_article_than_a_report_holds_become_several_reports(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    code, out = run_import(root, [review(n) for n in range(MAX_ITEMS + 5)], tmp_path, capsys)
    assert code == 0, out
    assert f"Imported 2 reports ({MAX_ITEMS + 5} claims)" in out
    first, second = (yaml.safe_load((root / f"content/reports/{name}.yaml").read_text(encoding="utf-8")) for name in ("0", "0-2"))
    assert (len(first["claims"]), len(second["claims"])) == (MAX_ITEMS, 5)
    assert second["claims"][0]["claim_reviewed"] == f"Claim number {MAX_ITEMS}"
    assert errors_of_check(root) == []
