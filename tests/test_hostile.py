"""Hostile and clumsy inputs, kept as data: each case in tests/data/hostile/ is a set of files laid over
the minimal project and the exact errors `check` must give. `build` and `build --drafts` must fail
with the same errors, never a traceback, and so must the parallel build. Set FACTCHECK_WRITE_EXPECTED=1 to (re)write an expected file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import DATA, minimal_project, write_tree
from generator import cli
from generator.build import BuildOptions, build
from generator.diagnostics import BuildFailed, headline, sorted_diagnostics

CASES = sorted(p for p in (DATA / "hostile").iterdir() if p.is_dir())


def lay_out(case: Path, root: Path) -> Path:
    """The minimal project with the case's files laid over it."""
    write_tree(root, minimal_project())
    for path in sorted((case / "files").rglob("*")):
        if path.is_file():
            target = root / path.relative_to(case / "files")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return root


def errors(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, [line for line in captured.err.splitlines() if ": error: " in line]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = lay_out(case, tmp_path / "project")
    code, found = errors(capsys, "--root", str(root), "check")
    expected_file = case / "expected"
    if os.environ.get("FACTCHECK_WRITE_EXPECTED"):
        expected_file.write_text("\n".join(found) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert expected, "an empty expected file: every case must be refused"
    assert code == 1 and found == expected
    for drafts in ([], ["--drafts"]):
        code, built = errors(capsys, "--root", str(root), "build", *drafts)
        assert code == 1 and built == expected
        assert not (root / "site").exists()
    # The parallel path: reports checked and modelled in worker processes.
    with pytest.raises(BuildFailed) as failed:
        build(root, root / "site", BuildOptions(drafts=True, workers=2, cache=False))
    assert [headline(d) for d in sorted_diagnostics(failed.value.diagnostics) if d.is_error] == expected
    assert not (root / "site").exists()
