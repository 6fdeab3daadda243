"""Rebuilds told which files changed (serve's watcher) look at those only, and still find new, gone and renamed files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from multilingual import REPORT_ES, bilingual_site

from conftest import REPORT_YAML, write_tree
from generator.build import render_site
from generator.pipeline.rescan import Rescan
from generator.preview.engine import Engine

A = "content/reports/planet-rents.yaml"
B = "content/reports/planet-two.yaml"
TWO = REPORT_YAML.replace("id: planet-rents", "id: planet-two")
CLAIM = "reports/{}/claims/rents-doubled/index.html"


def _files(engine: Engine, changed: set[str] | None) -> dict[str, bytes]:
    return dict(engine.rebuild(changed).files)


def _clean(root: Path) -> dict[str, bytes]:
    return {p.path: p.data for p in render_site(root).pages}


def _rate(root: Path, rel: str, text: str, rating: str) -> None:
    path = root / rel
    path.write_text(text.replace('rating: "false"', f"rating: {rating}").replace("Rents rose 38%", f"Now {rating}"), encoding="utf-8")
    # Past the first build's stat of the file, whatever the clock's tick: a full scan would notice it.
    os.utime(path, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))


def test_a_named_edit_is_checked_and_the_files_not_named_are_not_looked_at(make_project: Callable[..., Path]) -> None:
    """The watcher's list is trusted: an edit it names shows; one it does not waits for a full scan (changed=None)."""
    root = make_project({B: TWO})
    engine = Engine(root)
    engine.rebuild(None)
    _rate(root, A, REPORT_YAML, "half-true")
    _rate(root, B, TWO, "true")
    outcome = engine.rebuild({A})
    assert outcome.checked_files == 1
    assert b"Now half-true" in outcome.files[CLAIM.format("planet-rents")]
    assert b"Now true" not in outcome.files[CLAIM.format("planet-two")]
    full = engine.rebuild(None)
    assert full.checked_files == 1  # planet-two: planet-rents is as the store has it
    assert dict(full.files) == _clean(root)


def test_created_deleted_and_renamed_files_in_the_list_are_found(make_project: Callable[..., Path]) -> None:
    """A named file the last scan did not find, or one no longer there, makes the rebuild scan every folder."""
    root = make_project()
    engine = Engine(root)
    engine.rebuild(None)
    (root / "content/reports/2026").mkdir()
    nested = "content/reports/2026/planet-two.yaml"
    (root / nested).write_text(TWO, encoding="utf-8")
    files = _files(engine, {nested})  # as a watcher names a file made in a new folder (the folder's event aside)
    assert CLAIM.format("planet-two") in files
    assert files == _clean(root)
    (root / A).unlink()
    files = _files(engine, {A})
    assert CLAIM.format("planet-rents") not in files
    assert files == _clean(root)
    renamed = "content/reports/2026/renamed.yaml"
    (root / nested).rename(root / renamed)
    _rate(root, renamed, TWO, "half-true")
    files = _files(engine, {nested, renamed})
    assert b"Now half-true" in files[CLAIM.format("planet-two")]
    assert files == _clean(root)


def test_a_named_snapshot_edit_rechecks_the_reports_that_read_it(make_project: Callable[..., Path]) -> None:
    """A snapshot the list names is read again, and a report quoting it is checked anew."""
    root = make_project()
    engine = Engine(root)
    engine.rebuild(None)
    snapshot = root / "seeds/planet.txt"
    snapshot.write_text(snapshot.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    assert engine.rebuild({"seeds/planet.txt"}).checked_files == 1


def test_files_the_watcher_cannot_see_are_looked_at_every_time(make_project: Callable[..., Path]) -> None:
    """A content file whose name the watcher drops is stat'ed on every rebuild, named or not."""
    root = make_project()
    blind, sighted = Engine(root, unwatched=lambda rel: rel == "seeds/planet.txt"), Engine(root)
    blind.rebuild(None)
    sighted.rebuild(None)
    snapshot = root / "seeds/planet.txt"
    snapshot.write_text(snapshot.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    assert blind.rebuild(set()).checked_files == 1
    assert sighted.rebuild(set()).checked_files == 0


def test_a_check_that_did_not_finish_makes_the_next_one_scan_everything(make_project: Callable[..., Path]) -> None:
    """Until a check records every file it looked at, a list of changes is not enough."""
    root = make_project()
    rescan = Rescan()
    rescan.begin(None)
    rescan.discover(root)
    rescan.begin({A})
    rescan.discover(root)
    assert rescan.changed is None  # the first check never said it finished
    rescan.finish()
    rescan.begin({A})
    rescan.discover(root)
    assert rescan.changed == {A}


def test_a_named_content_folder_makes_a_full_scan(make_project: Callable[..., Path]) -> None:
    """A folder moved away (its own event names it) may take any number of files along."""
    root = make_project()
    rescan = Rescan()
    rescan.begin(None)
    rescan.discover(root)
    rescan.finish()
    for named in ("seeds", "content", "content/reports", "content/site.yaml", "themes/default/templates/claim.html"):
        rescan.begin({named})
        rescan.discover(root)
        rescan.finish()
        assert (rescan.changed is None) == (named in ("seeds", "content", "content/reports")), named


def test_a_named_string_table_is_read_again_even_with_the_same_signature(make_project: Callable[..., Path]) -> None:
    """The string tables are kept while their files' signatures hold, unless the watcher names one: a rewrite
    within one timestamp tick keeps size, time and inode."""
    root = make_project({"content/i18n/en.yaml": 'nav.fact_checks: "Checks AAAA"\n'})
    engine = Engine(root, lazy=True)
    assert b"Checks AAAA" in engine.rebuild(None).files["index.html"]
    table = root / "content/i18n/en.yaml"
    before = os.stat(table)
    table.write_text('nav.fact_checks: "Checks BBBB"\n', encoding="utf-8")
    os.utime(table, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same signature as before the rewrite
    assert b"Checks BBBB" in engine.rebuild({"content/i18n/en.yaml"}).files["index.html"]


def test_an_edited_report_in_another_language_has_its_pages_made_in_the_rebuild(tmp_path: Path) -> None:
    """The pages under es/ of an edited Spanish report are rendered at once, as an English report's are."""
    root = write_tree(tmp_path / "bilingual", bilingual_site())
    engine = Engine(root, lazy=True)
    engine.rebuild(None)
    rel = "content/reports/diario-alquileres.yaml"
    (root / rel).write_text(REPORT_ES.replace("Una afirmación se sostiene", "Una afirmación editada se sostiene"), encoding="utf-8")
    outcome = engine.rebuild({rel})
    assert outcome.files.made("es/reports/diario-alquileres/index.html") is not None
    assert "Una afirmación editada".encode() in outcome.files["es/reports/diario-alquileres/index.html"]
