"""The render's memory ceiling: an allocation past it fails within the block, and the limit is as before after it."""

from __future__ import annotations

import resource
import threading

import pytest

from generator.site.ceiling import memory_ceiling


def test_an_allocation_past_the_ceiling_fails_and_the_limit_is_restored() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_ceiling(256 << 20):
        small = bytearray(16 << 20)  # well within: allowed
        with pytest.raises(MemoryError):
            bytearray(2 << 30)
    assert len(small) == 16 << 20
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert len(bytearray(512 << 20)) == 512 << 20  # past the old ceiling, allowed again


def test_a_ceiling_inside_another_keeps_the_tighter_one() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_ceiling(256 << 20):
        outer = resource.getrlimit(resource.RLIMIT_AS)
        with memory_ceiling(4 << 30):
            assert resource.getrlimit(resource.RLIMIT_AS) == outer
        assert resource.getrlimit(resource.RLIMIT_AS) == outer
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_other_threads_set_no_limit() -> None:
    """The limit is the whole process's: serve's threads could leave it set for good, so they set none."""
    seen: list[tuple[int, int]] = []

    def render() -> None:
        with memory_ceiling(256 << 20):
            seen.append(resource.getrlimit(resource.RLIMIT_AS))

    thread = threading.Thread(target=render)
    thread.start()
    thread.join()
    assert seen == [resource.getrlimit(resource.RLIMIT_AS)]
