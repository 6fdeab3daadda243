"""Validate stage, part one: walk a YAML node tree against a schema spec.

The walker turns nodes into plain, checked Python values (str, int, bool, date, dict, list)
and records where each field stood, so later checks can point at the right line. Every
problem is collected; nothing stops at the first mistake.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from generator.content import schema as s
from generator.content.characters import hidden_character
from generator.content.hints import did_you_mean
from generator.content.load import YamlDoc
from generator.content.names import MAX_ID_LENGTH, RESERVED_PROBLEM, WINDOWS_RESERVED, http_url_diagnosis, slug_problem
from generator.content.nodetext import describe_spec, impossible_date_hint, item_label, node_kind
from generator.content.textpos import ORIGIN, origin
from generator.content.values import Obj, Value, get_bool, get_date, get_int, get_obj, get_objs, get_text, get_texts
from generator.content.yaml_errors import flow_comma_hint
from generator.diagnostics import MAX_LISTED, Diagnostic, error, shortened, warning

MAX_NODES = 200_000  # alias bombs: a document may not expand past this many nodes
MAX_REPEATED = 1_000_000  # characters of text aliases may add to a document: one long text repeated fills every page
MAX_DEPTH = 40
# Per document; one short of what a file lists, so that the count of those left out is listed too.
MAX_ERRORS = MAX_LISTED - 1
MAX_ITEMS = 2000  # per list: a report with more claims is a mistake (or an attack), not a fact-check
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_ALLOWED_TAGS = {_STR, _NULL, *(f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "bool", "timestamp", "seq", "map"))}
_SLUG = re.compile(s.SLUG_PATTERN)
_COLOR = re.compile(s.COLOR_PATTERN)
_DATE = re.compile(s.DATE_PATTERN)


@dataclass
class Located:
    """A validated document: its value and the line/column of every field path."""

    path: str
    value: Value | None
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    root_mark: tuple[int, int] = (1, 1)
    # Fields whose text's lines are the file's lines (a literal block, '|'): a place past a text's first line maps
    # back exactly only there; a plain, quoted or folded text's lines were joined or unescaped.
    line_for_line: set[str] = field(default_factory=set)
    folded: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # other texts of several lines: start, YAML source
    stopped: bool = False  # a hard limit was hit: cross-field checks would only add follow-on errors
    # Items refused for a duplicate id, by their place (`claims[#1]`): walked all the same, so their own mistakes show now.
    dropped: list[tuple[str, Value]] = field(default_factory=list)

    def mark(self, field_path: str) -> tuple[int, int]:
        """Line and column of a field, or of its nearest recorded parent."""
        probe = field_path
        while probe:
            if probe in self.marks:
                return self.marks[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return self.root_mark


class _Missing:
    pass


MISSING = _Missing()


def slugify(text: str) -> str:
    """A slug for `text`: lowercase ASCII letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def join_path(parent: str, key: str) -> str:
    """Field path of `key` under `parent`."""
    return f"{parent}.{key}" if parent else key


