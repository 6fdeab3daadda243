"""Load stage: read the project's files and parse YAML into node trees that keep line marks.

Nothing here judges content; syntax and encoding problems become diagnostics, never tracebacks.
Parsing uses libyaml where present and composes nodes only (no object construction), so no tag
can run code and no alias can explode before validation counts it.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from generator.content.files import MAX_SNAPSHOT_BYTES, read_project_file, refusal
from generator.diagnostics import Diagnostic, error, warning

try:  # libyaml is much faster; fall back quietly where it is missing.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

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


@dataclass(frozen=True)
class PageDoc:
    """A markdown page: front matter as a YamlDoc, and the body text."""

    path: str
    front: YamlDoc
    body: str
    digest: str = ""
    body_line: int = 1  # the file line the body starts on, after the front matter


@dataclass(frozen=True)
class Project:
    """Everything read from disk for one build."""

    root: Path
    site: YamlDoc
    people: YamlDoc | None
    reports: tuple[YamlDoc, ...]
    pages: tuple[PageDoc, ...]
    snapshots: dict[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    refused: frozenset[str] = frozenset()  # files in seeds/ the file rule refused (each has its diagnostic)


def read_text(root: Path, rel: str, diags: list[Diagnostic]) -> str | None:
    """Read a UTF-8 file (a BOM is dropped) under the file rule; None, with a diagnostic, if refused or unreadable."""
    data = read_project_file(root, rel, diags)
    if data is None:
        return None
    text = decode_utf8(rel, data, diags)
    # Parsing a file with such characters only adds errors without a line: stop at the cause.
    return None if text is None or unprintable(rel, text, diags) else text


# YAML's printable set (1.1 and 1.2): libyaml stops at anything else with no line to show, and
# XML (feeds, sitemap) forbids most of the rest; tab, CR and LF are the only controls allowed.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_CHARACTER_ERRORS = 10  # per file: the first few lead to the cause, a thousand would bury it


def unprintable(rel: str, text: str, diags: list[Diagnostic]) -> bool:
    """Report NUL and other control or non-characters in a text file at their line:column; True if there were any."""
    found = 0
    for match in _UNPRINTABLE.finditer(text):
        found += 1
        if found > MAX_CHARACTER_ERRORS:
            diags.append(error(rel, 1, 1, f"more than {MAX_CHARACTER_ERRORS} such characters in this file; the rest are not listed"))
            break
        at = match.start()
        line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        name = "a NUL byte" if match.group() == "\x00" else "an invisible control character" if ord(match.group()) < 0xA0 else "a non-character"
        hint = (
            "delete it; a NUL often means the file is binary or saved as UTF-16"
            if match.group() == "\x00"
            else "delete it; retype the text around it if unsure"
        )
        diags.append(error(rel, line, col, f"contains {name} (U+{ord(match.group()):04X})", hint=hint))
    return found > 0


def decode_utf8(rel: str, data: bytes, diags: list[Diagnostic]) -> str | None:
    """Decode bytes as UTF-8, pointing at the first bad byte's line if it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
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
        diags.append(error(rel, 1 + line_offset, 1, "file is empty", hint="see docs/content.md for a full example"))
    return YamlDoc(rel, node, line_offset, digest)


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Claim: the facts\""
    if "found character '\\t'" in problem:
        return "YAML indentation uses spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "check the indentation and that every key ends with ':'"
    if "found undefined alias" in problem:
        return "an *alias needs a matching &anchor earlier in the file"
    return ""


def split_front_matter(rel: str, text: str, diags: list[Diagnostic]) -> tuple[YamlDoc, str]:
    """Split `---` front matter from a markdown body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        diags.append(error(rel, 1, 1, "page must start with '---' front matter", hint="add '---\\ntitle: ...\\n---' at the top"))
        return YamlDoc(rel, None), text
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            front = "".join(lines[1:i])
            return parse_yaml(rel, front, diags, line_offset=1), "".join(lines[i + 1 :])
    diags.append(error(rel, 1, 1, "front matter is not closed", hint="end the front matter with a line '---'"))
    return YamlDoc(rel, None), ""


def _sorted_files(root: Path, rel_dir: str, suffix: str) -> list[str]:
    """Files under rel_dir (subfolders too, e.g. reports/2026/), sorted; hidden ones skipped."""
    folder = root / rel_dir
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*" + suffix):
        rel = path.relative_to(folder)
        # Hidden files and folders, and editor leftovers, are never content.
        # Anything but a plain folder is listed, so the file rule can refuse FIFOs and stray links by name.
        if not (path.is_dir() and not path.is_symlink()) and not any(part.startswith((".", "#")) for part in rel.parts):
            found.append(f"{rel_dir}/{rel.as_posix()}")
    return sorted(found)


def _misnamed(root: Path, rel_dir: str, wrong: str, right: str) -> list[Diagnostic]:
    # A report saved as .yml would silently vanish from the site: say so.
    return [
        warning(rel, 0, 0, f"ignored: reports must end in {right}", hint=f"rename it to {PurePosixPath(rel).stem}{right}")
        for rel in _sorted_files(root, rel_dir, wrong)
    ]


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
    body_line = text.count("\n", 0, len(text) - len(body)) + 1 if body and text.endswith(body) else 1
    return PageDoc(rel, front, body, digest, body_line)


def load_snapshots(root: Path, diags: list[Diagnostic] | None = None) -> dict[str, bytes]:
    """Read every file under seeds/ as bytes (decoded later, where a report points at it).

    Files the file rule refuses (links leaving the project, FIFOs, huge files) are left out,
    with a diagnostic in `diags`.
    """
    seeds = root / SEEDS
    out: dict[str, bytes] = {}
    if not seeds.is_dir():
        return out
    refused: list[Diagnostic] = []
    for path in sorted(seeds.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in path.relative_to(seeds).parts) or (path.is_dir() and not refusal(root, rel)):
            continue
        data = read_project_file(root, rel, refused, MAX_SNAPSHOT_BYTES)
        if data is not None:
            out[rel] = data
    if diags is not None:
        diags += refused
    return out


# `build` passes a loader that hands report files to worker processes (parallel.py).
ReportLoader = Callable[[Path, str, list[Diagnostic]], YamlDoc]


def load_project(root: Path, load_report: ReportLoader = load_yaml_file) -> Project:
    """Read the whole project: site config, people, reports, pages and snapshots."""
    diags: list[Diagnostic] = []
    if not os.path.lexists(root / SITE_FILE):
        diags.append(error(SITE_FILE, 0, 0, "site configuration not found", hint="run in the project folder or pass --root"))
        return Project(root, YamlDoc(SITE_FILE, None), None, (), (), {}, tuple(diags))
    site = load_yaml_file(root, SITE_FILE, diags)
    people = load_yaml_file(root, PEOPLE_FILE, diags) if os.path.lexists(root / PEOPLE_FILE) else None
    reports = tuple(load_report(root, rel, diags) for rel in _sorted_files(root, REPORTS_DIR, ".yaml"))
    diags += _misnamed(root, REPORTS_DIR, ".yml", ".yaml")
    pages = tuple(load_page(root, rel, diags) for rel in _sorted_files(root, PAGES_DIR, ".md"))
    refused: list[Diagnostic] = []
    snapshots = load_snapshots(root, refused)
    diags += refused
    return Project(root, site, people, reports, pages, snapshots, tuple(diags), frozenset(d.path for d in refused))
