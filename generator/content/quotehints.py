"""What to tell an editor whose quote is not in the snapshot: the passage most like it, and the first words that differ."""

from __future__ import annotations

import difflib
import heapq
import re
from collections import Counter

from generator.diagnostics import shortened


def closest_passage(text: str, needle: str) -> str:
    """The passage of `text` most like `needle`, in time linear in the text's length.

    Every window of the quote's width is scored by the words it shares with the quote (a sliding
    count); only the best few are compared character by character, and only when the quote is
    short enough for that to be cheap. A 2,000-word quote in a 20,000-word article takes well
    under a second.
    """
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    target = needle.split()
    if not spans or not target:
        return ""
    words = [text[start:end] for start, end in spans]
    width = min(len(target), len(words))
    best_starts = _best_windows(words, Counter(target), width)
    best, best_ratio = "", 0.0
    for start in best_starts:
        window = text[spans[start][0] : spans[start + width - 1][1]]
        if len(needle) <= _CHAR_COMPARE_LIMIT:
            ratio = difflib.SequenceMatcher(None, window, needle, autojunk=False).ratio()
        else:  # too long to compare by characters: the share of words in common decides
            ratio = sum((Counter(window.split()) & Counter(target)).values()) / len(target)
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best if best_ratio >= 0.5 else ""


def first_difference(quote: str, passage: str) -> str:
    """Where a quote first differs from the passage most like it, word by word, for the not-found hint ('' if by no word).

    In a long passage a mistyped letter is hard to see: the hint names the words. Words are compared without the
    punctuation around them (the passage may end in the middle of a sentence), and words the passage has beyond
    either end of the quote are no difference (a quote without them would have been found).
    """
    ours, theirs = quote.split(), passage.split()
    keys = [[word.strip(_PUNCTUATION) or word for word in words] for words in (ours, theirs)]
    # Then with the punctuation: where every word matches, a comma or a full stop is what differs.
    for mine, saved_words in ((keys[0], keys[1]), (ours, theirs)):
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, mine, saved_words, autojunk=False).get_opcodes():
            if tag == "equal" or (tag == "insert" and i1 in (0, len(ours))):
                continue
            if i2 == len(ours):  # at the quote's end: the passage's words beyond it are no difference
                j2 = min(j2, j1 + max(1, i2 - i1))
            wrote, saved = shortened(" ".join(ours[i1:i2]), 40), shortened(" ".join(theirs[j1:j2]), 40)
            if tag == "replace" and _QUOTATION_MARKS.search(wrote + saved) and wrote.strip(_PUNCTUATION) == saved.strip(_PUNCTUATION):
                # In quotes, a stray quotation mark reads as one more quote: '""household"'.
                return f"; the quote has {wrote} where the snapshot has {saved} (only the punctuation differs)"
            if tag == "replace":
                return f'; the quote has "{wrote}" where the snapshot has "{saved}"'
            if tag == "delete":
                return f'; the quote has "{wrote}", which the snapshot does not have there'
            return f'; the quote leaves out "{saved}"'
    return ""


_PUNCTUATION = ".,;:!?\"'()[]\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u2026"  # curly quotes, guillemets, an ellipsis too
_WORD = re.compile(r"\S+")
_QUOTATION_MARKS = re.compile("[\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e]")
_CANDIDATES = 8
_CHAR_COMPARE_LIMIT = 1000  # characters of quote compared exactly (a few tenths of a second at most); beyond, by words


def _best_windows(words: list[str], need: Counter[str], width: int) -> list[int]:
    """Starts of the windows of `width` words sharing the most words with `need`, best first, ties by position."""
    have: Counter[str] = Counter()
    shared = 0
    scored: list[tuple[int, int]] = []
    for index, word in enumerate(words):
        if have[word] < need[word]:
            shared += 1
        have[word] += 1
        if index >= width:
            old = words[index - width]
            if have[old] <= need[old]:
                shared -= 1
            have[old] -= 1
        if index >= width - 1:
            scored.append((shared, index - width + 1))
    top = heapq.nsmallest(_CANDIDATES, scored, key=lambda item: (-item[0], item[1]))
    return [start for _, start in top]
