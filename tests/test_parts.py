"""Work made in parts: each part made alone into a file of its own, joined (or read back) in order, the folder gone after."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.output.parts import PARTS_A_RUN, Parts, Split, parts_folder, split_work
from generator.output.swap import recover, staging_prefix
from generator.site.jobs import FileSet, Gathered, InParts, PageJob


def _part(text: str) -> Iterator[bytes]:
    yield text.encode()
    yield b"|"


def _three() -> InParts:
    return InParts((lambda: _part("a"), lambda: _part("b"), lambda: _part("c")))


def _jobs() -> list[PageJob]:
    return [
        PageJob("index.html", "home.html", {}, "Home"),
        PageJob("data/one.json", "", {}, "One", produce=InParts((lambda: _part("alone"),))),  # one part: made whole, as a page
        PageJob("data/three.json", "", {}, "Three", produce=_three()),
        PageJob("data/plain.json", "", {}, "Plain", produce=lambda: b"{}"),
    ]


def _sets() -> list[FileSet]:
    index = Gathered((lambda: b"x", lambda: b"y"), lambda parts: [("search/all.js", b"+".join(parts))], lambda: [("search/all.js", b"x+y")])
    return [FileSet("search/", "Index", index), FileSet("other/", "Plain", lambda: [("other/a.js", b"a")])]


def test_only_rendered_jobs_and_sets_of_several_parts_are_split() -> None:
    jobs, sets = _jobs(), _sets()
    split = split_work(jobs, [True] * 4, sets)
    assert [index for index, _ in split.jobs] == [2] and [index for index, _ in split.sets] == [0]
    assert split.set_work(0) == 1 and len(split.works()) == 2
    assert split_work(jobs, [True, True, False, True], ()) == Split()  # kept from the last build: nothing to make


def test_parts_are_made_alone_and_joined_in_order(tmp_path: Path) -> None:
    jobs, sets = _jobs(), _sets()
    out = tmp_path / "site"
    with parts_folder(out, split_work(jobs, [True] * 4, sets).works()) as parts:
        folder = Path(parts.folder)
        assert folder.parent == tmp_path and folder.name.startswith(staging_prefix(out))  # a killed build's is removed by the next
        # Part by part across the works: part n of each reads the same claims, and a run takes them together.
        assert parts.units == ((0, 0), (1, 0), (0, 1), (1, 1), (0, 2))
        for unit in (4, 2, 0, 3, 1):  # in any order, by any process
            parts.make(unit)
        st = parts.join(str(tmp_path / "three.json"), 0)
        assert (tmp_path / "three.json").read_bytes() == b"a|b|c|" == b"".join(_three()())
        assert st.st_size == 6
        read = parts.read(1)
        assert next(read) == b"x"
        Path(parts.folder, "1.1").write_bytes(b"z")  # each part read only when asked for: never all held at once
        assert list(read) == [b"z"] and os.listdir(parts.folder) == []  # each part's file gone once read
        assert sets[0].make() == [("search/all.js", b"x+y")]
        assert list(folder.iterdir()) == []  # each part's file goes once joined or read
    assert not folder.exists()


def test_the_parts_folder_goes_when_the_build_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), parts_folder(tmp_path / "site", [_three().parts]) as parts:
        parts.make(0)
        raise RuntimeError("a template failed")
    assert os.listdir(tmp_path) == []


def test_a_killed_builds_parts_folder_is_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "site"
    left = tmp_path / (staging_prefix(out) + "parts-x")
    left.mkdir()
    (left / "0.0").write_bytes(b"half")
    recover(out, ".factcheck-site")
    assert not left.exists()


def test_no_work_no_folder(tmp_path: Path) -> None:
    with parts_folder(tmp_path / "site", []) as parts:
        assert parts.units == () and parts.runs(10) == []
    assert os.listdir(tmp_path) == []


def test_runs_hold_a_few_parts_each() -> None:
    parts = Parts(((lambda: b"",) * (PARTS_A_RUN * 2 + 1),), "folder")
    runs = parts.runs(100)
    assert [len(run) for run in runs] == [PARTS_A_RUN, PARTS_A_RUN, 1]
    assert [i for run in runs for i in run] == list(range(100, 100 + PARTS_A_RUN * 2 + 1))
