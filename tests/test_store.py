"""The report store: results reused only while the file, its snapshot and the store's key are unchanged."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import write_tree
from generator.diagnostics import error, warning
from generator.pipeline import cache
from generator.pipeline.reports import ReportResult
from generator.pipeline.store import ReportStore, signature

REL = "content/reports/a.yaml"


def _result(text_digest: str, diags: tuple = (), snapshot: str = "seeds/a.txt") -> ReportResult:
    return ReportResult(REL, text_digest, diags, "a", "published", (1, 5), snapshot, None)


def _project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "p", {REL: "id: a\n", "seeds/a.txt": "The text.\n"})


def _digest(root: Path) -> str:
    from generator.pipeline.store import text_digest

    return text_digest(root, REL)


def test_round_trip_on_disk_and_invalidation_by_key(tmp_path: Path) -> None:
    root = _project(tmp_path)
    store = ReportStore(root)
    store.open("key-1")
    store.snapshots(root, ["seeds/a.txt"], [])
    result = _result(_digest(root), (warning(REL, 1, 1, "a warning"),))
    store.put(signature(root / REL), result)
    store.keep_only([REL])
    again = ReportStore(root)
    again.open("key-1")
    again.snapshots(root, ["seeds/a.txt"], [])
    assert again.lookup(root, REL) == result
    other = ReportStore(root)
    other.open("key-2")  # the code, site.yaml or people.yaml changed
    assert other.lookup(root, REL) is None


def test_a_changed_file_or_snapshot_is_not_reused(tmp_path: Path) -> None:
    root = _project(tmp_path)
    store = ReportStore()
    store.open("k")
    store.snapshots(root, ["seeds/a.txt"], [])
    store.put(signature(root / REL), _result(_digest(root)))
    os.utime(root / REL, ns=(1, 1))  # touched, not changed: still valid
    assert store.lookup(root, REL) is not None
    (root / "seeds/a.txt").write_text("Another text.\n")
    store.snapshots(root, ["seeds/a.txt"], [])
    assert store.lookup(root, REL) is None
    (root / "seeds/a.txt").write_text("The text.\n")
    store.snapshots(root, ["seeds/a.txt"], [])
    assert store.lookup(root, REL) is not None
    (root / REL).write_text("id: b\n")
    assert store.lookup(root, REL) is None


def test_results_with_errors_are_never_kept_and_gone_files_are_forgotten(tmp_path: Path) -> None:
    root = _project(tmp_path)
    store = ReportStore(root)
    store.open("k")
    store.put(signature(root / REL), _result(_digest(root), (error(REL, 1, 1, "broken"),)))
    assert store.lookup(root, REL) is None
    store.put(signature(root / REL), _result(_digest(root), snapshot=""))
    store.keep_only([])
    assert store.entries == {}
    assert len(list((root / cache.CACHE_DIR / "reports").glob("*.pickle"))) == 64


def _stored(root: Path) -> ReportStore:
    again = ReportStore(root)
    again.open("k")
    again.snapshots(root, ["seeds/a.txt"], [])
    return again


def test_a_store_that_saves_later_writes_nothing_until_saved_and_a_forked_save_is_read_back(tmp_path: Path) -> None:
    """A build saves the check's results in a helper process while it plans its pages."""
    root = _project(tmp_path)
    for fork in (False, True):
        folder = root / cache.CACHE_DIR / "reports"
        if folder.exists():
            for path in folder.iterdir():
                path.unlink()
        store = ReportStore(root, save_later=True)
        store.open("k")
        store.snapshots(root, ["seeds/a.txt"], [])
        result = _result(_digest(root), (warning(REL, 1, 1, "a warning"),))
        store.put(signature(root / REL), result)
        store.keep_only([REL])
        assert _stored(root).lookup(root, REL) is None  # not written yet
        with store.saving(fork=fork) as saving:
            assert saving.forked == fork
            saving.result()
        assert _stored(root).lookup(root, REL) == result
        with store.saving(fork=True) as again:
            assert not again.forked  # nothing left to write: no helper
            again.result()


def test_a_build_whose_cache_saving_helper_dies_still_builds_and_still_reports_its_own_errors(
    make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving the check's results is best effort: its helper's death neither fails a good build nor hides a bad one's errors."""
    from generator.build import BuildOptions, build
    from generator.diagnostics import BuildFailed
    from publishing import many_reports

    parent, save = os.getpid(), ReportStore.save

    def dying_save(store: ReportStore) -> None:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # the helper is killed mid-save (out of memory, say)
        save(store)

    monkeypatch.setattr(ReportStore, "save", dying_save)
    root = make_project(many_reports(60))  # enough reports for the check, and the save, to go to helpers
    result = build(root, tmp_path / "site", BuildOptions(workers=2))
    assert result.written > 0 and (tmp_path / "site" / "index.html").is_file()
    broken = root / "content/reports/report-001.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace('rating: "false"', "rating: ture"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(root, tmp_path / "site", BuildOptions(workers=2))
    assert any("unknown rating 'ture'" in d.message for d in failed.value.diagnostics)


def test_snapshots_are_read_when_asked_never_held(tmp_path: Path) -> None:
    """The build's process holds no snapshot's bytes (118 MB at 40,000 reports): each is read when a report asks."""
    root = _project(tmp_path)
    store = ReportStore()
    snapshots = store.snapshots(root, ["seeds/a.txt"], [])
    digest_before = store.snapshot_digest("seeds/a.txt")
    (root / "seeds/a.txt").write_text("Edited after the digest.\n")
    assert snapshots["seeds/a.txt"] == b"Edited after the digest.\n"  # read now, not the bytes digested earlier
    assert store.snapshot_digest("seeds/a.txt") == digest_before  # the next run's signature check sees the edit
    assert "seeds/b.txt" not in snapshots and snapshots.get("seeds/b.txt") is None


def test_check_helpers_write_the_buckets_of_the_reports_they_check(make_project: Callable[..., Path]) -> None:
    """A build's check helpers save what they checked, a bucket a batch: no process forked later pickles every result again."""
    from generator.pipeline.check import CheckOptions, run_check
    from publishing import many_reports

    root = make_project(many_reports(60))
    store = ReportStore(root, save_later=True)
    checked = run_check(root, CheckOptions(workers=2), store)
    assert checked.stats.workers == 2 and checked.site is not None
    # Nothing saved by this process yet, and every report's result is on disk already.
    again = ReportStore(root)
    again.open(store.key)
    seeds = sorted(str(p.relative_to(root)) for p in (root / "seeds").iterdir())
    again.snapshots(root, seeds, [])
    reports = sorted(str(p.relative_to(root)) for p in (root / "content/reports").glob("*.yaml"))
    assert len(reports) > 60 and all(again.lookup(root, rel) is not None for rel in reports)


def test_a_report_whose_permissions_changed_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chmod changes neither the text nor the mtime: a report made unreadable since the last run kept its old result."""
    from generator.pipeline import store as store_module

    root = _project(tmp_path)
    store = ReportStore()
    store.open("k")
    store.snapshots(root, ["seeds/a.txt"], [])
    store.put(signature(root / REL), _result(_digest(root)))
    time.sleep(0.05)  # the change time moves by the kernel's clock tick
    os.chmod(root / REL, 0o200)
    monkeypatch.setattr(store_module, "text_digest", lambda root, rel: "")  # unreadable, as it is for anyone but root
    assert store.lookup(root, REL) is None  # checked again, so its error is reported
