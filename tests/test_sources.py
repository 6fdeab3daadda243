"""What serve keeps between rebuilds: files re-read only when changed, checks slimmed once modelled."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from conftest import REPORT_YAML, SITE_YAML
from generator.build import render_site
from generator.preview.engine import Engine
from generator.preview.sources import is_slim


def _pages(result_pages: list[object]) -> list[tuple[str, bytes]]:
    return [(p.path, p.data) for p in result_pages]  # type: ignore[attr-defined]


def test_report_trees_are_dropped_and_checks_slimmed_once_modelled(make_project: Callable[..., Path]) -> None:
    """After a build the engine holds no YAML node tree of a report, and only slim check results beside the models."""
    root = make_project({"content/reports/planet-two.yaml": REPORT_YAML.replace("id: planet-rents", "id: planet-two")})
    engine = Engine(root)
    engine.rebuild(None)
    reports = [rel for rel in engine.files.yaml if rel.startswith("content/reports/")]
    assert len(reports) == 2
    assert all(engine.files.yaml[rel].doc.node is None for rel in reports)
    assert all(engine.files.yaml[rel].doc.digest for rel in reports)
    entries = [engine.checker.entries[rel] for rel in reports]
    assert all(e.checked is not None and is_slim(e.checked) for e in entries)
    assert all(e.checked is engine._models[rel][0] for rel, e in zip(reports, entries, strict=True))


def test_a_new_rating_scale_checks_slimmed_reports_again_from_disk(make_project: Callable[..., Path]) -> None:
    """Models are made with the scale: a new one drops them, so each report is read and checked again; a title is no such change."""
    root = make_project()
    engine = Engine(root)
    engine.rebuild(None)
    site = root / "content/site.yaml"
    site.write_text(SITE_YAML.replace("title: Test Checks", "title: Other Checks"), encoding="utf-8")
    outcome = engine.rebuild({"content/site.yaml"})
    assert outcome.checked_files == 0 and outcome.full
    assert b"Other Checks" in {p.path: p.data for p in outcome.result.pages}["reports/planet-rents/index.html"]
    site.write_text(SITE_YAML.replace('label: "False"', "label: Wrong"), encoding="utf-8")
    outcome = engine.rebuild({"content/site.yaml"})
    assert outcome.checked_files == 1  # the one report, read again
    assert _pages(outcome.result.pages) == _pages(render_site(root).pages)  # type: ignore[arg-type]
    assert b"Wrong" in {p.path: p.data for p in outcome.result.pages}["reports/planet-rents/claims/rents-doubled/index.html"]


def test_full_doc_reads_a_dropped_tree_again_and_notices_an_unreported_change(make_project: Callable[..., Path]) -> None:
    """A slim document is parsed again on demand; if the file changed meanwhile, the next rescan reads it."""
    root = make_project()
    engine = Engine(root)
    engine.rebuild(None)
    rel = "content/reports/planet-rents.yaml"
    light = engine.files.yaml[rel].doc
    assert light.node is None
    again = engine.files.full_doc(light)  # type: ignore[arg-type]
    assert again.node is not None and again.digest == light.digest
    stat = (root / rel).stat()
    (root / rel).write_text(REPORT_YAML.replace("Rents rose 38%", "Rents rose 39%"), encoding="utf-8")
    os.utime(root / rel, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time: a rescan alone would miss it
    changed = engine.files.full_doc(light)  # type: ignore[arg-type]
    assert changed.digest != light.digest
    outcome = engine.rebuild(None)
    assert b"Rents rose 39%" in {p.path: p.data for p in outcome.result.pages}["reports/planet-rents/index.html"]
