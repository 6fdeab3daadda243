"""Characters a text field may not hold: invisible controls, non-characters, and direction controls that reorder text."""

from __future__ import annotations

import random

import pytest

from generator.content.characters import hidden_character


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("bell\a", ("\a", "an invisible control character")),
        ("odd\ufffe", ("\ufffe", "a non-character")),
        ("Rents \u202edoubled", ("\u202e", "a bidirectional override")),
        # An isolate around digits shows "from to 38% 100%": what readers see is not what was written.
        ("Rents rose from \u2067100% to 38%\u2069 since 2015", ("\u2067", "a direction control, in text with no right-to-left letters")),
        ("an \u202aembedding\u202c", ("\u202a", "a direction control, in text with no right-to-left letters")),
        # Beside a right-to-left override, even in right-to-left text: an override is never needed.
        ("שלום \u202e abc", ("\u202e", "a bidirectional override")),
    ],
)
def test_hidden_characters_are_named(text: str, found: tuple[str, str]) -> None:
    assert hidden_character(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Plain text, with a tab\tand a newline\n",
        "السعر \u2066100%\u2069 أعلى",  # Arabic around a number: an isolate keeps the figure in place
        "הכותרת: \u2067Tel Aviv\u2069",
        "Café, naïve, 東京, emoji 🙂",
    ],
)
def test_ordinary_and_right_to_left_text_passes(text: str) -> None:
    assert hidden_character(text) is None


def test_ascii_text_is_judged_as_any_text() -> None:
    """ASCII text takes a short way (one search); a letter that is not ASCII sends the same text the long way."""
    draw = random.Random(5)
    alphabet = [chr(code) for code in range(0x80)]
    for _ in range(20_000):
        text = "".join(draw.choice(alphabet) for _ in range(draw.randint(0, 8)))
        assert hidden_character(text) == hidden_character(text + "é"), repr(text)
