"""Worker processes: reports are checked and modelled, and pages rendered and written, in parallel.

Helpers are forked, so they inherit what the parent prepared (the checking context, the site
model, the page plan) without pickling it; only small results travel back: each report's model
and diagnostics (batch by batch, so that no helper holds its share to the end), each written
file's facts. The parent renders its share of the pages too; reports are checked by helpers
alone, so the models the parent receives are not strewn among the garbage of checking (which
would keep its memory pages alive, and be copied into the render helper); it takes them in as
they come, while the helpers go on. Results come back in input order, so the output never
depends on which process did what. Where fork is unavailable, or the process runs threads
(serve), everything runs in this process instead.
"""

from __future__ import annotations

import ctypes
import functools
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from generator.pipeline.heap import freeze_for_fork

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL_REPORTS = 48  # below this, starting workers costs more than it saves
MAX_WORKERS = 8


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


Progress = Callable[[int], None]  # told how many items are done, as results come in
Retire = Callable[[], bool]  # asked by a helper after each batch: True ends it (heap.MemoryBudget)
Hook = Callable[[], None]  # called by this process between two pieces of its work
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
    parent_works: bool = True,
    retire: Retire | None = None,
) -> list[R]:
    """[func(x) for x in items], spread over `workers` processes (this one and forked helpers); results in input order.

    `meanwhile` runs in this process first, while the helpers already work, for work that needs no helper.
    With `parent_works` False, `workers` helpers do all the work and send each batch's results as it is
    done, and this process only collects them: no helper holds its share to the end. With `parent_works`,
    a helper asks `retire` after each batch: True ends it, with its results, and a fresh fork takes over
    once this process is done with its own batch, while batches are left (heap.MemoryBudget: what a
    helper holds of its own is given back): this process forks it as soon as it is done with its item, so
    the other core waits at most an item (the items are small runs of pages).
    """
    if workers <= 1 or len(items) <= 1:
        if meanwhile is not None:
            meanwhile()
        results: list[R] = []
        for item in items:
            results.append(func(item))
            if progress is not None:
                progress(len(results))
        return results
    # This process works too, rather than waiting for a pool: a helper holds a copy of every page of the
    # parent's objects it touches (reference counts), so one process fewer is that much less memory.
    context = multiprocessing.get_context("fork")
    share = _Share(func, items, max(1, chunksize), context.Value("q", 0), context.Value("q", 0))
    helpers: list[Any] = []  # every helper started, for the cleanup below

    def start() -> tuple[Any, Any]:
        """A helper taking batches: the end of its pipe this process reads, and the helper."""
        receiver, sender = context.Pipe(duplex=False)
        # A helper beside this process keeps its results to the end (or until it retires); one alone sends each batch's.
        work = functools.partial(share.work, retire=retire) if parent_works else functools.partial(share.work, None, sender)
        helper = context.Process(target=_helper, args=(work, sender, os.getpid()), daemon=True)
        helpers.append(helper)
        helper.start()
        sender.close()  # the helper holds its own end: this copy would hide its death
        return receiver, helper

    made: dict[int, Any] = {}

    def replace_retired() -> None:
        """Take the results of helpers that ended (done, or retired with batches left) and fork one for each retired."""
        ready = multiprocessing.connection.wait(list(live), timeout=0) if retire is not None else []
        for receiver in [known for known in live if known in ready]:
            helper = live.pop(receiver)
            made.update(_collect(receiver, helper))
            helper.join()  # reaped now, not left a zombie to the end
            receiver.close()
            if share.left():
                receiver, helper = start()
                live[receiver] = helper

    try:
        live = dict(start() for _ in range(workers - 1 if parent_works else workers))
        if meanwhile is not None:
            meanwhile()
        if not parent_works:
            made.update(share.gather(live, progress))
        else:
            while share.left():
                made.update(share.work(progress, batches=1, between=replace_retired))  # helpers replaced between pieces
            for receiver, helper in live.items():
                made.update(_collect(receiver, helper))
    finally:
        for helper in helpers:
            if helper.is_alive():
                helper.terminate()
            helper.join()
    if progress is not None:
        progress(len(items))
    return [made[index] for index in range(len(items))]


