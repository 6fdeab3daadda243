"""Tolerant schema.org values (generator/importer/normalise.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.importer import normalise as n


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-05-01", dt.date(2026, 5, 1)),
        ("2026-05-01T10:00:00Z", dt.date(2026, 5, 1)),
        ("2026-05-01T23:30:00-05:00", dt.date(2026, 5, 1)),  # the date as written, not moved to UTC
        ("2026-5-1 09:00", dt.date(2026, 5, 1)),
        (["2026-05-02", "2026-05-03"], dt.date(2026, 5, 2)),
        ({"@value": "2026-05-04"}, dt.date(2026, 5, 4)),
        ("2026-02-30", None),
        ("May 1, 2026", None),
        (20260501, None),
    ],
)
def test_dates_with_or_without_time_and_zone(value: object, expected: dt.date | None) -> None:
    assert n.date(value) == expected


def test_text_is_cleaned_not_interpreted() -> None:
    assert n.clean("&quot;A&quot; &amp;\u00a0<b>b</b>\x90\ufeff\n c") == '"A" & <b>b</b> c'
    assert n.clean(["first", "second"]) == "first" and n.clean({"name": "Org"}) == "Org" and n.clean(3) == "3"
    assert n.clean(None) == "" and n.clean(True) == "" and n.clean({"x": 1}) == ""
    assert len(n.clean("x" * 20_000)) == 5_000


def test_only_http_links_pass() -> None:
    assert n.http_url("https://a.example/x?y=1") == ("https://a.example/x?y=1", "")
    assert n.http_url({"url": "http://a.example/"}) == ("http://a.example/", "")
    assert n.http_url("javascript:alert(1)") == ("", "javascript:alert(1)")
    assert n.http_url("https://a.example/x y") == ("", "https://a.example/x y")
    assert n.http_url(None) == ("", "")


def test_types_archives_and_shortening() -> None:
    assert n.types({"@type": ["ClaimReview", "schema:Review", "http://schema.org/Thing"]}) == {"ClaimReview", "Review", "Thing"}
    assert n.is_archive("https://web.archive.org/web/2024/x") and n.is_archive("https://archive.ph/abc") and not n.is_archive("https://archive.example.com/")
    assert n.short("one two three four", 12) == "one two…" and n.short("short", 12) == "short"


def test_a_dropped_link_says_why() -> None:
    """An https address dropped 'because only http(s) links are imported' left an editor puzzled (hostile-input audit F19)."""
    assert n.refusal("https://bank.example@evil.example/").startswith("it has a user name or password in it")
    assert n.refusal("https://x.example:99999/") == "it is not a valid URL: its port is not a number up to 65535"
    assert n.refusal("javascript:alert(1)") == "it is not an http(s) URL ('javascript:' links are not allowed)"
    assert n.refusal("https://a b.example/") == "it contains a space or a control character"
