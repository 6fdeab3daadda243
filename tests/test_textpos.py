"""Positions inside markdown fields: block, plain and quoted scalars, front matter offsets."""

from __future__ import annotations

import re

from generator.content.load import parse_yaml
from generator.content.textpos import block_indents, decoded_view, in_source, lowered_ascii, origin, position, value_at

TEXT = 'a: |\n\n    first [@x]\n    second [@y]\nb: plain [@z]\nc: "quoted [@w]"\nd: >-  # folded\n   e\n'


def _origins() -> dict[str, tuple[int, int]]:
    doc = parse_yaml("f.yaml", TEXT, [], line_offset=3)
    assert doc.node is not None
    return {str(k.value): origin(v, doc.block_indents, doc.line_offset) for k, v in doc.node.value}


def test_block_indents_are_measured_from_the_first_text_line() -> None:
    assert block_indents(TEXT) == ((0, 4), (6, 3))


def test_a_file_saved_with_crlf_or_cr_endings_gives_the_same_positions() -> None:
    """Windows editors save CRLF (and old Mac ones CR): a block's indent was missed there, and a citation's column off."""
    for ending in ("\r\n", "\r"):
        text = TEXT.replace("\n", ending)
        assert block_indents(text) == block_indents(TEXT)
        doc = parse_yaml("f.yaml", text, [], line_offset=3)
        assert doc.node is not None
        assert {str(k.value): origin(v, doc.block_indents, doc.line_offset) for k, v in doc.node.value} == _origins()


def test_origins() -> None:
    """A block starts below its indicator (after blank lines) at its indentation; quotes are skipped."""
    assert _origins() == {"a": (3 + 3, 5), "b": (5 + 3, 4), "c": (6 + 3, 5), "d": (8 + 3, 4)}


def test_position_of_a_character() -> None:
    """Counting lines and columns from the origin: exact for literal blocks."""
    text = "first [@x]\nsecond [@y]"
    assert position((6, 5), text, text.index("[@x]")) == (6, 11)
    assert position((6, 5), text, text.index("[@y]")) == (7, 12)


def test_value_at_finds_a_key_in_block_and_flow_style_and_a_given_value() -> None:
    text = 'title: x\nlanguages:\n  - {code: zh-Hant}\n  - code: "sr-Latn-RS"\nfavicon: static/x.png\ntheme: a  # c\n'
    assert value_at(text, "code", "sr-Latn-RS") == (4, 11)  # at the quote, as YAML's own marks
    assert value_at(text, "code", "zh-Hant") == (3, 12)
    assert value_at(text, "favicon") == (5, 10) and value_at(text, "theme", "a") == (6, 8)
    assert value_at(text, "code", "zh") is None and value_at(text, "extends") is None


def test_decoded_view_maps_each_character_back_to_where_it_was_written() -> None:
    pattern = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")
    decoded, where = decoded_view("a&#106;b&amp;c", pattern)
    assert decoded == "ajb&c" and where == [0, 1, 7, 8, 13]
    assert decoded_view("plain & simple", pattern) == ("plain & simple", None)
    assert lowered_ascii("İSTANBUL Ab") == "İstanbul ab"  # one character for one: indices stay


def test_a_place_in_a_joined_text_is_found_in_its_yaml_source() -> None:
    """Plain, quoted and folded texts: YAML joined their lines, so a place past the first line was reported on it."""
    plain = "The survey counts [@s],\n      and <b>two</b> cities"
    text = "The survey counts [@s], and <b>two</b> cities"
    assert in_source(plain, (28, 15), text, text.index("<b>")) == (29, 11)
    assert in_source(plain, (28, 15), text, 4) == (28, 19)  # on the first line: from the text's column
    quoted = '"A \\"quoted\\" word,\n  then <i>x</i>"'
    value = 'A "quoted" word, then <i>x</i>'
    assert in_source(quoted, (3, 5), value, value.index("<i>")) is None  # an escape before it: not to be trusted
    folded = ">\n  one\n  two <u>x</u>\n"
    assert in_source(folded, (7, 15), "one two <u>x</u>", 8) == (9, 7)


def test_thousands_of_places_in_one_long_text_are_found_each_by_a_search() -> None:
    """The seventh hostile-input audit: each place counted the text before it (8,900 relative links, one a line, took 4.8 s to check)."""
    lines = 60_000
    text = "[a](rel) x\n" * lines
    assert [position((5, 7), text, offset) for offset in range(0, len(text), 11)][-1] == (5 + lines - 1, 7)
    source = "\n  ".join(["[a](rel) x"] * lines)
    joined = " ".join(["[a](rel) x"] * lines)
    places = [in_source(source, (5, 7), joined, offset) for offset in range(4, len(joined), 11)]
    assert places[0] == (5, 11) and places[-1] == (5 + lines - 1, 7)