class _Share:
    """The items and two counters in shared memory: the next batch to take, and how many items are done."""

    def __init__(self, func: Callable[[Any], Any], items: Sequence[Any], size: int, taken: Any, done: Any) -> None:
        self.func, self.items, self.size, self.taken, self.done = func, items, size, taken, done

    def left(self) -> bool:
        """Whether a batch is left to take."""
        return bool(self.taken.value * self.size < len(self.items))

    def work(
        self, progress: Progress | None = None, sender: Any = None, batches: int = -1, retire: Retire | None = None, between: Hook | None = None
    ) -> dict[int, Any]:
        """Take batches until none is left (or `batches` were taken, or `retire` says so after one); each item's result by its index.

        With a `sender`, each batch's results are sent as it is done. `between` is called after each item.
        """
        made: dict[int, Any] = {}
        while batches != 0:
            batches -= 1
            with self.taken.get_lock():
                start = self.taken.value * self.size
                self.taken.value += 1
            if start >= len(self.items):
                return made
            stop = min(start + self.size, len(self.items))
            for index in range(start, stop):
                made[index] = self.func(self.items[index])
                if between is not None:
                    between()
            if sender is not None:
                sender.send((_PART, made))
                made = {}
            with self.done.get_lock():
                self.done.value += stop - start
                done = self.done.value
            if progress is not None:
                progress(done)
            if retire is not None and retire():
                break
        return made

    def gather(self, helpers: dict[Any, Any], progress: Progress | None) -> dict[int, Any]:
        """Every result the helpers send (by receiver: the helper), batch by batch, passing on how far they got; this process takes no item."""
        made: dict[int, Any] = {}
        told = -1
        pending = dict(helpers)
        while pending:
            for receiver in multiprocessing.connection.wait(list(pending), timeout=0.2):
                kind, value = _received(receiver, pending[receiver])
                made.update(value)
                if kind != _PART:
                    del pending[receiver]
            done = self.done.value
            if progress is not None and done != told:
                progress(done)
                told = done
        return made


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _end_with(parent: int) -> None:
    """In a helper: be killed when the process that forked it ends, however it ends.

    A build killed outright (SIGKILL, out of memory) otherwise left its helpers behind, rendering pages for
    no one or waiting for ever to write to a pipe nobody reads (they held its reading end themselves).
    """
    prctl = getattr(ctypes.CDLL(None), "prctl", None)  # Linux; elsewhere a helper ends when it next writes
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


def _helper(work: Callable[[], Any], sender: Any, parent: int, then: Callable[[], Any] | None = None) -> None:
    # In a forked helper: work, then send the results not yet sent (or what went wrong, for the parent to raise).
    _end_with(parent)
    for step in (work,) if then is None else (work, then):
        try:
            outcome: tuple[str, Any] = ("done", step())
        except BaseException as exc:  # handed to the parent, which raises it
            outcome = ("failed", exc)
        try:
            sender.send(outcome)
        except Exception as exc:  # the result or the error could not be pickled
            sender.send(("failed", RuntimeError(f"a worker's result could not be sent back: {exc!r}")))
    sender.close()


_PART = "part"  # a batch of results sent by a helper that goes on working


def _collect(receiver: Any, helper: Any) -> Any:
    """A helper's result; its exception raised here; an error if it died without a word."""
    return _received(receiver, helper)[1]


def _received(receiver: Any, helper: Any) -> tuple[str, Any]:
    """The next message from a helper, (kind, value); its exception raised here; an error if it died without a word."""
    try:
        kind, value = receiver.recv()
    except EOFError:
        helper.join()
        raise RuntimeError(f"a worker process ended unexpectedly (exit code {helper.exitcode})") from None
    if kind == "failed":
        try:
            raise value
        finally:
            # The exception's traceback holds this frame: without this, the two (and the pipe) would wait for the collector.
            value = None
    return kind, value


