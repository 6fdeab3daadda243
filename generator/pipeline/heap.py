"""The collector and the C allocator around forks: what a helper would otherwise copy of its parent, and what it holds.

After a fork, a page of memory that either process writes exists twice from then on, and reading a
Python object writes its reference count. So objects alive at a fork are frozen (the collector never
scans them), the allocator's free pages are handed back first, and a render helper that has come to
hold too much of its own (`MemoryBudget`) ends, a fresh fork taking over.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import os
import resource
import time
from collections.abc import Iterator
from typing import Any


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
    # With every object frozen, a full collection scans nothing, but it empties the interpreter's free lists
    # (tuples, floats, frames): a helper's first full collection would free them there, writing to (and so
    # copying) the pages that hold them, 13 MB at 40,000 reports, in every helper forked.
    gc.collect()
    release_free_memory()


def release_free_memory() -> None:
    """Hand the C allocator's free pages back to the system (glibc's malloc_trim; nothing elsewhere)."""
    # The C allocator keeps the pages of freed blocks (the check results' buffers, planning's garbage) resident;
    # both processes would then reuse, and so copy, them. Handing them back first keeps them out of both.
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None; looked up once: each CDLL makes a class, and so a reference cycle, of its own."""
    # The program's own symbols, libc's among them: no search for the library (find_library runs ldconfig).
    return getattr(ctypes.CDLL(None), "malloc_trim", None)


# Once the long-lived objects are frozen, a collection scans only what was made since: a page's garbage.
PAGE_GARBAGE_THRESHOLD = (20_000, 10, 10)


def collect_page_garbage_often() -> None:
    """After freeze_for_fork, before rendering: collect young cycles often, in every process that renders.

    Jinja's contexts and macros make reference cycles on every page; with the build's high threshold
    each process held 40 MB of them between collections (measured at 4,000 reports). Frozen objects
    are never scanned, so the frequent collections cost little. tuned_gc restores the threshold.
    """
    gc.set_threshold(*PAGE_GARBAGE_THRESHOLD)


def private_memory() -> int | None:
    """This process's memory that no other process shares, in bytes (its own objects, and its copies of pages since a fork); None where it cannot tell."""
    return _rollup(b"Private_Dirty:")


def resident_memory() -> int | None:
    """This process's resident memory in bytes; None where it cannot tell."""
    return _rollup(b"Rss:")


def _rollup(field: bytes) -> int | None:
    """A figure of /proc/self/smaps_rollup, in bytes (Linux 4.14 and later: a few milliseconds at 1 GB)."""
    try:
        with open("/proc/self/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class MemoryBudget:
    """Asked by a render helper after each run of pages: True once it holds more memory of its own than its budget.

    Made in the parent just before the fork. Whatever a helper holds of its own is on top of the parent:
    the copies of the parent's pages it wrote (reading an object writes its reference count), and the
    originals of pages the parent has since written. Over a long render a helper comes to hold half of
    the parent again (460 MB at 40,000 reports); a helper that ends hands all of it back, and a fresh
    fork shares the parent's memory whole. The budget is a share of the parent's memory, so a small site's
    helper never ends (it never comes near), and a large one's a few times a build.

    Reading a process's memory walks all of its pages (6 to 12 ms at 1 GB, four times a second in a large
    helper). A page becomes a helper's own only through a page fault, its own or another process's (the
    copy that leaves it the original), so the memory is read again only once the faults of every process
    since the last reading could have taken the helper past its budget.
    """

    # Of the parent's resident memory at the fork. At 40,000 reports a fifth (146 MB) takes 24 forks where a sixth took
    # 28, each one's copies made again, and the build's peak stays where it was (917 MB: it is reached at the first fork).
    SHARE = 5
    FLOOR = 96 * 2**20  # below this, a fresh fork would cost more time than the memory is worth
    EVERY = 0.25  # seconds between two readings at least: one costs milliseconds in a large process

    def __init__(self) -> None:
        resident = resident_memory()
        self.limit = None if resident is None else max(self.FLOOR, resident // self.SHARE)
        self._read = 0.0  # when the memory was last read
        self._parent = os.getpid()
        self._helpers = multiprocessing.get_context("fork").Value("q", 0)  # every helper's faults, each adding its own as it goes
        self._added = 0  # this helper's faults added to `_helpers` so far
        self._held: int | None = None  # this helper's own memory at the last reading, and every process's faults then
        self._faults_then = 0

    def __call__(self) -> bool:
        """Whether this process now holds more than its budget (never, where its memory cannot be read)."""
        if self.limit is None:
            return False
        faults = self._faults()
        if self._held is not None and faults is not None and self._held + (faults - self._faults_then) * _fault_size() <= self.limit:
            return False
        now = time.monotonic()
        if now - self._read < self.EVERY:
            return False
        held = private_memory()
        if held is None:
            return False
        # Until the next reading, at least EVERY later, the helper grows as fast as it did since the last: a run of
        # listing pages copies 200 MB a second at 40,000 reports, and a helper read just under its budget went 60 MB past it.
        growing = max(0.0, (held - self._held) / (now - self._read)) if self._held is not None and now > self._read else 0.0
        self._read = now
        if faults is not None:
            self._held, self._faults_then = held, faults
        return held + growing * self.EVERY > self.limit

    def _faults(self) -> int | None:
        """Page faults since the fork: this helper's, the other helpers' (as far as they told) and the parent's; None if the parent's are unknown."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        own = usage.ru_minflt + usage.ru_majflt
        with self._helpers.get_lock():
            self._helpers.value += own - self._added
            helpers = int(self._helpers.value)
        self._added = own
        parent = _faults_of(self._parent)
        return None if parent is None else helpers + parent


def _faults_of(pid: int) -> int | None:
    """A process's minor and major page faults (/proc/PID/stat), None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rpartition(b")")[2].split()  # after the command's name, which may hold spaces
        return int(fields[7]) + int(fields[9])
    except (OSError, ValueError, IndexError):
        return None


@functools.cache
def _fault_size() -> int:
    """The most memory one page fault can make a process's own: a page, or a huge page where the kernel maps them unasked."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled", "rb") as thp:
            always = b"[always]" in thp.read()
    except OSError:
        always = False
    return 2 * 2**20 if always else resource.getpagesize()
