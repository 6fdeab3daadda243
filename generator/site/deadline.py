"""The render deadline: a page whose templates run too long stops with RenderTimeout, a diagnostic, not a hang.

Templates come with pull requests. Calls, `range()`, filters and every `{% for %}` (compiled by
compiler.ThemeCodeGenerator to start through `paced`) check the deadline as they go, in any thread, so serve's
renders stop too; in the main thread (where `build` and `check` render) an interval timer also
interrupts what checks nothing.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterable, Iterator
from types import FrameType
from typing import Any

import jinja2


class RenderTimeout(jinja2.TemplateError):
    """A page took longer to render than its deadline allows (a runaway loop or recursion in a template)."""


_DEADLINE = threading.local()


def render_deadline(seconds: float) -> _Deadline:
    """Within the block, templates rendered by this thread raise RenderTimeout after `seconds`."""
    return _Deadline(seconds)


class _Deadline:
    """render_deadline's block: a class, not a generator, since every page enters one (a generator's block cost a page 3 µs)."""

    __slots__ = ("previous", "seconds", "timed")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.previous: float | None = None
        self.timed = False

    def __enter__(self) -> None:
        self.previous = getattr(_DEADLINE, "at", None)
        _DEADLINE.at = time.monotonic() + self.seconds
        _DEADLINE.seconds = self.seconds
        _DEADLINE.passed = False
        self.timed = self.previous is None and _alarm_ready()
        if self.timed:
            signal.setitimer(signal.ITIMER_REAL, self.seconds + 0.05)  # just after the deadline, so check_deadline raises

    def __exit__(self, *exc: object) -> None:
        if self.timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _DEADLINE.at = self.previous


HANDLER_LOOK = 1.0  # seconds between two looks at which SIGALRM handler is installed


def _alarm_ready() -> bool:
    # Signals reach only the main thread (serve renders in others: there the checks alone stand guard).
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return False
    # Which handler is installed is looked at once a second, not on every page: signal.getsignal costs a
    # page 2 µs (it tries to make an enum of the handler), and nothing in a build replaces ours.
    now = time.monotonic()
    if now - getattr(_DEADLINE, "handler_seen", -HANDLER_LOOK) >= HANDLER_LOOK:
        if signal.getsignal(signal.SIGALRM) is not _on_alarm:
            signal.signal(signal.SIGALRM, _on_alarm)
        _DEADLINE.handler_seen = now
    return True


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    # Raises within a render past its deadline; a late signal after the render is ignored, and so is one
    # that comes while the RenderTimeout a check raised is on its way (Jinja rewriting its traceback):
    # raised there, a second one would replace it, and with it the template's file and line.
    if not getattr(_DEADLINE, "passed", False):
        check_deadline()


def check_deadline() -> None:
    """Raise RenderTimeout if this thread's render deadline has passed (a no-op outside render_deadline)."""
    at = getattr(_DEADLINE, "at", None)
    if at is not None and time.monotonic() > at:
        _DEADLINE.passed = True
        raise RenderTimeout(f"the page took longer than {_DEADLINE.seconds:g} s to render (a runaway loop or recursion in a template?)")


PACE = 1024  # items of a long loop between two looks at the clock


def paced(iterable: Any) -> Any:
    """What a template's `{% for %}` iterates: `iterable` itself, after a look at the deadline, or for a long one, every PACE items."""
    check_deadline()
    try:
        short = len(iterable) <= PACE
    except TypeError:  # no length (a generator): paced throughout
        short = False
    return iterable if short else _paced_items(iterable)


def _paced_items(iterable: Iterable[Any]) -> Iterator[Any]:
    for count, item in enumerate(iterable, 1):
        if not count % PACE:
            check_deadline()
        yield item