class Aside(Generic[R]):
    """Work done in a forked process while this one goes on (where no process can be forked: here, when its result is asked for).

    For work this process would otherwise do alone while the other core waits (saving the check's
    results, choosing related claims); only its result travels back. Use it as a context manager:
    a helper still running when the block ends (on an error) is stopped.
    """

    def __init__(self, work: Callable[[], R], fork: bool, then: Callable[[], Any] | None = None) -> None:
        self._work: Callable[[], R] | None = work
        self._then = then  # more work for the same helper once `work` is done: what it copies of this process is copied once
        self._helper: Any = None
        self._receiver: Any = None
        if fork and _can_fork():
            # The helper's collections then leave this process's objects (and their pages) alone, and the free
            # pages this process would otherwise fill, and so copy, while the helper lives are handed back.
            freeze_for_fork()
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._helper = context.Process(target=_helper, args=(work, sender, os.getpid(), then), daemon=True)
            self._helper.start()
            sender.close()  # the helper holds its own end: this copy would hide its death
            self._work = None
        self.forked = self._helper is not None
        self.taken = False  # whether the result was asked for

    def result(self) -> R:
        """The work's result, once: waited for from the helper, or the work done now."""
        work, self._work = self._work, None
        if self.taken or (work is None and self._helper is None):
            raise RuntimeError("an Aside's result was asked for twice")
        self.taken = True  # the helper may still be at its follow-up work
        if work is not None:
            return work()
        try:
            made: R = _collect(self._receiver, self._helper)
        except BaseException:
            self.close()
            raise
        if self._then is None:
            self.close()
        return made

    def then_outcome(self) -> Any:
        """The follow-up work's result, after `result`; None if the helper failed or died, the work done now if it never ran in one."""
        then, self._then = self._then, None
        if then is None:
            raise RuntimeError("an Aside has no follow-up work left")
        if self._helper is None:
            return then()
        try:
            return _collect(self._receiver, self._helper)
        except Exception:  # as `outcome`: the caller does the work itself
            return None
        finally:
            self.close()

    def outcome(self) -> R | None:
        """The result, or None if the helper failed or died (out of memory, say): the caller then does the work itself."""
        return self._taken()[1]

    def finish(self) -> bool:
        """Wait for work whose result nobody needs (a cache that may go unwritten); False if the helper failed or died.

        Its failure is not raised: it would stop a build that succeeded, or hide the error a failing build is reporting.
        """
        return self._taken()[0]

    def _taken(self) -> tuple[bool, R | None]:
        forked = self._helper is not None
        try:
            return True, self.result()
        except Exception:  # the helper's exception or its death, handed over by _collect; a bug shows again where the work is redone
            if not forked:
                raise  # done here, the work's own exceptions are this program's bugs
            return False, None

    def close(self) -> None:
        """Stop the helper if it still runs (its result is not wanted: `result` waits for it), and wait for it."""
        helper, self._helper = self._helper, None
        if helper is None:
            return
        if helper.is_alive():
            helper.terminate()
        helper.join()
        self._receiver.close()

    def __enter__(self) -> Aside[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def chunks(count: int, pieces: int, workers: int = 1, smallest: int = 16) -> list[range]:
    """Split range(count) into contiguous runs of about count/`pieces` items, smaller toward the end.

    Runs are taken in order by `workers` processes: the last ones shrink (each an eighth of what is
    left a process, down to `smallest`), so that no process is left with a long run while the others wait.
    """
    runs: list[range] = []
    size = max(1, -(-count // pieces)) if count else 1
    start = 0
    while start < count:
        left = count - start
        step = min(size, max(smallest, left // (8 * workers)))
        runs.append(range(start, min(count, start + step)))
        start += step
    return runs


def runs_without(runs: list[range], taken: set[int]) -> list[range]:
    """The runs with the indexes in `taken` left out (a run they split becomes two)."""
    kept: list[range] = []
    for run in runs:
        start = run.start
        for index in sorted(i for i in taken if run.start <= i < run.stop):
            kept.append(range(start, index))
            start = index + 1
        kept.append(range(start, run.stop))
    return [run for run in kept if run]
