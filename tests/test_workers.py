"""Worker processes: results in input order, the same as in one process, and the GC settings restored."""

from __future__ import annotations

import gc
import os

from generator.pipeline import workers as parallel
from generator.pipeline.workers import chunks, fork_map, tuned_gc, worker_count


def test_fork_map_keeps_input_order_and_runs_in_other_processes() -> None:
    parent = os.getpid()
    results = fork_map(lambda x: (x * x, os.getpid()), list(range(50)), workers=2, chunksize=3)
    assert [r[0] for r in results] == [x * x for x in range(50)]
    assert {r[1] for r in results} - {parent}  # the work left this process
    assert parallel._TASK is None


def test_fork_map_with_one_worker_stays_in_process() -> None:
    assert fork_map(lambda x: os.getpid(), [1, 2, 3], workers=1) == [os.getpid()] * 3


def test_worker_count() -> None:
    assert worker_count(3) == 1  # too little work for a pool
    assert worker_count(10_000) >= 1
    assert worker_count(3, requested=2) == 2


def test_chunks_cover_every_index_once() -> None:
    for count, pieces in [(0, 4), (1, 4), (10, 3), (100, 16)]:
        runs = chunks(count, pieces)
        assert [i for run in runs for i in run] == list(range(count))


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
        with parallel.collector_paused():
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


def test_fork_map_runs_meanwhile_in_this_process_once() -> None:
    """`meanwhile` runs here, while the workers work (or first, without workers), exactly once."""
    for workers in (1, 2):
        ran: list[int] = []
        assert fork_map(abs, [-1, -2, -3], workers, meanwhile=lambda ran=ran: ran.append(os.getpid())) == [1, 2, 3]
        assert ran == [os.getpid()]
