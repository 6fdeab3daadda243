"""The page writer: what each render process runs on its runs of planned pages, in the staging folder.

Made in the build's process and inherited by the forked helpers. Each page is rendered, or hard-linked
from the current site, or kept (the staging folder is the site before last); a unit of work numbered
past the plan's pages is a part of a file made in parts (parts.py).
"""

from __future__ import annotations

import array
import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.diagnostics import Diagnostic
from generator.output.newfiles import create_file, make_folder
from generator.output.parts import Parts
from generator.pipeline.workers import chunks
from generator.site import urls
from generator.site.jobs import PageJob, pieces
from generator.site.plan import SitePlan
from generator.site.render import render_failure, render_job
from generator.site.theme import Theme

KEEP, LINK, RENDER = "keep", "link", "render"  # what to do with each page's file in the staging folder
_WORD = 2**64


@dataclass(frozen=True)
class Chunk:
    """What a worker wrote: (index, size, mtime_ns, inode) per file, and the template errors it met."""

    facts: array.array[int]  # four numbers a file, flat: 32 bytes where tuples took 170 (a build holds and sends 35,000)
    failures: list[Diagnostic]
    rendered: int

    def files(self) -> Iterator[tuple[int, int, int, int]]:
        """(index, size, mtime_ns, inode) of each file written."""
        numbers = self.facts
        for start in range(0, len(numbers), 4):
            index, size, mtime, inode = numbers[start : start + 4]
            yield index, size, mtime - _WORD if mtime >= _WORD // 2 else mtime, inode


# Pages a run at most. A helper is asked whether it passed its memory budget only between two runs, and a run of
# listing pages copies much of the model: runs of 975 pages at 40,000 reports took helpers 60 MB past their budget.
# The build's process forks a fresh helper for one that ended between two of its own runs too: the other core waits that long.
RUN_PAGES = 64


def page_runs(total: int, workers: int) -> list[range]:
    """range(total) in runs of RUN_PAGES pages at most, smaller toward the end, for `workers` processes (workers.chunks)."""
    return chunks(total, max(workers * 128, -(-total // RUN_PAGES)), workers)


def _fact(index: int, st: os.stat_result) -> tuple[int, int, int, int]:
    """A file's facts as unsigned words: a time before 1970 is negative (Chunk.files reads it back)."""
    return index, st.st_size, st.st_mtime_ns % _WORD, st.st_ino


def facts_of(files: Sequence[tuple[int, os.stat_result]]) -> Chunk:
    """A Chunk for files the build's process made itself (joined from parts): (index, stat) each."""
    facts = array.array("Q")
    for index, st in files:
        facts.extend(_fact(index, st))
    return Chunk(facts, [], len(files))


class PageWriter:
    """Renders (or links, or keeps) a run of planned pages in the staging folder; made in the parent.

    Files are always replaced by unlinking and creating, never rewritten in place, because
    unchanged files are hard links shared with the live site.
    """

    def __init__(
        self,
        env: jinja2.Environment,
        plan: SitePlan,
        theme: Theme,
        root: Path,
        out: Path,
        staging: Path,
        actions: list[str],
        fresh: bool = False,
        parts: Parts | None = None,
    ) -> None:
        self.env, self.plan, self.theme = env, plan, theme
        self.root, self.out, self.staging = root, out, staging
        self.actions = actions
        # A staging folder made for this build holds no file yet: a page is created, with nothing to unlink first.
        self.fresh = fresh
        self.parts = parts or Parts()
        self.failed = False  # set in the process that met a template's error (each worker has its own copy)

    def __call__(self, run: Sequence[int]) -> Chunk:
        """Write the pages with these indexes (or make these parts); a template's error is noted and the next page written."""
        facts = array.array("Q")  # unsigned: an inode number may take all 64 bits
        failures: list[Diagnostic] = []
        made: set[str] = set()
        rendered = 0
        staging = f"{os.fspath(self.staging)}/"  # paths as plain text (newfiles.py says why)
        pages = len(self.plan.jobs)
        for index in run:
            if self.failed:
                break
            if index >= pages:
                self.parts.make(index - pages)
                continue
            # Worked out here, not held in a list: 35,000 paths the render processes would both copy.
            rel = urls.output_path(self.plan.jobs[index].url)
            target = staging + rel
            action = self.actions[index]
            folder = target.rpartition("/")[0]
            if action != KEEP and folder not in made:
                make_folder(folder)
                made.add(folder)
            if action == LINK:
                unlink(target)
                try:
                    os.link(self.out / rel, target)
                except OSError:
                    action = RENDER
            if action == RENDER:
                try:
                    st = self._make(self.plan.jobs[index], target)
                except Exception as exc:  # sorted into the template's error or ours just below
                    failure = render_failure(exc, self.theme, self.root)
                    if failure is None:
                        raise
                    # The build fails anyway: this process renders nothing more (a runaway template would
                    # otherwise cost its time limit once for every page that uses it).
                    self.failed = True
                    failures.append(failure)
                    break
                rendered += 1
            else:
                st = os.stat(target)
            facts.extend(_fact(index, st))
        return Chunk(facts, failures, rendered)

    def join(self, index: int, work: int) -> os.stat_result:
        """Make the file of job `index` from the parts of `work`, all made (in the build's process, after the render)."""
        target = f"{os.fspath(self.staging)}/{urls.output_path(self.plan.jobs[index].url)}"
        make_folder(target.rpartition("/")[0])
        if not self.fresh:
            unlink(target)
        return self.parts.join(target, work)

    def _make(self, job: PageJob, target: str) -> os.stat_result:
        """Render the job into `target` and tell its size and time; a made file's pieces are written as they come, never held whole."""
        made: bytes | Iterator[bytes] = render_job(self.env, job, self.plan.site).data if job.produce is None else job.produce()
        if not self.fresh:
            unlink(target)  # a file cut short by an error is never believed: the manifest knows each file's size and time
        # Created, never opened for rewriting: an existing file here would be a hard link shared with the live site.
        return create_file(target, pieces(made))


def unlink(target: Path | str) -> None:
    """Remove a file if it is there."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
