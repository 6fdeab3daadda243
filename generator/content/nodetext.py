"""How the validator names things in its messages: a YAML node, a list item, a spec, an impossible date."""

from __future__ import annotations

import calendar
import re

import yaml

from generator.content import schema as s
from generator.content.names import MAX_ID_LENGTH
from generator.diagnostics import shortened

_SLUG = re.compile(s.SLUG_PATTERN)


def impossible_date_hint(text: str) -> str:
    """What to do about a YYYY-MM-DD date not in the calendar: the month and the day swapped, or a day too many."""
    year, month, day = int(text[:4]), int(text[8:10]), int(text[5:7])  # read as if swapped
    if year >= 1 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"the month comes before the day: {text[:4]}-{text[8:10]}-{text[5:7]}?"
    return "check the day, the month and the year (from 0001): that day is not in the calendar"


def item_label(node: yaml.Node) -> str:
    """The id or key a list item is named by in messages ('' when it has none that is valid)."""
    # Name list items by their id when they have one: `claims[halted-signing]` beats `claims[3]`.
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in ("id", "key") and isinstance(value, yaml.ScalarNode) and _SLUG.match(str(value.value)):
                # An over-long id is reported on its own; the item is then named by its index.
                return str(value.value) if len(str(value.value)) <= MAX_ID_LENGTH else ""
    return ""


def node_kind(node: yaml.Node) -> str:
    """What a node is, for 'expected X, got ...': a mapping, a list or its text."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"'{shortened(str(node.value))}'"


_DESCRIBED = {s.Text: "text", s.Slug: "an id", s.Url: "a URL", s.Date: "a date", s.Integer: "a whole number", s.Boolean: "true or false"}
_DESCRIBED |= {s.Choice: "one word", s.Color: "a colour", s.Path: "a path"}


def describe_spec(spec: s.Spec) -> str:
    """What a spec expects, in words ('a date', 'an id')."""
    return _DESCRIBED.get(type(spec), "a value")
