"""Measuring one command: wall time, CPU time and peak memory of it and its child processes.

CPU time and the largest process's peak RSS come from wait4's rusage (which counts the
command's reaped children too). A multi-process build also shares pages between processes,
so the total is sampled as well: the sum of PSS (proportional set size, shared pages split
between the processes that map them) over the process tree, every 50 ms, or less often when one
sample costs more than 5% of a core: the kernel walks every page table to answer smaps_rollup,
about 47 ms for a 3.4 GB process, so sampling a large build every 50 ms took half a core of this
two-core machine from the builds it measured.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One measured run."""

    wall: float  # seconds
    cpu: float  # user + system seconds, children included
    max_rss_mb: float  # largest single process
    tree_pss_mb: float  # peak sum over the process tree (sampled)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(x) for x in handle.read().split()]
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """A process and its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        if current not in found:
            found.append(current)
            todo += _children(current)
    return found


def tree_pss_mb(pid: int) -> float | None:
    """Sum of PSS over a process and its descendants, in MB; None if a process started or ended while they were read.

    A sample across a fork is no measure: the parent read before it (its pages its own, counted whole) and
    the child after (half of the same pages counted again) made 1.5 times the parent's memory for a moment.
    A 40,000-report build forks a render helper every few seconds; such samples put its peak at 990 to
    1,040 MB where the samples with the same processes before and after reached 870 MB.
    """
    before = _tree(pid)
    total = sum(map(_pss_kb, before))
    return total / 1024 if _tree(pid) == before else None


class PeakSampler:
    """Samples the process tree's PSS in a thread until stopped; keeps the peak.

    With `limit_mb`, a tree above the limit is killed (SIGKILL to its process group, which must be
    its own): a build must not take a shared machine's memory from everyone else.
    """

    def __init__(self, pid: int, interval: float = 0.05, limit_mb: float = 0.0, budget: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.limit_mb = limit_mb
        self.budget = budget  # the share of one core the sampling may take
        self.peak = 0.0
        self.killed = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.thread_time()  # this thread's CPU, the kernel's page-table walk included
            sample = tree_pss_mb(self.pid)
            cost = time.thread_time() - started
            if sample is not None:
                self.peak = max(self.peak, sample)
            if self.limit_mb and self.peak > self.limit_mb and not self.killed:
                self.killed = True
                with contextlib.suppress(OSError):
                    os.killpg(self.pid, signal.SIGKILL)
            # A sample taken across a fork or an exit is taken again soon, not at once: a tree that keeps changing
            # (helpers forked one after another) would otherwise have this thread read it without a pause.
            self._stop.wait(self.pause(cost) if sample is not None else self.interval)

    def pause(self, cost: float) -> float:
        """Seconds to wait after a sample that took `cost` CPU seconds: the interval, or longer to stay within the budget."""
        return max(self.interval, cost / self.budget - cost)

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak


class CommandFailed(RuntimeError):
    """A measured command exited with an error."""


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, limit_mb: float = 0.0) -> Sample:
    """Run a command to completion and measure it; raise CommandFailed on a non-zero exit or past `limit_mb` (0: none)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        sampler = PeakSampler(proc.pid, limit_mb=limit_mb)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        peak = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, tell Popen
        if sampler.killed:
            raise CommandFailed(f"{' '.join(cmd)} stopped: its processes took more than {limit_mb:,.0f} MB (--mem-limit-mb)")
        if proc.returncode != 0:
            err.seek(0)
            raise CommandFailed(f"{' '.join(cmd)} exited with {proc.returncode}:\n{err.read().decode(errors='replace')[-3000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, max(peak, usage.ru_maxrss / 1024 if peak == 0 else peak))


def summarize(samples: list[Sample]) -> dict[str, float]:
    """Medians (and the peak memory over all runs)."""
    return {
        "wall": statistics.median(s.wall for s in samples),
        "cpu": statistics.median(s.cpu for s in samples),
        "max_rss_mb": max(s.max_rss_mb for s in samples),
        "tree_pss_mb": max(s.tree_pss_mb for s in samples),
        "runs": float(len(samples)),
        "min_wall": min(s.wall for s in samples),
        "max_wall": max(s.wall for s in samples),
    }
