"""Worker processes: results in input order, the same as in one process, and the GC settings restored."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline import workers as parallel
from generator.pipeline.workers import chunks, fork_map, runs_without, worker_count


def _slow_square(x: int) -> tuple[int, int]:
    time.sleep(0.01)  # long enough for the helpers to start and take their share
    return x * x, os.getpid()


def test_fork_map_keeps_input_order_and_shares_the_work_with_this_process() -> None:
    parent = os.getpid()
    done: list[int] = []
    results = fork_map(_slow_square, list(range(60)), workers=3, chunksize=3, progress=done.append)
    assert [r[0] for r in results] == [x * x for x in range(60)]
    pids = {r[1] for r in results}
    assert parent in pids and len(pids) == 3  # this process and both helpers worked
    assert done == sorted(done) and done[-1] == 60 and all(0 < n <= 60 for n in done)


def test_a_helper_that_retires_is_replaced_by_a_fresh_fork_and_nothing_is_lost() -> None:
    """A render helper past its memory budget ends with its results; another is forked while batches are left."""
    parent = os.getpid()
    done: list[int] = []
    results = fork_map(_slow_square, list(range(60)), workers=2, chunksize=2, progress=done.append, retire=lambda: True)
    assert [r[0] for r in results] == [x * x for x in range(60)]
    helpers = {r[1] for r in results} - {parent}
    assert len(helpers) >= 3  # each helper took one batch and ended; fresh ones took over
    assert all(sum(r[1] == pid for r in results) == 2 for pid in helpers)  # one batch of two items each
    assert done[-1] == 60


def _stamped(run: range, parent: int = os.getpid()) -> list[tuple[int, int, float]]:
    """(first item, pid, when); slow in the test's process (a tenth of a second a call), at once in a helper."""
    if os.getpid() == parent:
        time.sleep(0.1)
    return [(run[0], os.getpid(), time.monotonic())]


def test_this_process_replaces_a_retired_helper_as_soon_as_it_is_done_with_an_item() -> None:
    """The other core waits at most one of this process's items for a fresh helper, not until it runs out of work."""
    parent = os.getpid()
    runs = [range(start, start + 1) for start in range(200)]
    results = fork_map(_stamped, runs, workers=2, retire=lambda: True)
    assert [made[0][0] for made in results] == list(range(200))  # every item once, in order
    mine = [made[0] for made in results if made[0][1] == parent]
    started, ended = mine[0][2], mine[-1][2]
    helpers = {pid for made in results for _, pid, when in made if pid != parent and started < when < ended}
    # Each helper took one item and ended at once: a fresh one was forked after each item of this process's.
    assert len(mine) >= 3 and len(helpers) >= len(mine) - 1


def test_a_helper_within_its_budget_works_to_the_end() -> None:
    results = fork_map(_slow_square, list(range(40)), workers=2, chunksize=2, retire=lambda: False)
    assert [r[0] for r in results] == [x * x for x in range(40)]
    assert len({r[1] for r in results}) == 2  # this process and one helper, never replaced


def test_fork_map_without_the_parent_leaves_every_item_to_the_helpers() -> None:
    # The check stage: the command's process makes no garbage of its own, so the models it receives lie packed together.
    parent = os.getpid()
    done: list[int] = []
    results = fork_map(_slow_square, list(range(40)), workers=2, chunksize=2, progress=done.append, parent_works=False)
    assert [r[0] for r in results] == [x * x for x in range(40)]
    pids = {r[1] for r in results}
    assert parent not in pids and len(pids) == 2
    assert done[-1] == 40


def _big_result(x: int) -> tuple[int, int, bytes]:
    time.sleep(0.01)  # long enough for both helpers to take a share
    with open("/proc/self/statm") as statm:
        resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return os.getpid(), resident, b"\1" * 4_000_000  # written, so resident: a report's model, say, but larger


