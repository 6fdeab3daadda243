"""docs/start.md, followed step by step: its commands run in order, its edits are applied, and
the output it shows is what the commands print."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from generator import cli
from generator.editors import origin

GUIDE = (REPO / "docs/start.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", GUIDE, flags=re.M | re.S)
SECONDS = re.compile(r" in \d+\.\d\ds\.$", flags=re.M)
# The guide shows the about page; the other two pages are written the same way.
OTHER_PAGES = {
    "content/pages/methodology.md": "We check claims about Riverside that readers send us, against public records.\n",
    "content/pages/corrections-policy.md": "Write to us about any mistake; every correction is listed on the report it changes.\n",
}


def run_console(body: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Run each `$ ` line of a console block; compare the output shown under it."""
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("$ "):
            continue
        shown = []
        for rest in lines[i + 1 :]:
            if rest.startswith("$ "):
                break
            shown.append(rest)
        command, *args = shlex.split(line[2:])
        if command == "cd":
            os.chdir(args[0])
        elif command == "rm":
            for name in args:
                Path(name).unlink()
        else:
            assert command == "factcheck", line
            code = cli.main(args)
            captured = capsys.readouterr()
            printed = SECONDS.sub(" in 0.05s.", captured.err + captured.out)
            assert (line, code, printed) == (line, 0, "\n".join(shown) + "\n" if shown else "")


def apply_yaml(body: str) -> None:
    """`# path` then `key: value` lines: each replaces the first placeholder (or commented) line with that key.

    A line the file already has as it is (`organization:`, `- id: editor`) is shown for context and left alone.
    """
    path, *changes = body.splitlines()
    target = Path(path.removeprefix("# "))
    text = target.read_text(encoding="utf-8").splitlines()
    for change in changes:
        if change in text:
            continue
        key = change.split(":")[0]
        matches = [n for n, old in enumerate(text) if old.startswith((key + ":", "# " + key.strip() + ":")) and ("TODO:" in old or old.startswith("#"))]
        assert matches, f"no placeholder for {change!r} in {target}"
        text[matches[0]] = change
    target.write_text("\n".join(text) + "\n", encoding="utf-8")


def apply_page(path: str, body: str) -> None:
    """Replace the page's placeholder paragraph (from `TODO:` to the end) with the given text."""
    target = Path(path)
    text = target.read_text(encoding="utf-8")
    target.write_text(text[: text.index("TODO:")] + body, encoding="utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is part of the CI image")
def test_following_the_start_guide(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # Installed as the guide says, from the git repository (this test's copy is an editable install).
    git = json.dumps({"url": "https://github.com/ORG/REPO", "vcs_info": {"vcs": "git", "commit_id": "0" * 40}})
    monkeypatch.setattr(origin, "installed_origin", lambda version: origin.origin_from(git, version))
    for env in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(env, "Editor")
    for env in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(env, "editor@example.org")
    kinds = []
    for kind, body in BLOCKS:
        if kind == "console":
            run_console(body, capsys)
        elif kind == "yaml" and body.startswith("# content/"):
            apply_yaml(body)
        elif kind == "markdown":
            first, rest = body.split("\n", 1)
            apply_page(first.removeprefix("<!-- ").removesuffix(" -->"), rest)
            for path, text in OTHER_PAGES.items():
                apply_page(path, text)
        elif kind == "sh" and body.startswith("git init"):
            for line in body.splitlines():
                if "<you>" not in line and not line.startswith("git push"):
                    subprocess.run(shlex.split(line), check=True, capture_output=True)
        elif kind == "sh" and body.startswith("factcheck new report"):
            Path("../article.txt").write_text("Riverside Post\n\nThe mayor said the river is 40% cleaner than in 2020.\n", encoding="utf-8")
            assert cli.main(shlex.split(body)[1:]) == 0
            capsys.readouterr()
            assert Path("content/reports").glob("riverside-post-*.yaml")
        kinds.append(kind)
    assert Path.cwd() == tmp_path / "riverside"
    assert subprocess.run(["git", "log", "--oneline"], capture_output=True, text=True, check=True).stdout.count("\n") == 1
    assert kinds.count("console") == 4
    assert f'pip install "factcheck-ssg @ git+https://github.com/ORG/REPO@{"0" * 40}"' in Path(".github/workflows/pages.yml").read_text(encoding="utf-8")
    home = Path("site/index.html").read_text(encoding="utf-8")
    assert "Riverside Checks" in home and "https://riverside.example.org/" in home
    assert "reader-funded newsroom" in Path("site/about/index.html").read_text(encoding="utf-8")