class _Walker:
    def __init__(self, doc: YamlDoc, diags: list[Diagnostic]) -> None:
        self.doc, self.diags = doc, diags
        self.nodes = self.errors = 0
        self.exhausted = False
        # Unescaped, a document's text is no longer than its source: past that, aliases repeated it.
        self.text_left = len(doc.text) + MAX_REPEATED
        self.located = Located(doc.path, None)
        self.first_left_out = (1, 1)  # where the first error not listed stands: the count of those left out is said there

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.doc.line_offset, node.start_mark.column + 1

    def err(self, node: yaml.Node, where: str, message: str, hint: str = "") -> None:
        self.errors += 1
        if self.errors > MAX_ERRORS:
            if self.errors == MAX_ERRORS + 1:
                self.first_left_out = self.pos(node)
            return  # an alias expanding a broken node could otherwise flood the output
        line, col = self.pos(node)
        self.diags.append(error(self.doc.path, line, col, message, where, hint))

    def count_unlisted(self) -> None:
        """One error saying how many more the file has, when it had more than MAX_ERRORS."""
        more = self.errors - MAX_ERRORS
        if more > 0:
            hint = "fix the ones above first: one mistake repeated (a YAML alias) may be all of them"
            message = f"{more} more error{'s' if more > 1 else ''} in this file {'are' if more > 1 else 'is'} not listed"
            self.diags.append(error(self.doc.path, *self.first_left_out, message, hint=hint))

    def warn(self, node: yaml.Node, where: str, message: str, hint: str = "") -> None:
        line, col = self.pos(node)
        self.diags.append(warning(self.doc.path, line, col, message, where, hint))

    def walk(self, node: yaml.Node, spec: s.Spec, where: str, depth: int = 0) -> Value | _Missing:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            return self.stop(node, where, "document is too large or too deeply nested (alias expansion?)")
        self.located.marks.setdefault(where, self.pos(node))
        if self.tagged(node, where):
            return MISSING
        if isinstance(spec, s.Obj):
            return self.obj(node, spec, where, depth)
        if isinstance(spec, s.ListOf):
            return self.seq(node, spec, where, depth)
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            self.err(node, where, f"expected {describe_spec(spec)}, got {kind}")
            return MISSING
        self.text_left -= len(node.value)
        if self.text_left < 0:
            hint = "write the text out where it is needed: each *alias repeats the whole &anchored value"
            return self.stop(node, where, f"YAML aliases repeat this text past {MAX_REPEATED:,} characters in this file", hint)
        return self.scalar(node, spec, where)

    def stop(self, node: yaml.Node, where: str, message: str, hint: str = "") -> _Missing:
        """Report a hard limit once; the rest of the document is not walked."""
        if not self.exhausted:
            self.exhausted = self.located.stopped = True
            self.err(node, where, message, hint)
        return MISSING

    def tagged(self, node: yaml.Node, where: str) -> bool:
        """Report a YAML tag other than the plain-data ones (`!foo`, `!!python/...`); True if there was one."""
        if node.tag not in _ALLOWED_TAGS:
            self.err(node, where, f"YAML tag '{node.tag}' is not allowed", "remove the '!' tag; content is plain data")
        return node.tag not in _ALLOWED_TAGS

    def duplicate_key(self, node: yaml.MappingNode, key_node: yaml.Node, where: str, key: str, first: int) -> bool:
        """Report a key written twice in one mapping; True when it is most likely a list item's missing '- '."""
        line, col = self.pos(key_node)
        written = [str(k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        repeats = len(written) - len(set(written))
        # A second id, or several keys again, in one item of a list: the next item's '- ' is missing, and
        # "remove one of the two" for each of its keys would have an editor delete a whole item.
        if where.endswith("]") and (key in ("id", "key") or repeats > 1) and col > 2:
            message = f"'{key}' again (first at line {first}): the next item of the list, without its '- '?"
            self.err(key_node, where, message, f"start the item at line {line} with '- ' in column {col - 2}, as the item above starts")
            return True
        self.err(key_node, join_path(where, key), f"duplicate key '{key}' (first at line {first})", "remove one of the two")
        return False

    def obj(self, node: yaml.Node, spec: s.Obj, where: str, depth: int) -> Value | _Missing:
        if not isinstance(node, yaml.MappingNode):
            fields = ", ".join(f"'{f.name}:'" for f in spec.fields[:3])
            how = "not as '- ' items" if isinstance(node, yaml.SequenceNode) else "each on its own line"
            got = node_kind(node)
            self.err(node, where, f"expected a mapping ({spec.doc.rstrip('.')}), got {got}", f"write its fields ({fields}...) indented below it, {how}")
            return MISSING
        out: dict[str, Value] = {}
        seen: dict[str, int] = {}
        misspelt: set[str] = set()  # required fields an unknown or refused key probably meant; reported once
        names = [f.name for f in spec.fields]
        merged = False  # two items of a list read as one: said once, at the second's start
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.err(key_node, where, "YAML merge keys ('<<') are not supported", "write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.err(key_node, where, "mapping keys must be plain words")
                continue
            if self.tagged(key_node, where):  # a key's tag as a value's: '!foo id:' was read as 'id'
                misspelt.add(str(key_node.value))  # written, though refused: not "missing" as well
                continue
            key = str(key_node.value)
            sub = join_path(where, key)
            if key in seen:
                if not merged:
                    merged = self.duplicate_key(node, key_node, where, key, seen[key])
                continue
            seen[key] = self.pos(key_node)[0]
            f = spec.get(key)
            if f is None:
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
                if close:
                    misspelt.add(close[0])
                self.err(key_node, sub, f"unknown field '{key}'", flow_comma_hint(node, key_node, value_node) or did_you_mean(key, names))
                continue
            if value_node.tag == _NULL and isinstance(value_node, yaml.ScalarNode):
                self.located.marks.setdefault(sub, self.pos(value_node))
                continue  # `key:` with nothing after it counts as absent
            value = self.walk(value_node, f.spec, sub, depth + 1)
            if not isinstance(value, _Missing):
                out[key] = value
        for f in spec.fields if not self.exhausted else ():  # a walk stopped short leaves fields unread, not missing
            if f.required and f.name not in seen and f.name not in misspelt:
                self.err(node, join_path(where, f.name), f"missing required field '{f.name}'", f"add '{f.name}:' ({f.spec.doc.rstrip('.')})")
            elif f.required and f.name not in out and f.name in seen and not _has_error_at(self.diags, self.doc.path, join_path(where, f.name)):
                line, col = self.located.marks.get(join_path(where, f.name), self.pos(node))
                # An unquoted colour (`color: #1a7f37`) is a comment to YAML, so the field looks empty.
                hint = (
                    f'quote it: {f.name}: "#1a7f37" (unquoted, YAML reads # and the rest of the line as a comment)'
                    if isinstance(f.spec, s.Color)
                    else f"give '{f.name}' a value"
                )
                self.diags.append(error(self.doc.path, line, col, f"required field '{f.name}' is empty", join_path(where, f.name), hint))
        return out

    def seq(self, node: yaml.Node, spec: s.ListOf, where: str, depth: int) -> Value | _Missing:
        if not isinstance(node, yaml.SequenceNode):
            if isinstance(node, yaml.ScalarNode) and not isinstance(spec.item, (s.Obj, s.ListOf)):
                hint = f"write it as a list: [{node.value}]"
            else:
                hint = "start each item on its own line with '- '"
            self.err(node, where, f"expected a list, got {node_kind(node)}", hint)
            return MISSING
        if len(node.value) > MAX_ITEMS:
            # A hard limit: say it once and stop, rather than bury it under an error per item.
            self.err(node, where, f"has {len(node.value)} items, over the limit of {MAX_ITEMS}", "split it into several files")
            self.located.stopped = True
            return MISSING
        out: list[Value] = []
        seen: dict[str, int] = {}
        labels: dict[str, int] = {}
        visited: set[int] = set()
        repeats = 0
        for index, item in enumerate(node.value):
            if id(item) in visited:
                repeats += 1  # the same node again through an alias: report once, walk once
                continue
            visited.add(id(item))
            label = item_label(item)
            if label and label in labels:
                # Two items with one id: report it here, where both lines are known; the item is left out of the value,
                # and walked under its place (`claims[#1]`: no id holds '#', so no item's own path is taken).
                self.err(item, f"{where}[#{index}]", f"duplicate id '{label}' (first at line {labels[label]})", "give each item its own id")
                dropped = self.walk(item, spec.item, f"{where}[#{index}]", depth + 1)
                if not isinstance(dropped, _Missing):
                    self.located.dropped.append((f"{where}[#{index}]", dropped))
                continue
            if label:
                labels[label] = self.pos(item)[0]
            sub = f"{where}[{label or index}]"
            value = self.walk(item, spec.item, sub, depth + 1)
            if isinstance(value, _Missing):
                continue
            if spec.unique and isinstance(value, str):
                if value in seen:
                    self.err(item, sub, f"'{value}' is listed twice (first at line {seen[value]})")
                    continue
                seen[value] = self.pos(item)[0]
                self.located.marks.setdefault(f"{where}[{value}]", self.pos(item))  # where checks name it: `authors[nobody]`
            out.append(value)
        if repeats:
            self.err(node, where, f"{repeats} item{'s repeat' if repeats > 1 else ' repeats'} an earlier item through a YAML alias", "list each item once")
        if len(node.value) < spec.min_items:
            # The list's own description says what belongs in it (ids of sources, people, claims...).
            held = spec.doc[:1].lower() + spec.doc[1:].rstrip(".")
            self.err(node, where, f"needs at least {spec.min_items} item{'s' if spec.min_items > 1 else ''}", f"it lists {held}" if held else "")
        return out

    def scalar(self, node: yaml.ScalarNode, spec: s.Spec, where: str) -> Value | _Missing:
        raw = str(node.value)
        if node.style == "|":
            self.located.line_for_line.add(where)
        elif spec.__class__ is s.Text and spec.markdown and node.start_mark.line != node.end_mark.line and self.doc.text:
            self.located.folded[where] = (*self.pos(node), self.doc.text[node.start_mark.index : node.end_mark.index])
        text = raw.strip()
        if isinstance(spec, s.Integer):
            if node.tag != "tag:yaml.org,2002:int" or not re.fullmatch(r"[-+]?\d+", text):
                self.err(node, where, f"expected a whole number, got '{raw}'", f"write a number from {spec.minimum} to {spec.maximum:,}, digits only")
                return MISSING
            if len(text) > 30:  # Python refuses to read more than 4,300 digits; no field needs more than a few
                self.err(node, where, f"a number of {len(text)} digits is out of range ({spec.minimum} to {spec.maximum})")
                return MISSING
            number = int(text)
            if not spec.minimum <= number <= spec.maximum:
                self.err(node, where, f"{number} is out of range ({spec.minimum} to {spec.maximum})")
                return MISSING
            return number
        if isinstance(spec, s.Boolean):
            if node.tag != "tag:yaml.org,2002:bool":
                self.err(node, where, f"expected true or false, got '{raw}'", "write true or false, without quotes")
                return MISSING
            return text.lower() in ("true", "yes", "on", "y")
        hidden = hidden_character(raw)
        if hidden is not None:
            self.err(node, where, f"contains {hidden[1]} (U+{ord(hidden[0]):04X})", "delete it; retype the text around it if unsure")
            return MISSING
        if not text:
            what = f" ({spec.doc.rstrip('.')})" if spec.doc.strip() else ""  # a list's items have no text of their own
            self.err(node, where, "must not be empty", f"fill it in{what}, or remove the line if the field is optional")
            return MISSING
        return self.string(node, spec, where, text)

    def string(self, node: yaml.ScalarNode, spec: s.Spec, where: str, text: str) -> Value | _Missing:
        if isinstance(spec, s.Slug):
            if len(text) > MAX_ID_LENGTH:
                self.err(node, where, f"id '{shortened(text)}' {slug_problem(text)}", "choose a shorter id")
                return MISSING
            if not _SLUG.match(text):
                suggestion = slugify(text)
                hint = f"try '{suggestion}'" if suggestion else "use lowercase letters, digits and hyphens"
                self.err(node, where, f"'{text}' is not a valid id (lowercase letters, digits, single hyphens)", hint)
                return MISSING
            if text in WINDOWS_RESERVED:
                self.err(node, where, f"id '{text}' {RESERVED_PROBLEM}", f"choose another, such as '{text}-1'")
                return MISSING
            return text
        if isinstance(spec, s.Url):
            return self.url(node, where, text)
        if isinstance(spec, s.Date):
            return self.date(node, where, text)
        if isinstance(spec, s.Choice):
            if text not in spec.choices:
                self.err(node, where, f"'{text}' is not one of: {', '.join(spec.choices)}", did_you_mean(text, spec.choices))
                return MISSING
            return text
        if isinstance(spec, s.Color):
            if not _COLOR.match(text):
                self.err(node, where, f"'{text}' is not a hex colour", "write a colour as a quoted hex code, such as '#1a7f37'")
                return MISSING
            return text.lower()
        if isinstance(spec, s.Path):
            if text.startswith("/") or "\\" in text or ".." in text.split("/"):
                self.err(node, where, f"'{text}' must be a relative path inside the project", "e.g. seeds/article.txt")
                return MISSING
            return text
        if isinstance(spec, s.Text):
            if spec.markdown:  # so a citation or tag in the text is reported where it stands
                self.located.marks[where + ORIGIN] = origin(node, self.doc.block_indents, self.doc.line_offset)
            if spec.single_line and "\n" in text:
                self.err(node, where, "must be a single line")
                return MISSING
            if spec.limit and len(text) > spec.limit:
                self.err(node, where, f"is {len(text):,} characters long, over the limit of {spec.limit:,}", "shorten it: it is shown on every page")
                return MISSING
            if spec.max_len and len(text) > spec.max_len:
                self.warn(node, where, f"is {len(text)} characters long; keep it under {spec.max_len}")
            return text
        raise TypeError(f"unknown spec {spec!r}")  # pragma: no cover - schema bug, not content

    def url(self, node: yaml.ScalarNode, where: str, text: str) -> Value | _Missing:
        problem, hint = http_url_diagnosis(text)
        if problem:
            self.err(node, where, f"'{shortened(text)}' {problem}", hint)
            return MISSING
        return text

    def date(self, node: yaml.ScalarNode, where: str, text: str) -> Value | _Missing:
        if not _DATE.match(text):
            self.err(node, where, f"'{text}' is not a date", "write dates as YYYY-MM-DD, e.g. 2026-05-21")
            return MISSING
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            self.err(node, where, f"'{text}' is not a valid date ({exc})", impossible_date_hint(text))
            return MISSING


def _has_error_at(diags: list[Diagnostic], path: str, field_path: str) -> bool:
    return any(d.path == path and d.field.startswith(field_path) for d in diags)


def validate_doc(doc: YamlDoc, spec: s.Spec, diags: list[Diagnostic]) -> Located:
    """Walk a parsed document against `spec`; return its values and marks, appending diagnostics."""
    walker = _Walker(doc, diags)
    if doc.node is None:
        return walker.located
    walker.located.root_mark = walker.pos(doc.node)
    if isinstance(doc.node, yaml.ScalarNode) and doc.node.tag == _NULL:
        walker.err(doc.node, "", "file is empty")
        return walker.located
    value = walker.walk(doc.node, spec, "")
    walker.count_unlisted()
    walker.located.value = None if isinstance(value, _Missing) else value
    return walker.located


# The accessors live in values.py; they are re-exported here for the modules that read checked values.
__all__ = ["MISSING", "Located", "Obj", "Value", "get_bool", "get_date", "get_int", "get_obj", "get_objs", "get_text", "get_texts"]
__all__ += ["join_path", "slugify", "validate_doc"]
