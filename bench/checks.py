"""The `check` scenario: what `factcheck check` costs a pull request, cold and with a warm cache.

  cold         no .cache/: every report checked anew (the first run of a CI job without a restored cache)
  warm         the cache of the last check, nothing changed
  warm, edit   the cache of the last check, one report edited (what a pull request usually brings)
  build stage  the check stage inside a cold `factcheck build -v` ("Checked ... in X s"), which the cold
               `check`'s own stage ("Checked ..." of `check -v`) should not exceed: they are one pipeline
               (up to 3 rounds each, in turns)
Each figure is the median of the runs; memory is the peak over them.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from typing import Any

from measure import Sample, measure, summarize

from tools import Factcheck, node_env

_STAGE = re.compile(r"Checked \d+ of [\d,]+ report files? anew .* in ([\d.]+)s\.")


def _stage_seconds(cmd: list[str], gen: Factcheck) -> float:
    """The check stage's own seconds as a verbose run prints them."""
    done = subprocess.run(cmd, cwd=gen.cwd(), env=node_env(), capture_output=True, text=True, check=False)
    found = _STAGE.search(done.stdout + done.stderr)
    if found is None:
        raise RuntimeError(f"no 'Checked ... in X s' line from {' '.join(cmd)} (exit {done.returncode}):\n{(done.stdout + done.stderr)[-2000:]}")
    return float(found.group(1))


def measure_checks(gen: Factcheck, runs: int, reports: int, log: Any = print) -> dict[str, Any]:
    """Cold, warm and warm-after-an-edit `check` of the project, and the cold build's check stage beside the cold check's."""
    check = gen.check_cmd()
    env = node_env()
    cold: list[Sample] = []
    for run in range(runs):
        shutil.rmtree(gen.project / ".cache", ignore_errors=True)
        cold.append(measure(check, gen.cwd(), env))
        log(f"  check cold run {run + 1}: {cold[-1].wall:6.2f} s wall, {cold[-1].cpu:6.2f} s CPU")
    warm = []
    for run in range(runs):
        warm.append(measure(check, gen.cwd(), env))
        log(f"  check warm run {run + 1}: {warm[-1].wall:6.2f} s wall, {warm[-1].cpu:6.2f} s CPU")
    edited = []
    for run in range(runs):
        gen.edit((run * 7919 + 29) % reports, f"Check-{run}-e")
        edited.append(measure(check, gen.cwd(), env))
        log(f"  check after an edit run {run + 1}: {edited[-1].wall:6.2f} s wall")
    # The two stages, each cold: the check stage of `check -v` and of `build -v` (the same pipeline, workers and
    # store), in turns and each first in every other round, so neither always finds the files in the OS's cache.
    stages: dict[str, list[float]] = {"check": [], "build": []}
    for run in range(min(runs, 3)):
        for name in ("check", "build") if run % 2 == 0 else ("build", "check"):
            gen.clean()
            stages[name].append(_stage_seconds([*(check if name == "check" else gen.build_cmd()), "-v"], gen))
        log(f"  check stage cold, round {run + 1}: check {stages['check'][-1]:.2f} s, build {stages['build'][-1]:.2f} s")
    check_stage, build_stage = statistics.median(stages["check"]), statistics.median(stages["build"])
    return {"cold": summarize(cold), "warm": summarize(warm), "edited": summarize(edited), "check_stage": check_stage, "build_stage": build_stage}
