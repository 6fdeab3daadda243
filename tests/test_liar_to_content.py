"""tools/liar_to_content.py: a LIAR site, filled by `factcheck import csv` with the shipped map."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from conftest import REPO
from generator.build import BuildOptions, build
from generator.diagnostics import Severity

_SPEC = importlib.util.spec_from_file_location("liar_to_content", REPO / "tools" / "liar_to_content.py")
assert _SPEC and _SPEC.loader
liar = importlib.util.module_from_spec(_SPEC)
sys.modules["liar_to_content"] = liar
_SPEC.loader.exec_module(liar)

ROWS = {
    "train.tsv": [
        [
            "2635.json",
            "false",
            "Says the Annies List political group supports third-trimester abortions on demand.",
            "abortion",
            "dwayne-bohac",
            "State representative",
            "Texas",
            "republican",
            "0",
            "1",
            "0",
            "0",
            "0",
            "a mailer",
        ],
        [
            "7083.json",
            "pants-fire",
            'A \x90strange\ufeff "quoted" claim: 100% <b>sure</b>.',
            "health-care,taxes",
            "chain-email",
            "",
            "",
            "organization",
            "0",
            "0",
            "0",
            "0",
            "1",
            "",
        ],
    ],
    "valid.tsv": [
        [
            "12134.json",
            "barely-true",
            "We have less Americans working now than in the 70s.",
            "economy,jobs",
            "vicky-hartzler",
            "U.S. Representative",
            "Missouri",
            "republican",
            "1",
            "0",
            "1",
            "0",
            "0",
            "an interview with ABC17 News",
        ]
    ],
    "test.tsv": [],
}


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, rows in ROWS.items():
        (folder / name).write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return folder


def test_converted_corpus_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three rows (one with U+0090, U+FEFF and markup) import and build with no warning; notes say the texts were not saved."""
    corpus = _corpus(tmp_path / "liar")
    out = tmp_path / "project"
    assert liar.main([str(out), "--liar", str(corpus)]) == 0
    assert "Imported 3 reports (3 claims)" in capsys.readouterr().out
    result = build(out, tmp_path / "site", BuildOptions(cache=False))
    assert not [d for d in result.diagnostics if d.severity is not Severity.NOTE]
    assert "the article's text was not saved: quotes are shown as recorded, not anchored" in {d.message for d in result.diagnostics}
    assert len(result.site.claims) == 3
    claim = next(c for c in result.site.claims if c.report_id == "liar-7083")
    assert claim.quote.exact == 'A strange "quoted" claim: 100% <b>sure</b>.'
    assert claim.rating.label == "Pants on fire" and claim.claimant.type == "organization"
    report = next(r for r in result.site.reports if r.id == "liar-12134")
    assert report.article.publisher == "An interview with ABC17 News" and report.topics == ("Economy", "Jobs")
    assert report.claims[0].claimant.job_title == "U.S. Representative" and report.claims[0].claimant.type == "person"
    assert [r.key for r in result.site.config.scale.ratings] == ["true", "mostly-true", "half-true", "barely-true", "false", "pants-fire"]


def test_refuses_to_write_inside_the_repository() -> None:
    """The data must never land in the repository."""
    with pytest.raises(SystemExit, match="outside the repository"):
        liar.make_project(REPO / "liar-out")
