"""docs/import.md, followed to the letter: its commands, files and quoted output stay true."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from generator import cli

GUIDE = (REPO / "docs/import.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", GUIDE, flags=re.M | re.S)
REPORT = "content/reports/bus-ridership-doubled.yaml"


def block(lang: str, starts: str) -> str:
    """The guide's first fenced block in `lang` that starts with `starts`."""
    found = [body for kind, body in BLOCKS if kind == lang and body.startswith(starts)]
    assert found, f"no ```{lang} block starting with {starts!r} in docs/import.md"
    return found[0]


def consoles() -> list[tuple[list[str], str]]:
    """Every `$ factcheck ...` command of the guide, in order, with the output shown under it."""
    found = []
    for kind, body in BLOCKS:
        if kind == "console":
            command, *output = body.rstrip("\n").split("\n")
            assert command.startswith("$ factcheck ")
            found.append((shlex.split(command[2:])[1:], "\n".join(output) + "\n"))
    return found


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.err + captured.out  # as a terminal shows them: diagnostics, then the closing line


def test_following_the_import_guide(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "newsroom"
    for folder in ("content", "seeds", "themes", "schema"):
        shutil.copytree(REPO / folder, root / folder)
    (tmp_path / "old-site").mkdir()
    (tmp_path / "old-site" / "claims.json").write_text(block("json", "{\n"), encoding="utf-8")
    (tmp_path / "ratings-map.yaml").write_text(block("yaml", "# ratings-map.yaml"), encoding="utf-8")
    monkeypatch.chdir(root)
    (dry, dry_out), (real, real_out), (check1, check1_out), (check2, check2_out) = consoles()

    # 2. The dry run names the unmapped label and the new author, and writes nothing.
    assert run(dry, capsys) == (1, dry_out)
    assert not (root / REPORT).exists()

    # 3. With the ratings map and --add-people: the report is the one shown.
    assert run(real, capsys) == (0, real_out)
    assert (root / REPORT).read_text(encoding="utf-8") == block("yaml", "# yaml-language-server")
    again = run(real, capsys)
    assert again[0] == 0 and "already exists" in again[1] and "Imported 0 reports" in again[1]

    # 4. Review: the check passes with one note per imported report.
    assert run(check1, capsys) == (0, check1_out)

    # 5. Publish: the edit shown, then the check the site's CI runs (--strict: the notes pass).
    edit = block("yaml", "status: published")
    status, reviewers = edit.splitlines()
    text = (root / REPORT).read_text(encoding="utf-8").replace("status: draft", status).replace("- dana-reyes\n", f"- dana-reyes\n{reviewers}\n")
    (root / REPORT).write_text(text, encoding="utf-8")
    assert run(check2, capsys) == (0, check2_out)
    result = run(["build", "--out", str(tmp_path / "site")], capsys)
    assert result[0] == 0
    page = (tmp_path / "site" / "reports" / "bus-ridership-doubled" / "index.html").read_text(encoding="utf-8")
    assert "Quoted as recorded; the article's text was not saved." in page
