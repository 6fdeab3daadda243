"""Load stage: read the project's files and parse YAML into node trees that keep line marks.

Nothing here judges content; syntax and encoding problems become diagnostics, never tracebacks.
Parsing uses libyaml where present and composes nodes only (no object construction), so no tag
can run code and no alias can explode before validation counts it.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from generator.content.files import MAX_SNAPSHOT_BYTES, read_project_file
from generator.content.textpos import block_indents, value_at
from generator.content.yaml_errors import TABS, explain
from generator.diagnostics import Diagnostic, error, warning

try:  # libyaml is much faster; fall back quietly where it is missing.
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader

# The safe loader's implicit tags (null, bool, int, float, timestamp...), by a plain scalar's first character.
_ANY_START = tuple(yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, ()))  # the safe loaders' resolver
_BY_START = {start: (*found, *_ANY_START) for start, found in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if start is not None}


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader, resolving each node's tag with less Python per node: a report has hundreds of nodes.

    PyYAML's own resolver looks at path resolvers on every node (the safe loader registers none) and
    joins two lists for every scalar; the tags it gives are the same.
    """

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        """Nothing to do: no path resolvers."""

    def ascend_resolver(self) -> None:
        """Nothing to do: no path resolvers."""

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        """The node's tag, as the safe loader resolves it."""
        if kind is yaml.ScalarNode:
            if implicit[0] and isinstance(value, str):
                for tag, pattern in _BY_START.get(value[:1], _ANY_START):
                    if pattern.match(value):
                        return str(tag)
            return str(self.DEFAULT_SCALAR_TAG)
        return str(super().resolve(kind, value, implicit))


CONTENT = "content"
SEEDS = "seeds"
SITE_FILE = "content/site.yaml"
PEOPLE_FILE = "content/people.yaml"
REPORTS_DIR = "content/reports"
PAGES_DIR = "content/pages"


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file: its node tree (None when empty or broken) and where it came from."""

    path: str
    node: yaml.Node | None
    line_offset: int = 0
    digest: str = ""
    block_indents: tuple[tuple[int, int], ...] = ()
    text: str = field(default="", repr=False, compare=False)  # what was parsed, for a quick look before a walk of every node


@dataclass(frozen=True)
class PageDoc:
    """A markdown page: front matter as a YamlDoc, and the body text."""

    path: str
    front: YamlDoc
    body: str
    digest: str = ""
    body_line: int = 1  # the file line the body starts on, after the front matter


@dataclass(frozen=True)
class Found:
    """The project's content files, by the one discovery rule that check, build and serve share."""

    reports: tuple[str, ...]
    pages: tuple[str, ...]
    snapshots: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...] = ()  # files that look like content but would be ignored, folders that cannot be read


def read_text(root: Path, rel: str, diags: list[Diagnostic]) -> str | None:
    """Read a UTF-8 file (a BOM is dropped) under the file rule; None, with a diagnostic, if refused or unreadable."""
    data = read_project_file(root, rel, diags)
    if data is None:
        return None
    text = decode_utf8(rel, data, diags)
    # Parsing a file with such characters only adds errors without a line: stop at the cause.
    return None if text is None or unprintable(rel, text, diags, source=True) else text


# YAML's printable set (1.1 and 1.2): libyaml stops at anything else with no line to show, and
# XML (feeds, sitemap) forbids most of the rest; tab, CR and LF are the only controls allowed.
# In an article snapshot, also U+202D and U+202E: each makes the rest of its paragraph display in a forced
# direction (a quote's context reversed on the report's page). Right-to-left articles need neither.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\u202c\u202f-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# In a file YAML parses, also the line breaks YAML counts and editors do not (NEL, LS, PS): every
# line number after one would be one too many, and no field may hold one anyway.
_UNPRINTABLE_IN_SOURCE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KINDS = {
    0: "a NUL byte",
    0x2028: "an invisible line break",
    0x2029: "an invisible line break",
    0x202D: "a bidirectional override",
    0x202E: "a bidirectional override",
}
MAX_CHARACTER_ERRORS = 10  # per file: the first few lead to the cause, a thousand would bury it


def unprintable(rel: str, text: str, diags: list[Diagnostic], source: bool = False) -> bool:
    """Report NUL and other control or non-characters in a text file at their line:column; True if there were any.

    A `source` (YAML, front matter and markdown) may not hold NEL, LS or PS either; an article snapshot may.
    """
    found = 0
    for match in (_UNPRINTABLE_IN_SOURCE if source else _UNPRINTABLE).finditer(text):
        found += 1
        at = match.start()
        line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        if found > MAX_CHARACTER_ERRORS:  # at the first one not listed, so that it sorts after those that are
            diags.append(error(rel, line, col, f"more than {MAX_CHARACTER_ERRORS} such characters in this file; the rest are not listed"))
            break
        code = ord(match.group())
        name = _KINDS.get(code) or ("an invisible control character" if code < 0xA0 else "a non-character")
        hint = (
            "delete it; a NUL often means the file is binary or saved as UTF-16"
            if match.group() == "\x00"
            else "delete it; retype the text around it if unsure"
        )
        diags.append(error(rel, line, col, f"contains {name} (U+{ord(match.group()):04X})", hint=hint))
    return found > 0


