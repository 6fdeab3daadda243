"""Where a character of a markdown field's text stands in its YAML file.

A diagnostic about a `[@citation]` or raw HTML in an analysis points at the line and column of
that very text, not at `analysis: |`. The validator records, for each markdown field, where its
text starts (`origin`); block scalars (`|`, `>`) start on the line after the indicator, at the
indentation the load stage measured (`YamlDoc.block_indents`).
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from array import array
from bisect import bisect_left, bisect_right

import yaml

ORIGIN = "#text"  # suffix of the field path under which a markdown field's text origin is recorded
_BLOCK = re.compile(r":[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_NEWLINE = re.compile("\n")
_NOT_SPACE = re.compile(r"\S")


def block_indents(text: str) -> tuple[tuple[int, int], ...]:
    """(0-based line of a `key: |` indicator, indentation of the first text line below it), for each."""
    lines = _LINE_BREAK.split(text)  # as YAML counts lines (its marks): a file saved with CR or CRLF endings too
    found = []
    for number, line in enumerate(lines):
        # Only a line with '|' or '>' can hold an indicator: the pattern is searched in those alone.
        if ("|" in line or ">" in line) and _BLOCK.search(line):
            below = next((s for s in itertools.islice(lines, number + 1, None) if s.strip()), "")  # no copy of the rest
            found.append((number, len(below) - len(below.lstrip(" "))))
    return tuple(found)


def origin(node: yaml.ScalarNode, indents: tuple[tuple[int, int], ...], line_offset: int) -> tuple[int, int]:
    """1-based line and column where the stripped text of a scalar starts in the file."""
    raw = str(node.value)
    skipped = raw[: len(raw) - len(raw.lstrip())].count("\n")  # blank lines before the text
    mark = node.start_mark
    if node.style in ("|", ">"):
        indent = dict(indents).get(mark.line, mark.column)
        return mark.line + 2 + skipped + line_offset, indent + 1
    quote = 1 if node.style in ("'", '"') else 0
    return mark.line + 1 + line_offset, mark.column + 1 + quote


def position(start: tuple[int, int], text: str, offset: int) -> tuple[int, int]:
    """Line and column of `text[offset]` for a text that starts at `start` (exact for `|` blocks)."""
    starts = line_starts(text)
    line = bisect_right(starts, offset) - 1
    if not line:
        return start[0], start[1] + offset
    return start[0] + line, start[1] + offset - starts[line]


# A text's diagnostics are placed one by one, thousands in a hostile one: its lines and its characters
# that are not white space are found once, each place then by a binary search. Kept for the last few
# texts only (a field's text and its YAML source), as arrays: 8 bytes an offset, where a tuple of ints
# took 36 (a 10 MB field would have held 360 MB).
@functools.lru_cache(maxsize=4)
def line_starts(text: str) -> array[int]:
    """The offset in `text` where each of its lines ('\n' ending them) starts."""
    return array("q", itertools.chain((0,), (match.end() for match in _NEWLINE.finditer(text))))


@functools.lru_cache(maxsize=4)
def _not_spaces(text: str) -> array[int]:
    # `\S` is what str.isspace() is not: both ask Python's one table of white space.
    return array("q", (match.start() for match in _NOT_SPACE.finditer(text)))


def value_at(text: str, key: str, value: str = "") -> tuple[int, int] | None:
    """Line and column of the value of the first `key:` in a YAML text (of the one that is `value`, if given), None if none.

    For a message about a setting that only the model holds (a favicon, a theme's `extends`), at the line that writes it.
    """
    wanted = r"[\"']?" + re.escape(value) + r"[\"']?[ \t]*(?:[,}\]#]|$)" if value else ""
    found = re.search(rf"^(?:[ \t]*-)?[ \t{{]*{re.escape(key)}[ \t]*:[ \t]*(?={wanted})", text, flags=re.M)
    if found is None:
        return None
    line_start = text.rfind("\n", 0, found.end()) + 1
    return text.count("\n", 0, found.end()) + 1, found.end() - line_start + 1


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lowered_ascii(text: str) -> str:
    """`text` with A-Z lowered and nothing else changed: unlike str.lower, every index stays where it was ('İ' is two characters lowered)."""
    return text.translate(_ASCII_LOWER)


def decoded_view(text: str, references: re.Pattern[str]) -> tuple[str, list[int] | None]:
    """`text` with the character references `references` finds decoded (`&#106;` is 'j'), as markdown reads it,
    and the index in `text` of each of its characters (None when there was none to decode: the same)."""
    if "&" not in text or references.search(text) is None:
        return text, None
    pieces: list[str] = []
    where: list[int] = []
    taken = 0
    for match in references.finditer(text):
        decoded = html.unescape(match.group())
        pieces += [text[taken : match.start()], decoded]
        where += [*range(taken, match.start()), *[match.start()] * len(decoded)]
        taken = match.end()
    pieces.append(text[taken:])
    where += range(taken, len(text))
    return "".join(pieces), where


def in_source(source: str, start: tuple[int, int], text: str, offset: int) -> tuple[int, int] | None:
    """Line and column of `text[offset]` in `source`, the YAML of a plain, quoted or folded text starting at `start`.

    YAML joined the source's lines with spaces, so the character is found by counting the characters that
    are not spaces; None where that count does not lead to the same character (an escape, a doubled quote).
    """
    if offset >= len(text) or text[offset].isspace():
        return None
    wanted = bisect_left(_not_spaces(text), offset)  # how many characters before it are not white space
    first = source.find("\n") + 1 if source.startswith(">") else int(source[:1] in "\"'")  # past the indicator or quote
    found = _not_spaces(source)
    index = bisect_left(found, first) + wanted
    if index >= len(found) or source[found[index]] != text[offset]:
        return None
    at = found[index]
    line, column = position((0, 0), source, at)
    return start[0] + line, (start[1] + at if not line else column + 1)
