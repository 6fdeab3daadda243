"""Characters a text field may not hold: they are invisible, break feeds and HTML, or make text read other than it is stored."""

from __future__ import annotations

import re

# Control characters other than tab and newline are invisible and break feeds and HTML.
# U+FFFE, U+FFFF and lone surrogates (reachable through "\\u" escapes) are not allowed in XML.
# U+202D and U+202E force a direction on what follows: text that reads other than it is stored (a claim
# reversed on screen). Right-to-left text needs neither.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\u202d\u202e\ufeff\ufffe\uffff\ud800-\udfff]")
# Embeddings and isolates reorder text too ("from \u2067100% to 38%\u2069" shows "from to 38% 100%"); right-to-left
# text mixed with left-to-right text may need them, so they are allowed beside a right-to-left letter only.
_DIRECTIONAL = re.compile(r"[\u202a-\u202c\u2066-\u2069]")
_RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")  # Hebrew, Arabic, Syriac, Thaana, N'Ko... and their forms


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # what _CONTROL can find in ASCII text


def hidden_character(text: str) -> tuple[str, str] | None:
    """The first character `text` may not hold, and what it is ("an invisible control character"...), or None."""
    if text.isascii():  # most of a file's texts: one search, since nothing but a control character can be wrong there
        bad = _ASCII_CONTROL.search(text)
        return None if bad is None else (bad.group(), "an invisible control character")
    bad = _CONTROL.search(text) or (None if _RIGHT_TO_LEFT.search(text) else _DIRECTIONAL.search(text))
    if bad is None:
        return None
    char = bad.group()
    if char in "\u202d\u202e":
        return char, "a bidirectional override"
    if _DIRECTIONAL.match(char):
        return char, "a direction control, in text with no right-to-left letters"
    if char in "\ufffe\uffff" or "\ud800" <= char <= "\udfff":
        return char, "a non-character"
    return char, "an invisible control character"
