"""The hint for a quote not found: the closest passage and the first words that differ (generator/content/quotehints.py)."""

from __future__ import annotations

from generator.content.quotehints import closest_passage, first_difference


def test_closest_passage_picks_the_right_short_passage() -> None:
    text = "The council met on Monday. Rents rose 38 percent since 2015, the index shows. Critics disagree."
    assert closest_passage(text, "Rents rose 83 percent since 2015") == "Rents rose 38 percent since 2015,"
    assert closest_passage(text, "completely unrelated words here") == ""


def test_a_stray_quotation_mark_is_named_as_punctuation_not_quoted_again() -> None:
    """A curly quote in quote.exact gave 'the quote has ""household" where...': one mark too many, hard to see."""
    passage = "household energy bills in the county fell"
    assert first_difference("\u201chousehold energy bills in the county", passage) == (
        "; the quote has \u201chousehold where the snapshot has household (only the punctuation differs)"
    )
    assert first_difference("household energy bils in the county", passage) == '; the quote has "bils" where the snapshot has "bills"'
