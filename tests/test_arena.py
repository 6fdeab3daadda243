"""Packed texts moved into one shared mapping before a build forks: the model reads and compares as before."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

from generator.build import check
from generator.model.arena import move_packed_texts
from generator.model.mapped import Moved
from generator.pipeline.cache import load_pickle, save_pickle


def test_moved_texts_read_compare_and_hash_as_before(make_project: Callable[..., Path]) -> None:
    site, _ = check(make_project())
    # A build's (and check's) model has its texts moved as the reports come (pipeline/store.py `received`) ...
    assert type(site.reports[0].claims[0].packed_analysis) is Moved
    # ... and pickles them as bytes (the cache): a copy holds bytes again, equal to the views.
    report = pickle.loads(pickle.dumps(site.reports[0]))
    assert type(report.claims[0].packed_analysis) is bytes and report == site.reports[0]
    assert all(c.packed_sources is report.packed_sources for c in report.claims)  # pickled once, as before the move
    before = pickle.loads(pickle.dumps(report))  # an equal copy that keeps its bytes
    shown = (report.sources, report.article.text, [(c.analysis, c.report_analysis, c.sources) for c in report.claims])
    held = {report: "found", report.claims[0]: "found too"}  # hashed before the move
    size = move_packed_texts([report, report])  # a report named twice is moved once
    assert size == len(before.packed_sources) + len(before.article.packed_text) + sum(
        len(c.packed_analysis) + len(c.packed_report_analysis) for c in before.claims
    )
    assert type(report.claims[0].packed_analysis) is Moved and type(report.article.packed_text) is Moved
    assert all(c.packed_sources is report.packed_sources for c in report.claims)  # still one object a report
    assert (report.sources, report.article.text, [(c.analysis, c.report_analysis, c.sources) for c in report.claims]) == shown
    assert report == before and hash(report) == hash(before)
    assert held[report] == "found" and held[report.claims[0]] == "found too"
    assert move_packed_texts([report]) == 0  # nothing left to move


def test_a_moved_report_goes_through_the_build_cache_as_bytes(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """The cache's unpickler builds only plain data and the model's classes: a moved text is written as plain bytes."""
    site, _ = check(make_project())
    report = site.reports[0]
    assert type(report.claims[0].packed_analysis) is Moved
    save_pickle(tmp_path / "report.pickle", {"report": report})
    loaded = load_pickle(tmp_path / "report.pickle")
    assert loaded is not None and loaded["report"] == report
    assert type(loaded["report"].claims[0].packed_analysis) is bytes
    assert all(c.packed_sources is loaded["report"].packed_sources for c in loaded["report"].claims)  # written once
