"""Quote anchoring in article snapshots."""

from __future__ import annotations

from generator.content.anchors import Anchor, find_quote, normalize, sentence_around, sentences

TEXT = "Intro line\n\nThe mayor’s “plan” costs $4 million, said U.S. Sen. Jane Doe.  It   passed. The plan costs less now.\n"


def test_typographic_quotes_and_whitespace_are_normalised() -> None:
    result = find_quote(normalize(TEXT), 'The mayor\'s "plan"   costs $4 million')
    assert result.anchor is not None
    assert TEXT[result.anchor.start : result.anchor.end] == "The mayor’s “plan” costs $4 million"


def test_offsets_map_back_across_collapsed_whitespace() -> None:
    result = find_quote(normalize(TEXT), "Jane Doe. It passed.")
    assert result.anchor is not None
    assert TEXT[result.anchor.start : result.anchor.end] == "Jane Doe.  It   passed."


def test_several_matches_need_prefix_or_suffix() -> None:
    normal = normalize(TEXT)
    ambiguous = find_quote(normal, "plan")
    assert ambiguous.anchor is None and "occurs 2 times" in ambiguous.message
    chosen = find_quote(normal, "plan", prefix="The", suffix="costs less")
    assert chosen.anchor is not None and TEXT[chosen.anchor.start - 4 : chosen.anchor.end] == "The plan"


def test_prefix_that_does_not_match_is_reported() -> None:
    result = find_quote(normalize(TEXT), "costs", prefix="nothing like this")
    assert result.anchor is None and "prefix/suffix" in result.message


def test_missing_quote_suggests_the_closest_passage() -> None:
    result = find_quote(normalize(TEXT), "The mayor's plan costs $5 million")
    assert result.anchor is None
    assert "closest passage" in result.hint and "costs $4 million" in result.hint


def test_sentence_around_skips_abbreviations() -> None:
    start = TEXT.index("said")
    before, exact, after = sentence_around(TEXT, Anchor(start, start + 4))
    assert before == "The mayor’s “plan” costs $4 million, "
    assert exact == "said"
    assert after == " U.S. Sen. Jane Doe."


def test_sentences_split_on_stops_and_lines() -> None:
    spans = [TEXT[a.start : a.end] for a in sentences(TEXT)]
    assert spans == ["Intro line", "The mayor’s “plan” costs $4 million, said U.S. Sen. Jane Doe.", "It   passed.", "The plan costs less now."]
