"""The benchmark's own parts, at N=50, so bench/ never rots: the corpus is valid and our build runs on it.

No timing assertions here; `.ci/run` also runs `python bench/run.py --n 50 --runs 1` as a smoke step.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import equal  # noqa: E402
import outputs  # noqa: E402
import report  # noqa: E402
import run  # noqa: E402
import targets  # noqa: E402
from measure import measure  # noqa: E402
from serve_latency import percentile  # noqa: E402

import tools  # noqa: E402
from generator.build import BuildOptions, build, check  # noqa: E402
from generator.diagnostics import Diagnostic, Severity  # noqa: E402
from tools import Factcheck, Hugo, by_variant, generators  # noqa: E402


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


def test_a_sample_taken_across_a_fork_or_an_exit_is_not_a_measure(monkeypatch: pytest.MonkeyPatch) -> None:
    import measure as measuring

    # The parent (1) holds 700 MB; a helper (2) forked while the tree was read shows half of the same pages again.
    trees = iter([[2], [], [2], [], [2], [], []])  # children of 1, then of 2, listing by listing
    monkeypatch.setattr(measuring, "_children", lambda pid: next(trees) if pid in (1, 2) else [])
    monkeypatch.setattr(measuring, "_pss_kb", {1: 350 * 1024, 2: 350 * 1024}.__getitem__)
    assert measuring.tree_pss_mb(1) == 700  # the same two processes before and after: their sum
    assert measuring.tree_pss_mb(1) is None  # the helper ended while they were read


def test_a_sampler_whose_tree_keeps_changing_waits_between_tries(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import measure as measuring

    tries: list[float] = []
    monkeypatch.setattr(measuring, "tree_pss_mb", lambda pid: tries.append(time.monotonic()))  # never a sample: None
    sampler = measuring.PeakSampler(os.getpid(), interval=0.05)
    time.sleep(0.5)
    assert sampler.stop() == 0.0
    assert 2 <= len(tries) <= 12  # about one try an interval, not a thread reading the tree without a pause


def test_sampler_waits_longer_when_a_sample_costs_more_than_its_budget() -> None:
    from measure import PeakSampler

    sampler = PeakSampler(os.getpid(), interval=0.05, budget=0.05)
    try:
        assert sampler.pause(0.001) == 0.05  # a small tree: every 50 ms
        # A 3 GB tree's sample costs about 47 ms of kernel time: at most 5% of a core means about a second apart.
        assert abs(sampler.pause(0.047) - 0.893) < 1e-9
    finally:
        assert sampler.stop() > 0  # this process's own memory was sampled


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
    assert "![Cold build time and peak memory against N](chart.png)" in text and "hello" in text
    assert "### One page per report" in text and "### Equal output" not in text  # results from before variants: the minimal variant


def test_report_says_how_growth_was_paired_and_the_ratio_against_the_other_rounds() -> None:
    def stats(wall: float) -> dict[str, float]:
        return {"wall": wall, "cpu": wall, "max_rss_mb": 100.0, "tree_pss_mb": 120.0, "runs": 3.0, "min_wall": wall - 1, "max_wall": wall + 1}

    results = {
        "machine": {"CPU": "test"},
        "versions": {"Hugo": "0"},
        "seconds": 60.0,
        "cold": {"4000": {"equal": {"factcheck": stats(18.0)}}, "40000": {"equal": {"factcheck": stats(210.0)}}},
        "growth_paired": {"40000": {"n": 4000, **stats(20.0)}},
        "edit": {},
        "serve": {},
        "liar": None,
    }
    text = report.render(results, argparse.Namespace(runs=3, warmup=0, serve_edits=20, n=[4000]), None, "")
    assert "made in alternation with them (4,000, 40,000, 4,000, ...: 19.00 to 21.00 s)" in text
    assert "took 18.00 s (median): against them the ratio is 11.67 ×" in text


def test_equal_sites_have_a_page_file_per_report_claim_and_article(tmp_path: Path) -> None:
    reports = corpus.generate(12, seed=1)
    equal.write_hugo(reports, tmp_path / "hugo")
    equal.write_eleventy(reports, tmp_path / "eleventy")
    claims = sum(len(r.claims) for r in reports)
    for content in (tmp_path / "hugo" / "content", tmp_path / "eleventy" / "src"):
        assert len(list((content / "reports").glob("*.md"))) == 12
        assert len(list((content / "claims").glob("*.md"))) == claims
        assert len(list((content / "articles").glob("*.md"))) == sum(r.publish_text for r in reports)
    claim = next((tmp_path / "hugo" / "content" / "claims").glob("*.md")).read_text()
    assert "\nratings:\n  - " in claim and "\nclaimants:\n  - " in claim and "\ntopics:\n  - " in claim and "\noutlets:\n  - " in claim
    assert "\nurl: " in claim and "[@" not in claim and "](#source-" in claim
    assert "permalink: " in next((tmp_path / "eleventy" / "src" / "claims").glob("*.md")).read_text()
    assert "pagerSize = 50" in (tmp_path / "hugo" / "hugo.toml").read_text()
    assert (tmp_path / "hugo" / "static" / "static" / "style.css").is_file() and (tmp_path / "eleventy" / "eleventy.config.cjs").is_file()


def test_front_matter_is_yaml_with_nested_lists() -> None:
    import yaml

    text = equal.page({"a": 'x: "y"', "n": 3, "flag": True, "items": [{"k": 1, "l": ["p", "q"]}, {"k": 2, "l": []}], "empty": []}, "body\n")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {"a": 'x: "y"', "n": 3, "flag": True, "items": [{"k": 1, "l": ["p", "q"]}, {"k": 2, "l": []}], "empty": []}
    assert text.endswith("---\nbody\n")


def test_generators_per_variant_and_split(tmp_path: Path) -> None:
    gens = generators(tmp_path, tmp_path / "out", ["equal", "minimal"])
    assert [g.name for g in gens] == ["factcheck", "Hugo (equal)", "Eleventy (equal)", "Hugo (minimal)", "Eleventy (minimal)"]
    split = by_variant({g.name: g.name for g in gens}, gens, ["equal", "minimal"])
    assert split["equal"] == {"factcheck": "factcheck", "Hugo": "Hugo (equal)", "Eleventy": "Eleventy (equal)"}
    assert split["minimal"]["Hugo"] == "Hugo (minimal)"
    hugo = next(g for g in gens if isinstance(g, Hugo) and g.variant == "equal")
    assert hugo.project == tmp_path / "hugo-equal" and hugo.edit_anchor() == 'summary: "'


def test_outputs_counts_files_by_kind(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<!DOCTYPE html><p>page</p>")
    (tmp_path / "index.html").write_text('<html><head><meta http-equiv="refresh" content="0; url=/a/"></head></html>')
    (tmp_path / "feed.xml").write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    (tmp_path / "sitemap.xml").write_text("<urlset/>")
    (tmp_path / "card.png").write_bytes(b"\x89PNG")
    counts = outputs.count_files(tmp_path)
    assert (counts["html"], counts["redirects"], counts["feeds"], counts["sitemaps"], counts["other"], counts["total"]) == (1, 1, 1, 1, 1, 5)
    assert counts["other_by_ext"] == {"png": 1}


def test_targets_say_met_missed_or_not_measured() -> None:
    def stats(wall: float, mb: float) -> dict[str, float]:
        return {"wall": wall, "cpu": wall, "max_rss_mb": mb, "tree_pss_mb": mb, "runs": 3.0}

    results = {
        "cold": {
            "4000": {"equal": {"factcheck": stats(8.0, 200.0), "Hugo": stats(12.0, 1000.0), "Eleventy": stats(14.0, 500.0)}},
            "40000": {"equal": {"factcheck": stats(100.0, 900.0)}},
        },
        "liar": None,
    }
    rows = {row[0].split(" (")[0]: row for row in targets.issue13(results)}
    assert rows["cold build vs Hugo, equal output"][3] is True  # 0.67 <= 0.8
    assert rows["cold build vs Eleventy, equal output"][3] is False  # 0.57 > 0.5
    assert rows["peak memory of the whole build"][3] is True
    assert rows["peak memory vs Hugo, equal output"][3] is True  # 0.20
    assert rows["LIAR cold build"][2:] == ("not measured", None)
    assert rows["growth: cold build at 40,000 vs 4,000"][3] is False  # 12.5 x
    assert rows["peak memory at 40,000"][3] is True
    assert "| not measured |" in "\n".join(targets.table(targets.issue13({"cold": {}, "liar": None})))


def test_growth_divides_by_the_builds_made_in_alternation_with_the_large_ones() -> None:
    def stats(wall: float, run: str) -> dict[str, object]:
        return {"wall": wall, "cpu": wall, "max_rss_mb": 100.0, "tree_pss_mb": 100.0, "runs": 3.0, "run": run}

    results: dict[str, object] = {
        "cold": {"4000": {"equal": {"factcheck": stats(8.0, "a")}}, "40000": {"equal": {"factcheck": stats(100.0, "a")}}},
        "growth_paired": {"40000": {"n": 4000, **stats(10.0, "a")}},
        "liar": None,
    }
    row = next(row for row in targets.issue13(results) if row[0].startswith("growth"))
    assert row[3] is True and "10.00 ×" in row[2] and "4,000 built between them" in row[2]  # not 12.5 x against the 8 s rounds
    results["growth_paired"] = {"40000": {"n": 4000, **stats(10.0, "an earlier run")}}  # another run's: not comparable, not used
    row = next(row for row in targets.issue13(results) if row[0].startswith("growth"))
    assert row[3] is False and "12.50 ×" in row[2]


def test_measure_stops_a_command_past_the_memory_limit(tmp_path: Path) -> None:
    from measure import CommandFailed

    with pytest.raises(CommandFailed, match="more than 40 MB"):
        measure([sys.executable, "-c", "import time; x = bytearray(120_000_000); x[::4096] = b'1' * len(x[::4096]); time.sleep(5)"], tmp_path, limit_mb=40)


def test_report_renders_each_variant_and_the_files_table() -> None:
    stats = {"wall": 2.0, "cpu": 3.0, "max_rss_mb": 100.0, "tree_pss_mb": 120.0, "runs": 3.0}
    files = {"html": 10, "feeds": 1, "sitemaps": 1, "redirects": 0, "other": 2, "total": 14, "html_bytes": 20480, "other_by_ext": {"png": 2}}
    by_tool = {"factcheck": stats, "Hugo": {**stats, "wall": 4.0}, "Eleventy": {**stats, "wall": 8.0}}
    results = {
        "machine": {"CPU": "test"},
        "versions": {"Hugo": "0"},
        "seconds": 60.0,
        "cold": {"50": {"equal": by_tool, "minimal": by_tool}},
        "files": {"50": {"equal": {"factcheck": files, "Hugo": {**files, "vs_factcheck": {"missing": 0, "extra": 0}}}}},
        "liar": None,
    }
    args = argparse.Namespace(runs=3, warmup=1, serve_edits=20, n=[50])
    text = report.render(results, args, None, "")
    assert text.index("### Equal output") < text.index("### One page per report") < text.index("### Files written")
    assert "| cold build, wall | 50 | 2.00 s | 4.00 s | 8.00 s | 0.50 | 0.25 |" in text
    assert "| equal | 50 | Hugo | 10 | all | 1 | 1 | 0 | 2 | 14 | 2.0 | 2 png |" in text
    assert "| cold build vs Hugo, equal output (N=50; the target is stated at 4,000) | ≤ 0.80 × Hugo's wall time | 0.50 × (2.00 s vs 4.00 s) | met |" in text


def test_share_cards_switch_in_the_generated_site_yaml(bench_corpus: Path) -> None:
    import run

    project = bench_corpus / "factcheck"
    run.set_share_cards(project, False)
    run.set_share_cards(project, False)
    text = (project / "content" / "site.yaml").read_text()
    assert text.count("share_cards: false") == 1 and check(project)[0].config.share_cards is False
    run.set_share_cards(project, True)
    assert "share_cards" not in (project / "content" / "site.yaml").read_text()


def test_phase_split_runs_the_stages_of_a_build(bench_corpus: Path) -> None:
    """bench/phases.py calls the stages one by one, as build.prepare does (string tables included): it must keep up with them."""
    import json
    import subprocess
    import sys

    phases = Path(__file__).resolve().parent.parent / "bench" / "phases.py"
    done = subprocess.run([sys.executable, str(phases), str(bench_corpus / "factcheck")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    split = json.loads(done.stdout)["phases"]
    assert split["pages"] > 0 and all(split[name] >= 0 for name in ("load", "validate", "markdown", "model", "plan", "templates", "write"))
    assert split["markdown"] > 0  # parsed while checking and rendered while modelling: both are timed


def test_helper_copies_measures_each_kind_of_work_in_a_helper(bench_corpus: Path) -> None:
    """bench/helper_copies.py plans as a build does and reports each kind of work's copies from a forked process."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "bench" / "helper_copies.py"
    done = subprocess.run(
        [sys.executable, str(script), str(bench_corpus / "factcheck"), "--units", "20", "--every", "10"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("build process: ") and "MB resident at the fork" in lines[0]
    assert [line.split(":")[0] for line in lines[1:]] == ["export parts", "listing pages", "report and claim pages"]
    assert all("MB own" in line for line in lines[1:])


def test_serve_poll_asks_again_after_a_response_cut_short() -> None:
    """A server that drops a response mid-body (while it rebuilds) is polled again, and the cut is counted."""
    import http.server
    import socket
    import threading
    import types

    from serve_latency import Server, one_edit

    served = {"count": 0}

    class Flaky(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served["count"] += 1
            body = b"<p>Edit-1</p>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) + (100 if served["count"] == 1 else 0)))
            self.end_headers()
            self.wfile.write(body if served["count"] > 1 else b"")
            if served["count"] == 1:
                self.connection.shutdown(socket.SHUT_RDWR)  # the body never comes

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        gen = types.SimpleNamespace(name="flaky", report_url=lambda index: "/", edit=lambda index, marker: None)
        server = Server(gen, None, httpd.server_address[1])  # type: ignore[arg-type]
        assert one_edit(server, 0, "Edit-1") >= 0
        assert server.cut_short == 1 and served["count"] == 2
    finally:
        httpd.shutdown()


def test_check_scenario_measures_cold_warm_and_edited_checks_and_both_stages(bench_corpus: Path, tmp_path: Path) -> None:
    """Every figure the check scenario reports is measured (one run each at N=50), and the stage lines are parsed from -v."""
    import shutil

    from checks import measure_checks

    project = tmp_path / "factcheck"
    shutil.copytree(bench_corpus / "factcheck", project)
    said: list[str] = []
    gen = Factcheck("factcheck", project, tmp_path / "site")
    got = measure_checks(gen, 1, 50, said.append)
    assert {"cold", "warm", "edited"} <= got.keys() and all(got[kind]["wall"] > 0 and got[kind]["runs"] == 1 for kind in ("cold", "warm", "edited"))
    assert got["check_stage"] > 0 and got["build_stage"] > 0
    assert "Check-0-e" in gen.report_file(29).read_text(encoding="utf-8")  # the edited run edited a report
    assert any("check warm run 1" in line for line in said)


def test_issue10_targets_read_the_check_scenario() -> None:
    """A warm check over 2 s is missed; a check stage no longer than the build's is met; no scenario: not measured."""

    def stats(wall: float) -> dict[str, float]:
        return {"wall": wall, "cpu": wall, "tree_pss_mb": 100.0, "runs": 3.0}

    results = {"check": {"4000": {"cold": stats(40.0), "warm": stats(1.5), "edited": stats(2.4), "check_stage": 30.0, "build_stage": 31.0}}}
    rows = {row[0].split(" (")[0]: row for row in targets.issue10(results)}
    assert rows["warm `check`, nothing changed"][3] is True
    assert rows["warm `check` after a one-report edit"][3] is False
    assert rows["cold `check`'s check stage vs the cold build's"][3] is True
    assert all(row[3] is None for row in targets.issue10({}))
    section = "\n".join(report.check_section(results))
    assert "## `factcheck check` (issue 10)" in section and "| 4,000 | 40.00 s | 1.50 s | 2.40 s | 30.00 s / 31.00 s |" in section


def test_a_corpus_is_made_again_when_the_default_theme_changes() -> None:
    """Every corpus copies the default theme (or its stylesheet): its signature covers the theme's files."""
    pager = run.REPO / "themes" / "default" / "templates" / "partials" / "pager.html"
    assert pager in run.THEME_FILES and run.REPO / "themes" / "default" / "static" / "style.css" in run.THEME_FILES
    for tree, (_, files) in run.TREES.items():
        assert set(run.THEME_FILES) <= set(files), tree


def test_report_only_installs_the_chart_tools_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.md"
    run.numbers_path(out).write_text('{"cold": {}, "edit": {}, "serve": {}, "files": {}, "liar": null, "seconds": 0}')
    calls: list[str] = []
    monkeypatch.setattr(run, "ensure_python_tools", lambda log: calls.append("tools"))
    monkeypatch.setattr(run, "write_report", lambda args, results: calls.append("report") or 0)
    assert run.main(["--report-only", "--out", str(out)]) == 0
    assert calls == ["tools", "report"]  # on a fresh clone bench/.venv does not exist yet: the chart needs it


def test_a_cold_builds_old_output_is_set_aside_and_deleted_when_the_run_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deleting a site between two timed builds would slow the second (tools.set_aside): it is moved away, and deleted at the end."""
    project, out = tmp_path / "project", tmp_path / "sites" / "factcheck"
    (project / ".cache").mkdir(parents=True)
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "index.html").write_text("old", encoding="utf-8")
    monkeypatch.setattr(tools, "MIN_FREE_GB", 0)  # whatever the free space of the machine that runs the tests
    Factcheck("factcheck", project, out).clean()
    assert not out.exists() and not (project / ".cache").exists()
    kept = list((tmp_path / "sites" / ".bench-trash").iterdir())
    assert len(kept) == 1 and (kept[0] / "reports" / "index.html").read_text(encoding="utf-8") == "old"
    tools.empty_trash()
    assert not (tmp_path / "sites" / ".bench-trash").exists() and not (project / ".bench-trash").exists()
    # Short of disk space, an output is deleted at once rather than kept.
    out.mkdir()
    monkeypatch.setattr(tools, "MIN_FREE_GB", 10**9)
    tools.set_aside(out)
    assert not out.exists() and not (tmp_path / "sites" / ".bench-trash").exists()
