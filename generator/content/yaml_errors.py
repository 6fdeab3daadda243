"""YAML syntax errors in plain words: where the mistake is, and what to type instead.

PyYAML (and libyaml under it) reports where its parser gave up, in parser words ("did not find
expected key", "found character that cannot start any token"), often a line after the mistake.
This module recognises the mistakes editors make (tabs, a line indented differently from its
neighbours, a quote or bracket never closed, ': ' or a stray '- ' in the wrong place) and names
the line to fix, with a hint; anything else keeps PyYAML's own words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

TABS = "YAML does not allow tabs for indentation; use spaces"
_KEY = re.compile(r"^(?P<indent>[ ]*)(?P<dash>(?:- +)*)(?P<key>[^\s#'\"\-][^:#]*?):(?:[ ]|$)")


@dataclass(frozen=True)
class Explained:
    """A syntax error located at the mistake (1-based line and column), in plain words."""

    line: int
    col: int
    message: str
    hint: str


def _line(lines: list[str], number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


def _previous(lines: list[str], number: int) -> int:
    """The nearest line above `number` with content (not blank, not a comment), or -1."""
    for n in range(number - 1, -1, -1):
        if lines[n].strip() and not lines[n].lstrip().startswith("#"):
            return n
    return -1


def _key_col(text: str) -> int:
    """Where the key of a `key: value` line (or `- key: value`) starts, 0-based; -1 if none."""
    match = _KEY.match(text)
    return len(match["indent"]) + len(match["dash"]) if match else -1


def _quoted(key: str, value: str) -> str:
    return f"{key}: {json.dumps(value.strip(), ensure_ascii=False)}"


def explain(exc: yaml.MarkedYAMLError, text: str) -> Explained | None:
    """The mistake behind a PyYAML syntax error, or None when it is not one recognised here."""
    mark, context = exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    lines = text.splitlines()
    problem, where = exc.problem or "", exc.context or ""
    current = _line(lines, mark.line)
    char = current[mark.column] if mark.column < len(current) else ""
    if "tab" in problem or ("cannot start any token" in problem and char == "\t"):
        tab = current.find("\t")
        return Explained(mark.line + 1, (tab if tab >= 0 else mark.column) + 1, "a tab character indents this line", TABS)
    if "cannot start any token" in problem and char in "@`":
        match = _KEY.match(current)
        fix = _quoted(match["key"], current[match.end() :]).strip() if match else 'title: "@handle says"'
        return Explained(mark.line + 1, mark.column + 1, f"a value cannot start with '{char}'", f"put the value in quotes, e.g. {fix}")
    if "scanning a quoted scalar" in where and context is not None:
        quote = _line(lines, context.line)[context.column : context.column + 1] or '"'
        inner = 'write a " inside the value as \\"' if quote == '"' else "write a ' inside the value as ''"
        return Explained(context.line + 1, context.column + 1, f"this {quote} quote is never closed", f"end the value with {quote} ({inner})")
    if "mapping values are not allowed" in problem:
        return _colon(lines, mark.line, mark.column)
    if "simple key" in where and context is not None:
        return _not_a_key(lines, context.line, context.column)
    if "flow sequence" in where or "flow mapping" in where:
        return _flow(lines, exc, "[" if "sequence" in where else "{")
    if "flow node" in where and ("<stream end>" in problem or "node content" in problem):
        return _unclosed_at_end(lines)
    if "another document" in problem:
        return Explained(mark.line + 1, mark.column + 1, "a second YAML document ('---') in the file", "one file holds one document: remove the '---' line")
    if "did not find expected key" in problem or "expected <block end>" in problem or "expected '-' indicator" in problem:
        return _block(lines, mark.line, mark.column)
    return None


_DASH = re.compile(r"(?P<indent> *)-(?P<item>[^\s-].*)")  # '-id: x': a list item written without its space


def _dash_without_space(lines: list[str], number: int) -> Explained | None:
    """`-id: x` where `- id: x` was meant: YAML reads '-id' as a plain word, and the error comes out elsewhere."""
    match = _DASH.fullmatch(_line(lines, number))
    if match is None:
        return None
    fixed = f"{match['indent']}- {match['item']}".strip()
    return Explained(number + 1, len(match["indent"]) + 1, "a list item needs a space after its dash", f"write '{fixed}'")


def _colon(lines: list[str], number: int, col: int) -> Explained:
    current = lines[number]
    # `-id: x` reads as a key '-id'; the claim's next line, deeper, is where the parser gives up.
    dash = _dash_without_space(lines, number) or _dash_without_space(lines, _previous(lines, number))
    if dash is not None:
        return dash
    above = _previous(lines, number)
    here, there = _key_col(current), _key_col(_line(lines, above))
    if here >= 0 and there >= 0 and here > there and _KEY.match(current) and _KEY.match(current)["key"].strip() == current[here:col].strip():  # type: ignore[index]
        # `headline: a` then `   publisher: b`: the parser reads the deeper line as the rest of 'a'.
        key = current[here:col].strip()
        if not re.fullmatch(r"[\w-]+", key):  # words, not a key: a ': ' inside the text of the key above, on its next line
            owner = _line(lines, above)[there:].split(":")[0]
            hint = f"write '{owner}: |' and its text on the lines below it, or put the whole text of '{owner}' in quotes"
            return Explained(number + 1, col + 1, "': ' inside a value that is not in quotes", hint)
        hint = f"start '{key}:' in column {there + 1}, like '{_line(lines, above)[there:].split(':')[0]}:' above"
        return Explained(number + 1, here + 1, "this line is indented more than the key above it", hint)
    match = _KEY.match(current)
    if match and match.end() <= col:
        fix = _quoted(match["key"], current[match.end() :]).strip()
        return Explained(number + 1, col + 1, "': ' inside a value that is not in quotes", f"put the value in quotes: {fix}")
    return Explained(number + 1, col + 1, "': ' where YAML does not expect a key", "put a value containing ': ' in quotes, and check the indentation")


def _not_a_key(lines: list[str], number: int, col: int) -> Explained:
    stripped = _line(lines, number).strip()
    if stripped.startswith("-") and not stripped.startswith("- "):
        return Explained(number + 1, col + 1, f"'{stripped[:20]}' is neither a key nor a list item", "a list item needs a space after the dash: '- item'")
    indent = len(_line(lines, number)) - len(_line(lines, number).lstrip(" "))
    if _block_scalar_above(lines, number, indent) >= 0:  # a line of an analysis indented less than the rest
        return _block(lines, number, indent)
    if ":" in stripped:
        key = stripped.split(":", 1)[0]
        return Explained(number + 1, col + 1, f"'{stripped[:20]}' is neither a key nor a list item", f"a key needs a space after its colon: '{key}: ...'")
    in_list = _line(lines, _previous(lines, number)).lstrip().startswith("- ")
    hint = f"a list item starts with '- ': '- {stripped[:20]}'" if in_list else "write 'key: value', or '- item' in a list"
    return Explained(number + 1, col + 1, f"'{stripped[:20]}' is neither a key nor a list item", hint)


_EXAMPLES = {"[": "authors: [ann, bob]", "{": "claimant: {name: Jane Doe, type: person}"}  # a flow list and a flow mapping, written right


def _flow(lines: list[str], exc: yaml.MarkedYAMLError, opener: str) -> Explained | None:
    context, mark = exc.context_mark, exc.problem_mark
    if context is None or mark is None:
        return None
    closer = "]" if opener == "[" else "}"
    rest = _line(lines, context.line)[context.column :]
    what = "list" if opener == "[" else "mapping"
    example = _EXAMPLES[opener]
    if rest.count(closer) < rest.count(opener):
        hint = f"end the {what} with '{closer}' on the same line, e.g. {example}"
        return Explained(context.line + 1, context.column + 1, f"this '{opener}' is never closed", hint)
    hint = f"separate items with ', ' and put an item containing ':', ',' or '{closer}' in quotes"
    return Explained(mark.line + 1, mark.column + 1, f"unexpected text in the {what} opened at line {context.line + 1}", hint)


def _unclosed_at_end(lines: list[str]) -> Explained | None:
    """The file ends inside a '[' or '{' (`authors: [` on the last line): the last one never closed."""
    for number in range(len(lines) - 1, -1, -1):
        line = lines[number]
        for opener, closer in (("[", "]"), ("{", "}")):
            at = line.rfind(opener)
            if at >= 0 and line.count(closer) < line.count(opener):
                return Explained(number + 1, at + 1, f"this '{opener}' is never closed", f"end it with '{closer}' on the same line, e.g. {_EXAMPLES[opener]}")
    return None


def _block(lines: list[str], number: int, col: int) -> Explained:
    current = _line(lines, number)
    before = current[:col]
    dash = _dash_without_space(lines, number)
    if dash is not None:
        return dash
    if current.strip().startswith("- ") and col == len(current) - len(current.lstrip()):
        hint = "remove the '- ', or put the list under a key, its items indented below it"
        return Explained(number + 1, col + 1, "a list item ('- ') where a key was expected", hint)
    if before.rstrip().endswith(('"', "'")):
        quote = before.rstrip()[-1]
        if before.count(quote) % 2:
            # The quote closed here was opened lines above: that line is the one to fix.
            for n in range(number - 1, -1, -1):
                if lines[n].count(quote) % 2:
                    return Explained(n + 1, lines[n].index(quote) + 1, f"this {quote} quote is not closed on its line", f"end the value with {quote}")
        match = _KEY.match(current)
        value = current[match.end() :].strip() if match else ""
        if len(value) > 1 and value[0] == value[-1] == quote:
            value = value[1:-1]  # `"He said "no" today"`: the outer quotes were meant to hold it all
        fix = f"{match['key']}: '{value.replace(chr(39), chr(39) * 2)}'" if match else "title: 'He said \"no\" today'"
        return Explained(number + 1, col + 1, "text after the closing quote", f"quote the whole value, with the other kind of quotes if it holds some: {fix}")
    indent = len(current) - len(current.lstrip(" "))
    block = _block_scalar_above(lines, number, indent)
    if block >= 0:
        hint = f"indent every line of the text under '{lines[block].strip()}' (line {block + 1}) at least as much as its first line"
        field, owner = _KEY.match(current), _KEY.match(lines[block])
        if field and owner:
            # A key after the text is most likely the next field, put a little to the left: indenting it as the
            # hint says would make it part of the text.
            where = len(owner["indent"]) + len(owner["dash"]) + 1
            next_field = f"if '{field['key']}:' is the next field, start it in column {where} like '{owner['key']}:' on line {block + 1}"
            hint = f"{next_field}; if it is part of the text, {hint}"
        return Explained(number + 1, indent + 1, "this line is indented less than the text above it", hint)
    hint = f"keys of one mapping start in the same column; this line starts in column {indent + 1}"
    sibling, parent = _sibling_col(lines, number, indent)
    if sibling >= 0:
        hint += f", the keys next to it in column {sibling + 1}"
    parent_col = _key_col(lines[parent]) if parent >= 0 else -1
    # Between a nested mapping's keys (deeper) and its parent's (shallower), either may be meant: the nearer, or both.
    if parent_col >= 0 and (sibling < 0 or indent - parent_col <= sibling - indent):
        key = lines[parent].strip().removeprefix("- ").split(":", 1)[0]
        hint += f"{' or' if sibling >= 0 else ','} column {parent_col + 1} like '{key}' on line {parent + 1}"
    return Explained(number + 1, indent + 1, "this line is indented differently from the lines around it", hint)


def _sibling_col(lines: list[str], number: int, indent: int) -> tuple[int, int]:
    """The column of the keys this line probably belongs with (the shallowest deeper key below its parent), and the parent's line (-1 if none)."""
    found = -1
    for n in range(number - 1, -1, -1):
        col = _key_col(lines[n])
        if col < 0:
            continue
        if col < indent:
            return found, n  # the parent: its children are the keys seen so far
        found = col if found < 0 else min(found, col)
    return found, -1


