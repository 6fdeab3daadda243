"""Claim stubs for a new report: the sentences of a snapshot worth checking, each with a quote that anchors once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.content.anchors import NormalText, find_quote, normalize, normalize_plain, occurrences, sentences
from generator.content.validate import slugify

# Invisible characters the validator rejects in any text: a stub holding one could never anchor.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_LIST_MARK = re.compile(r"^[\s•·*\-–—▪►]+")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# Why a sentence is worth checking; the first matching reasons are shown on the stub.
_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"\d|\b(?:hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|twice|double[ds]?|tripled?)\b", re.I)),
    ("date", re.compile(rf"\b(?:{_MONTHS}|{_DAYS})\b|\b(?:yesterday|today|tomorrow|last (?:week|month|year)|this (?:week|month|year))\b")),
    (
        "attribution",
        re.compile(
            r"\b(?:said|says|say|told|according to|reported(?:ly)?|reports|stated|announced|claimed|claims|warned|argued|insisted"
            r"|testified|confirmed|denied|wrote|tweeted|posted)\b",
            re.I,
        ),
    ),
    ("quotation", re.compile(r"[\"“”„«»]|(?:^|\s)['‘][^'’\n]{2,}['’](?=[\s.,;:!?]|$)")),
)
# A capitalised word or an acronym: a name of a person or body, unless it opens the sentence or a quote.
_NAME = re.compile(r"\b(?:[A-Z][\w’'-]*[a-z0-9][\w’'-]*|[A-Z](?:\.?[A-Z])+\.?)")
# Capitalised only because they open a sentence or a quote.
_NOT_NAMES = frozenset({"I", "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "We"}) | frozenset(
    {"They", "You", "His", "Her", "Our", "Their", "My", "In", "On", "At", "But", "And", "Or", "If"}
)
_MIN_WORDS = 3
# An article's furniture, above its text: the byline and the dateline are no claims, though they hold names and dates.
_NAME_WORDS = r"[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|da|van|von|der|al|bin|la|le))*"
_BYLINE = re.compile(rf"^By\s+(?P<names>{_NAME_WORDS}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){_NAME_WORDS})*)\s*$")
_DATELINE = re.compile(r"^(?:Published|Updated|Posted|Last updated|First published)(?:\s+on)?:?\s+(?P<when>.{4,60})$", re.I)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTHS})\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
FURNITURE_LINES = 12  # the first lines of a snapshot, where an article's byline and dateline stand
_TRAILING = frozenset(["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"])


@dataclass(frozen=True)
class Stub:
    """A check-worthy sentence of the snapshot, with a quote that anchors once."""

    exact: str
    line: int
    reasons: tuple[str, ...]
    prefix: str = ""
    suffix: str = ""


def _reasons(sentence: str) -> tuple[str, ...]:
    found = [name for name, pattern in _REASONS if pattern.search(sentence)]
    first = re.search(r"\w+", sentence)
    if any(m.group() not in _NOT_NAMES for m in _NAME.finditer(sentence, first.end() if first else 0)):
        found.append("names")
    return tuple(found)


def _joined_lines(text: str) -> str:
    # Hard-wrapped paragraphs: a line break before a lowercase word continues the sentence.
    # Same length as `text`, so sentence offsets still point into the original.
    return re.sub(r"(?<=\S)\n(?=[ \t]*[a-z])", " ", text)


def _disambiguate(normal: NormalText, exact: str, target: int) -> tuple[str, str] | None:
    """The shortest prefix and/or suffix that make `exact` anchor at `target` (original offset)."""
    needle = normalize_plain(exact)
    here = next((h for h in occurrences(normal.text, needle) if normal.original(h) == target), None)
    if here is None:
        return None
    words_before = normal.text[:here].split()
    words_after = normal.text[here + len(needle) :].split()
    # Shortest context first: a few words before, then after, then both.
    for count in range(1, 13):
        before = " ".join(words_before[-count:])
        after = " ".join(words_after[:count])
        for prefix, suffix in ((before, ""), ("", after), (before, after)):
            if not (prefix or suffix):
                continue
            result = find_quote(normal, exact, prefix, suffix)
            if result.anchor is not None and result.anchor.start == target:
                return prefix, suffix
    return None


@dataclass(frozen=True)
class ArticleFacts:
    """What the top of a snapshot says about its article: the byline's names and the dateline's day."""

    authors: tuple[str, ...] = ()
    published: dt.date | None = None


def article_facts(text: str) -> ArticleFacts:
    """The byline's names and the dateline's date among the snapshot's first lines, where they stand."""
    authors: tuple[str, ...] = ()
    published = None
    for line in [" ".join(line.split()) for line in text.splitlines()[:FURNITURE_LINES]]:
        byline = _BYLINE.match(line)
        if byline and not authors:
            authors = tuple(n for n in re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", byline["names"]) if n)
        dateline = _DATELINE.match(line)
        if dateline and published is None:
            published = _day(dateline["when"])
    return ArticleFacts(authors, published)


def _day(text: str) -> dt.date | None:
    months = _MONTHS.split("|")
    for pattern, order in ((_DAY_MONTH_YEAR, (2, 1, 0)), (_MONTH_DAY_YEAR, (2, 0, 1)), (_ISO_DAY, (0, 1, 2))):
        found = pattern.search(text)
        if found:
            year, month, day = (found.group(i + 1) for i in order)
            number = months.index(month) + 1 if month in months else int(month)
            try:
                return dt.date(int(year), number, int(day))
            except ValueError:  # 31 February: no date at all
                return None
    return None


def _furniture(sentence: str, publisher: str) -> bool:
    """The masthead (the publisher's name, with or without 'The'), a byline or a dateline: no claim to check."""
    bare = sentence.rstrip(".").casefold()
    outlet = publisher.casefold().removeprefix("the ")
    return bool(outlet and bare.removeprefix("the ") == outlet) or bool(_BYLINE.match(sentence) or _DATELINE.match(sentence))


def checkworthy(text: str, publisher: str = "") -> list[Stub]:
    """Sentences carrying numbers, dates, attributions, quotations or names, each anchorable once; not the article's furniture."""
    normal = normalize(text)
    joined = _joined_lines(text)
    stubs: list[Stub] = []
    seen: set[str] = set()
    for span in sentences(joined):
        raw = joined[span.start : span.end]
        lead = _LIST_MARK.match(raw)
        start = span.start + (lead.end() if lead else 0)
        exact = re.sub(r"\s+", " ", joined[start : span.end]).strip()
        # Questions ask rather than claim; very short lines are labels, not statements.
        if len(exact.split()) < _MIN_WORDS or exact.endswith("?") or CONTROL.search(exact) or exact in seen or _furniture(exact, publisher):
            continue
        reasons = _reasons(exact)
        if not reasons:
            continue
        seen.add(exact)
        result = find_quote(normal, exact)
        prefix = suffix = ""
        if result.anchor is None:
            # The sentence occurs more than once (or inside a longer one): add context to pick this one.
            context = _disambiguate(normal, exact, start)
            if context is None:
                continue
            prefix, suffix = context
        stubs.append(Stub(exact, text.count("\n", 0, start) + 1, reasons, prefix, suffix))
    return stubs


def id_words(text: str, words: int, limit: int) -> str:
    """A slug of the first `words` words of `text`, at most `limit` characters."""
    # "Riverton's buses" -> "rivertons-buses"; never end on a word like "as" or "the".
    slug = slugify(re.sub(r"['’]", "", " ".join(text.split()[:words])))[:limit].strip("-")
    if len(slug) == limit:
        slug = slug.rsplit("-", 1)[0]
    parts = slug.split("-")
    while len(parts) > 1 and parts[-1] in _TRAILING:
        parts.pop()
    return "-".join(parts)


def claim_id(exact: str, taken: set[str]) -> str:
    """A claim id from a quote's first words, made unique among `taken` (which it joins)."""
    base = id_words(exact, 6, 48) or "claim"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate
