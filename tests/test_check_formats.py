"""`factcheck check --format text|json|github`: the exact output for a project with a few mistakes."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PAGE_MD, REPORT_YAML, SITE_YAML
from generator import cli

EXTRA_SOURCE = """\
  - id: old-survey
    title: Housing survey 2019
    publisher: Statistics Office
    url: https://stats.example/survey
    kind: secondary
"""


@pytest.fixture
def mistakes(make_project: Callable[..., Path]) -> Path:
    """A project with three errors (a misspelt rating, source and field) and one warning (an unused source)."""
    report = REPORT_YAML.replace('rating: "false"', "rating: flase").replace("sources: [budget]", "sources: [budget, stats-rent]")
    return make_project(
        {
            "content/reports/planet-rents.yaml": report + EXTRA_SOURCE,
            "content/pages/about.md": PAGE_MD.replace("title: About us", "titel: About us"),
        }
    )


BASE_URL = "base_url: https://checks.example/\n"  # without it, check warns that pages have no canonical URL


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `factcheck --root ROOT check ARGS`."""
    code = cli.main(["--root", str(root), "check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


TEXT = """\
content/pages/about.md:2:1: error: titel: unknown field 'titel'
    hint: did you mean 'title'?
content/reports/planet-rents.yaml:22:15: error: claims[rents-doubled].verdict.rating: unknown rating 'flase'
    hint: did you mean 'false'? valid ratings: true, half-true, false, unproven
content/reports/planet-rents.yaml:36:23: error: claims[shelter-spend].sources[stats-rent]: unknown source 'stats-rent'
    hint: did you mean 'stats-rents'?
content/reports/planet-rents.yaml:48:5: warning: sources[old-survey]: source 'old-survey' is not used by any claim
    hint: cite it in a claim's analysis or remove it
Check failed: 3 errors in 2 files, 1 warning.
"""

GITHUB = """\
::error file=content/pages/about.md,line=2,col=1::titel: unknown field 'titel'%0Ahint: did you mean 'title'?
::error file=content/reports/planet-rents.yaml,line=22,col=15::claims[rents-doubled].verdict.rating: unknown rating 'flase'%0A\
hint: did you mean 'false'? valid ratings: true, half-true, false, unproven
::error file=content/reports/planet-rents.yaml,line=36,col=23::claims[shelter-spend].sources[stats-rent]: unknown source 'stats-rent'%0A\
hint: did you mean 'stats-rents'?
::warning file=content/reports/planet-rents.yaml,line=48,col=5::sources[old-survey]: source 'old-survey' is not used by any claim%0A\
hint: cite it in a claim's analysis or remove it
"""

JSON = [
    {
        "path": "content/pages/about.md",
        "line": 2,
        "col": 1,
        "severity": "error",
        "field": "titel",
        "message": "unknown field 'titel'",
        "hint": "did you mean 'title'?",
    },
    {
        "path": "content/reports/planet-rents.yaml",
        "line": 22,
        "col": 15,
        "severity": "error",
        "field": "claims[rents-doubled].verdict.rating",
        "message": "unknown rating 'flase'",
        "hint": "did you mean 'false'? valid ratings: true, half-true, false, unproven",
    },
    {
        "path": "content/reports/planet-rents.yaml",
        "line": 36,
        "col": 23,
        "severity": "error",
        "field": "claims[shelter-spend].sources[stats-rent]",
        "message": "unknown source 'stats-rent'",
        "hint": "did you mean 'stats-rents'?",
    },
    {
        "path": "content/reports/planet-rents.yaml",
        "line": 48,
        "col": 5,
        "severity": "warning",
        "field": "sources[old-survey]",
        "message": "source 'old-survey' is not used by any claim",
        "hint": "cite it in a claim's analysis or remove it",
    },
]


def test_text_goes_to_stderr_with_a_summary(mistakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(mistakes, capsys) == (1, "", TEXT)
    assert run(mistakes, capsys, "--format", "text") == (1, "", TEXT)


def test_json_is_the_whole_stdout(mistakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(mistakes, capsys, "--format", "json")
    assert (code, err) == (1, "")
    assert json.loads(out) == JSON
    assert out == json.dumps(JSON, ensure_ascii=False, indent=2) + "\n"


def test_github_annotations(mistakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(mistakes, capsys, "--format", "github") == (1, GITHUB, "")


def test_clean_project_in_each_format(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({"content/site.yaml": SITE_YAML + BASE_URL})
    assert run(root, capsys) == (0, "Check passed: no problems found.\n", "")
    assert run(root, capsys, "--format", "json") == (0, "[]\n", "")  # a JSON reader gets an empty array, not nothing
    assert run(root, capsys, "--format", "github") == (0, "", "")


def test_warnings_pass_unless_strict(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({"content/reports/planet-rents.yaml": REPORT_YAML + EXTRA_SOURCE, "content/site.yaml": SITE_YAML + BASE_URL})
    warning = "content/reports/planet-rents.yaml:48:5: warning: sources[old-survey]: source 'old-survey' is not used by any claim\n"
    hint = "    hint: cite it in a claim's analysis or remove it\n"
    assert run(root, capsys) == (0, "Check passed with 1 warning.\n", warning + hint)
    assert run(root, capsys, "--strict") == (1, "", warning + hint + "Check failed: 1 warning, and --strict makes warnings errors.\n")
    code, out, _err = run(root, capsys, "--strict", "--format", "github")
    assert code == 1
    assert out == (
        "::warning file=content/reports/planet-rents.yaml,line=48,col=5::sources[old-survey]: source 'old-survey' is not used by any claim"
        "%0Ahint: cite it in a claim's analysis or remove it\n"
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is part of the CI image")
def test_since_error_in_github_format_keeps_the_yaml_hint_on_one_line(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({"content/site.yaml": SITE_YAML + BASE_URL})
    for args in (["init", "-q"], ["config", "user.name", "T"], ["config", "user.email", "t@example.org"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    path = root / "content/reports/planet-rents.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('rating: "true"', "rating: half-true"), encoding="utf-8")
    code, out, err = run(root, capsys, "--format", "github", "--since", "HEAD")
    assert (code, err, out.count("\n")) == (1, "", 1)
    head, body = out.rstrip("\n").split("::", 2)[1:]
    assert head == "error file=content/reports/planet-rents.yaml,line=32,col=15"
    assert body.startswith(
        "claims[shelter-spend].verdict.rating: the rating of published claim 'shelter-spend' in report 'planet-rents' changed from 'true' to 'half-true'"
    )
    assert "%0A- date: " in body and '%0A  type: rating-change%0A  claim: shelter-spend%0A  from: "true"%0A  to: half-true%0A' in body
