"""Console output: quiet and verbose levels, colour on a terminal, a progress line, plurals.

The command line prints through a Console; the engine reports progress by calling
`Console.progress(stage, done, total)` passed to it as a callback, and never needs to know
whether a terminal is attached. Colour follows https://no-color.org (NO_COLOR) and FORCE_COLOR;
the progress line is drawn on a terminal only, never in a pipe, a file or a CI log.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TextIO

_RED, _YELLOW, _BOLD, _RESET = "\x1b[1;31m", "\x1b[1;33m", "\x1b[1m", "\x1b[0m"
_CLEAR_LINE = "\r\x1b[2K"
PROGRESS_AFTER = 1.0  # seconds before a counter is drawn
PROGRESS_EVERY = 0.1  # seconds between redraws
# `path:line:col: error: ...` (a diagnostic) or `error: ...` (a message of the command itself).
_SEVERITY = re.compile(r"^(?P<head>(?:\S[^\n]*?: )?)(?P<word>error|warning):", flags=re.M)


class Level(IntEnum):
    """How much the command prints: -q, the default, -v."""

    QUIET = 0
    NORMAL = 1
    VERBOSE = 2


def plural(count: int, noun: str, nouns: str = "") -> str:
    """'1 report', '2 reports', '0 reports' (or the given plural form)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def left_out(unpublished: Sequence[tuple[str, str]], rerun: str) -> str:
    """'Left out, not published yet: <files>; <rerun> includes drafts and reports in review.', or '' when none is."""
    if not unpublished:
        return ""
    files = ", ".join(path for _, path in unpublished[:3]) + (f" and {len(unpublished) - 3} more" if len(unpublished) > 3 else "")
    return f"Left out, not published yet: {files}; {rerun} includes drafts and reports in review."


def _isatty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def wants_colour(stream: TextIO, env: Mapping[str, str]) -> bool:
    """NO_COLOR (any value) turns colour off, FORCE_COLOR on; otherwise only on a real terminal."""
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return _isatty(stream) and env.get("TERM") != "dumb"


def wants_progress(stream: TextIO, env: Mapping[str, str]) -> bool:
    """A redrawn progress line only on an interactive terminal: never in pipes or CI logs."""
    return _isatty(stream) and env.get("TERM") != "dumb" and not env.get("CI")


def colourize(text: str) -> str:
    """`error:` in red and `warning:` in yellow, at the start of each message line."""

    def paint(match: re.Match[str]) -> str:
        colour = _RED if match["word"] == "error" else _YELLOW
        return f"{match['head']}{colour}{match['word']}:{_RESET}"

    return _SEVERITY.sub(paint, text)


@dataclass
class Console:
    """Where the command prints: results to `out`, problems, details and progress to `err`."""

    out: TextIO
    err: TextIO
    level: Level = Level.NORMAL
    colour: bool = False
    live: bool = False
    progress_after: float = PROGRESS_AFTER  # seconds before a counter is drawn: a short command shows none
    _drawn: bool = field(default=False, repr=False)
    _started: float = field(default_factory=time.monotonic, repr=False)
    _last_drawn: float = field(default=0.0, repr=False)

    @classmethod
    def for_streams(cls, out: TextIO, err: TextIO, level: Level, env: Mapping[str, str]) -> Console:
        """A console for these streams, colour and progress decided by the terminal and the environment."""
        return cls(out, err, level, wants_colour(err, env), wants_progress(err, env))

    def _write(self, stream: TextIO, text: str) -> None:
        self.clear_progress()
        stream.write(text + "\n")
        stream.flush()

    def result(self, text: str) -> None:
        """A closing line of success ('Built ...'); left out under -q, and when empty."""
        if text and self.level >= Level.NORMAL:
            self._write(self.out, text)

    def detail(self, text: str) -> None:
        """A line for -v only: counts, timings, where things are."""
        if self.level >= Level.VERBOSE:
            self._write(self.err, text)

    def problems(self, text: str) -> None:
        """Diagnostics or a failure line, always shown, coloured on a terminal."""
        if text:
            self._write(self.err, colourize(text) if self.colour else text)

    def error(self, message: str) -> None:
        """`error: message` from the command itself."""
        self.problems(f"error: {message}")

    def progress(self, stage: str, done: int, total: int) -> None:
        """Redraw the progress line (`Writing pages 120/600`) once the command has run a second; a no-op unless on a terminal and not quiet."""
        now = time.monotonic()
        # A short command shows no counter at all; a long one redraws it ten times a second at most.
        if now - self._started < self.progress_after or (now - self._last_drawn < PROGRESS_EVERY and done < total):
            return
        self._last_drawn = now
        self.status(stage, f" {done}/{total}")

    def status(self, stage: str, rest: str = "…") -> None:
        """Redraw the progress line with a stage name and what follows it (by default '…')."""
        if not self.live or self.level == Level.QUIET:
            return
        label = f"{_BOLD}{stage}{_RESET}" if self.colour else stage
        self.err.write(f"{_CLEAR_LINE}{label}{rest}")
        self.err.flush()
        self._drawn = True

    def clear_progress(self) -> None:
        """Erase the progress line, so the next line starts clean."""
        if self._drawn:
            self.err.write(_CLEAR_LINE)
            self.err.flush()
            self._drawn = False
