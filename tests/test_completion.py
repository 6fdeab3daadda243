"""Shell completion scripts, generated from the parser: bash is exercised for real."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator import cli
from generator.completion import commands, script

TRY = """
source {script}
try() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=(); _factcheck; echo "${{COMPREPLY[*]}}"; }}
try factcheck ""
try factcheck se
try factcheck build --s
try factcheck --root x check --format ""
try factcheck check --format j
try factcheck new ""
try factcheck -q new report --p
try factcheck completion ""
"""


def test_command_tree_follows_the_parser() -> None:
    tree = {" ".join(c.path): c for c in commands(cli._parser())}
    assert tree[""].words == ("build", "check", "new", "schema", "serve", "init", "docs", "completion", "import")
    assert tree["new"].words == ("report", "page")
    assert tree["completion"].words == ("bash", "zsh", "fish")
    assert any(o.flags == ("--format",) and o.choices == ("github", "json", "text") for o in tree["check"].options)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is part of the CI image")
def test_bash_completes_commands_options_and_choices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The printed script, sourced in bash, completes what is typed."""
    assert cli.main(["completion", "bash"]) == 0
    (tmp_path / "factcheck.bash").write_text(capsys.readouterr().out, encoding="utf-8")
    (tmp_path / "try.sh").write_text(TRY.format(script=tmp_path / "factcheck.bash"), encoding="utf-8")
    result = subprocess.run(["bash", str(tmp_path / "try.sh")], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.splitlines() == [
        "build check new schema serve init docs completion import",
        "serve",
        "--strict",
        "github json text",
        "json",
        "report page",
        "--publisher",
        "bash zsh fish",
    ]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts(shell: str, tmp_path: Path) -> None:
    """Each names every command; where the shell is installed, it parses the script."""
    text = script(cli._parser(), shell)
    for command in ("build", "check", "serve", "init", "docs", "completion"):
        assert command in text
    assert "strict" in text and "github json text" in text
    if shutil.which(shell) is not None:
        (tmp_path / "script").write_text(text, encoding="utf-8")
        check = [shell, "-n", str(tmp_path / "script")] if shell == "zsh" else [shell, "--no-execute", str(tmp_path / "script")]
        subprocess.run(check, check=True, capture_output=True, timeout=60)