def test_helpers_send_each_batch_as_it_is_done_and_hold_no_results() -> None:
    # At 40,000 reports each check helper held 600 MB of models until it ended.
    results = fork_map(_big_result, list(range(40)), workers=2, chunksize=1, parent_works=False)
    by_helper: dict[int, list[int]] = {}
    for pid, resident, _ in results:
        by_helper.setdefault(pid, []).append(resident)
    assert len(by_helper) == 2 and all(len(sizes) > 5 for sizes in by_helper.values())
    # Held to the end, a helper's results would grow it by 4 MB an item (80 MB here); sent, they go.
    assert all(max(sizes) - sizes[0] < 20_000_000 for sizes in by_helper.values())


class _Broken(Exception):
    pass


def _fails_on_seven(x: int) -> int:
    if x == 7 and os.getpid() != PARENT[0]:
        raise _Broken(f"item {x}")
    time.sleep(0.005)
    return x


def _dies_on_seven(x: int) -> int:
    if x == 7 and os.getpid() != PARENT[0]:
        os._exit(3)
    time.sleep(0.005)
    return x


PARENT = [0]


@pytest.mark.parametrize(("func", "raised"), [(_fails_on_seven, _Broken), (_dies_on_seven, RuntimeError)])
def test_a_helper_that_fails_or_dies_is_an_error_here_not_a_hang(func: Callable[[int], int], raised: type[Exception]) -> None:
    PARENT[0] = os.getpid()
    # Item 7 fails only in a helper: let the helper start while this process runs `meanwhile`.
    with pytest.raises(raised):
        fork_map(func, list(range(20)), workers=2, meanwhile=lambda: time.sleep(0.3))


def test_fork_map_with_one_worker_stays_in_process() -> None:
    assert fork_map(lambda x: os.getpid(), [1, 2, 3], workers=1) == [os.getpid()] * 3


def test_worker_count() -> None:
    assert worker_count(3) == 1  # too little work for a pool
    assert worker_count(10_000) >= 1
    assert worker_count(3, requested=2) == 2


def test_chunks_cover_every_index_once() -> None:
    for count, pieces, workers in [(0, 4, 1), (1, 4, 2), (10, 3, 1), (100, 16, 2), (35_286, 64, 2), (5_000, 64, 3)]:
        runs = chunks(count, pieces, workers)
        assert [i for run in runs for i in run] == list(range(count))


