"""YAML syntax errors in plain words. Each mistake also has a bad-input file in tests/data/reports/
(yaml-*.yaml and syntax-error.yaml) with its exact expected message; these are the finer points."""

from __future__ import annotations

import pytest
import yaml

from generator.content.load import parse_yaml, split_front_matter
from generator.content.yaml_errors import explain
from generator.diagnostics import Diagnostic, format_text

CASES = {
    "tab": ("id: x\narticle:\n  headline: a\n\tpublisher: b\n", (4, 1, "a tab character indents this line")),
    "colon": ("id: x\ntitle: Fact-check: rents\n", (2, 18, "': ' inside a value that is not in quotes")),
    "unclosed quote": ("id: x\ntitle: 'Fact-check rents\nsummary: s\n", (2, 8, "this ' quote is never closed")),
    "unclosed bracket": ("id: x\nauthors: [ann, bob\nreviewers: [c]\n", (2, 10, "this '[' is never closed")),
    "stray dash": ("id: x\ntitle: t\n- summary: s\n", (3, 1, "a list item ('- ') where a key was expected")),
    "no colon, reported on the next line by PyYAML": ("id: x\nauthors:\n  - ann\n  bob\nstatus: d\n", (4, 3, "'bob' is neither a key nor a list item")),
    "text after quote": ('id: x\ntitle: "He said "no" today"\n', (2, 18, "text after the closing quote")),
}


@pytest.mark.parametrize("loader", [yaml.CSafeLoader, yaml.SafeLoader], ids=["libyaml", "pure"])
@pytest.mark.parametrize("name", list(CASES))
def test_both_parsers_words_are_recognised(name: str, loader: type) -> None:
    """libyaml and PyYAML's pure-Python parser word their errors differently; both are explained the same."""
    text, expected = CASES[name]
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.compose(text, Loader=loader)
    found = explain(raised.value, text)
    assert found is not None
    assert (found.line, found.col, found.message) == expected


def test_front_matter_lines_are_counted_from_the_top_of_the_page() -> None:
    diags: list[Diagnostic] = []
    split_front_matter("p.md", "---\ntitle: About: us\n---\nBody\n", diags)
    assert format_text(diags).splitlines() == [
        "p.md:2:13: error: YAML syntax error: ': ' inside a value that is not in quotes",
        '    hint: put the value in quotes: title: "About: us"',
    ]


def test_other_errors_keep_pyyaml_words() -> None:
    """A mistake not recognised here is still reported, in PyYAML's words, at its mark."""
    diags: list[Diagnostic] = []
    parse_yaml("f.yaml", "id: x\n%title: a\n", diags)
    assert diags[0].message.startswith("YAML syntax error: found unexpected non-alphabetical character") and diags[0].line == 2


@pytest.mark.parametrize(
    ("indent", "hint"),
    [
        (3, "this line starts in column 4, the keys next to it in column 5"),  # nearer the nested keys: only theirs
        (5, "this line starts in column 6, the keys next to it in column 7 or column 5 like 'quote' on line 3"),  # between the two
    ],
)
def test_a_key_between_a_nested_mapping_and_its_parent_names_the_columns_it_may_belong_in(indent: int, hint: str) -> None:
    text = "claims:\n  - id: a\n    quote:\n      exact: words\n" + " " * indent + "claim_reviewed: x\n    claimant: y\n"
    diags: list[Diagnostic] = []
    parse_yaml("r.yaml", text, diags)
    assert diags and diags[0].hint.endswith(hint)


def test_a_colon_in_the_next_line_of_a_plain_text_is_named_as_such() -> None:
    """It was 'indented more than the key above it', with a hint that made the words a new key."""
    text = "claims:\n  - id: a\n    explanation: Two cities in the region\n      have more libraries [@x] TODO: per resident.\n    rating: x\n"
    diags: list[Diagnostic] = []
    parse_yaml("r.yaml", text, diags)
    assert [(d.line, d.col, d.message, d.hint) for d in diags] == [
        (
            4,
            36,
            "YAML syntax error: ': ' inside a value that is not in quotes",
            "write 'explanation: |' and its text on the lines below it, or put the whole text of 'explanation' in quotes",
        )
    ]
    diags.clear()
    parse_yaml("r.yaml", "article:\n  headline: a\n     publisher: b\n", diags)  # a key indented too far: as before
    assert [(d.line, d.col, d.message) for d in diags] == [(3, 6, "YAML syntax error: this line is indented more than the key above it")]
