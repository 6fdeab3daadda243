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

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

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
) -> list[R]:
    """[func(x) for x in items], spread over `workers` processes (this one and forked helpers); results in input order.

    `meanwhile` runs in this process first, while the helpers already work, for work that needs no helper.
    With `parent_works` False, `workers` helpers do all the work and send each batch's results as it is
    done, and this process only collects them: no helper holds its share to the end.
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
    pipes = [context.Pipe(duplex=False) for _ in range(workers - 1 if parent_works else workers)]
    works = [share.work if parent_works else functools.partial(share.work, None, sender) for _, sender in pipes]
    helpers = [context.Process(target=_helper, args=(work, sender, os.getpid()), daemon=True) for work, (_, sender) in zip(works, pipes, strict=True)]
    try:
        for helper in helpers:
            helper.start()
        for _, sender in pipes:
            sender.close()  # the helper holds its own end: the parent's copy would hide a helper's death
        if meanwhile is not None:
            meanwhile()
        if parent_works:
            made = share.work(progress)
            for (receiver, _), helper in zip(pipes, helpers, strict=True):
                made.update(_collect(receiver, helper))
        else:
            made = share.gather({receiver: helper for (receiver, _), helper in zip(pipes, helpers, strict=True)}, progress)
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

    def work(self, progress: Progress | None = None, sender: Any = None) -> dict[int, Any]:
        """Take batches until none is left; each item's result by its index (with a `sender`, each batch's are sent as it is done)."""
        made: dict[int, Any] = {}
        while True:
            with self.taken.get_lock():
                start = self.taken.value * self.size
                self.taken.value += 1
            if start >= len(self.items):
                return made
            stop = min(start + self.size, len(self.items))
            for index in range(start, stop):
                made[index] = self.func(self.items[index])
            if sender is not None:
                sender.send((_PART, made))
                made = {}
            with self.done.get_lock():
                self.done.value += stop - start
                done = self.done.value
            if progress is not None:
                progress(done)

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
            gc.freeze()  # the helper's collections then leave this process's objects (and their pages) alone
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
    release_free_memory()


def release_free_memory() -> None:
    """Hand the C allocator's free pages back to the system (glibc's malloc_trim; nothing elsewhere)."""
    # The C allocator keeps the pages of freed blocks (the check results' buffers, planning's garbage) resident;
    # both processes would then reuse, and so copy, them. Handing them back first keeps them out of both.
    # The program's own symbols, libc's among them: no search for the library (find_library runs ldconfig).
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)


# Once the long-lived objects are frozen, a collection scans only what was made since: a page's garbage.
PAGE_GARBAGE_THRESHOLD = (20_000, 10, 10)


def collect_page_garbage_often() -> None:
    """After freeze_for_fork, before rendering: collect young cycles often, in every process that renders.

    Jinja's contexts and macros make reference cycles on every page; with the build's high threshold
    each process held 40 MB of them between collections (measured at 4,000 reports). Frozen objects
    are never scanned, so the frequent collections cost little. tuned_gc restores the threshold.
    """
    gc.set_threshold(*PAGE_GARBAGE_THRESHOLD)


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
