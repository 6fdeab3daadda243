"""URL layout and relative links."""

from __future__ import annotations

import posixpath
import random
import urllib.parse

from generator.site import urls


def test_output_paths() -> None:
    assert urls.output_path("") == "index.html"
    assert urls.output_path("reports/a/") == "reports/a/index.html"
    assert urls.output_path("404.html") == "404.html"


def test_relative_links_name_index_files() -> None:
    assert urls.relative("", "reports/a/") == "reports/a/index.html"
    assert urls.relative("reports/a/", "") == "../../index.html"
    assert urls.relative("reports/a/claims/c/", "reports/a/") == "../../index.html"
    assert urls.relative("reports/a/claims/c/", "reports/a/claims/d/") == "../d/index.html"
    assert urls.relative("reports/a/", "reports/a/#claim-c") == "index.html#claim-c"
    assert urls.relative("about/", "static/style.css") == "../static/style.css"
    assert urls.relative("404.html", "ratings/") == "ratings/index.html"


def test_relative_links_are_posixpaths_relpath_from_the_pages_folder() -> None:
    """The short way through plain paths gives relpath's answer; '.', '..', empty parts and a path naming one of the page's folders too."""
    rng = random.Random(3)
    parts = ["a", "b", "x", "index.html", "reports", "claims", ".", "..", "", ".w", "a.b"]

    def url() -> str:
        text = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        return text + "/" if rng.random() < 0.7 else text

    for _ in range(30_000):
        page, to = url(), url() + ("#f" if rng.random() < 0.1 else "")
        target, _, fragment = to.partition("#")
        if target.startswith("/") or (page.rpartition("/")[0] or ".").startswith("/"):
            continue  # relpath would read the working folder: no page has such a URL
        expected = posixpath.relpath(urls.output_path(target), page.rpartition("/")[0] or ".") + (f"#{fragment}" if fragment else "")
        if to.startswith("#"):
            expected = to  # a fragment of the page itself
        assert urls.relative(page, to) == expected, (page, to)
    assert urls.relative("reports/x/", "reports") == ".."  # a file named like the page's folder: relpath's answer


def test_absolute_urls_need_a_base() -> None:
    assert urls.absolute("", "reports/a/") == ""
    assert urls.absolute("https://x.example/sub", "reports/a/") == "https://x.example/sub/reports/a/"
    assert urls.absolute("https://x.example/", "") == "https://x.example/"


def test_quote_is_urllibs_quote_keeping_slashes() -> None:
    rng = random.Random(11)
    alphabet = [chr(c) for c in range(0x300)] + ["€", "𝄞", "ü", "中"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert urls.quote(text) == urllib.parse.quote(text, safe="/")
