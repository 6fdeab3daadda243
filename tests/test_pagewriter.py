"""The page writer's facts: each written file's (index, size, mtime_ns, inode) packed in 64-bit words and read back as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.output.pagewriter import RUN_PAGES, facts_of, page_runs


def test_facts_of_files_the_build_process_joined_read_back_whole(tmp_path: Path) -> None:
    made = tmp_path / "claims.json"
    made.write_bytes(b"[]\n")
    os.utime(made, ns=(0, -5_000_000_123))  # a time before 1970
    st = made.stat()
    chunk = facts_of([(7, st), (9, st)])
    assert list(chunk.files()) == [(7, 3, -5_000_000_123, st.st_ino), (9, 3, -5_000_000_123, st.st_ino)]
    assert chunk.rendered == 2 and chunk.failures == []


@pytest.mark.parametrize(("total", "workers"), [(0, 2), (1, 2), (300, 2), (25_000, 2), (250_000, 2), (250_000, 1), (10_000, 4)])
def test_pages_go_in_short_runs_that_cover_them_once_in_order(total: int, workers: int) -> None:
    """A helper is asked about its memory budget only between two runs: a run is RUN_PAGES pages at most, on any site."""
    runs = page_runs(total, workers)
    assert [index for run in runs for index in run] == list(range(total))
    assert all(0 < len(run) <= RUN_PAGES for run in runs)
    if total >= 10_000:
        assert len(runs) >= total // RUN_PAGES  # a large site's runs are not made any shorter than they need be
