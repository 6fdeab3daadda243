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


def test_build_verbose_says_what_was_rendered_kept_and_removed(make_project: Callable[..., Path]) -> None:
    root = make_project()
    first = run("--root", str(root), "build", "-v")
    assert first.returncode == 0, first.stderr
    assert "Checked 1 of 1 report file (0 unchanged, from the cache)" in first.stdout
    report = root / "content/reports/planet-rents.yaml"
    report.write_text(report.read_text().replace("Rents rose 38%, not 100%.", "Rents rose by 38%."))
    second = run("--root", str(root), "build", "-v")
    assert "Checked 1 of 1 report file (0 unchanged" in second.stdout
    lines = [line for line in second.stdout.splitlines() if line.startswith("Pages: ")]
    rendered, kept = (int(lines[0].split()[i]) for i in (1, 3))
    assert rendered > 0 and kept > 0  # the edited report's pages and what lists it; the rest kept
    third = run("--root", str(root), "build", "-v")
    assert "Checked 0 of 1 report file (1 unchanged, from the cache)" in third.stdout
    assert "Pages: 0 rendered, " in third.stdout and " kept unchanged, 0 removed;" in third.stdout


def test_a_bug_of_ours_is_one_line_and_the_traceback_only_with_debug(make_project: Callable[..., Path]) -> None:
    root = make_project()
    # A planner that fails the way a bug would: outside any template.
    code = (
        "import sys; from generator.site import plan, pages\n"
        "def broken(site): raise KeyError('oops')\n"
        "plan.SITE_PLANNERS = (*plan.SITE_PLANNERS, broken)\n"
        "from generator.cli import main; sys.exit(main(sys.argv[1:]))\n"
    )
    plain = subprocess.run([sys.executable, "-c", code, "--root", str(root), "build"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert plain.returncode == 70
    assert plain.stderr.startswith("internal error: KeyError: 'oops' (<string>:2)\n")
    assert "Traceback" not in plain.stderr and "template" not in plain.stderr
    debug = subprocess.run([sys.executable, "-c", code, "--root", str(root), "--debug", "build"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert debug.returncode == 70 and "Traceback (most recent call last)" in debug.stderr
