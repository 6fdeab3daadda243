"""Work made in parts (jobs.InParts: the exports of every claim; jobs.Gathered: the search index), spread over the render's processes.

An export or the search index of a large archive is seconds of work for one process, and made whole it
reads every claim at once, which a render helper would copy (reference counts). Made in parts, each part
is one more unit of the render's work, taken by whichever process is free, that reads its own claims
only; each is written to a file of its own in a folder beside the staging folder, and once every part is
made the build's process joins them, in order, into the page's file (or reads them back for the search
index to finish). The bytes are those made whole.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.output.newfiles import create_file
from generator.output.swap import staging_prefix
from generator.site.jobs import FileSet, Gathered, InParts, PageJob

PARTS_A_RUN = 4  # parts taken together by a process: a part takes a few tens of milliseconds

Part = Callable[[], bytes | Iterable[bytes]]


@dataclass(frozen=True)
class Parts:
    """Works cut into parts, each work's parts in order; unit `n` is part `units[n][1]` of work `units[n][0]`, made into `folder`.

    The units go part by part: the first part of every work, then the second of every work, and so on.
    """

    works: tuple[tuple[Part, ...], ...] = ()
    folder: str = ""
    units: tuple[tuple[int, int], ...] = field(init=False)

    def __post_init__(self) -> None:
        # Part by part across the works: part n of each export and of the search index read the same claims, and
        # taken together (one run) they are copied once by the process that takes them (reference counts), not
        # once per work. Work by work, at 40,000 reports, each work's parts swept the whole model again: a render
        # helper passed its memory budget (and a fresh one was forked) every 0.8 s while the parts were made.
        longest = max(map(len, self.works), default=0)
        units = tuple((work, number) for number in range(longest) for work, parts in enumerate(self.works) if number < len(parts))
        object.__setattr__(self, "units", units)

    def runs(self, first: int) -> list[range]:
        """The units as runs of work numbered from `first` (after the plan's pages)."""
        return [range(first + start, first + min(start + PARTS_A_RUN, len(self.units))) for start in range(0, len(self.units), PARTS_A_RUN)]

    def make(self, unit: int) -> None:
        """Make unit number `unit` into its file."""
        work, number = self.units[unit]
        made = self.works[work][number]()
        create_file(self._file(work, number), (made,) if isinstance(made, bytes) else made)

    def join(self, target: str, work: int) -> os.stat_result:
        """Create `target` from the parts of `work`, in order, and tell its size and time; each part's file goes once joined."""
        return create_file(target, (piece for part in self._taken(work) for piece in iter(functools.partial(part.read, 1 << 20), b"")))

    def read(self, work: int) -> Iterator[bytes]:
        """Each part's bytes of `work`, in order, read as they are asked for; their files go."""
        # One part at a time: the search index's 90 parts at 40,000 reports were 42 MB held together.
        return (part.read() for part in self._taken(work))

    def _taken(self, work: int) -> Iterator[io.BufferedReader]:
        for number in range(len(self.works[work])):
            path = self._file(work, number)
            with open(path, "rb") as part:
                yield part
            os.unlink(path)

    def _file(self, work: int, number: int) -> str:
        return f"{self.folder}/{work}.{number}"


@dataclass(frozen=True)
class Split:
    """What a render makes in parts: jobs as (index, InParts), then file sets as (index, Gathered); works are numbered in that order."""

    jobs: tuple[tuple[int, InParts], ...] = ()
    sets: tuple[tuple[int, Gathered], ...] = ()

    def works(self) -> list[tuple[Part, ...]]:
        """Each work's parts, jobs first."""
        return [*(made.parts for _, made in self.jobs), *(made.parts for _, made in self.sets)]

    def set_work(self, position: int) -> int:
        """The work number of the `position`-th file set made in parts."""
        return len(self.jobs) + position


def split_work(jobs: Sequence[PageJob], rendered: Sequence[bool], file_sets: Sequence[FileSet]) -> Split:
    """The rendered jobs and the file sets made in parts of more than one."""
    # A pass over every job that makes nothing for most: a list of them all would be held at the fork.
    split_jobs = ((index, job.produce) for index, job in enumerate(jobs) if isinstance(job.produce, InParts) and len(job.produce.parts) > 1)
    split_sets = ((index, fs.make) for index, fs in enumerate(file_sets) if isinstance(fs.make, Gathered) and len(fs.make.parts) > 1)
    return Split(tuple((index, made) for index, made in split_jobs if rendered[index]), tuple(split_sets))


@contextlib.contextmanager
def parts_folder(out: Path, works: Sequence[tuple[Part, ...]]) -> Iterator[Parts]:
    """Parts of these works, with a folder beside the output folder for their files while the block runs.

    Named like a staging folder, so that a killed build's is removed by the next (swap.recover).
    """
    if not works:
        yield Parts()
        return
    folder = tempfile.mkdtemp(prefix=staging_prefix(out) + "parts-", dir=out.parent)
    try:
        yield Parts(tuple(works), folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
