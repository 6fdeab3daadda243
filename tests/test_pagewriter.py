"""The page writer's facts: each written file's (index, size, mtime_ns, inode) packed in 64-bit words and read back as they were."""

from __future__ import annotations

import os
from pathlib import Path

from generator.output.pagewriter import facts_of


def test_facts_of_files_the_build_process_joined_read_back_whole(tmp_path: Path) -> None:
    made = tmp_path / "claims.json"
    made.write_bytes(b"[]\n")
    os.utime(made, ns=(0, -5_000_000_123))  # a time before 1970
    st = made.stat()
    chunk = facts_of([(7, st), (9, st)])
    assert list(chunk.files()) == [(7, 3, -5_000_000_123, st.st_ino), (9, 3, -5_000_000_123, st.st_ino)]
    assert chunk.rendered == 2 and chunk.failures == []
