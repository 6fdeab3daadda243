"""The page writer's files and folders: made as open(path, "xb") and Path.mkdir(parents=True, exist_ok=True) make them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.output.newfiles import create_file, make_folder


def test_a_file_is_created_with_every_piece_and_the_modes_open_gives(tmp_path: Path) -> None:
    big = os.urandom(3 << 20)  # larger than a pipe's or a page's worth: written whole
    made = create_file(str(tmp_path / "page.html"), iter([b"<p>", big, b"", b"</p>"]))
    assert (tmp_path / "page.html").read_bytes() == b"<p>" + big + b"</p>"
    assert made.st_size == len(big) + 7 and made.st_ino == (tmp_path / "page.html").stat().st_ino
    with open(tmp_path / "plain.html", "xb"):
        pass
    assert stat.S_IMODE(made.st_mode) == stat.S_IMODE((tmp_path / "plain.html").stat().st_mode)


def test_an_existing_file_is_never_opened_for_writing(tmp_path: Path) -> None:
    """It could be a hard link shared with the live site: writing through it would change the site being served."""
    live = tmp_path / "live.html"
    live.write_bytes(b"live")
    os.link(live, tmp_path / "staged.html")
    with pytest.raises(FileExistsError):
        create_file(str(tmp_path / "staged.html"), [b"new"])
    assert live.read_bytes() == b"live"


def test_folders_are_made_with_their_parents_and_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    make_folder(str(tmp_path / "a" / "b" / "c"))
    make_folder(str(tmp_path / "a" / "b" / "c"))  # there already: nothing to do
    make_folder(str(tmp_path / "a" / "d"))
    assert (tmp_path / "a" / "b" / "c").is_dir() and (tmp_path / "a" / "d").is_dir()
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError):
        make_folder(str(tmp_path / "file"))
    with pytest.raises(NotADirectoryError):
        make_folder(str(tmp_path / "file" / "inside"))
