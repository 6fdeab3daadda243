"""A served build's files: made when read, never by asking whether they exist, equal to a full build's."""

from __future__ import annotations

import threading
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
    assert build.slots["ratings/false/index.html"].data is None
    assert build.slots["feeds/reports.xml"].data is None


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


def test_unchanged_pages_keep_their_bytes_and_changed_ones_are_made_again(make_project: Callable[..., Path]) -> None:
    """A page whose key is the same in the next build keeps the bytes made before; an edited report's page does not."""
    root = make_project()
    engine = Engine(root, lazy=True)
    first = engine.rebuild(None).files
    home, claim = first["index.html"], first["reports/planet-rents/claims/rents-doubled/index.html"]
    report = root / "content/reports/planet-rents.yaml"
    report.write_text(report.read_text().replace("Rents rose 38%, not 100%.", "Rents rose by 38%."), encoding="utf-8")
    second = engine.rebuild({"content/reports/planet-rents.yaml"}).files
    assert second.slots["ratings/index.html"].data is first.slots["ratings/index.html"].data  # kept, not rendered again
    assert second.slots["reports/planet-rents/claims/rents-doubled/index.html"].data is not None  # made in the rebuild
    assert b"Rents rose by 38%." in second["reports/planet-rents/claims/rents-doubled/index.html"] != claim
    assert second["index.html"] == {p.path: p.data for p in render_site(root).pages}["index.html"]
    assert home is not None


def test_a_rebuild_takes_the_pages_of_the_served_build_only_while_no_request_is_making_one(make_project: Callable[..., Path]) -> None:
    """serve's request threads make pages of the build they hold, under its lock; the next build reads what was
    made under that lock too (reading it while a request added a page raised "dictionary changed size")."""
    root = make_project()
    engine = Engine(root, lazy=True)
    served = engine.rebuild(None).files
    served.get("index.html")
    report = root / "content/reports/planet-rents.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("Rents rose 38%, not 100%.", "Rents rose by 38%."), encoding="utf-8")
    done = threading.Event()
    rebuild = threading.Thread(target=lambda: (engine.rebuild({"content/reports/planet-rents.yaml"}), done.set()), daemon=True)
    with served.lock:  # as a request making a page of the served build holds it
        rebuild.start()
        assert not done.wait(0.5), "the rebuild read the served build's pages while a request was making one"
    assert done.wait(30)
    rebuild.join()
    assert engine.good is not None and b"Rents rose by 38%." in engine.good.files["reports/planet-rents/claims/rents-doubled/index.html"]
