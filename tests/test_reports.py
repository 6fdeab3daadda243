"""The per-report step: the same diagnostics and model in this process and in forked workers; no model for a file with errors."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from generator.build import check
from generator.content.checks import check_people, check_site, make_context
from generator.content.load import discover, load_yaml_file, read_snapshot
from generator.content.schema import SITE
from generator.content.validate import validate_doc
from generator.diagnostics import Diagnostic
from generator.model.assemble import build_config
from generator.pipeline.reports import ReportStep
from generator.pipeline.workers import fork_map
from publishing import many_reports


def _step(root: Path) -> ReportStep:
    scratch: list[Diagnostic] = []
    site = check_site(validate_doc(load_yaml_file(root, "content/site.yaml", scratch), SITE, scratch), scratch)
    people = check_people(load_yaml_file(root, "content/people.yaml", scratch), scratch)
    snapshots = {rel: read_snapshot(root, rel, []) or b"" for rel in discover(root).snapshots}
    return ReportStep(root, make_context(site, people, snapshots), build_config(site), people)


def test_report_step_gives_what_check_finds_in_workers_too(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", many_reports(3))
    paths = list(discover(root).reports)
    results = fork_map(_step(root), paths, workers=2)
    assert [r.path for r in results] == paths
    plain, _ = check(root)
    assert {r.id: r for r in plain.reports} == {r.report_id: r.report for r in results}
    assert all(not r.diagnostics and r.snapshot == "seeds/planet.txt" and r.status == "published" for r in results)


def test_no_model_for_a_file_with_errors(tmp_path: Path) -> None:
    files = many_reports(2)
    rel = "content/reports/report-001.yaml"
    files[rel] = files[rel].replace("published: 2026-", "published: 2026-13-")  # an impossible date
    root = write_tree(tmp_path / "p", files)
    result = _step(root)(rel)
    assert result.has_errors and result.report is None
    assert result.report_id == "report-001" and result.id_mark[0] > 0
