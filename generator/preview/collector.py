"""The cycle collector in the preview: kept out of the way of a process that holds a whole site."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Each rebuild allocates a few objects per page; with the default thresholds the collector runs many
# times per rebuild (half of a rebuild's time at 4,000 reports). As in a build (tuned_gc), it runs rarely.
SERVE_GC_THRESHOLD = (200_000, 50, 1000)


@contextlib.contextmanager
def quiet_collector() -> Iterator[None]:
    """Within the block (a serve session), the collector runs rarely; settle_memory keeps the site out of its scans."""
    before = gc.get_threshold()
    gc.set_threshold(*SERVE_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def settle_memory(full: bool) -> None:
    """Move what the build keeps out of the cycle collector's reach.

    The model, the caches and the pages live as long as the preview; left to the collector, each full
    collection would scan all of them (hundreds of milliseconds with thousands of reports), in the
    middle of some later request. After a full rebuild most of the old build is garbage: collect first.
    """
    if full:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
