"""A build's file sets (the search index) made in a helper process while the build's own process plans the pages.

Planning runs in one process while the other core has little to do; the file sets read only the
model, so a helper makes them then, and the render that follows no longer spends its time on them
(about a second at 4,000 reports). Only the files travel back. When the plan also chooses related
claims in a helper, the same helper makes the file sets once it has sent those lists: one helper's
copy of the model's pages, not two, and never three processes at work on two cores.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from generator.pipeline.workers import Aside
from generator.site.jobs import FileSet

_Files = list[tuple[str, bytes]]
_T = TypeVar("_T")

# Above this many claims the sets are made by the render, as without a helper: a helper alive through a
# long planning holds its own copy of the model pages the planning writes, and on a large archive that
# sets the build's peak memory (measured: none at 18,000 claims, +25 MB at 67,000, +85 MB at 180,000),
# where on a smaller one the render's peak stays the higher and the helper saves time (half a second of 20).
MAX_CLAIMS = 30_000


def worth_a_helper(claims: int) -> bool:
    """Whether the file sets of a site with this many claims are worth a helper during the planning."""
    return claims <= MAX_CLAIMS


def _make_all(sets: tuple[FileSet, ...]) -> list[_Files]:
    return [list(file_set.make()) for file_set in sets]


class SetsAside:
    """Hands the plan file sets that a helper makes meanwhile; `wait` before the render forks, and close it when the build ends."""

    def __init__(self) -> None:
        self._paired = False  # a helper choosing related claims will make the sets when done (`related`)
        self._waiting: tuple[FileSet, ...] = ()  # sets no helper makes yet
        self._sets: tuple[FileSet, ...] = ()
        self._aside: Aside[Any] | None = None
        self._files: Callable[[], list[_Files] | None] | None = None  # the helper's files, when asked for
        self._made: list[_Files | None] = []

    def related(self) -> Callable[[Callable[[], _T]], _Pending[_T]]:
        """The way to choose related claims in a helper (ReportJobs' `elsewhere`); that helper then makes the file sets too."""
        self._paired = True
        return self._choosing

    def start(self, sets: tuple[FileSet, ...]) -> tuple[FileSet, ...]:
        """The same sets, each reading what a helper makes (plan_site's `sets_elsewhere`); made now unless paired with related claims."""
        if not sets:
            return sets
        self._sets = self._waiting = sets
        if not self._paired:
            self.go()
        return tuple(dataclasses.replace(file_set, make=functools.partial(self._take, index)) for index, file_set in enumerate(sets))

    def go(self) -> None:
        """Start a helper for the sets if none makes them yet (no related claims were chosen in one)."""
        sets, self._waiting = self._waiting, ()
        if sets:
            aside: Aside[list[_Files]] = Aside(functools.partial(_make_all, sets), fork=True)
            self._aside, self._files = aside, aside.outcome

    def _choosing(self, work: Callable[[], _T]) -> _Pending[_T]:
        sets, self._waiting = self._waiting, ()
        if not sets:
            return _Pending(Aside(work, fork=True))
        aside = Aside(work, fork=True, then=functools.partial(_make_all, sets))
        self._aside, self._files = aside, aside.then_outcome
        return _Pending(aside)

    def wait(self) -> None:
        """Take the helper's files now, so that it has ended before the render's processes are forked (each would copy what it holds)."""
        self.go()
        files, self._files = self._files, None
        if files is not None:
            made = files()
            # A helper that failed or died is no reason to fail the build: the sets are then made here, as without one.
            self._made = list(made) if made is not None else [None] * len(self._sets)

    def _take(self, index: int) -> _Files:
        self.wait()
        made = self._made[index] if index < len(self._made) else None
        if made is not None:
            self._made[index] = None  # handed over once: the sink writes the files and lets them go
            return made
        return list(self._sets[index].make())

    def close(self) -> None:
        """Stop a helper whose files were never asked for (a build that failed first)."""
        aside, self._aside, self._files = self._aside, None, None
        if aside is not None:
            aside.close()

    def __enter__(self) -> SetsAside:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Pending(Generic[_T]):
    """The related claims' side of a paired helper: once their lists are taken, closing it leaves the helper to make the sets."""

    def __init__(self, aside: Aside[_T]) -> None:
        self._aside = aside

    def outcome(self) -> _T | None:
        """The lists, or None if the helper failed (the plan then chooses them itself)."""
        return self._aside.outcome()

    def close(self) -> None:
        """Stop the helper if the lists were never taken (planning failed first)."""
        if not self._aside.taken:
            self._aside.close()
