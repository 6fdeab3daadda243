"""Tolerant reading of schema.org values as real sites publish them: strings or lists, entities, partial dates."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from urllib.parse import urlsplit

from generator.content.names import WINDOWS_RESERVED, http_url_problem
from generator.content.validate import slugify
from generator.importer.records import MAX_TEXT

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060\ufeff]")
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_SCHEMA_PREFIX = re.compile(r"^(?:https?://schema\.org/|schema:)", re.I)
ARCHIVE_HOSTS = ("web.archive.org", "archive.org", "archive.today", "archive.ph", "archive.is", "archive.li", "perma.cc", "webcitation.org", "ghostarchive.org")


def first(value: object) -> object:
    """A list's first item; anything else as it is."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def as_list(value: object) -> list[object]:
    """A list, whether the value was one item, a list of them, or absent."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def types(value: object) -> set[str]:
    """The @type of an object, as a set of short names ('ClaimReview', not 'http://schema.org/ClaimReview')."""
    if not isinstance(value, dict):
        return set()
    return {_SCHEMA_PREFIX.sub("", t) for t in as_list(value.get("@type")) if isinstance(t, str)}


def clean(value: object) -> str:
    """Text for a YAML field: entities decoded, invisible characters gone, whitespace single, length bounded."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value", value.get("name", ""))
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    text = html.unescape(str(value)) if isinstance(value, str) else str(value)
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


ESCAPE_IN_URL = frozenset('"<>\\`')


def http_url(value: object) -> tuple[str, str]:
    """(url, '') for an http(s) address, else ('', the refused value) so it can be reported."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("url", value.get("@id"))
    if not isinstance(value, str) or not value.strip():
        return "", ""
    text = html.unescape(value.strip())
    if any(c.isspace() or ord(c) < 32 for c in text):
        return "", text[:80]
    # Quotes, angle brackets, backslashes and backticks are percent-encoded, as browsers do: the
    # address stays the same and passes the project's one URL rule (content/names.py).
    encoded = "".join(f"%{ord(c):02X}" if c in ESCAPE_IN_URL else c for c in text)
    return (encoded, "") if not http_url_problem(encoded) else ("", text[:80])


def refusal(text: str) -> str:
    """Why http_url refused `text`, to follow 'link ... dropped:' ('it is not an http(s) URL', 'it has a user name...')."""
    if any(c.isspace() or ord(c) < 32 for c in text):
        return "it contains a space or a control character"
    return "it " + (http_url_problem(text) or "is not an http(s) URL")


def is_archive(url: str) -> bool:
    """True for links to a web archive's copy (Wayback Machine, archive.today, Perma.cc...)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in ARCHIVE_HOSTS)


def date_problem(value: object, field: str) -> str:
    """Why a date field that holds something is not read as a date ('' when it is one, or is empty)."""
    text = clean(value)
    if not text or date(value) is not None:
        return ""
    return f"{field} '{short(text, 40)}' is not a date"


def date(value: object) -> dt.date | None:
    """The calendar date of '2026-05-01', '2026-05-01T10:00:00Z' or '2026-05-01T10:00+02:00' (the date as written)."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value")
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1000 <= year <= 9999 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return dt.date(year, month, day)


def short(text: str, limit: int = 110) -> str:
    """At most `limit` characters, cut at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


ID_MAX = 60  # of an id made from a name, a label or a headline: shorter than check's limit, whole words


def slug_id(text: str, fallback: str) -> str:
    """An id made from `text` that check accepts: a slug of whole words, `fallback` when none is left.

    A name Windows keeps for a device ("Con", "Nul") gets the fallback after it: the id names a folder.
    """
    slug = slugify(text)
    slug = slug if len(slug) <= ID_MAX else slug[:ID_MAX].rsplit("-", 1)[0]
    if not slug:
        return fallback
    return f"{slug}-{fallback}" if slug in WINDOWS_RESERVED else slug
