"""Worker processes for `build`: reports are loaded, checked and modelled, and pages rendered and written, in parallel.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from generator.content.checks import CheckedReport, Context, check_report_doc
from generator.content.load import load_yaml_file
from generator.content.validate import Obj, get_obj, get_text
from generator.diagnostics import Diagnostic
from generator.model.assemble import ModelBuilder
from generator.model.entities import Report, SiteConfig

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


def fork_map(func: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 1) -> list[R]:
    """[func(x) for x in items], spread over `workers` forked processes; results in input order."""
    global _TASK
    if workers <= 1 or len(items) <= 1:
        return [func(item) for item in items]
    _TASK = func
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run_task, items, chunksize)
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
        gc.set_threshold(*before)
        gc.unfreeze()


def freeze_for_fork() -> None:
    """Move every live object out of the collector's reach before forking, so workers do not copy them.

    Nothing is collected first: that would scan every object, and the build ends soon anyway.
    """
    gc.freeze()


@dataclass(frozen=True)
class ReportResult:
    """What one report file gave: diagnostics per stage, what cross-file rules read, and the model."""

    path: str
    digest: str  # of the text as read, as load.parse_yaml computes it
    load: tuple[Diagnostic, ...]
    check: tuple[Diagnostic, ...]
    is_mapping: bool  # the file's top level was a mapping
    report_id: str
    status: str
    id_mark: tuple[int, int]
    root_mark: tuple[int, int]
    checked: bool  # the cross-field checks passed (a model can be made)
    report: Report | None
    model: tuple[Diagnostic, ...]
    snapshot: str  # the snapshot file the report reads, "" if none


class ReportWorker:
    """Loads, checks and models one report file; made in the parent, called in the workers."""

    def __init__(self, root: Path, ctx: Context, config: SiteConfig | None, people: list[Obj]) -> None:
        self.root = root
        self.ctx = ctx
        self.config = config  # None: the site configuration has errors, so no models are made
        self.people = people
        self._builder: ModelBuilder | None = None

    def _model(self, checked: CheckedReport) -> tuple[Report | None, tuple[Diagnostic, ...]]:
        if self.config is None:
            return None, ()
        if self._builder is None:  # one per process: it holds the markdown renderer
            self._builder = ModelBuilder(self.config, self.people)
        self._builder.diagnostics = []
        report = self._builder.report(checked)
        return report, tuple(self._builder.diagnostics)

    def __call__(self, rel: str) -> ReportResult:
        """The result for one report file."""
        load: list[Diagnostic] = []
        doc = load_yaml_file(self.root, rel, load)
        check: list[Diagnostic] = []
        located, checked = check_report_doc(doc, self.ctx, check)
        value = located.value if isinstance(located.value, dict) else None
        report, model = self._model(checked) if checked is not None else (None, ())
        snapshot = get_text(get_obj(value, "article"), "snapshot") if value is not None else ""
        return ReportResult(
            path=rel,
            digest=doc.digest,
            load=tuple(load),
            check=tuple(check),
            is_mapping=value is not None,
            report_id=get_text(value, "id") if value is not None else "",
            status=get_text(value, "status") if value is not None else "",
            id_mark=located.mark("id"),
            root_mark=located.root_mark,
            checked=checked is not None,
            report=report,
            model=model,
            snapshot=snapshot,
        )


def chunks(count: int, pieces: int) -> list[range]:
    """Split range(count) into about `pieces` contiguous runs (more runs than workers, for balance)."""
    if count == 0:
        return []
    size = max(1, -(-count // pieces))
    return [range(start, min(count, start + size)) for start in range(0, count, size)]
