"""How the validator names nodes, items, specs and impossible dates (generator/content/nodetext.py)."""

from __future__ import annotations

import yaml

from generator.content import schema as s
from generator.content.nodetext import describe_spec, impossible_date_hint, item_label, node_kind


def test_a_swapped_month_and_day_is_named_and_another_impossible_date_is_not() -> None:
    assert impossible_date_hint("2026-31-05") == "the month comes before the day: 2026-05-31?"
    assert impossible_date_hint("2026-02-30").startswith("check the day, the month and the year")


def test_list_items_are_named_by_a_valid_id_or_key_only() -> None:
    def label(text: str) -> str:
        return item_label(yaml.compose(text))

    assert label("id: halted-signing\nx: 1") == "halted-signing"
    assert label("key: mostly-true") == "mostly-true"
    assert label("id: Not A Slug") == ""
    assert label("id: " + "a" * 200) == ""  # reported on its own; the item is named by its index
    assert label("- a") == ""


def test_nodes_and_specs_are_described_in_words() -> None:
    assert node_kind(yaml.compose("a: 1")) == "a mapping"
    assert node_kind(yaml.compose("- 1")) == "a list"
    assert node_kind(yaml.compose("hello")) == "'hello'"
    assert describe_spec(s.Date("a day")) == "a date"
    assert describe_spec(s.Url("a link")) == "a URL"