def bom_encoding(data: bytes) -> str:
    """'UTF-32' or 'UTF-16' when the bytes start with that encoding's byte-order mark, else ''."""
    # UTF-32's little-endian mark starts with UTF-16's: tested first.
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    return "UTF-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ""


def decode_utf8(rel: str, data: bytes, diags: list[Diagnostic]) -> str | None:
    """Decode bytes as UTF-8, pointing at the first bad byte's line if it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = bom_encoding(data)
        if encoding:
            diags.append(error(rel, 1, 1, f"file is {encoding} text, not UTF-8", hint="save the file as UTF-8 (in most editors: Save with Encoding, UTF-8)"))
            return None
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.append(error(rel, line, col, f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})", hint="save the file as UTF-8"))
        return None


def parse_yaml(rel: str, text: str, diags: list[Diagnostic], line_offset: int = 0) -> YamlDoc:
    """Compose a YAML document into nodes; syntax errors become one diagnostic."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        plain = explain(exc, text)
        if plain is not None:
            diags.append(error(rel, plain.line + line_offset, plain.col, f"YAML syntax error: {plain.message}", hint=plain.hint))
            return YamlDoc(rel, None, line_offset, digest)
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 0
        col = (mark.column + 1) if mark else 0
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        diags.append(error(rel, line, col, f"YAML syntax error: {problem}{context}", hint=_syntax_hint(problem)))
        return YamlDoc(rel, None, line_offset, digest)
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        diags.append(error(rel, 0, 0, f"YAML error: {exc}"))
        return YamlDoc(rel, None, line_offset, digest)
    if node is None:
        diags.append(error(rel, 1 + line_offset, 1, "file is empty", hint="`factcheck docs content` shows a full example"))
    return YamlDoc(rel, node, line_offset, digest, block_indents(text), text)


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Claim: the facts\""
    if "found character '\\t'" in problem:
        return TABS
    if "could not find expected ':'" in problem:
        return "check the indentation and that every key ends with ':'"
    if "found undefined alias" in problem:
        return "an *alias needs a matching &anchor earlier in the file"
    if "found unknown escape character" in problem:
        return "in double quotes a backslash starts an escape: write paths with '/' (seeds/article.txt), or use single quotes"
    return ""


def split_front_matter(rel: str, text: str, diags: list[Diagnostic]) -> tuple[YamlDoc, str]:
    """Split `---` front matter from a markdown body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        diags.append(error(rel, 1, 1, "page must start with '---' front matter", hint="add three lines at the top: '---', then 'title: ...', then '---'"))
        return YamlDoc(rel, None), text
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            front = "".join(lines[1:i])
            if not front.strip():  # parse_yaml would say the file is empty
                diags.append(error(rel, 2, 1, "the front matter is empty", hint="write 'title: ...' (and the page's other fields) between the two '---' lines"))
                return YamlDoc(rel, None), "".join(lines[i + 1 :])
            return parse_yaml(rel, front, diags, line_offset=1), "".join(lines[i + 1 :])
    diags.append(error(rel, 1, 1, "front matter is not closed", hint="end the front matter with a line '---'"))
    return YamlDoc(rel, None), ""


def _walk(root: Path, rel_dir: str, hidden: tuple[str, ...], diags: list[Diagnostic]) -> list[str]:
    """Every file under rel_dir (subfolders too), as project-relative paths, sorted; names starting with `hidden` skipped.

    Anything but a plain folder is listed (a link, a FIFO), so that the file rule refuses it by name.
    A folder that is there but cannot be listed is an error: read as empty, its reports would vanish from the site.
    """
    found: list[str] = []
    todo = [rel_dir]
    while todo:
        here = todo.pop()
        try:
            entries = list(os.scandir(root / here))
        except (FileNotFoundError, NotADirectoryError):  # not there, or not a folder: nothing to find
            continue
        except OSError as exc:
            hint = "make it readable by the user who builds the site"
            diags.append(error(here, 0, 0, f"cannot read the folder: {exc.strerror or exc}", hint=hint))
            continue
        for entry in entries:
            if entry.name.startswith(hidden):
                continue  # hidden files and folders, and editor leftovers, are never content
            if entry.is_dir(follow_symlinks=False):
                todo.append(f"{here}/{entry.name}")
            else:
                found.append(f"{here}/{entry.name}")
    return sorted(found)


def load_yaml_file(root: Path, rel: str, diags: list[Diagnostic]) -> YamlDoc:
    """Read and parse one YAML file."""
    text = read_text(root, rel, diags)
    if text is None:
        return YamlDoc(rel, None)
    return parse_yaml(rel, text, diags)


def load_page(root: Path, rel: str, diags: list[Diagnostic]) -> PageDoc:
    """Read one markdown page with front matter."""
    text = read_text(root, rel, diags)
    if text is None:
        return PageDoc(rel, YamlDoc(rel, None), "")
    front, body = split_front_matter(rel, text, diags)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    # Lines as split_front_matter split them (CR and CRLF endings too): the body's first line is the one after the front matter's.
    body_line = len(text[: len(text) - len(body)].splitlines()) + 1 if body and text.endswith(body) else 1
    return PageDoc(rel, front, body, digest, body_line)


def list_snapshots(root: Path, diags: list[Diagnostic] | None = None) -> list[str]:
    """Every file under seeds/ (subfolders too, hidden ones skipped), sorted; a folder that cannot be listed goes into `diags`."""
    return _walk(root, SEEDS, (".",), [] if diags is None else diags)


def read_snapshot(root: Path, rel: str, diags: list[Diagnostic]) -> bytes | None:
    """A snapshot's bytes (decoded later, where a report points at it) under the file rule; None, with a diagnostic, if refused."""
    return read_project_file(root, rel, diags, MAX_SNAPSHOT_BYTES)


