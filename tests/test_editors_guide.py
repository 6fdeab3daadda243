"""docs/editors.md, followed to the letter: its commands, YAML and quoted output stay true."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from generator import cli

GUIDE = (REPO / "docs/editors.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", GUIDE, flags=re.M | re.S)
REPORT = "content/reports/riverton-bus-ridership.yaml"


def block(lang: str, starts: str) -> str:
    """The guide's first fenced block in `lang` that starts with `starts`."""
    found = [body for kind, body in BLOCKS if kind == lang and body.startswith(starts)]
    assert found, f"no ```{lang} block starting with {starts!r} in docs/editors.md"
    return found[0]


def console(command: str) -> tuple[list[str], str]:
    """A `$ factcheck ...` command of the guide (its arguments) and the output shown under it."""
    for kind, body in BLOCKS:
        if kind != "console":
            continue
        lines = body.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"$ factcheck {command}"):
                output = []
                for rest in lines[i + 1 :]:
                    if rest.startswith("$ "):
                        break
                    output.append(rest)
                return shlex.split(line[2:])[1:], "\n".join(output)
    raise AssertionError(f"no `$ factcheck {command}` in docs/editors.md")


def run(root: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run factcheck in `root` as the guide does (relative paths from the project folder)."""
    code = cli.main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# What a newsroom writes in place of init's placeholders before the guide starts (docs/start.md).
FILLED = {
    "TODO: your site's title": "Riverton Checks",
    "TODO: one sentence saying who you are and what you check": "Independent fact-checks of claims about Riverton.",
    "TODO: your organisation's name": "Riverton Checks",
    "TODO: the name of a writer": "Sam Writer",
    "TODO: the name of a reviewer": "Alex Reviewer",
    "# base_url: https://factcheck.example.org/": "base_url: https://factcheck.example.org/",
}


def new_site(root: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The site the guide's examples ran in: `factcheck init`, its placeholders replaced, its sample report deleted."""
    assert cli.main(["init", str(root)]) == 0
    capsys.readouterr()
    for name in ("content/site.yaml", "content/people.yaml"):
        text = (root / name).read_text(encoding="utf-8")
        for placeholder, written in FILLED.items():
            text = text.replace(placeholder, written)
        (root / name).write_text(text, encoding="utf-8")
    for page in (root / "content/pages").glob("*.md"):
        front, _placeholder = page.read_text(encoding="utf-8").rsplit("---\n", 1)
        page.write_text(f"{front}---\nWe check what is said about Riverton in the local press.\n", encoding="utf-8")
    (root / "content/reports/sample-libraries.yaml").unlink()
    (root / "seeds/sample-article.txt").unlink()
    assert cli.main(["--root", str(root), "check", "--strict"]) == 0, capsys.readouterr().err  # nothing left to replace
    capsys.readouterr()
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is part of the CI image")
def test_following_the_guide_publishes_then_corrects(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = new_site(tmp_path / "newsroom", capsys)
    git(root, "init", "-q")
    git(root, "config", "user.name", "Editor")
    git(root, "config", "user.email", "editor@example.org")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    monkeypatch.chdir(root)  # the guide runs from the project folder, the article one level up

    # 1. The article's text, saved beside the project.
    (tmp_path / "bus-article.txt").write_text(block("text", "Riverton Gazette"), encoding="utf-8")

    # 2. Scaffold: the printed lines are the guide's.
    args, shown = console("new report ../bus-article.txt --publisher")
    assert run(root, args, capsys) == (0, shown + "\n")
    scaffold = (root / REPORT).read_text(encoding="utf-8")
    shown_scaffold = block("yaml", "# yaml-language-server: $schema=../../schema/report.schema.json\n#\n")
    head = shown_scaffold.split("  # ... four more stubs ...")[0]
    assert scaffold.startswith(head.replace("2026-11-26", dt.date.today().isoformat()))

    # 3. The check names the missing fields, exactly as shown.
    code, out = run(root, ["check"], capsys)
    expected = block("console", "$ factcheck check\ncontent/reports/riverton-bus-ridership.yaml:6:7")
    assert (code, out) == (1, expected.split("\n", 1)[1])

    # Filled in: passes, and a draft builds only with --drafts.
    filled = block("yaml", "# yaml-language-server: $schema=../../schema/report.schema.json\nid: riverton-bus-ridership")
    (root / REPORT).write_text(filled, encoding="utf-8")
    assert run(root, ["check"], capsys) == (0, "Check passed: no problems found.\n")

    # 4-5. Review, then publish: the published claim with its source is on the built site.
    text = filled.replace("status: draft", "status: in-review").replace("authors: [editor]", "authors: [editor]\nreviewers: [reviewer]")
    (root / REPORT).write_text(text, encoding="utf-8")
    assert run(root, ["check"], capsys)[0] == 0
    (root / REPORT).write_text(text.replace("status: in-review", "status: published"), encoding="utf-8")
    assert run(root, ["check"], capsys) == (0, "Check passed: no problems found.\n")
    assert run(root, ["build", "--out", str(tmp_path / "site")], capsys)[0] == 0
    claim_page = tmp_path / "site/reports/riverton-bus-ridership/claims/rivertons-buses-carried-12-million-passengers/index.html"
    html = claim_page.read_text(encoding="utf-8")
    assert "Mostly true" in html and "Annual ridership report 2025" in html
    git(root, "add", "-A")
    git(root, "commit", "-qm", "publish")

    # 6. A changed verdict fails --since HEAD with the guide's message, until the entry is added.
    (root / REPORT).write_text((root / REPORT).read_text(encoding="utf-8").replace("rating: mostly-true", "rating: mostly-false"), encoding="utf-8")
    code, out = run(root, ["check", "--since", "HEAD"], capsys)
    shown = block("console", "$ factcheck check --since HEAD\ncontent/").split("\n", 1)[1]
    assert code == 1
    assert out == shown.replace("2026-11-26", dt.date.today().isoformat())
    entry = block("yaml", "corrections:\n  - date: 2026-11-26\n    type: rating-change")
    current = (root / REPORT).read_text(encoding="utf-8")
    (root / REPORT).write_text(current.replace("corrections: []\n", entry), encoding="utf-8")
    assert run(root, ["check", "--since", "HEAD"], capsys) == (0, "Check passed: no problems found.\n")
    assert run(root, ["build", "--out", str(tmp_path / "site")], capsys)[0] == 0
    html = claim_page.read_text(encoding="utf-8")
    banner = html[html.index('class="banner banner-correction"') : html.index("</aside>")]
    assert "We lowered the rating of the claim that buses carried a record 12 million passengers (rating changed from Mostly true to Mostly false)." in banner