def test_chunks_shrink_toward_the_end_so_no_process_is_left_with_a_long_run() -> None:
    runs = chunks(35_286, 64, 2)
    sizes = [len(run) for run in runs]
    assert sizes[0] == -(-35_286 // 64)  # the usual size while much is left
    assert sizes == sorted(sizes, reverse=True)[: len(sizes) - 1] + sizes[-1:]  # never growing, but for a short last one
    assert max(sizes[-8:]) <= 16  # the last ones are small
    assert len(runs) < 3 * 64  # and still few


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _fails() -> int:
    raise ValueError("in the helper")


def test_aside_runs_its_work_in_another_process_while_this_one_goes_on() -> None:
    started = time.monotonic()
    with parallel.Aside(lambda: _pid_after(0.3), fork=True) as side:
        assert side.forked
        assert time.monotonic() - started < 0.25  # not waited for yet
        assert side.result() not in (os.getpid(), 0)


def test_aside_raises_the_helpers_error_here_and_runs_in_this_process_when_it_may_not_fork() -> None:
    with pytest.raises(ValueError, match="in the helper"):
        parallel.Aside(_fails, fork=True).result()
    side = parallel.Aside(os.getpid, fork=False)
    assert not side.forked and side.result() == os.getpid()
    with pytest.raises(RuntimeError, match="twice"):
        side.result()


def _note_pid_then_sleep(path: Path) -> None:
    path.write_text(str(os.getpid()))
    time.sleep(30)


def test_an_aside_left_unasked_is_stopped_when_its_block_ends(tmp_path: Path) -> None:
    noted = tmp_path / "pid"
    with parallel.Aside(lambda: _note_pid_then_sleep(noted), fork=True):
        while not noted.exists() or not noted.read_text():
            time.sleep(0.01)
    with pytest.raises(ProcessLookupError):
        os.kill(int(noted.read_text()), 0)  # stopped and reaped, not left sleeping


def test_fork_map_runs_meanwhile_in_this_process_once() -> None:
    """`meanwhile` runs here, while the workers work (or first, without workers), exactly once."""
    for workers in (1, 2):
        ran: list[int] = []
        assert fork_map(abs, [-1, -2, -3], workers, meanwhile=lambda ran=ran: ran.append(os.getpid())) == [1, 2, 3]
        assert ran == [os.getpid()]


def _dies() -> None:
    os.kill(os.getpid(), 9)


def test_finish_waits_for_work_nobody_needs_and_tells_a_helper_failure_without_raising_it() -> None:
    assert parallel.Aside(lambda: _pid_after(0.05), fork=True).finish()
    assert not parallel.Aside(_fails, fork=True).finish()
    assert not parallel.Aside(_dies, fork=True).finish()  # killed: the build goes on without its cache
    with pytest.raises(ValueError):
        parallel.Aside(_fails, fork=False).finish()  # done here, a failure is this program's bug, raised as usual


def test_outcome_is_the_result_or_none_when_the_helper_failed() -> None:
    assert parallel.Aside(lambda: 7, fork=True).outcome() == 7
    assert parallel.Aside(_dies, fork=True).outcome() is None
    assert parallel.Aside(_fails, fork=True).outcome() is None


def test_follow_up_work_runs_in_the_same_helper_after_the_result_is_sent() -> None:
    """The first result comes while the helper goes on to the follow-up; both from one process, not this one."""
    started = time.monotonic()
    side = parallel.Aside(os.getpid, fork=True, then=lambda: _pid_after(0.5))
    first = side.result()
    assert time.monotonic() - started < 0.45  # not held back until the follow-up was done
    assert first != os.getpid() and side.taken
    assert side.then_outcome() == first


def test_follow_up_work_of_a_dead_or_stopped_helper() -> None:
    """A helper that dies at its follow-up gives None (the caller does the work); stopped first, the follow-up runs here."""
    dying = parallel.Aside(os.getpid, fork=True, then=_dies)
    assert dying.result() != os.getpid()
    assert dying.then_outcome() is None
    stopped = parallel.Aside(lambda: _pid_after(30), fork=True, then=os.getpid)
    stopped.close()
    assert stopped.then_outcome() == os.getpid()
    here = parallel.Aside(os.getpid, fork=False, then=os.getpid)
    assert here.result() == here.then_outcome() == os.getpid()
    with pytest.raises(RuntimeError, match="no follow-up"):
        here.then_outcome()


def test_a_helpers_error_raised_here_leaves_no_reference_cycle_behind() -> None:
    """Otherwise the exception, its frame and the pipe wait for the collector, whose finalizers may run mid-render."""
    gc.collect()
    gc.disable()
    try:
        assert parallel.Aside(_fails, fork=True).outcome() is None
        assert gc.collect() == 0
    finally:
        gc.enable()


HELPERS_SLEEP = """
import sys, time
from generator.pipeline.workers import fork_map
fork_map(time.sleep, [60] * 4, 3, parent_works=False)
"""


def test_helpers_end_when_the_process_that_forked_them_is_killed(tmp_path: Path) -> None:
    """A build killed outright (SIGKILL, out of memory) left its helpers rendering for no one, or waiting on a pipe for ever."""
    import signal

    build = subprocess.Popen([sys.executable, "-c", HELPERS_SLEEP], cwd=Path(__file__).resolve().parent.parent)
    helpers: list[int] = []
    deadline = time.monotonic() + 20
    while len(helpers) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
        helpers = [int(pid) for pid in os.listdir("/proc") if pid.isdigit() and _parent_of(int(pid)) == build.pid]
    assert len(helpers) == 3
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{pid}") and _parent_of(pid) != 0 and not _is_zombie(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if os.path.exists(f"/proc/{pid}") and not _is_zombie(pid)]


def _parent_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_runs_without_some_indexes_keep_every_other_index_in_order() -> None:
    runs = [range(0, 5), range(5, 9), range(9, 12)]
    kept = runs_without(runs, {0, 6, 7, 11})
    assert kept == [range(1, 5), range(5, 6), range(8, 9), range(9, 11)]
    assert [i for run in kept for i in run] == [i for i in range(12) if i not in {0, 6, 7, 11}]
    assert runs_without(runs, set()) == runs
