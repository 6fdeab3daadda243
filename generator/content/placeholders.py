"""Placeholder text left to replace: every `TODO:` in a content value or page body.

`factcheck init` and `factcheck new page` mark the text a newsroom must write itself with
`TODO:`; each one is a warning naming it (an error under --strict), so nobody publishes the
sample wording by accident. YAML comments are not content, so a `# TODO:` there is not reported.
"""

from __future__ import annotations

import yaml

from generator.content.load import PageDoc, YamlDoc
from generator.content.textpos import in_source
from generator.diagnostics import Diagnostic, warning

MARKER = "TODO:"
HINT = "write your own text in its place; `--strict` refuses to publish placeholders"
_SHOWN = 60


def _named(text: str) -> str:
    line = text.splitlines()[0].strip() if text.strip() else text
    return line if len(line) <= _SHOWN else line[: _SHOWN - 1] + "…"


def _placeholder(path: str, line: int, col: int, text: str) -> Diagnostic:
    return warning(path, line, col, f'placeholder text: "{_named(text)}"', hint=HINT)


def yaml_placeholders(doc: YamlDoc) -> list[Diagnostic]:
    """A warning for each scalar value of a YAML document that holds the marker."""
    if doc.text and MARKER not in doc.text and "\\" not in doc.text:
        # Only a double-quoted escape (`TO\x44O:`, an escaped line break) makes a value hold characters its text
        # does not; without one, no value can hold the marker: every report is spared a walk of its nodes.
        return []
    found: list[Diagnostic] = []
    stack: list[yaml.Node] = [doc.node] if doc.node is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        # An alias is the same node again: each is read once, so `x: &a [*a]` ends and an alias bomb costs its size.
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _key, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.ScalarNode) and MARKER in node.value:
            line, col = _place(doc, node, node.value.index(MARKER))
            found.append(_placeholder(doc.path, line + doc.line_offset, col, node.value[node.value.index(MARKER) :]))
    return found


def _place(doc: YamlDoc, node: yaml.ScalarNode, at: int) -> tuple[int, int]:
    """Line (before the document's offset) and column of `node.value[at]` in the file."""
    before = node.value[:at]
    mark = node.start_mark
    if node.style == "|":  # a literal block starts on the line after its indicator; its lines keep their place
        indent = dict(doc.block_indents).get(mark.line, mark.column)
        return mark.line + 2 + before.count("\n"), indent + 1 + len(before) - (before.rfind("\n") + 1)
    if mark.line != node.end_mark.line and doc.text:  # lines YAML joined: found in the source
        found = in_source(doc.text[mark.index : node.end_mark.index], (mark.line + 1, mark.column + 1), node.value, at)
        if found is not None:
            return found
    if node.style == ">":
        return mark.line + 2 + before.count("\n"), 1
    quote = 1 if node.style in ("'", '"') else 0
    return mark.line + 1 + before.count("\n"), mark.column + 1 + quote + (len(before) if "\n" not in before else 0)


def page_placeholders(doc: PageDoc) -> list[Diagnostic]:
    """Placeholders in a page's front matter and in its markdown body."""
    found = yaml_placeholders(doc.front)
    for number, text in enumerate(doc.body.splitlines()):
        if MARKER in text:
            at = text.index(MARKER)
            found.append(_placeholder(doc.path, doc.body_line + number, at + 1, text[at:]))
    return found
