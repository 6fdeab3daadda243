"""The preview keeps the cycle collector out of the way: rare collections during a session, the site frozen."""

from __future__ import annotations

import gc

from generator.preview.collector import SERVE_GC_THRESHOLD, quiet_collector, settle_memory


def test_a_serve_session_raises_the_thresholds_and_restores_them() -> None:
    before = gc.get_threshold()
    with quiet_collector():
        assert gc.get_threshold() == SERVE_GC_THRESHOLD
    assert gc.get_threshold() == before


def test_settle_memory_freezes_what_is_alive_and_a_full_rebuild_collects_first() -> None:
    try:
        kept = [object() for _ in range(1000)]
        settle_memory(full=False)
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        settle_memory(full=True)  # unfreezes, collects, freezes again: what is alive stays frozen
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
