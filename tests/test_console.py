"""The output layer: levels, colour rules, the progress line, plurals."""

from __future__ import annotations

import io
import os
import pty

from generator.console import Console, Level, colourize, plural, wants_colour, wants_progress


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_plurals() -> None:
    assert [plural(n, "report") for n in (0, 1, 2)] == ["0 reports", "1 report", "2 reports"]
    assert plural(1, "person", "people") == "1 person" and plural(3, "person", "people") == "3 people"


def test_colour_rules() -> None:
    """NO_COLOR wins over FORCE_COLOR; FORCE_COLOR=0 is not forcing; a pipe gets none; TERM=dumb none."""
    pipe, tty = io.StringIO(), Terminal()
    assert not wants_colour(pipe, {}) and wants_colour(pipe, {"FORCE_COLOR": "1"})
    assert not wants_colour(pipe, {"FORCE_COLOR": "0"})
    assert wants_colour(tty, {}) and not wants_colour(tty, {"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert not wants_colour(tty, {"TERM": "dumb"})
    assert colourize("a.yaml:1:2: error: x\n    hint: y\nb.yaml: warning: z\nerror: alone") == (
        "a.yaml:1:2: \x1b[1;31merror:\x1b[0m x\n    hint: y\nb.yaml: \x1b[1;33mwarning:\x1b[0m z\n\x1b[1;31merror:\x1b[0m alone"
    )


def test_progress_is_drawn_on_a_terminal_and_erased_before_the_next_line() -> None:
    """The exact bytes: each redraw clears the line; a result line starts clean."""
    err = Terminal()
    out = io.StringIO()
    console = Console(out, err, Level.NORMAL, colour=False, live=True, progress_after=0)
    console.progress("render", 1, 3)
    console.progress("render", 2, 3)  # too soon after the last redraw: skipped
    console.progress("render", 3, 3)  # the last one is always drawn
    console.problems("x.yaml:1:1: warning: w")
    assert err.getvalue() == "\r\x1b[2Krender 1/3\r\x1b[2Krender 3/3\r\x1b[2Kx.yaml:1:1: warning: w\n"


def test_a_command_shorter_than_a_second_draws_no_counter() -> None:
    err = Terminal()
    console = Console(io.StringIO(), err, Level.NORMAL, live=True)
    console.progress("Writing pages", 10, 10)
    assert err.getvalue() == ""


def test_no_progress_in_pipes_on_ci_or_when_quiet() -> None:
    """Piped, on CI or quiet: progress writes nothing at all."""
    assert not wants_progress(io.StringIO(), {}) and not wants_progress(Terminal(), {"CI": "true"})
    assert wants_progress(Terminal(), {"TERM": "xterm"})
    for console in (
        Console.for_streams(io.StringIO(), io.StringIO(), Level.NORMAL, {}),
        Console(io.StringIO(), Terminal(), Level.QUIET, live=True),
    ):
        console.progress("render", 1, 2)
        console.clear_progress()
        assert console.err.getvalue() == ""  # type: ignore[attr-defined]


def test_levels() -> None:
    """Results are left out under -q, details shown only under -v, problems always."""
    for level, expected_out, expected_err in (
        (Level.QUIET, "", "error: bad\n"),
        (Level.NORMAL, "done\n", "error: bad\n"),
        (Level.VERBOSE, "done\n", "detail\nerror: bad\n"),
    ):
        out, err = io.StringIO(), io.StringIO()
        console = Console(out, err, level)
        console.detail("detail")
        console.result("done")
        console.error("bad")
        assert (out.getvalue(), err.getvalue()) == (expected_out, expected_err)


def test_a_real_pseudo_terminal_is_detected() -> None:
    """for_streams on a pty: colour and progress on; the terminal receives the escape sequences."""
    master, slave = pty.openpty()
    try:
        with open(slave, "w", encoding="utf-8", closefd=False) as stream:
            console = Console.for_streams(stream, stream, Level.NORMAL, {"TERM": "xterm"})
            assert console.colour and console.live
            console.progress_after = 0  # as in a command that has run its first second
            console.progress("check", 2, 5)
        assert os.read(master, 1024) == b"\r\x1b[2K\x1b[1mcheck\x1b[0m 2/5"
    finally:
        os.close(master)
        os.close(slave)
