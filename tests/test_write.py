"""Writing: atomic swap, refusing dangerous output folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build
from generator.diagnostics import BuildFailed
from generator.output.disk import MARKER, write_site
from generator.site.render import RenderedPage


def test_refuses_dangerous_output_folders(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    for out in (root, root / "content", root / "content/out", root.parent):
        with pytest.raises(BuildFailed) as failed:
            build(root, out)
        assert "refusing to write the site here" in failed.value.diagnostics[0].message
    stranger = tmp_path / "photos"
    stranger.mkdir()
    (stranger / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(BuildFailed) as failed:
        build(root, stranger)
    assert "did not create" in failed.value.diagnostics[0].message
    assert (stranger / "holiday.jpg").read_bytes() == b"\xff\xd8"


def test_swap_replaces_old_files_and_keeps_marker(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site([RenderedPage("a/index.html", b"one"), RenderedPage("old.html", b"x")], out, tmp_path / "project")
    write_site([RenderedPage("a/index.html", b"two")], out, tmp_path / "project")
    assert (out / "a/index.html").read_bytes() == b"two"
    assert not (out / "old.html").exists()
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_paths_cannot_escape_and_cannot_collide(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed):
        write_site([RenderedPage("../evil.html", b"x")], tmp_path / "site", tmp_path / "project")
    assert not (tmp_path / "evil.html").exists()
    with pytest.raises(BuildFailed) as failed:
        write_site([RenderedPage("a.html", b"x"), RenderedPage("a.html", b"y")], tmp_path / "site", tmp_path / "project")
    assert "same output file" in failed.value.diagnostics[0].message
    assert not list(tmp_path.glob(".site.staging-*"))
