"""File sets made in a helper while the pages are planned: the same files, one helper beside the related claims, never lost."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import write_tree
from generator.build import BuildOptions, build, render_site
from generator.output import filesets
from generator.output.filesets import SetsAside
from generator.pipeline.workers import MIN_PARALLEL_REPORTS
from generator.site import search
from generator.site.jobs import FileSet
from publishing import many_reports


def _pid_files(name: str, seconds: float = 0.0) -> list[tuple[str, bytes]]:
    time.sleep(seconds)
    return [(f"data/{name}.js", str(os.getpid()).encode())]


def _sets(seconds: float = 0.0) -> tuple[FileSet, ...]:
    return tuple(FileSet("data/", f"Set {name}", lambda name=name: _pid_files(name, seconds)) for name in ("a", "b"))  # type: ignore[misc]


def _made(sets: tuple[FileSet, ...]) -> list[list[tuple[str, bytes]]]:
    return [list(file_set.make()) for file_set in sets]


def test_sets_are_made_in_a_helper_that_has_ended_before_the_render() -> None:
    with SetsAside() as aside:
        started = time.monotonic()
        handed = aside.start(_sets(0.3))
        assert time.monotonic() - started < 0.25  # this process went on planning
        aside.wait()
        assert multiprocessing.active_children() == []  # ended before the render's helpers are forked
        made = _made(handed)
    assert [path for files in made for path, _ in files] == ["data/a.js", "data/b.js"]
    pids = {data for files in made for _, data in files}
    assert len(pids) == 1 and pids != {str(os.getpid()).encode()}
    assert [file_set.title for file_set in handed] == ["Set a", "Set b"]


def test_paired_with_related_claims_one_helper_does_both_in_turn() -> None:
    with SetsAside() as aside:
        choose = aside.related()
        handed = aside.start(_sets())
        assert multiprocessing.active_children() == []  # waiting for the related claims' helper
        pending = choose(os.getpid)
        chosen = pending.outcome()
        pending.close()  # the plan closes it once the lists are taken: the helper goes on to the sets
        made = _made(handed)
    assert chosen is not None and chosen != os.getpid()
    assert {data for files in made for _, data in files} == {str(chosen).encode()}
    # A second language's related claims get a helper of their own, the sets being taken.
    with SetsAside() as aside:
        choose = aside.related()
        aside.start(_sets())
        first, second = choose(os.getpid), choose(os.getpid)
        assert first.outcome() != second.outcome()


def test_sets_with_no_related_claims_chosen_start_when_planning_ends() -> None:
    with SetsAside() as aside:
        aside.related()  # related lists were all kept from the last build: no helper is asked for
        handed = aside.start(_sets())
        aside.go()
        assert len(multiprocessing.active_children()) == 1
        made = _made(handed)
    assert {data for files in made for _, data in files} != {str(os.getpid()).encode()}


def _dies() -> list[tuple[str, bytes]]:
    os.kill(os.getpid(), 9)
    return []


def test_a_helper_that_dies_costs_nothing_but_time_the_sets_are_made_here() -> None:
    with SetsAside() as aside:
        handed = aside.start((FileSet("data/", "Dies", _dies), *_sets()[1:]))
        aside.wait()
    # The helper died at its first set: every set is made here, as without a helper (the dying one would kill this test).
    assert _made(handed[1:]) == [[("data/b.js", str(os.getpid()).encode())]]


def test_a_build_that_fails_first_stops_the_helper() -> None:
    with SetsAside() as aside:
        aside.start(_sets(30))
        assert len(multiprocessing.active_children()) == 1
    assert multiprocessing.active_children() == []


def test_each_set_is_handed_over_once_then_made_again_if_asked() -> None:
    with SetsAside() as aside:
        handed = aside.start(_sets())
        first = handed[0].make()
        again = handed[0].make()
    assert first[0][1] != str(os.getpid()).encode()
    assert again == [("data/a.js", str(os.getpid()).encode())]


def _search_files(out: Path) -> dict[str, bytes]:
    folder = out / "search" / "data"
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.js"))}


@pytest.mark.parametrize("limit", [filesets.MAX_CLAIMS, 0])
def test_a_build_makes_the_search_index_in_the_helper_up_to_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """The same files either way; made in the planning's helper for a site within the limit, by the build's process beyond it."""
    root = write_tree(tmp_path / "p", many_reports(MIN_PARALLEL_REPORTS + 2))
    makers = tmp_path / "makers"
    # Made whole (index_files) or, past the limit and in more than one part, finished from its parts (finish_index).
    for name in ("index_files", "finish_index"):
        made_by = getattr(search, name)

        def noting(*args: Any, made_by: Any = made_by) -> list[tuple[str, bytes]]:
            with makers.open("a") as note:
                note.write(f"{os.getpid()}\n")
            return made_by(*args)  # type: ignore[no-any-return]

        monkeypatch.setattr(search, name, noting)
    monkeypatch.setattr(filesets, "MAX_CLAIMS", limit)
    build(root, tmp_path / "site", BuildOptions(workers=2))
    assert (makers.read_text().split() == [str(os.getpid())]) == (limit == 0)
    plain = {page.path.removeprefix("search/data/"): page.data for page in render_site(root).pages if page.path.startswith("search/data/")}
    assert _search_files(tmp_path / "site") == plain and plain
