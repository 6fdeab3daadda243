"""Quote anchoring: find a claim's exact words in the article snapshot (W3C TextQuoteSelector).

Matching ignores differences in whitespace, in typographic quotes and apostrophes, and invisible
characters (a soft hyphen, a zero-width space or joiner, which text copied from the web carries),
so an editor may paste ' for ’; offsets always refer to the original snapshot text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.content.quotehints import closest_passage, first_difference

_QUOTES = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'}


def _straight_quotes(text: str) -> str:
    # One replace per quote mark the text has: str.translate looks every character up in its table, which
    # takes a millisecond for an article of 20,000 characters with any non-ASCII one in it.
    for curly, straight in _QUOTES.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


_SPACE = re.compile(r"\s+")
_RUNS = re.compile(r"\s{2,}")  # the runs that shorten the text
# Characters that show nothing: soft hyphen, zero-width space, non-joiner and joiner, word joiner, zero-width no-break space.
_INVISIBLE_CHARACTERS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]+")
_GAPS = re.compile(f"[\\s{_INVISIBLE_CHARACTERS}]+")  # with invisible characters: each run of them and whitespace
# Where a sentence ends: terminal punctuation (maybe closed by a quote) then space, or a line break.
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*\s+(?=[A-Z0-9\"'“‘(•])|\n")
# A full stop after these is not the end of a sentence ("U.S. President", "Dr. Smith").
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|vs|No|Gen|Sen|Rep|Gov|Inc|Corp|Ltd|Co|Prof|Lt|Col|Capt|Sgt)\.$")


def _breaks(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Sentence boundaries in text[start:end], skipping abbreviations, found as they are needed."""
    for match in _SENTENCE_END.finditer(text, start, len(text) if end is None else end):
        if match.group() != "\n" and _ABBREVIATION.search(text, max(0, match.start() - 12), match.start() + 1):
            continue
        if match.group() == "\n" and text[match.end() : match.end() + 8].lstrip(" \t")[:1].islower():
            continue  # a line wrapped inside a sentence ("than any other\ncrossing"): the sentence goes on
        yield match


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote stands in the original snapshot text: [start, end)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AnchorResult:
    """The anchor if found once, else a message and a hint for the editor."""

    anchor: Anchor | None
    message: str = ""
    hint: str = ""


@dataclass(frozen=True)
class NormalText:
    """Text with whitespace collapsed and quotes straightened, mapped back to the original."""

    text: str
    # A normalised index maps to the original by a shift that grows after each collapsed run of
    # whitespace: from normalised index breaks[k] on, the shift is shifts[k]. A few numbers per
    # article, where a table of every character's offset took a millisecond to build.
    breaks: tuple[int, ...]
    shifts: tuple[int, ...]
    original_length: int

    def original(self, index: int) -> int:
        """The index in the original text of normalised character `index`."""
        k = bisect.bisect_right(self.breaks, index)
        return index + (self.shifts[k - 1] if k else 0)

    def original_span(self, start: int, end: int) -> Anchor:
        """Map a [start, end) span of the normalised text back to the original."""
        last = self.original(end - 1) + 1 if end > start else self.original(start)
        return Anchor(self.original(start), last)


def normalize(text: str) -> NormalText:
    """Collapse whitespace runs to one space, drop invisible characters and straighten typographic quotes."""
    # The quote table maps one character to one, so indices in `translated` are indices in `text`.
    translated = _straight_quotes(text)
    if _INVISIBLE.search(translated) is not None:
        return _normalize_gaps(translated)
    breaks: list[int] = []
    shifts: list[int] = []
    shift = 0
    for run in _RUNS.finditer(translated):
        shift += run.end() - run.start() - 1  # the run's first character stands for the whole run
        breaks.append(run.end() - shift)  # the normalised index of the character after the run
        shifts.append(shift)
    return NormalText(_SPACE.sub(" ", translated), tuple(breaks), tuple(shifts), len(text))


def _normalize_gaps(translated: str) -> NormalText:
    """`normalize` for a text with invisible characters: a run of them alone goes, one with whitespace is a space."""
    breaks: list[int] = []
    shifts: list[int] = []
    pieces: list[str] = []
    shift = taken = 0
    for run in _GAPS.finditer(translated):
        pieces.append(translated[taken : run.start()])
        taken = run.end()
        # The run's first whitespace character stands for it (the invisible ones before it go); none: all go.
        space = _SPACE.search(run.group())
        kept = run.start() + space.start() if space is not None else run.end()
        for gone, after in ((kept - run.start(), kept), (run.end() - kept - 1, run.end())):
            if gone > 0:
                shift += gone
                breaks.append(after - shift)  # the normalised index of the character after what went
                shifts.append(shift)
        pieces.append(" " if space is not None else "")
    pieces.append(translated[taken:])
    return NormalText("".join(pieces), tuple(breaks), tuple(shifts), len(translated))


