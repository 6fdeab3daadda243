"""What a render helper copies of the build's process: its own memory and page faults as it makes pages of one kind.

Plans the project as a build does, then forks one process per kind of work (the exports' parts, listing
pages, report and claim pages), as the render forks its helpers, and prints how much memory of its own
each holds (copies of the parent's pages: reading an object writes its reference count) after every
`--every` units. A large fixed cost in the first units is something every helper makes or touches anew.

    python bench/helper_copies.py PROJECT [--units 3000] [--every 300]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import build
from generator.output.filesets import SetsAside
from generator.pipeline.heap import collect_page_garbage_often, freeze_for_fork, private_memory, resident_memory, tuned_gc
from generator.site.jobs import InParts, joined
from generator.site.render import install_globals, load_templates, render_job


def _faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _in_a_helper(name: str, units: Sequence[Callable[[], object]], every: int) -> None:
    """Make `units` in a forked process and print its own memory and faults (MB) after every `every`."""
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        return
    held, faults, started, shown = private_memory() or 0, _faults(), time.perf_counter(), []
    for count, unit in enumerate(units, 1):
        unit()
        if count % every == 0 or count == len(units):
            own = ((private_memory() or 0) - held) >> 20
            shown.append(f"{count}: {own} MB own, {(_faults() - faults) * resource.getpagesize() >> 20} MB faulted, {time.perf_counter() - started:.1f} s")
    print(f"{name}: " + "; ".join(shown), flush=True)
    os._exit(0)


def main() -> None:
    """Plan the project, then measure each kind of work in a helper of its own."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--units", type=int, default=3000, help="units of each kind to make (default 3000)")
    parser.add_argument("--every", type=int, default=300, help="print after this many (default 300)")
    args = parser.parse_args()
    with tuned_gc(), SetsAside() as sets:
        prepared = build.prepare(args.project, build.PUBLISHED, sets=sets)
        sets.wait()
        env = build.environment(prepared, args.project, build.PUBLISHED)
        install_globals(env, prepared.plan.site, prepared.plan.globals, prepared.plan.other_languages)
        jobs, site = prepared.plan.jobs, prepared.plan.site
        works = [job.produce.parts for job in jobs if isinstance(job.produce, InParts)]
        # As the render takes them: part n of every work, then part n + 1.
        parts = [work[n] for n in range(max(map(len, works), default=0)) for work in works if n < len(work)]
        load_templates(env)  # as the disk sink does before it forks
        freeze_for_fork()
        collect_page_garbage_often()
        print(f"build process: {(resident_memory() or 0) >> 20} MB resident at the fork", flush=True)
        kinds: dict[str, list[Callable[[], object]]] = {
            "export parts": [lambda part=part: joined(part()) for part in parts],
            "listing pages": [lambda job=job: render_job(env, job, site) for job in jobs if job.template == "listing.html"],
            "report and claim pages": [lambda job=job: render_job(env, job, site) for job in jobs if job.template in ("report.html", "claim.html")],
        }
        for name, units in kinds.items():
            if units:
                _in_a_helper(name, units[: args.units], min(args.every, args.units))


if __name__ == "__main__":
    main()
