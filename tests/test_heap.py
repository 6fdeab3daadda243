"""The collector and the allocator around forks (generator/pipeline/heap.py)."""

from __future__ import annotations

import gc
import multiprocessing
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import heap
from generator.pipeline.heap import MemoryBudget, collect_page_garbage_often, collector_paused, private_memory, resident_memory, tuned_gc


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_page_garbage_is_collected_often_while_rendering_and_the_threshold_restored_after() -> None:
    """A cycle made while pages render (Jinja's contexts make one per page) is freed soon, not after 200,000 allocations."""
    before = gc.get_threshold()
    with tuned_gc():
        gc.collect()
        collect_page_garbage_often()
        cycle = _Node()
        gone = weakref.ref(cycle)
        del cycle
        kept = [[] for _ in range(30_000)]  # containers count towards the next collection
        assert gone() is None
        assert len(kept) == 30_000
    assert gc.get_threshold() == before


def test_tuned_gc_restores_the_thresholds() -> None:
    before = gc.get_threshold()
    with tuned_gc():
        assert gc.get_threshold()[0] > before[0]
        gc.freeze()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_collector_paused_runs_no_collection_then_sets_the_objects_aside() -> None:
    """Inside, the collector is off; afterwards it is on again and what was made is frozen (tuned_gc gives it back)."""
    with tuned_gc():
        frozen = gc.get_freeze_count()
        with collector_paused():
            assert not gc.isenabled()
            made = [[n] for n in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(made)
    assert gc.get_freeze_count() == 0


def test_tuned_gc_ends_without_a_collection_of_what_it_made() -> None:
    """Leaving tuned_gc moves the live objects to the oldest generation, so restoring the threshold starts no young collection."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    with tuned_gc():
        kept = [[n] for n in range(50_000)]
        gc.callbacks.append(note)
    try:
        assert gc.get_count()[0] < 700 and kept
        [[n] for n in range(10)]  # a few allocations after the thresholds are back
        assert seen == []
    finally:
        gc.callbacks.remove(note)


def test_free_memory_is_handed_back_before_a_fork() -> None:
    """Pages the C allocator keeps for freed blocks would be reused, and so copied, by both processes after a fork."""
    script = (
        "from generator.pipeline.heap import release_free_memory\n"
        "def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096 // 2**20\n"
        "held = [bytes(1000) for _ in range(100_000)]\n"  # above pymalloc's limit: the C allocator's blocks
        "kept = held[::32]\n"  # a few stay, so the heap cannot simply shrink from its top
        "del held\n"
        "before = rss(); release_free_memory(); print(before, rss())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
    before, after = map(int, done.stdout.split())
    assert before - after > 50, (before, after)  # about 95 MB of freed blocks were resident


def test_a_budget_is_a_share_of_the_memory_at_the_fork_and_says_when_it_is_passed() -> None:
    resident, private = resident_memory(), private_memory()
    assert resident is not None and private is not None and 0 < private <= resident
    budget = MemoryBudget()
    assert budget.limit is not None and budget.limit >= max(MemoryBudget.FLOOR, resident // MemoryBudget.SHARE)
    budget.limit = (private_memory() or 0) + 48 * 2**20
    assert not budget()
    grown = bytearray(96 * 2**20)
    grown[:: 2**12] = b"x" * len(range(0, len(grown), 2**12))  # every page written: this process's own
    assert not budget()  # read a moment ago: not read again so soon
    budget.EVERY = 0
    assert budget()
    del grown


def test_a_budget_reads_the_memory_again_only_once_faults_could_have_passed_it(monkeypatch: pytest.MonkeyPatch) -> None:
    readings: list[int | None] = []

    def reading() -> int | None:
        readings.append(private_memory())
        return readings[-1]

    monkeypatch.setattr(heap, "private_memory", reading)
    budget = MemoryBudget()
    budget.EVERY = 0
    budget.limit = (private_memory() or 0) + 64 * 2**20
    assert not budget() and len(readings) == 1
    assert not budget() and not budget() and len(readings) == 1  # too few faults since to pass 64 MB
    grown = bytearray(96 * 2**20)
    grown[:: 2**12] = b"x" * len(range(0, len(grown), 2**12))  # 24,576 pages faulted in
    assert budget() and len(readings) == 2
    del grown


def _grown_after(seconds: float, monkeypatch: pytest.MonkeyPatch) -> bool:
    """What a budget 64 MB above this process's memory says once it has grown 40 MB in `seconds`."""
    clock = [1000.0]
    monkeypatch.setattr(heap.time, "monotonic", lambda: clock[0])
    budget = MemoryBudget()
    budget.limit = (private_memory() or 0) + 64 * 2**20
    assert not budget()  # the first reading
    grown = bytearray(40 * 2**20)
    grown[:: 2**12] = b"x" * len(range(0, len(grown), 2**12))  # every page written: this process's own
    clock[0] += seconds
    return budget()


def test_a_helper_growing_fast_ends_before_it_passes_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # 40 MB in a quarter of a second: as much again before the next reading would pass the 64 MB budget.
    assert _grown_after(MemoryBudget.EVERY, monkeypatch)
    # The same 40 MB over ten seconds: far from the budget at that pace.
    assert not _grown_after(10.0, monkeypatch)


def _helper_after_the_parent_writes(budget: MemoryBudget, written: Any, answer: Any) -> None:
    answer.send(budget())  # the first reading
    written.wait()
    answer.send(budget())


def test_a_helper_counts_the_pages_its_parent_copies_since_the_fork() -> None:
    """The parent writing its own pages leaves the helper the originals: the helper's own memory grows by faults not its own."""
    shared = bytearray(128 * 2**20)
    shared[:: 2**12] = b"y" * len(range(0, len(shared), 2**12))  # resident before the fork, then shared with the helper
    context = multiprocessing.get_context("fork")
    budget = MemoryBudget()
    budget.EVERY = 0
    budget.limit = 64 * 2**20  # the helper's own memory starts near nothing, whatever this process holds
    written = context.Event()
    receiver, sender = context.Pipe(duplex=False)
    helper = context.Process(target=_helper_after_the_parent_writes, args=(budget, written, sender))
    helper.start()
    try:
        assert receiver.recv() is False
        shared[:: 2**12] = b"z" * len(range(0, len(shared), 2**12))  # 32,768 pages copied here; the helper holds the originals
        written.set()
        assert receiver.recv() is True
    finally:
        helper.join(10)
    del shared


def test_a_budget_that_cannot_read_memory_never_ends_a_helper() -> None:
    budget = MemoryBudget()
    budget.limit = None
    assert not budget()