def normalize_plain(text: str) -> str:
    """Normalise a short string (a quote) the same way, without keeping offsets."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", _straight_quotes(text))).strip()


def occurrences(haystack: str, needle: str) -> list[int]:
    """Every start index of `needle` in `haystack`, overlapping ones included."""
    found = []
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


NOT_FOUND = "quote not found in the article snapshot"
# The closest passage is looked for in snapshots up to this many characters (a long article is 100,000):
# its word table takes about 150 bytes a word, 2.6 GB for a 47 MB snapshot, which is not an article.
CLOSEST_SEARCH_LIMIT = 2_000_000


def find_quote(snapshot: NormalText, exact: str, prefix: str = "", suffix: str = "", closest: bool = True) -> AnchorResult:
    """Anchor `exact` in the snapshot, using prefix/suffix to choose among several matches.

    `closest=False` skips the search for the closest passage when the quote is not found.
    """
    needle = normalize_plain(exact)
    if not needle:
        return AnchorResult(None, "the quote is empty")
    hits = occurrences(snapshot.text, needle)
    if not hits and not snapshot.text.strip():
        return AnchorResult(None, NOT_FOUND, "the snapshot is empty: save the article's text in it")
    if not hits:
        searched = closest and len(snapshot.text) <= CLOSEST_SEARCH_LIMIT
        passage = closest_passage(snapshot.text, needle) if searched else ""
        differs = first_difference(needle, passage) if passage else ""
        # A passage that starts or ends with the article's own double quotes goes in single ones: '"x"', not '""x""'.
        mark = "'" if passage[:1] in '"“”' or passage[-1:] in '"“”' else '"'
        hint = f"closest passage in the snapshot: {mark}{passage}{mark}{differs}" if passage else "copy the words exactly from the snapshot"
        if closest and not searched:
            hint += " (it is too long to look for the closest passage)"
        return AnchorResult(None, NOT_FOUND, hint)
    if prefix or suffix:
        before = normalize_plain(prefix)
        after = normalize_plain(suffix)
        hits = [h for h in hits if _stands_between(snapshot.text, h, h + len(needle), before.rstrip(), after.lstrip())]
        if not hits:
            return AnchorResult(None, "quote found, but not with this prefix/suffix", "prefix is the text just before the quote, suffix the text just after")
    if len(hits) > 1:
        contexts = "; ".join(f'"...{_words_before(snapshot.text, h)}[quote]..."' for h in hits[:SHOWN_HITS])
        more = f" (and {len(hits) - SHOWN_HITS} more)" if len(hits) > SHOWN_HITS else ""
        return AnchorResult(None, f"quote occurs {len(hits)} times in the snapshot", f"add a prefix or suffix to choose one: {contexts}{more}")
    return AnchorResult(snapshot.original_span(hits[0], hits[0] + len(needle)))


SHOWN_HITS = 3  # places a repeated quote's hint shows


def _stands_between(text: str, start: int, end: int, before: str, after: str) -> bool:
    """Whether text[start:end] follows `before` and precedes `after`, white space aside (in place: copies were quadratic)."""
    while start > 0 and text[start - 1].isspace():
        start -= 1
    while end < len(text) and text[end].isspace():
        end += 1
    return text.endswith(before, 0, start) and text.startswith(after, end)


def _words_before(text: str, at: int, width: int = 30) -> str:
    """About `width` characters before `at`, starting at a word: what a prefix could say."""
    start = max(0, at - width)
    chunk = text[start:at]
    if start > 0 and not text[start - 1].isspace() and " " in chunk.rstrip():
        chunk = chunk.split(" ", 1)[1]  # the cut fell inside a word: begin at the next one
    return chunk.lstrip()


def sentence_around(text: str, anchor: Anchor, limit: int = 320) -> tuple[str, str, str]:
    """The sentence holding the anchor, as (before, quote, after), trimmed to `limit` each side."""
    start = _sentence_start(text, anchor.start, limit)
    reach = min(len(text), anchor.end + limit + 256)  # as far as `limit` shows: with no sentence end, each claim scanned to the end
    end_match = next(_breaks(text, max(anchor.start, anchor.end - 1), reach), None)
    end = _sentence_stop(end_match.start(), end_match.group()) if end_match else reach
    end = max(end, anchor.end)
    before = text[start : anchor.start]
    after = text[anchor.end : end]
    if len(before) > limit:
        before = "…" + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + "…"
    return _SPACE.sub(" ", before).lstrip(), _SPACE.sub(" ", text[anchor.start : anchor.end]), _SPACE.sub(" ", after).rstrip()


_BREAK_CHARS = frozenset(".!?\"'’”)")


def _sentence_start(text: str, position: int, limit: int) -> int:
    """Where the sentence holding `position` starts, looked for only as far back as `limit` characters can show."""
    # Not from the text's start (2,000 claims on a long article took minutes): further back is cut at `limit` anyway.
    low = max(0, position - limit - 64)
    while low > 0 and (text[low - 1].isspace() or text[low - 1] in _BREAK_CHARS):
        low -= 1  # so that no sentence end straddles the point the search starts from
    start = low
    # Search a little past the quote's start: the lookahead must see its first letter.
    for match in _breaks(text, low, min(len(text), position + 1)):
        if match.end() <= position:
            start = match.end()
    return start


def _sentence_stop(start: int, matched: str) -> int:
    # Keep the full stop and any closing quote with the sentence, not the space after.
    return start + len(matched.rstrip())


def sentences(text: str) -> list[Anchor]:
    """Split text into sentence spans (for marking sentences no claim covers)."""
    spans: list[Anchor] = []
    start = 0
    for match in _breaks(text):
        end = _sentence_stop(match.start(), match.group())
        if text[start:end].strip():
            spans.append(Anchor(start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(Anchor(start, len(text.rstrip())))
    return spans


# Scripts written without spaces between words, or whose words take particles and prefixes a quote may
# leave out (Hebrew, Arabic, Hangul): a quote may start or end anywhere in them.
_UNSPACED = (
    (0x0590, 0x08FF),
    (0x0E00, 0x0EFF),
    (0x1000, 0x11FF),
    (0x1780, 0x17FF),
    (0x2E80, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFB1D, 0xFEFF),
    (0x20000, 0x3FFFF),
)


def _in_a_word(ch: str) -> bool:
    code = ord(ch)
    return ch.isalnum() and not any(low <= code <= high for low, high in _UNSPACED)


def _joined(left: str, right: str) -> bool:
    """Whether two neighbouring characters belong to one word: letters with letters, digits with digits (not 'high³')."""
    return (left.isalpha() and right.isalpha() and _in_a_word(left) and _in_a_word(right)) or (left.isdecimal() and right.isdecimal())


def cut_words(text: str, anchor: Anchor) -> tuple[str, str] | None:
    """(message, hint) when a found quote starts or ends inside a word or number of `text` (a copying slip), else None."""
    start, end = anchor.start, anchor.end
    cuts = []
    # The neighbours that show: a soft hyphen inside 'li-braries' hides no word boundary.
    before, after = _shown(text, start - 1, -1), _shown(text, end, 1)
    # '5 percent' out of '12.5 percent': a number's point or comma between digits is part of it.
    if before >= 0 and (_joined(text[before], text[start]) or _in_a_number(text, before)):
        cuts.append(f"starts inside the word '{_word(text, start)}'")
    if start < end and after < len(text) and (_joined(text[end - 1], text[after]) or _in_a_number(text, after)):
        cuts.append(f"ends inside the word '{_word(text, end - 1)}'")
    if not cuts:
        return None
    said = " and ".join(cuts)
    return f"the quote {said}", "copy whole words from the snapshot: the article page highlights exactly the quote"


def _shown(text: str, at: int, step: int) -> int:
    """The first index from `at` on, going by `step`, whose character shows (past soft hyphens and zero-width ones)."""
    while 0 <= at < len(text) and text[at] in _INVISIBLE_CHARACTERS:
        at += step
    return at


def _in_a_number(text: str, at: int) -> bool:
    """Whether text[at] is a point or comma between two digits."""
    return 0 < at < len(text) - 1 and text[at] in ".," and text[at - 1].isdecimal() and text[at + 1].isdecimal()


def _word(text: str, at: int) -> str:
    """The word of `text` that holds position `at`."""
    first, last = at, at
    while first > 0 and (_in_a_word(text[first - 1]) or _in_a_number(text, first - 1) or text[first - 1] in _INVISIBLE_CHARACTERS):
        first -= 1
    while last < len(text) - 1 and (_in_a_word(text[last + 1]) or _in_a_number(text, last + 1) or text[last + 1] in _INVISIBLE_CHARACTERS):
        last += 1
    return _INVISIBLE.sub("", text[first : last + 1])[:40]
