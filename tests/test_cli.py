"""The command line: exit codes, closing lines, no tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PAGE_MD, REPO, REPORT_YAML, SITE_YAML


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("build", "check", "path:line:col"):
        assert word in result.stdout


def test_factcheck_alone_prints_the_help_not_a_complaint() -> None:
    result = run()
    assert result.returncode == 2
    assert "build" in result.stdout and "init" in result.stdout and "required" not in result.stdout + result.stderr


def test_build_prints_one_closing_line(make_project: Callable[..., Path]) -> None:
    root = make_project()
    result = run("--root", str(root), "build")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Built ") and "(1 report, 2 claims)" in lines[0] and "with 1 warning in" in lines[0]
    assert "base_url" in result.stderr  # the minimal project has no base_url: canonical URLs need one
    assert (root / "site/index.html").is_file()


def test_build_names_the_drafts_it_left_out(make_project: Callable[..., Path]) -> None:
    """A writer's new report is a draft: without a word, it was simply missing from the site."""
    root = make_project({"content/reports/planet-rents.yaml": REPORT_YAML.replace("status: published", "status: draft")})
    result = run("--root", str(root), "build")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[1:] == [
        "Left out, not published yet: content/reports/planet-rents.yaml; factcheck build --drafts includes drafts and reports in review."
    ]
    assert "(0 reports, 0 claims)" in result.stdout
    assert "Left out" not in run("--root", str(root), "build", "--drafts").stdout


