"""The per-report step: the same diagnostics and model in this process and in forked workers; no model for a file with errors."""

from __future__ import annotations

import dataclasses
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


def _texts(model: object) -> list[str]:
    """Every plain str a model holds, through its dataclasses and tuples."""
    found: list[str] = []
    stack = [model]
    while stack:
        value = stack.pop()
        if type(value) is str:
            found.append(value)
        elif isinstance(value, tuple):
            stack.extend(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))
    return found


def test_reports_modelled_in_one_process_share_their_equal_values(tmp_path: Path) -> None:
    """Read from different files, equal values are one object: a pickle of the results (a helper's) writes them once."""
    root = write_tree(tmp_path / "p", many_reports(3))
    step = _step(root)
    first, second = (step(rel).report for rel in list(discover(root).reports)[:2])
    assert first is not None and second is not None
    mine = {text: text for text in _texts(first)}
    common = [text for text in _texts(second) if text in mine]
    assert len(common) > 20  # claim ids, source kinds, claimant types, topics...
    assert all(text is mine[text] for text in common)
    plain, _ = check(root)
    assert {r.id: r for r in plain.reports}[first.id] == first  # the same values as a model made alone


def test_a_batch_shares_equal_values_within_itself_and_keeps_none_for_the_next(tmp_path: Path) -> None:
    """A helper sends each batch in its own pickle, where sharing ends: a table kept for the next batch would only grow."""
    root = write_tree(tmp_path / "p", many_reports(3))
    step = _step(root)
    paths = list(discover(root).reports)
    first, second = (result.report for result in step.batch(paths[:2]))
    (third,) = (result.report for result in step.batch(paths[2:]))
    assert first is not None and second is not None and third is not None
    mine = {text: text for text in _texts(first)}
    assert all(text is mine[text] for text in _texts(second) if text in mine)
    # Values the site's settings give every report (a language tag) are one object anyway; the file's own are made anew.
    apart = [text for text in _texts(third) if text in mine and text is not mine[text]]
    assert len(apart) > 20
