"""Diagnostics: the one shape every problem takes, from YAML syntax to template errors.

The CLI, the JSON/GitHub formats and the live-preview overlay all print from here, so an
editor reads the same words wherever a mistake shows up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a diagnostic is: errors stop the build, warnings do not, notes are advice (never fail --strict)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    def __reduce_ex__(self, protocol: object) -> tuple[type[Severity], tuple[str]]:
        """Pickle by value: Python before 3.11.5 (Debian 12's python3) pickles members as
        getattr(Severity, name), which the build cache's safe unpickler rightly refuses."""
        return (Severity, (self.value,))


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located in a file (path relative to the project root)."""

    path: str
    line: int
    col: int
    message: str
    field: str = ""
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        """True when this diagnostic stops the build."""
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        """True for a warning (which `check --strict` treats as an error); notes are not warnings."""
        return self.severity is Severity.WARNING

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order: by file, then position, then field and message."""
        return (self.path, self.line, self.col, self.field, self.message)


class BuildFailed(Exception):
    """Raised when a stage cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(f"{sum(d.is_error for d in diagnostics)} error(s)")
        self.diagnostics = tuple(diagnostics)


def error(path: str, line: int, col: int, message: str, field: str = "", hint: str = "") -> Diagnostic:
    """Make an error diagnostic."""
    return Diagnostic(path, line, col, message, field, hint, Severity.ERROR)


def warning(path: str, line: int, col: int, message: str, field: str = "", hint: str = "") -> Diagnostic:
    """Make a warning diagnostic."""
    return Diagnostic(path, line, col, message, field, hint, Severity.WARNING)


def note(path: str, line: int, col: int, message: str, field: str = "", hint: str = "") -> Diagnostic:
    """Make a note: advice worth seeing that is not a mistake (a guideline, not a rule)."""
    return Diagnostic(path, line, col, message, field, hint, Severity.NOTE)


MAX_LISTED = 200  # per file: the first ones lead to the cause; a million (an alias repeating a mistake) would bury it


def listed(path: str, diagnostics: Sequence[Diagnostic], limit: int = MAX_LISTED) -> list[Diagnostic]:
    """A file's diagnostics, at most `limit` of them (errors first, in file order), then one saying how many more there are."""
    if len(diagnostics) <= limit:
        return list(diagnostics)
    ordered = sorted(diagnostics, key=lambda d: (not d.is_error, d.line, d.col))
    kept, first_left = ordered[:limit], ordered[limit]  # said where the first one left out stands, so that it sorts after those kept
    more = len(diagnostics) - limit
    make = error if sum(d.is_error for d in diagnostics) > sum(d.is_error for d in kept) else warning  # an error among those left out
    hint = "fix the ones above first: one mistake repeated (a YAML alias) may be all of them"
    message = f"{more} more problem{'s' if more > 1 else ''} in this file {'are' if more > 1 else 'is'} not listed"
    return [*kept, make(path, first_left.line, first_left.col, message, hint=hint)]


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort and deduplicate diagnostics so output is stable run to run."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


# Control characters (a terminal's escape codes), line breaks other than LF, and bidirectional overrides:
# a pull request's key or file name must not clear the terminal's lines or fake a "Check passed".
# Characters that show nothing (a soft hyphen, zero-width ones) too: a message must show what differs.
_UNPRINTABLE_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff"
_UNPRINTABLE = re.compile(f"[{_UNPRINTABLE_CHARACTERS}]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shortened(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters with '...' when longer: a value quoted in a message (a link of 100 KB) keeps the line readable."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def printable(text: str) -> str:
    """`text` with every control character but tab and LF, and every bidirectional override, written as an escape (\\x1b)."""
    return _UNPRINTABLE.sub(_escaped, text)


def one_line(text: str) -> str:
    """`printable`, with line breaks written out too: for a value quoted inside a one-line message."""
    return printable(text).replace("\n", "\\x0a")


# A line a CI runner reads as a command of its own (GitHub's `::warning ...`, `::add-mask::`), wherever it starts.
_RUNNER_COMMAND = re.compile(r"^(\s*):", re.MULTILINE)


def _no_commands(text: str) -> str:
    """`text` with a colon that starts a line (after its indentation) written as an escape: no line of it is a runner's command."""
    return _RUNNER_COMMAND.sub(lambda m: f"{m.group(1)}\\x3a", text)


def headline(d: Diagnostic) -> str:
    """The one-line form: `path:line:col: error: field: message`."""
    path = d.path.replace("\n", "\\x0a")  # a file name with a line break in it
    where = f"{path}:{d.line}:{d.col}" if d.line else path
    field = f"{one_line(d.field)}: " if d.field else ""  # a key of the content's, which may hold a line break
    # A message's later lines are indented, so that no text of a pull request's can pass for a line of ours.
    return _no_commands(printable(f"{where}: {d.severity.value}: {field}{d.message}").replace("\n", "\n    "))


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    """Compiler-style text, a hint indented under its diagnostic."""
    lines: list[str] = []
    for d in sorted_diagnostics(diagnostics):
        lines.append(headline(d))
        if d.hint:
            # Continuation lines (a YAML snippet to paste, say) line up under the first, unprefixed.
            first, *rest = _no_commands(printable(d.hint)).split("\n")
            lines.append(f"    hint: {first}")
            lines.extend(f"          {h}" for h in rest)
    return "\n".join(lines)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON array, one object a diagnostic, for editors' tools."""
    rows = [
        {
            "path": d.path,
            "line": d.line,
            "col": d.col,
            "severity": d.severity.value,
            "field": d.field,
            "message": d.message,
            "hint": d.hint,
        }
        for d in sorted_diagnostics(diagnostics)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _gh_escape(text: str, *, prop: bool = False) -> str:
    # GitHub's workflow-command escaping: %, CR and LF always; ':' and ',' in properties.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions annotations, so mistakes show on the pull request's diff."""
    lines = []
    for d in sorted_diagnostics(diagnostics):
        props = [f"file={_gh_escape(printable(d.path), prop=True)}"]
        if d.line:
            props += [f"line={d.line}", f"col={d.col}"]
        field = f"{d.field}: " if d.field else ""
        body = printable(field + d.message) + (f"\nhint: {printable(d.hint)}" if d.hint else "")
        command = "notice" if d.severity is Severity.NOTE else d.severity.value
        lines.append(f"::{command} {','.join(props)}::{_gh_escape(body)}")
    return "\n".join(lines)


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    """`Build failed: 3 errors in 2 files.` style closing line."""
    errors = [d for d in diagnostics if d.is_error]
    warnings = sum(d.is_warning for d in diagnostics)
    files = len({d.path for d in errors if not d.field.startswith("--")})
    # An option's error (`--out` overlapping content/) is about the command, not a file.
    where = [f"{files} file{'s' if files != 1 else ''}"] if files or not errors else []
    where += ["the command's options"] if any(d.field.startswith("--") for d in errors) else []
    plural = "s" if len(errors) != 1 else ""
    text = f"{len(errors)} error{plural} in {' and '.join(where)}"
    if warnings:
        text += f", {warnings} warning{'s' if warnings != 1 else ''}"
    return text


def raised_at(exc: BaseException) -> str:
    """The file and line where an exception was raised, relative to the package (an internal error's one line)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "unknown place"
    filename = tb.tb_frame.f_code.co_filename
    return f"{filename.rpartition('/generator/')[2] or filename}:{tb.tb_lineno}"
