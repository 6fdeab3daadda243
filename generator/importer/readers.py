"""Read inputs: JSON and JSON-LD files, and the application/ld+json scripts of saved HTML pages."""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from generator.content.load import bom_encoding, parse_yaml, unprintable
from generator.content.textpos import position
from generator.diagnostics import Diagnostic, shortened
from generator.importer.records import MAX_DEPTH, MAX_FILE_BYTES, Problem

SUFFIXES = (".json", ".jsonld", ".html", ".htm")


# Where a scan of a page stops: a comment, or a script or style element, whose text holds no tags.
# The elements whose text a browser reads as text, never as tags: a <script> written inside one is no script
# (a CMS editor's <textarea> may hold a review not yet published). <plaintext> runs to the end of the page.
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext")
_RAW_OR_COMMENT = re.compile(rf"<!--|<({'|'.join(_RAW_TEXT)})(?=[\s/>])", re.IGNORECASE)
# The rest of a start tag: quoted values may hold '>'. Each character fits one branch only, so no backtracking.
_TAG_REST = re.compile(r"""(?:"[^"]*"|'[^']*'|[^"'>])*>""")
_ATTRIBUTE = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_END = {name: re.compile(rf"</{name}[\s/>]", re.IGNORECASE) for name in _RAW_TEXT}


def json_ld_scripts(page: str) -> list[tuple[int, int, str]]:
    """The text of every <script type="application/ld+json"> of an HTML page, with the line (from 1) and column (from 0) it starts at.

    A scan in linear time: Python's html.parser is quadratic on some hostile pages (CVE-2025-6069).
    Comments and the text of other scripts, of styles and of the other raw-text elements (a textarea, the title)
    are skipped, as a browser skips them.
    """
    scripts: list[tuple[int, int, str]] = []
    line, line_start, counted = 1, 0, 0  # lines counted up to `counted`, incrementally: a page may have thousands of scripts
    at = 0
    while (found := _RAW_OR_COMMENT.search(page, at)) is not None:
        if found.group(1) is None:  # a comment, to its end ('<!-->' and '<!--->' are empty ones)
            close = page.find("-->", found.start() + 2)
            if close < 0:
                break
            at = close + 3
            continue
        rest = _TAG_REST.match(page, found.end())
        if rest is None:  # a tag never closed: the page ends inside it
            break
        name = found.group(1).lower()
        end = _END[name].search(page, rest.end()) if name != "plaintext" else None
        if end is None:  # the rest of the page is this element's text, and never ends
            break
        at = end.end()
        if name != "script":
            continue
        attributes = {key.lower(): html.unescape(value.strip("\"'")) for key, value in _ATTRIBUTE.findall(page, found.end(), rest.end() - 1)}
        if attributes.get("type", "").split(";")[0].strip().lower() != "application/ld+json":
            continue
        text = page[rest.end() : end.start()]
        begins = rest.end() if text else found.start()  # an empty script: at its tag
        newlines = page.count("\n", counted, begins)
        if newlines:
            line, line_start = line + newlines, page.rfind("\n", counted, begins) + 1
        counted = begins
        scripts.append((line, begins - line_start, text))
    return scripts


