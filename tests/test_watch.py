"""Watching: editor noise is ignored, changes are classified, bursts become one batch."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from generator.preview.watch import Change, ChangeKind, Debouncer, Watcher, classify, describe, is_ignored


@pytest.mark.parametrize(
    "rel",
    [
        "content/reports/.a.yaml.swp",
        "content/reports/a.yaml.swx",
        "content/reports/a.yaml~",
        "content/reports/.#a.yaml",
        "content/reports/#a.yaml#",
        "content/reports/4913",
        "content/reports/a.yaml.tmp",
        "seeds/article.txt.part",
        "seeds/article.txt.crdownload",
        "content/.git/index",
        "themes/default/.cache/x.html",
        "site/index.html",
        "site",
        "",
    ],
)
def test_editor_temp_files_hidden_folders_and_the_output_are_ignored(rel: str) -> None:
    """Swap, backup, lock and partial files, hidden folders and the output folder never trigger a rebuild."""
    assert is_ignored(rel)


@pytest.mark.parametrize("rel", ["content/reports/a.yaml", "seeds/a.txt", "themes/default/templates/base.html", "content/site.yaml", "sites/x.yaml"])
def test_real_files_are_not_ignored(rel: str) -> None:
    """Content, snapshots and templates are watched (a folder merely starting with 'site' too)."""
    assert not is_ignored(rel)


@pytest.mark.parametrize(
    "rel,kind",
    [
        ("content/reports/a.yaml", ChangeKind.REPORT),
        ("content/pages/about.md", ChangeKind.PAGE),
        ("content/site.yaml", ChangeKind.CONFIG),
        ("content/people.yaml", ChangeKind.CONFIG),
        ("seeds/000_abc.txt", ChangeKind.SNAPSHOT),
        ("content/templates/claim.html", ChangeKind.TEMPLATE),
        ("themes/child/templates/base.html", ChangeKind.TEMPLATE),
        ("themes/default/templates/partials/macros.html", ChangeKind.TEMPLATE),
        ("themes/child/theme.yaml", ChangeKind.TEMPLATE),
        ("themes/default/static/style.css", ChangeKind.STATIC),
        ("themes/default/i18n/es.yaml", ChangeKind.STRINGS),
        ("content/i18n/es.yaml", ChangeKind.STRINGS),
        ("themes/other/templates/base.html", ChangeKind.OTHER),
        ("content/notes.txt", ChangeKind.OTHER),
    ],
)
def test_changes_are_classified(rel: str, kind: ChangeKind) -> None:
    """Each path gets the kind that decides what a rebuild redoes; themes outside the chain are other."""
    assert classify(rel, ("themes/child", "themes/default")) is kind


def test_describe_names_one_file_or_counts_kinds() -> None:
    """The rebuild line names the file, or counts files by kind."""
    assert describe([Change("content/reports/a.yaml", ChangeKind.REPORT)]) == "content/reports/a.yaml"
    both = [Change("content/reports/a.yaml", ChangeKind.REPORT), Change("themes/default/static/style.css", ChangeKind.STATIC)]
    assert describe(both) == "2 files (report, static)"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_of_events_becomes_one_batch() -> None:
    """Events closer together than `quiet` coalesce; the batch is ready `quiet` after the last one."""
    clock = FakeClock()
    debouncer = Debouncer(quiet=0.1, max_wait=1.0, clock=clock)
    assert debouncer.due_in() is None
    debouncer.add(["content/reports/a.yaml.tmp-1"])
    clock.now += 0.04
    debouncer.add(["content/reports/a.yaml"])
    clock.now += 0.04
    debouncer.add(["content/reports/a.yaml", "content/reports/b.yaml"])
    clock.now += 0.09
    assert debouncer.take() is None
    assert debouncer.due_in() == pytest.approx(0.01)
    clock.now += 0.01
    assert debouncer.take() == ["content/reports/a.yaml.tmp-1", "content/reports/a.yaml", "content/reports/b.yaml"]
    assert debouncer.take() is None
    assert debouncer.due_in() is None


def test_a_steady_stream_of_events_still_flushes_after_max_wait() -> None:
    """A long copy that never pauses still gives a batch once max_wait has passed since its first event."""
    clock = FakeClock()
    debouncer = Debouncer(quiet=0.125, max_wait=1.0, clock=clock)
    batches = []
    for i in range(30):
        debouncer.add([f"seeds/{i}.txt"])
        clock.now += 0.0625  # events every 1/16 s, never quiet for 1/8 s
        batch = debouncer.take()
        if batch:
            batches.append(batch)
    assert len(batches) == 1
    assert batches[0] == [f"seeds/{i}.txt" for i in range(16)]


def test_two_separate_saves_are_two_batches() -> None:
    """Saves further apart than `quiet` rebuild separately."""
    clock = FakeClock()
    debouncer = Debouncer(quiet=0.1, clock=clock)
    debouncer.add(["content/site.yaml"])
    clock.now += 0.2
    assert debouncer.take() == ["content/site.yaml"]
    debouncer.add(["content/people.yaml"])
    clock.now += 0.2
    assert debouncer.take() == ["content/people.yaml"]


def test_a_finished_file_needs_only_a_short_calm() -> None:
    """After a file is closed or renamed into place, `settle` is enough; any later event brings back `quiet`."""
    clock = FakeClock()
    debouncer = Debouncer(quiet=0.1, max_wait=1.0, clock=clock, settle=0.02)
    debouncer.add(["content/reports/a.yaml"])
    debouncer.add(["content/reports/a.yaml"], complete=True)  # written, then closed
    clock.now += 0.01
    assert debouncer.take() is None
    assert debouncer.due_in() == pytest.approx(0.01)
    clock.now += 0.01
    assert debouncer.take() == ["content/reports/a.yaml"]
    debouncer.add(["content/reports/b.yaml"], complete=True)
    clock.now += 0.01
    debouncer.add(["content/reports/b.yaml"])  # written again: not finished after all
    clock.now += 0.05
    assert debouncer.take() is None
    clock.now += 0.05
    assert debouncer.take() == ["content/reports/b.yaml"]


@pytest.mark.parametrize("poll", [False, True])
def test_watcher_reports_saved_files_and_skips_editor_noise(tmp_path: Path, poll: bool) -> None:
    """A real observer (native or polling) sees a save under content/, classified, without the swap file."""
    (tmp_path / "content" / "reports").mkdir(parents=True)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "site").mkdir()
    seen: list[Change] = []
    got = threading.Event()

    def on_batch(changes: list[Change]) -> None:
        seen.extend(changes)
        if any(c.path == "content/reports/a.yaml" for c in changes):
            got.set()

    watcher = Watcher(tmp_path, on_batch, poll=poll, quiet=0.05)
    watcher.start()
    try:
        (tmp_path / "site" / "index.html").write_text("built", encoding="utf-8")
        (tmp_path / "content" / "reports" / ".a.yaml.swp").write_text("swap", encoding="utf-8")
        (tmp_path / "content" / "reports" / "a.yaml").write_text("id: a\n", encoding="utf-8")
        assert got.wait(20), "the watcher never reported the saved file"
    finally:
        watcher.stop()
    paths = {c.path for c in seen}
    assert "content/reports/.a.yaml.swp" not in paths
    assert not any(p.startswith("site/") for p in paths)
    assert Change("content/reports/a.yaml", ChangeKind.REPORT) in seen


def test_the_watcher_vouches_for_its_batches_only_while_it_saw_everything(tmp_path: Path) -> None:
    """Not before a first call, after the observer lost events, nor once a watched folder was made anew."""
    (tmp_path / "content").mkdir()
    (tmp_path / "seeds").mkdir()
    watcher = Watcher(tmp_path, lambda changes: None, quiet=0.05)
    watcher.start()
    try:
        assert not watcher.complete()  # what changed before it watched was not seen
        assert watcher.complete()
        logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed; filesystem events were lost")
        assert not watcher.complete()
        assert watcher.complete()
        (tmp_path / "seeds").rename(tmp_path / "seeds-old")
        (tmp_path / "seeds").mkdir()
        assert not watcher.complete()  # the old watch followed the folder moved away; a new one is set
        # The move's own event may come later and be answered the same way; then the new watch is trusted.
        assert any(watcher.complete() or time.sleep(0.05) for _ in range(200))
        (tmp_path / "seeds").rmdir()
        assert not watcher.complete()
    finally:
        watcher.stop()


def test_the_watcher_reports_a_change_of_permissions_or_time_and_not_a_read(tmp_path: Path) -> None:
    """chmod and utime are changes (a report made readable again must be read again); reading a file is not."""
    (tmp_path / "content" / "reports").mkdir(parents=True)
    (tmp_path / "seeds").mkdir()
    report = tmp_path / "content" / "reports" / "a.yaml"
    report.write_text("id: a\n", encoding="utf-8")
    batches: list[list[Change]] = []
    got = threading.Event()

    def on_batch(changes: list[Change]) -> None:
        batches.append(changes)
        got.set()

    watcher = Watcher(tmp_path, on_batch, quiet=0.05)
    watcher.start()
    try:
        time.sleep(0.3)
        report.read_text(encoding="utf-8")  # a rebuild's own reads must not start another rebuild
        time.sleep(0.5)
        assert batches == []
        for change in (lambda: report.chmod(0o600), lambda: os.utime(report, (1_000_000, 1_000_000))):
            got.clear()
            change()
            assert got.wait(20), "the watcher never reported the change"
            assert Change("content/reports/a.yaml", ChangeKind.REPORT) in batches[-1]
    finally:
        watcher.stop()


def test_a_seeds_folder_deleted_and_made_anew_is_watched_again(tmp_path: Path) -> None:
    """`rm -rf seeds && mkdir seeds`, then a new snapshot: its save is reported (the rebuild sets the new watch, as the engine's does)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "old.txt").write_text("old", encoding="utf-8")
    seen: list[str] = []
    batches = threading.Condition()
    watcher: Watcher

    def on_batch(changes: list[Change]) -> None:
        watcher.complete()  # as Engine.rebuild does: re-watch content/ and seeds/ where they were made anew
        with batches:
            seen.extend(c.path for c in changes)
            batches.notify_all()

    def wait_for(path: str) -> bool:
        with batches:
            return batches.wait_for(lambda: path in seen, timeout=20)

    watcher = Watcher(tmp_path, on_batch, quiet=0.05)
    watcher.start()
    try:
        watcher.complete()
        shutil.rmtree(tmp_path / "seeds")
        assert wait_for("seeds/old.txt")
        time.sleep(0.3)  # the deletion's last events
        with batches:
            seen.clear()
        (tmp_path / "seeds").mkdir()
        assert wait_for("seeds"), "the new folder was never reported"
        (tmp_path / "seeds" / "new.txt").write_text("new", encoding="utf-8")
        assert wait_for("seeds/new.txt"), f"the new snapshot was never reported: {seen}"
        (tmp_path / "README.md").write_text("not read by a build", encoding="utf-8")
        time.sleep(0.3)
        assert "README.md" not in seen
    finally:
        watcher.stop()
