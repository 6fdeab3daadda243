"""The schema walker: shapes, scalars, keys, tags and alias budgets."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.content import schema as s
from generator.content import validate
from generator.content.load import parse_yaml
from generator.content.validate import slugify, validate_doc
from generator.diagnostics import Diagnostic

SPEC = s.Obj(
    "test",
    (
        s.req("id", s.Slug("id")),
        s.opt("rating", s.Slug("rating")),
        s.opt("when", s.Date("date")),
        s.opt("link", s.Url("url")),
        s.opt("count", s.Integer("n", 1, 10)),
        s.opt("flag", s.Boolean("b")),
        s.opt("kind", s.Choice("c", ("primary", "secondary"))),
        s.opt("color", s.Color("c")),
        s.opt("tags", s.ListOf("t", s.Text("t"), 0, True)),
        s.opt("title", s.Text("t", single_line=True, max_len=10)),
    ),
)


def run(text: str) -> tuple[object, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    located = validate_doc(parse_yaml("t.yaml", text, diags), SPEC, diags)
    return located.value, diags


def test_plain_scalars_keep_their_source_text() -> None:
    """`rating: true` means the rating key 'true', not a boolean; `id: 2024` is the id '2024'."""
    value, diags = run("id: 2024\nrating: true\n")
    assert not diags
    assert value == {"id": "2024", "rating": "true"}


def test_typed_scalars() -> None:
    value, diags = run("id: a\nwhen: 2026-05-21\ncount: 3\nflag: yes\nkind: primary\ncolor: '#ABC'\nlink: https://x.example/a\n")
    assert not diags
    assert value == {"id": "a", "when": dt.date(2026, 5, 21), "count": 3, "flag": True, "kind": "primary", "color": "#abc", "link": "https://x.example/a"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: a\nwhen: 21/05/2026\n", "'21/05/2026' is not a date"),
        ("id: a\nlink: javascript:alert(1)\n", "('javascript:' links are not allowed)"),
        ("id: a\nlink: //evil.example/x\n", "is not an http(s) URL"),
        ("id: a\ncount: 11\n", "11 is out of range (1 to 10)"),
        ("id: a\ncount: two\n", "expected a whole number"),
        ("id: a\nflag: maybe\n", "expected true or false"),
        ("id: a\nkind: tertiary\n", "'tertiary' is not one of: primary, secondary"),
        ("id: a\ncolor: red\n", "'red' is not a hex colour"),
        ("id: a\ntags: [x, x]\n", "'x' is listed twice"),
        ("id: a\ntitle: |\n  two\n  lines\n", "must be a single line"),
        ("id: Not A Slug\n", "is not a valid id"),
        ("id: a\nid: b\n", "duplicate key 'id' (first at line 1)"),
        ("id: a\nratng: x\n", "unknown field 'ratng'"),
        ("rating: x\n", "missing required field 'id'"),
        ("id: a\ntitle: !custom x\n", "YAML tag '!custom' is not allowed"),
        ("id: a\n<<: {rating: x}\n", "merge keys ('<<') are not supported"),
        ("- a\n", "expected a mapping"),
        ("id: a\ntags: {x: 1}\n", "expected a list, got a mapping"),
        ("id: ''\n", "must not be empty"),
        ('id: a\ntitle: "bell\\a"\n', "invisible control character (U+0007)"),
        ('id: a\ntitle: "from \\u2067100% to 38%\\u2069"\n', "a direction control, in text with no right-to-left letters (U+2067)"),
    ],
)
def test_bad_values_are_reported(text: str, message: str) -> None:
    _value, diags = run(text)
    assert any(message in d.message for d in diags), [d.message for d in diags]


def test_a_list_or_a_word_where_a_mapping_goes_gets_a_hint_naming_its_fields() -> None:
    [listed] = run("- a\n")[1]
    assert listed.hint.startswith("write its fields ('id:',") and listed.hint.endswith("indented below it, not as '- ' items")
    [colour] = run("id: a\ncolor: red\n")[1]
    assert colour.hint == "write a colour as a quoted hex code, such as '#1a7f37'"


@pytest.mark.parametrize(
    ("link", "message", "hint"),
    [
        ("https://user@x.example/a", "'https://user@x.example/a' has a user name or password in it", "write the address without it: https://x.example/a"),
        ("https://x.example/a b", "(it contains a space)", "write each space as %20: https://x.example/a%20b"),
        ("'https://'", "'https://' is not an http(s) URL: it has no host", "write the whole address, e.g. https://example.org/page"),
    ],
)
def test_a_url_field_is_refused_at_its_value_with_a_hint_that_fits(link: str, message: str, hint: str) -> None:
    """A user name is refused in a URL field as in a markdown link; a space or a missing host is not told 'start with https://'."""
    _value, diags = run(f"id: a\nlink: {link}\n")
    assert [(d.line, d.col, d.field) for d in diags] == [(2, 7, "link")]
    assert message in diags[0].message and diags[0].hint == hint


def test_long_text_is_a_warning_not_an_error() -> None:
    value, diags = run("id: a\ntitle: a very long title indeed\n")
    assert value == {"id": "a", "title": "a very long title indeed"}
    assert diags[0].severity.value == "warning"


def test_unknown_key_hint_and_marks() -> None:
    _value, diags = run("id: a\nratng: x\n")
    assert (diags[0].line, diags[0].col, diags[0].field, diags[0].hint) == (2, 1, "ratng", "did you mean 'rating'?")


def test_node_budget_stops_alias_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate, "MAX_NODES", 5)
    _value, diags = run("id: a\ntags: [a, b, c, d, e, f, g]\n")
    budget = [d for d in diags if "too large" in d.message]
    assert len(budget) == 1


def test_marks_fall_back_to_the_nearest_parent() -> None:
    diags: list[Diagnostic] = []
    located = validate_doc(parse_yaml("t.yaml", "id: a\ntags: [x]\n", diags), SPEC, diags)
    assert located.mark("tags[0]") == (2, 8)
    assert located.mark("tags[0].nothing.here") == (2, 8)
    assert located.mark("missing") == (1, 1)


def test_slugify() -> None:
    assert slugify("Élan Vital: 2026!") == "elan-vital-2026"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("id: a\ncount: first\n", "write a number from 1 to 10, digits only"),
        ("id: a\nflag: maybe\n", "write true or false, without quotes"),
        ("id: a\nwhen: 2026-02-30\n", "check the day, the month and the year (from 0001): that day is not in the calendar"),
        ("id: a\nwhen: 2026-31-12\n", "the month comes before the day: 2026-12-31?"),
        ("id: a\nwhen: 30/02/2026\n", "write dates as YYYY-MM-DD, e.g. 2026-05-21"),
        ("id: a\nwhen: ２０２６-０５-０５\n", "write dates as YYYY-MM-DD, e.g. 2026-05-21"),  # digits of another script
    ],
)
def test_a_wrong_kind_of_value_gets_a_hint(text: str, hint: str) -> None:
    _value, diags = run(text)
    assert [d.hint for d in diags] == [hint]


def test_a_number_of_thousands_of_digits_is_out_of_range() -> None:
    _value, diags = run("id: a\ncount: " + "9" * 5000 + "\n")
    assert [d.message for d in diags] == ["a number of 5000 digits is out of range (1 to 10)"]


def test_an_empty_item_of_a_list_gets_a_hint_without_empty_brackets() -> None:
    """A list's items have no description of their own: the hint said 'fill it in (), ...' (hostile-input audit F17)."""
    spec = s.Obj("test", (s.req("id", s.Slug("id")), s.opt("topics", s.ListOf("Topics.", s.Text(""), 0, True))))
    diags: list[Diagnostic] = []
    validate_doc(parse_yaml("t.yaml", 'id: x\ntopics: [Housing, "  "]\n', diags), spec, diags)
    assert [(d.message, d.hint) for d in diags] == [("must not be empty", "fill it in, or remove the line if the field is optional")]


def test_a_tag_on_a_key_is_refused_as_on_a_value() -> None:
    """'!foo id:' was read as 'id' (hostile-input audit F12); content.md says tags are refused."""
    value, diags = run("!foo id: x\n")
    assert [(d.line, d.col, d.message) for d in diags] == [(1, 1, "YAML tag '!foo' is not allowed")]  # not "missing 'id'" too
    assert value is None or "id" not in value  # type: ignore[operator]


def test_a_file_with_more_errors_than_are_listed_says_exactly_how_many_more() -> None:
    """250 unknown keys and 2 missing fields: 199 listed, then one error counting the other 53, where the first of them stands."""
    text = "".join(f"k{n}: v\n" for n in range(250))
    diags: list[Diagnostic] = []
    validate_doc(parse_yaml("x.yaml", text, diags), s.PEOPLE.item, diags)
    assert len(diags) == validate.MAX_ERRORS + 1 == 200
    assert diags[-2].message == "unknown field 'k198'"
    assert (diags[-1].line, diags[-1].message) == (200, "53 more errors in this file are not listed")