def expand(paths: Iterable[Path], suffixes: tuple[str, ...] = SUFFIXES) -> tuple[list[Path], list[Problem]]:
    """Files to read: the files given, and the matching files of the folders given (sorted)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
            if not found:
                problems.append(Problem(str(path), f"no {', '.join(suffixes)} files in this folder", fatal=True))
            files += found
        elif path.is_file():
            files.append(path)
        else:  # a FIFO or a device (/dev/zero) is there, but not a file to read: never opened
            problems.append(Problem(str(path), "not a file or a folder" if os.path.lexists(path) else "no such file or folder", fatal=True))
    return files, problems


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text, or why it cannot be read (too big, not UTF-8)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        megabytes = MAX_FILE_BYTES // (1024 * 1024)
        return None, Problem(str(path), f"file is {size / 1_048_576:.0f} MB; the import reads files up to {megabytes} MB", "split it into smaller files", True)
    data = path.read_bytes()
    encoding = bom_encoding(data)
    if encoding:  # a spreadsheet's "Unicode text" export
        return None, Problem(f"{path}:1:1", f"{encoding} text, not UTF-8", "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)", True)
    nul = data.find(b"\0")
    if nul >= 0:  # no text file holds one; UTF-16 without a byte-order mark holds one every other byte
        line, col = data.count(b"\n", 0, nul) + 1, nul - data.rfind(b"\n", 0, nul)
        hint = "is it UTF-16 text without a byte-order mark? save the file as UTF-8 (in a spreadsheet: CSV UTF-8)"
        return None, Problem(f"{path}:{line}:{col}", "a NUL byte (0x00): not UTF-8 text", hint, True)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line, col = data.count(b"\n", 0, exc.start) + 1, exc.start - data.rfind(b"\n", 0, exc.start)
        return None, Problem(f"{path}:{line}:{col}", f"not UTF-8 text (byte 0x{data[exc.start]:02x})", "save the file as UTF-8", True)


_CONSTANTS = ("NaN", "Infinity", "-Infinity")
_STRING_OR_CONSTANT = re.compile(r'"(?:\\.|[^"\\])*"|(-?Infinity|NaN)')


def _no_constant(name: str) -> object:
    """NaN and Infinity are not JSON (Python reads them): refused as the JSON mistakes they are."""
    raise json.JSONDecodeError(f"{name} is not a JSON value", name, 0)


def parse_json(text: str, origin: str, first_line: int = 1, first_column: int = 0) -> tuple[object, Problem | None]:
    """The JSON value of `text`, or a problem located at the line and column of the mistake (`text` starting `first_column` characters into its first line)."""
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if exc.doc in _CONSTANTS:  # raised by _no_constant, which knows no place: the first such word outside a string
            found = _STRING_OR_CONSTANT.search(text)
            while found is not None and found.group(1) is None:
                found = _STRING_OR_CONSTANT.search(text, found.end())
            exc = json.JSONDecodeError(exc.msg, text, found.start(1) if found is not None else 0)
        column = exc.colno + (first_column if exc.lineno == 1 else 0)
        return None, Problem(f"{origin}:{exc.lineno + first_line - 1}:{column}", f"not valid JSON: {exc.msg}", "is this a JSON or JSON-LD file?", True)
    except RecursionError:
        return None, Problem(f"{origin}:{first_line}:1", "JSON nested too deeply to read", "ClaimReview needs only a few levels of nesting", True)
    except ValueError:  # a number of over 4,300 digits, which Python refuses to read
        long = re.search(r"\d{4000,}", text)
        at = long.start() if long else 0
        line, column = position((first_line, 1), text, at)
        where = f"{origin}:{line}:{column}"
        digits = f"{len(long.group()):,} digits" if long else "thousands of digits"
        return None, Problem(where, f"not readable JSON: a number of {digits}", "no ClaimReview value is such a number: is text pasted into one?", True)
    found = _LONE_SURROGATE.search(text) if "\\u" in text else None
    if found is not None and not _encodable(value):
        # JSON lets "\ud800" stand alone; no UTF-8 file (and so no report) can hold it.
        at = found.start("escape")
        line = text.count("\n", 0, at) + first_line
        column = at - text.rfind("\n", 0, at)
        message = f"not valid text: {found.group('escape')} is half of a UTF-16 surrogate pair, with no other half"
        return None, Problem(f"{origin}:{line}:{column}", message, "fix the exporting tool, or remove the escape", True)
    return value, None


# After an even number of backslashes ('C:\\\\ud800' is a backslash and text): a high half with no low half after
# it, or a low half with no high half before it.
_LONE_SURROGATE = re.compile(
    r"(?<!\\)(?:\\\\)*(?P<escape>\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)


def _encodable(value: object) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_documents(path: Path) -> Iterator[tuple[str, object, Problem | None]]:
    """(origin, JSON value, problem) for a JSON file, or for each JSON-LD script of an HTML page."""
    text, problem = read_text(path)
    if text is None:
        yield str(path), None, problem
        return
    if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:1] == "<":
        scripts = json_ld_scripts(text)
        if not scripts:
            yield str(path), None, Problem(str(path), "no application/ld+json script in this page", "save the review's page with its structured data")
        for line, column, script in scripts:
            value, problem = parse_json(script, str(path), line, column)
            # One broken script does not make the page's other scripts unreadable.
            yield f"{path}:{line}", value, Problem(problem.origin, problem.message, problem.hint) if problem else None
        return
    value, problem = parse_json(text, str(path))
    yield str(path), value, problem


def read_yaml(path: Path, as_text: bool = False) -> tuple[object, Problem | None]:
    """A small YAML file (a map) as plain data, read as `check` reads YAML; values as written with `as_text`.

    Its syntax errors are `check`'s, at their line and column; a key written twice and aliases are refused.
    """
    text, problem = read_text(path) if path.is_file() else (None, Problem(str(path), "no such file", fatal=True))
    if text is None:
        return None, problem
    diags: list[Diagnostic] = []
    # As `check` reads a YAML file: a control character is named at its place, before the parser stops at it.
    doc = parse_yaml(str(path), text, diags) if not unprintable(str(path), text, diags, source=True) else None
    wrong = next((d for d in diags if d.is_error), None)
    if wrong is not None or doc is None or doc.node is None:
        return None, Problem(f"{path}:{wrong.line}:{wrong.col}", wrong.message, wrong.hint, True) if wrong is not None else None
    # At the alias itself: in the composed tree it shares its anchor's node, and so its place.
    alias = next((e for e in yaml.parse(text, Loader=_EVENTS) if isinstance(e, yaml.AliasEvent)), None) if "*" in text else None
    if alias is not None and alias.start_mark is not None:
        where = f"{path}:{alias.start_mark.line + 1}:{alias.start_mark.column + 1}"
        return None, Problem(where, "YAML aliases (*name) are not accepted here", "write the value out in full", True)
    return _Plain(str(path), as_text).value(doc.node)


_EVENTS: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the parser `check` reads with (libyaml where installed)


class _Plain:
    """A node tree as dicts, lists and scalars; the first problem (a key twice, an alias, too deep) ends it."""

    def __init__(self, origin: str, as_text: bool) -> None:
        self.origin, self.as_text = origin, as_text
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()

    def refuse(self, node: yaml.Node, message: str, hint: str) -> tuple[object, Problem]:
        mark = node.start_mark
        return None, Problem(f"{self.origin}:{mark.line + 1}:{mark.column + 1}", message, hint, True)

    def value(self, node: yaml.Node, depth: int = 0) -> tuple[object, Problem | None]:
        """The node's plain value, or the first problem in it."""
        if id(node) in self.seen:  # composed aliases share their node: a map has no need of them
            return self.refuse(node, "YAML aliases (*name) are not accepted here", "write the value out in full")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            return self.refuse(node, f"nested deeper than {MAX_DEPTH} levels", "a map needs only a few levels")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for item in node.value:
                value, problem = self.value(item, depth + 1)
                if problem is not None:
                    return None, problem
                items.append(value)
            return items, None
        assert isinstance(node, yaml.MappingNode)
        out: dict[str, object] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                return self.refuse(key_node, "a key must be plain text", "write the key as text")
            key = str(key_node.value)
            if key in lines:  # YAML keeps the last: a label mapped twice would go to the second key without a word
                return self.refuse(key_node, f"'{key}' is written twice (first at line {lines[key]})", "keep one of the two")
            lines[key] = key_node.start_mark.line + 1
            out[key], problem = self.value(value_node, depth + 1)
            if problem is not None:
                return None, problem
        return out, None

    def scalar(self, node: yaml.ScalarNode) -> tuple[object, Problem | None]:
        if self.as_text:
            return str(node.value), None
        try:
            return self.constructor.construct_object(node), None
        except (ValueError, yaml.YAMLError) as exc:  # a number of over 4,300 digits (Python refuses it), an impossible date
            if node.tag.endswith(":int"):
                return self.refuse(node, f"not readable YAML: a number of {len(str(node.value)):,} digits", "write numbers of a few digits")
            return self.refuse(node, f"not readable YAML: '{shortened(str(node.value))}': {str(exc).splitlines()[0]}", "write it as text, in quotes")
