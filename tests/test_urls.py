"""URL layout and relative links."""

from __future__ import annotations

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
