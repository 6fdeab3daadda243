"""A served build's files: made when read, never by asking whether they exist, equal to a full build's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import render_site
from generator.preview.engine import Engine


def test_asking_what_exists_makes_nothing(make_project: Callable[..., Path]) -> None:
    """Truth, membership and missing paths answer without rendering a page or producing a file."""
    root = make_project()
    build = Engine(root, lazy=True).rebuild(None).files
    made = build.rendered
    assert build
    assert "ratings/false/index.html" in build and "feeds/reports.xml" in build and "static/style.css" in build
    assert "nope/index.html" not in build and build.get("nope/index.html") is None
    with pytest.raises(KeyError):
        build["search/data/t/nope.js"]
    assert build.rendered == made
    assert build.site_part().slots["ratings/false/index.html"].data is None
    assert build.site_part().slots["feeds/reports.xml"].data is None


def test_reading_makes_each_file_once_and_equal_to_a_full_build(make_project: Callable[..., Path]) -> None:
    """A page is rendered on its first read and kept; every file read is the full build's; search files come as a set."""
    root = make_project()
    build = Engine(root, lazy=True).rebuild(None).files
    want = {p.path: p.data for p in render_site(root).pages}
    before = build.rendered
    page = build["ratings/false/index.html"]
    assert build.rendered == before + 1
    assert build["ratings/false/index.html"] is page and build.rendered == before + 1
    assert page == want["ratings/false/index.html"]
    assert build["search/data/meta.js"] == want["search/data/meta.js"]
    assert build["data/claims.json"] == want["data/claims.json"]
    assert dict(build) == want