def discover(root: Path) -> Found:
    """The report files (content/reports/, subfolders too), pages and snapshots; warnings for misnamed reports."""
    unreadable: list[Diagnostic] = []
    in_reports = _walk(root, REPORTS_DIR, (".", "#"), unreadable)
    in_pages = _walk(root, PAGES_DIR, (".", "#"), unreadable)
    snapshots = list_snapshots(root, unreadable)
    # A report saved as .yml or .YAML, or a page as .markdown, would silently vanish from the site: say so.
    misnamed = [_misnamed(rel, ".yaml", (".yaml", ".yml"), "reports") for rel in in_reports if _near(rel, ".yaml", (".yaml", ".yml"))]
    misnamed += [_misnamed(rel, ".md", (".md", ".markdown"), "pages") for rel in in_pages if _near(rel, ".md", (".md", ".markdown"))]
    misnamed += [
        error(folder, 0, 0, f"{folder} is a file, not a folder: nothing in it is read", hint=f"move it aside and make {folder}/ a folder")
        for folder in (REPORTS_DIR, PAGES_DIR)
        if (root / folder).is_file()
    ]
    # A name that is not UTF-8 (bytes from another system's encoding) can be neither printed nor put in a URL.
    misnamed += [
        error(printable_name(rel), 0, 0, "file name is not UTF-8 text", hint="rename the file with plain letters, digits and hyphens")
        for rel in in_reports
        if not utf8_name(rel)
    ]
    return Found(
        tuple(rel for rel in in_reports if rel.endswith(".yaml") and utf8_name(rel)),
        tuple(rel for rel in in_pages if rel.endswith(".md")),
        tuple(snapshots),
        (*unreadable, *misnamed),
    )


def _near(rel: str, suffix: str, spellings: tuple[str, ...]) -> bool:
    """True for a UTF-8 name that means `suffix` but is not it ('x.yml', 'x.YAML', 'x.yaml ' with a space)."""
    return utf8_name(rel) and not rel.endswith(suffix) and rel.rstrip().lower().endswith(spellings)


def _misnamed(rel: str, suffix: str, spellings: tuple[str, ...], kind: str) -> Diagnostic:
    name = PurePosixPath(rel).name.rstrip()
    stem = next(name[: -len(spelling)] for spelling in spellings if name.lower().endswith(spelling))
    return warning(rel, 0, 0, f"ignored: {kind} must end in {suffix}", hint=f"rename it to {stem}{suffix}")


def written_at(root: Path, rel: str, keys: tuple[str, ...], value: str = "") -> tuple[int, int]:
    """Line and column where a project YAML file writes the first of `keys` (as `value`, if given); (0, 0) if nowhere."""
    text = (read_project_file(root, rel, []) or b"").decode("utf-8-sig", "replace")
    return next((found for key in keys if (found := value_at(text, key, value)) is not None), (0, 0))


def utf8_name(rel: str) -> bool:
    """True if a path read from the disk is UTF-8 (Python keeps other bytes as lone surrogates)."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_name(rel: str) -> str:
    """A path with its undecodable bytes shown as \\xNN, for a message."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def find_root(start: Path) -> Path | None:
    """The nearest folder from `start` upwards that holds content/site.yaml (like git finds .git)."""
    for folder in (start, *start.parents):
        if (folder / SITE_FILE).is_file():
            return folder
    return None
