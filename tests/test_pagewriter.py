"""The page writer's facts: each written file's (index, size, mtime_ns, inode) packed in 64-bit words and read back as they were."""

from __future__ import annotations

import os
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.output.pagewriter import PIECE, Chunk, facts_of, in_pieces


def test_facts_of_files_the_build_process_joined_read_back_whole(tmp_path: Path) -> None:
    made = tmp_path / "claims.json"
    made.write_bytes(b"[]\n")
    os.utime(made, ns=(0, -5_000_000_123))  # a time before 1970
    st = made.stat()
    chunk = facts_of([(7, st), (9, st)])
    assert list(chunk.files()) == [(7, 3, -5_000_000_123, st.st_ino), (9, 3, -5_000_000_123, st.st_ino)]
    assert chunk.rendered == 2 and chunk.failures == []


def test_a_run_in_pieces_covers_it_in_order_and_their_chunks_join_into_one(tmp_path: Path) -> None:
    """The build's process writes its runs in pieces (a fresh helper is forked between two): nothing is lost or doubled."""
    run = range(1000, 1000 + 2 * PIECE + 5)
    pieces = in_pieces(run)
    assert [len(piece) for piece in pieces] == [PIECE, PIECE, 5]
    assert [index for piece in pieces for index in piece] == list(run)
    made = tmp_path / "page.html"
    made.write_bytes(b"<p>")
    st = made.stat()
    problem = Diagnostic("templates/page.html", 3, 1, "boom")
    chunks = [facts_of([(i, st) for i in piece]) for piece in pieces]
    chunks[1] = Chunk(chunks[1].facts, [problem], chunks[1].rendered - 1)
    joined = Chunk.joined(chunks)
    assert [index for index, *_ in joined.files()] == list(run)
    assert joined.failures == [problem] and joined.rendered == len(run) - 1
