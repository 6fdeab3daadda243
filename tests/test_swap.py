"""The output folder's swap: never missing after a kill, one build at a time, leftovers cleaned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from conftest import REPO, write_tree
from generator.output import swap
from generator.output.disk import MARKER
from publishing import many_reports


def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / MARKER).write_text("x")
    return folder


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_swap_puts_the_new_site_in_place_and_keeps_or_removes_the_old(tmp_path: Path) -> None:
    out = _site(tmp_path / "site", "old")
    swap.swap_in(_site(tmp_path / ".site.staging-1", "new"), out, keep=swap.previous_site(out))
    assert (out / "index.html").read_text() == "new"
    assert (swap.previous_site(out) / "index.html").read_text() == "old"
    swap.swap_in(_site(tmp_path / ".site.staging-2", "newer"), out)
    assert (out / "index.html").read_text() == "newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.previous", "site"]


def test_recover_restores_a_site_left_between_the_two_renames(tmp_path: Path) -> None:
    out = tmp_path / "site"
    _site(swap.old_site(out), "the previous site")  # a build killed after `out -> .site.old`
    _site(tmp_path / ".site.staging-abc", "half written")
    swap.recover(out, MARKER)
    assert (out / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_killed_build_leaves_the_site_intact_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", many_reports(60))
    out = root / "site"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build"], check=True, env=env, capture_output=True)
    files = _files(out)
    report = root / "content/reports/report-001.yaml"
    report.write_text(report.read_text().replace("One claim", "A claim"))
    cmd = [sys.executable, "-m", "generator", "--root", str(root), "build"]
    for delay in (0.3, 0.6, 0.9, 1.2):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        swap.recover(out, MARKER)
        assert _files(out) == files  # the old site or the new one, whole, never a part or nothing
    subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build"], check=True, env=env, capture_output=True)
    assert not list(root.glob(".site.staging-*")) and not swap.old_site(out).exists()


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    lock = tmp_path / ".cache/factcheck/build.lock"
    said: list[str] = []
    entered = threading.Event()
    release = threading.Event()

    def first() -> None:
        with swap.exclusive(lock, "p", said.append):
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    entered.wait(5)
    code = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from generator.output import swap
        with swap.exclusive(Path({str(lock)!r}), "p", lambda m: print(m, flush=True)):
            print("got it", flush=True)
    """)
    second = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert second.stdout is not None
    assert second.stdout.readline().strip() == "Another build of p is running; waiting for it to finish."
    release.set()
    thread.join()
    assert second.stdout.readline().strip() == "got it"
    assert second.wait(10) == 0