def test_check_reports_errors_without_traceback(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/reports/planet-rents.yaml": "id: planet-rents\ntitle: [unclosed\n"})
    result = run("--root", str(root), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/reports/planet-rents.yaml:2:8: error: YAML syntax error: this '[' is never closed" in result.stderr
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
    assert "Checked 1 of 1 report file anew (0 unchanged, from the cache)" in first.stderr
    report = root / "content/reports/planet-rents.yaml"
    report.write_text(report.read_text().replace("Rents rose 38%, not 100%.", "Rents rose by 38%."))
    second = run("--root", str(root), "build", "-v")
    assert "Checked 1 of 1 report file anew (0 unchanged" in second.stderr
    lines = [line for line in second.stderr.splitlines() if line.startswith("Pages: ")]
    rendered, kept = (int(lines[0].split()[i]) for i in (1, 3))
    assert rendered > 0 and kept > 0  # the edited report's pages and what lists it; the rest kept
    third = run("--root", str(root), "build", "-v")
    assert "Checked 0 of 1 report file anew (1 unchanged, from the cache)" in third.stderr
    assert "Pages: 0 rendered, " in third.stderr and " kept unchanged, 0 removed;" in third.stderr


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


# --- command-line manners -------------------------------------------------------------------

PLAIN = {"NO_COLOR": "", "FORCE_COLOR": "", "CI": ""}


def run_env(*args: str, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the command with extra environment variables."""
    import os

    full = {**os.environ, **PLAIN, **env}
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd, timeout=120, env=full)


def test_options_work_after_the_command_as_before_it(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """`factcheck build --root X -q` is the same as `factcheck --root X -q build`."""
    root = make_project()
    after = run("build", "--root", str(root), "-q", "--out", str(tmp_path / "a"))
    before = run("--root", str(root), "-q", "build", "--out", str(tmp_path / "b"))
    assert (after.returncode, after.stdout) == (before.returncode, before.stdout) == (0, "")
    assert (tmp_path / "a/index.html").read_bytes() == (tmp_path / "b/index.html").read_bytes()


def test_root_is_found_by_walking_up(make_project: Callable[..., Path]) -> None:
    """Run from a subfolder, the site above is used, and its site/ is written there."""
    root = make_project()
    result = run("build", cwd=root / "content" / "reports")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ") and " into ../../site with 1 warning in " in result.stdout
    assert (root / "site/index.html").is_file()


def test_missing_root_says_so(tmp_path: Path) -> None:
    """--root naming nothing is a usage error in plain words, not 'pass --root'."""
    result = run("check", "--root", str(tmp_path / "nope"))
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: --root {tmp_path / 'nope'}: no such folder\n")
    outside = run("check", cwd=tmp_path)
    assert outside.returncode == 1
    assert outside.stderr.splitlines()[:2] == [
        "content/site.yaml: error: site configuration not found",
        "    hint: run factcheck in the site's folder or below it, pass --root DIR, or start a site with `factcheck init DIR`",
    ]


def test_quiet_and_verbose(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """-q prints only problems; -v adds where the project is and what it holds."""
    root = make_project()
    quiet = run("build", "-q", "--root", str(root), "--out", str(tmp_path / "q"))
    assert quiet.stdout == ""
    assert quiet.stderr.startswith("content/site.yaml:1:1: warning: base_url:")
    # check notes the missing base_url (advice): -q leaves notes out (newcomer audit); without it, the note shows.
    assert run("check", "-q", "--root", str(root)).stderr == ""
    assert "note: base_url" in run("check", "--root", str(root)).stderr
    verbose = run("check", "-v", "--root", str(root))
    assert verbose.stderr.splitlines()[0] == f"Project: {root.resolve()}"
    # The check stage's line, as `build -v` prints it: one pipeline, one cache (the build above filled it).
    assert "Checked 0 of 1 report file anew (1 unchanged, from the cache) in " in verbose.stderr
    built = run("build", "-v", "--root", str(root), "--out", str(tmp_path / "v"))
    assert "Content: 1 report, 2 claims, 1 page, 2 people.\n" in built.stderr
    assert run("build", "-q", "-v").returncode == 2  # one or the other


def test_closing_lines_use_correct_plurals(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """'1 report', '2 claims', '1 warning': never '1 reports'."""
    root = make_project()
    result = run("build", "--root", str(root), "--out", str(tmp_path / "s"))
    assert re.fullmatch(r"Built \d+ files \(1 report, 2 claims\) into .+ with 1 warning in \d+\.\d\ds\.\n", result.stdout)
    one_placeholder = make_project({"content/pages/about.md": PAGE_MD + "TODO: more\n", "content/site.yaml": SITE_YAML + "base_url: https://checks.example/\n"})
    assert run("check", "--root", str(one_placeholder)).stdout == "Check passed with 1 warning.\n"


def test_build_strict_fails_on_warnings_and_writes_nothing(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """build --strict refuses a warning as check --strict does, before writing anything."""
    root = make_project()
    result = run("build", "--strict", "--root", str(root), "--out", str(tmp_path / "s"))
    assert result.returncode == 1
    assert result.stderr.endswith("Build failed: 1 warning, and --strict makes warnings errors. Nothing was written.\n")
    assert not (tmp_path / "s").exists()
    fixed = run("build", "--strict", "--root", str(root), "--out", str(tmp_path / "s"), "--base-url", "https://example.org/")
    assert fixed.returncode == 0 and (tmp_path / "s/index.html").is_file()


def test_colour_follows_no_color_and_force_color(make_project: Callable[..., Path]) -> None:
    """In a pipe there is no colour unless FORCE_COLOR; NO_COLOR always wins."""
    root = make_project({"content/reports/planet-rents.yaml": "id: planet-rents\ntitle: [unclosed\n"})
    assert "\x1b[" not in run("check", "--root", str(root)).stderr
    forced = run_env("check", "--root", str(root), FORCE_COLOR="1").stderr
    assert forced.splitlines()[0].startswith("content/reports/planet-rents.yaml:2:8: \x1b[1;31merror:\x1b[0m YAML syntax error")
    assert "\x1b[" not in run_env("check", "--root", str(root), FORCE_COLOR="1", NO_COLOR="1").stderr


def _on_a_terminal(args: list[str], cwd: Path, **env: str) -> bytes:
    """Run the command with stdout and stderr on a pseudo-terminal; everything it wrote there."""
    import os
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: run the command on the terminal
        os.chdir(cwd)
        os.environ.update({**PLAIN, "TERM": "xterm", **env})
        os.execv(sys.executable, [sys.executable, "-m", "generator", *args])
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks)


def test_progress_line_on_a_terminal_only(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """On a terminal the status line is drawn, then erased before the closing line; never in a pipe or on CI."""
    root = make_project({"content/site.yaml": SITE_YAML + "base_url: https://example.org/\n"})
    shown = _on_a_terminal(["build", "--root", str(root), "--out", str(tmp_path / "s")], tmp_path)
    assert shown.startswith(b"\r\x1b[2K\x1b[1mBuilding\x1b[0m\xe2\x80\xa6\r\x1b[2KBuilt ")
    plain = _on_a_terminal(["check", "--root", str(root)], tmp_path, CI="true")
    assert plain == b"Check passed: no problems found.\r\n"
    piped = run("build", "--root", str(root), "--out", str(tmp_path / "p"))
    assert "\x1b" not in piped.stdout + piped.stderr and "\r" not in piped.stdout + piped.stderr


def test_docs_lists_and_prints_the_guides(capsys: pytest.CaptureFixture[str]) -> None:
    """`factcheck docs` lists the packaged guides; `docs TOPIC` prints one; a wrong topic is an error."""
    from generator import cli

    assert cli.main(["docs"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Guides (factcheck docs TOPIC):",
        "  start        Start your own site",
        "  editors      The editors' guide: from an article to a published fact-check",
        "  content      Content reference",
        "  serve        The live preview: `factcheck serve`",
        "  deploy       Publishing the site",
        "  import       Moving an archive in: `factcheck import`",
        "  security     Security: building untrusted pull requests, previewing drafts",
        "  architecture Architecture: one engine",
    ]
    assert cli.main(["docs", "deploy"]) == 0
    assert capsys.readouterr().out == (REPO / "docs/deploy.md").read_text(encoding="utf-8")
    assert cli.main(["docs", "benchmarks"]) == 1
    assert capsys.readouterr().err == "error: no guide 'benchmarks'; guides: start, editors, content, serve, deploy, import, security, architecture\n"


LONG_REVIEWED = "claim_reviewed: Rents in Metropolis doubled since 2015, says the council's latest annual housing report"


def test_notes_never_fail_strict(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """A note (advice, such as a long claim_reviewed) passes `check --strict` and `build --strict` alike."""
    from conftest import REPORT_YAML, SITE_YAML

    long = REPORT_YAML.replace("claim_reviewed: Rents in Metropolis doubled since 2015", LONG_REVIEWED)
    root = make_project({"content/reports/planet-rents.yaml": long, "content/site.yaml": SITE_YAML + "base_url: https://example.org/\n"})
    checked = run("check", "--strict", "--root", str(root))
    assert checked.returncode == 0 and "note: claims[rents-doubled].claim_reviewed" in checked.stderr
    assert checked.stdout.endswith("Check passed with 1 note (advice only).\n")
    built = run("build", "--strict", "--root", str(root), "--out", str(tmp_path / "s"), "--base-url", "https://example.org/")
    assert built.returncode == 0 and "note: claims[rents-doubled].claim_reviewed" in built.stderr and (tmp_path / "s/index.html").is_file()


def test_json_format_prints_an_empty_array_when_all_is_well(make_project: Callable[..., Path]) -> None:
    from conftest import SITE_YAML

    result = run("check", "--format", "json", "--root", str(make_project({"content/site.yaml": SITE_YAML + "base_url: https://example.org/\n"})))
    assert result.returncode == 0 and result.stdout.strip() == "[]"


def test_a_reader_closing_the_pipe_early_is_not_an_internal_error(tmp_path: Path) -> None:
    """`factcheck check --format json | head -c 1` on a site with hundreds of notes: no 'internal error'."""
    from conftest import write_tree
    from publishing import many_reports

    files = many_reports(120)
    for name in [n for n in files if n.startswith("content/reports/")]:
        files[name] = files[name].replace("claim_reviewed: Rents in Metropolis doubled since 2015", LONG_REVIEWED)
    root = write_tree(tmp_path / "p", files)
    command = f"{sys.executable} -m generator check --format json --root {root} | head -c 1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.stdout == "["
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_import_takes_the_common_options_after_its_kind(tmp_path: Path) -> None:
    """`factcheck import csv FILE --root DIR -q`, as the README says options go before or after the command."""
    from generator.editors.init import init_site

    init_site(tmp_path / "s", title="T")
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("import", "csv", str(tmp_path / "x.csv"), "--root", str(tmp_path / "s"), "-q", "--dry-run")
    assert "unrecognized arguments" not in result.stderr and "x.csv: error: not this generator's data/claims.csv layout" in result.stderr
    assert result.stdout == ""  # -q: problems only
