"""The command line: exit codes, closing lines, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import REPO


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("build", "check", "path:line:col"):
        assert word in result.stdout


def test_build_prints_one_closing_line(make_project: Callable[..., Path]) -> None:
    root = make_project()
    result = run("--root", str(root), "build")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Built ") and "(1 reports, 2 claims)" in lines[0] and "with 1 warning in" in lines[0]
    assert "base_url" in result.stderr  # the minimal project has no base_url: canonical URLs need one
    assert (root / "site/index.html").is_file()


def test_check_reports_errors_without_traceback(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/reports/planet-rents.yaml": "id: planet-rents\ntitle: [unclosed\n"})
    result = run("--root", str(root), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/reports/planet-rents.yaml:3:1: error: YAML syntax error" in result.stderr
    assert "Check failed: 1 error in 1 file." in result.stderr


def test_build_failure_writes_nothing(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/site.yaml": "title: x\n"})
    result = run("--root", str(root), "build")
    assert result.returncode == 1
    assert "missing required field 'description'" in result.stderr
    assert "Nothing was written." in result.stderr
    assert not (root / "site").exists()


def test_missing_project_is_a_clear_message(tmp_path: Path) -> None:
    result = run("--root", str(tmp_path), "check")
    assert result.returncode == 1
    assert "content/site.yaml: error: site configuration not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_error_names_template_and_line(make_project: Callable[..., Path]) -> None:
    root = make_project()
    template = root / "themes/default/templates/page.html"
    template.write_text(template.read_text(encoding="utf-8").replace("{{ page.title }}", "{{ page.nonexistent }}"), encoding="utf-8")
    result = run("--root", str(root), "build")
    assert result.returncode == 1
    assert "themes/default/templates/page.html:4:1: error: template error" in result.stderr
    assert "nonexistent" in result.stderr
    assert "Traceback" not in result.stderr
