"""The benchmark's own parts, at N=50, so bench/ never rots: the corpus is valid and our build runs on it.

No timing assertions here; `.ci/run` also runs `python bench/run.py --n 50 --runs 1` as a smoke step.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import report  # noqa: E402
from measure import measure  # noqa: E402
from serve_latency import percentile  # noqa: E402

from generator.build import BuildOptions, build, check  # noqa: E402
from generator.diagnostics import Diagnostic, Severity  # noqa: E402
from tools import Factcheck  # noqa: E402


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    corpus.write_all(50, out, seed=1)
    return out


def test_corpus_is_deterministic() -> None:
    first, second = corpus.generate(5, seed=7), corpus.generate(5, seed=7)
    assert [corpus.report_yaml(r) for r in first] == [corpus.report_yaml(r) for r in second]
    assert corpus.report_yaml(first[0]) != corpus.report_yaml(corpus.generate(5, seed=8)[0])


def test_corpus_reports_are_shaped_like_real_ones() -> None:
    reports = corpus.generate(40, seed=1)
    words = sum(len(c.analysis.split()) for r in reports for c in r.claims) / len(reports)
    assert 450 < words < 750
    assert all(3 <= len(r.claims) <= 6 and len(r.sources) >= 3 for r in reports)
    analysis = reports[0].claims[0].analysis
    assert "## " in analysis and "\n- " in analysis and "](https://" in analysis and "*" in analysis and "[@" in analysis


def _problems(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    # Notes are advice (a generated claim_reviewed may be longer than Google's 75 characters), not problems.
    return [d for d in diagnostics if d.severity is not Severity.NOTE]


def test_corpus_passes_check_and_builds(bench_corpus: Path, tmp_path: Path) -> None:
    site, diagnostics = check(bench_corpus / "factcheck")
    assert _problems(diagnostics) == [] and len(site.reports) == 50
    result = build(bench_corpus / "factcheck", tmp_path / "site", BuildOptions(workers=2))
    assert result.written > 50 * 4
    assert (tmp_path / "site" / "index.html").is_file()


def test_hugo_and_eleventy_pages_carry_the_same_documents(bench_corpus: Path) -> None:
    hugo = sorted((bench_corpus / "hugo" / "content" / "reports").glob("*.md"))
    eleventy = sorted((bench_corpus / "eleventy" / "src" / "reports").glob("*.md"))
    ours = sorted((bench_corpus / "factcheck" / "content" / "reports").glob("*.yaml"))
    assert [p.stem for p in hugo] == [p.stem for p in eleventy] == [p.stem for p in ours]
    page = hugo[0].read_text()
    assert page.startswith("---\n") and "## Sources" in page and "[@" not in page


def test_edit_changes_one_report_and_replaces_the_previous_edit(bench_corpus: Path, tmp_path: Path) -> None:
    gen = Factcheck("factcheck", bench_corpus / "factcheck", tmp_path / "out")
    gen.edit(3, "Edit-1-x")
    gen.edit(3, "Edit-2-x")
    text = gen.report_file(3).read_text()
    assert "Edit-2-x" in text and "Edit-1-x" not in text
    assert _problems(check(bench_corpus / "factcheck")[1]) == []


def test_measure_reports_cpu_and_memory(tmp_path: Path) -> None:
    sample = measure([sys.executable, "-c", "x = bytearray(30_000_000); sum(range(10**6))"], tmp_path)
    assert sample.wall > 0 and sample.cpu > 0 and sample.max_rss_mb >= 30


def test_percentile() -> None:
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 50) == 10.0 or percentile(values, 50) == 11.0
    assert percentile(values, 95) == 19.0 or percentile(values, 95) == 20.0


def test_report_renders_results() -> None:
    stats = {"wall": 2.0, "cpu": 3.0, "max_rss_mb": 100.0, "tree_pss_mb": 120.0, "runs": 5.0}
    results = {
        "machine": {"CPU": "test"},
        "versions": {"Hugo": "0"},
        "seconds": 60.0,
        "cold": {"50": {"factcheck": stats, "Hugo": {**stats, "wall": 1.0}, "Eleventy": {**stats, "wall": 4.0}}},
        "edit": {},
        "serve": {},
        "liar": None,
    }
    args = argparse.Namespace(runs=5, warmup=1, serve_edits=20, n=[50])
    text = report.render(results, args, "chart.png", "## Notes\n\nhello")
    assert "| cold build, wall | 50 | 2.00 s | 1.00 s | 4.00 s | 2.00 | 0.50 |" in text
    assert "![Cold build time against N](chart.png)" in text and "hello" in text
