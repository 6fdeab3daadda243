"""`factcheck import` on the command line (generator/importer/cli.py and its wiring in generator/cli.py)."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, REPO
from generator import cli


def test_help_names_every_option() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "import", "claimreview", "--help"], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0
    for option in ("--ratings", "--add-ratings", "--add-people", "--published", "--dry-run", "--format"):
        assert option in result.stdout
    result = subprocess.run([sys.executable, "-m", "generator", "import", "csv", "--help"], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert "--map" in result.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_on_a_terminal_summary_on_stdout(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code = cli.main(["--root", str(make_project()), "import", "claimreview", str(DATA / "import" / "publishers"), "--add-ratings", "--add-people"])
    assert code == 0
    assert terminal.getvalue() == "\rReading 1/3 files\rReading 2/3 files\rReading 3/3 files\n\rChecking 3/3 reports\n"
    assert capsys.readouterr().out.startswith("Imported 3 reports (4 claims)")


def test_errors_go_to_stderr_with_exit_1(make_project: Callable[..., Path], tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("nope", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(make_project()), "import", "claimreview", str(tmp_path / "x.json")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == "" and "not valid JSON" in result.stderr and "Traceback" not in result.stderr
