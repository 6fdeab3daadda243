"""Worker processes: reports are checked and modelled, and pages rendered and written, in parallel.

Workers are forked, so they inherit what the parent prepared (the checking context, the site
model, the page plan) without pickling it; only small results travel back: each report's model
and diagnostics, each written file's facts. Results come back in input order, so the output never
depends on which worker did what. Where fork is unavailable, or the process runs threads (serve),
everything runs in this process instead.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL_REPORTS = 48  # below this, starting workers costs more than it saves
MAX_WORKERS = 8

_TASK: Callable[[Any], Any] | None = None  # set just before forking; workers inherit it


def worker_count(items: int, requested: int = 0) -> int:
    """How many processes to use for `items` units of work (`requested` > 0 forces a number)."""
    if requested > 0:
        return requested if _can_fork() else 1
    if items < MIN_PARALLEL_REPORTS or not _can_fork():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def _can_fork() -> bool:
    # Forking a process that runs threads can copy a held lock; serve runs threads, so it stays serial.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run_task(arg: Any) -> Any:
    assert _TASK is not None
    return _TASK(arg)


Progress = Callable[[int], None]  # told how many items are done, as results come in
StageProgress = Callable[[str, int, int], None]  # (stage, done, total), for the command's progress line


def no_progress(stage: str, done: int, total: int) -> None:
    """A StageProgress that shows nothing."""


def fork_map(
    func: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    chunksize: int = 1,
    progress: Progress | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[R]:
    """[func(x) for x in items], spread over `workers` forked processes; results in input order.

    `meanwhile` runs in this process while the workers work (else first), for work that needs no worker.
    """
    global _TASK
    results: list[R] = []
    if workers <= 1 or len(items) <= 1:
        if meanwhile is not None:
            meanwhile()
        for item in items:
            results.append(func(item))
            if progress is not None:
                progress(len(results))
        return results
    _TASK = func
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            running = pool.imap(_run_task, items, chunksize)
            if meanwhile is not None:
                meanwhile()
            for result in running:
                results.append(result)
                if progress is not None:
                    progress(len(results))
            return results
    finally:
        _TASK = None


@contextlib.contextmanager
def tuned_gc() -> Iterator[None]:
    """Keep the cycle collector out of the build's way; it rescans millions of live objects otherwise.

    A build allocates many long-lived objects (YAML nodes, the model) and makes few cycles, so the
    collector runs rarely here, and objects alive at a fork are frozen so workers do not copy them.
    """
    before = gc.get_threshold()
    gc.set_threshold(200_000, 50, 1000)
    try:
        yield
    finally:
        # Everything alive goes to the oldest generation first: restoring a low threshold would otherwise
        # start a collection of the millions of young objects at once (half a second at 4,000 reports).
        gc.freeze()
        gc.set_threshold(*before)
        gc.unfreeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection while a large, acyclic structure is made (the build cache's models), then those objects
    are moved out of the collector's reach: a third faster to load, and later collections do not scan them again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def freeze_for_fork() -> None:
    """Move every live object out of the collector's reach before forking, so workers do not copy them.

    Nothing is collected first: that would scan every object, and the build ends soon anyway.
    """
    gc.freeze()


def chunks(count: int, pieces: int) -> list[range]:
    """Split range(count) into about `pieces` contiguous runs (more runs than workers, for balance)."""
    if count == 0:
        return []
    size = max(1, -(-count // pieces))
    return [range(start, min(count, start + size)) for start in range(0, count, size)]