def _block_scalar_above(lines: list[str], number: int, indent: int) -> int:
    """The line of a `key: |` (or `>`) whose text this less-indented line interrupts, or -1."""
    for n in range(number - 1, -1, -1):
        text = lines[n]
        if re.search(r":\s+[|>][-+]?\s*$", text):
            return n if n < number - 1 else -1
        if text.strip() and len(text) - len(text.lstrip(" ")) <= indent:
            return -1
    return -1


def flow_comma_hint(mapping: yaml.MappingNode, key_node: yaml.Node, value_node: yaml.Node) -> str:
    """For a key with no value in a `{...}` mapping: most likely a ',' inside a value, so say so."""
    if not mapping.flow_style or not (isinstance(value_node, yaml.ScalarNode) and value_node.value == "" and value_node.tag.endswith(":null")):
        return ""
    pairs = mapping.value
    index = next((i for i, (k, _v) in enumerate(pairs) if k is key_node), 0)
    if index == 0 or not isinstance(pairs[index - 1][1], yaml.ScalarNode):
        return "a ',' inside { } starts a new field: put a value containing ',' in quotes"
    prev_key, prev_value = pairs[index - 1]
    return f"a ',' inside {{ }} starts a new field: put the value in quotes, e.g. {_quoted(str(prev_key.value), f'{prev_value.value}, {key_node.value}')}"
