"""Request targets: plain paths map to site paths, anything that could leave the root is refused; Content-Types."""

from __future__ import annotations

import pytest

from generator.preview.paths import content_type, safe_path


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/", ""),
        ("/reports/a/", "reports/a/"),
        ("/static/style.css?v=2#x", "static/style.css"),
        ("/caf%C3%A9/", "café/"),
        ("/a%20b.html", "a b.html"),
    ],
)
def test_safe_path_accepts_plain_paths(target: str, expected: str) -> None:
    """Ordinary paths map to site paths, percent-decoded, query and fragment dropped."""
    assert safe_path(target) == expected


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/reports/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/.%2e/secret.txt",
        "/reports/%2e/index.html",
        "/..%2f..%2fsecret.txt",
        "/static%2F..%2F..%2Fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/static\\..\\secret.txt",
        "//etc/passwd",
        "/index.html%00.css",
        "/a\x00b",
        "/%ff%fe",
        "etc/passwd",
        "http://127.0.0.1/../secret.txt",
        "*",
        "",
    ],
)
def test_safe_path_refuses_anything_that_could_leave_the_root(target: str) -> None:
    """Dot segments (plain or encoded), encoded slashes, backslashes, NUL, bad UTF-8 and non-paths are refused."""
    assert safe_path(target) is None


def test_content_types() -> None:
    """Pages, styles, scripts, feeds and data get the right Content-Type."""
    assert content_type("index.html") == "text/html; charset=utf-8"
    assert content_type("static/style.css") == "text/css; charset=utf-8"
    assert content_type("data/search/meta.js") == "text/javascript; charset=utf-8"
    assert content_type("data/claims.json") == "application/json"
    assert content_type("feeds/reports.xml") == "application/xml"
    assert content_type("robots.txt") == "text/plain; charset=utf-8"
    assert content_type("blob.unknownext") == "application/octet-stream"
