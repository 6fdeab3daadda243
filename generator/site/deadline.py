"""The render deadline: a page whose templates run too long stops with RenderTimeout, a diagnostic, not a hang.

Templates come with pull requests. Calls, `range()`, filters and every `{% for %}` (compiled by
compiler.ThemeCodeGenerator to start through `paced`) check the deadline as they go, in any thread, so serve's
renders stop too; in the main thread (where `build` and `check` render) an interval timer also
interrupts what checks nothing.
"""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def render_deadline(seconds: float) -> Iterator[None]:
    """Within the block, templates rendered by this thread raise RenderTimeout after `seconds`."""
    previous = getattr(_DEADLINE, "at", None)
    _DEADLINE.at = time.monotonic() + seconds
    _DEADLINE.seconds = seconds
    _DEADLINE.passed = False
    timed = previous is None and _alarm_ready()
    if timed:
        signal.setitimer(signal.ITIMER_REAL, seconds + 0.05)  # just after the deadline, so check_deadline raises
    try:
        yield
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _DEADLINE.at = previous


def _alarm_ready() -> bool:
    # Signals reach only the main thread (serve renders in others: there the checks alone stand guard).
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return False
    if signal.getsignal(signal.SIGALRM) is not _on_alarm:
        signal.signal(signal.SIGALRM, _on_alarm)
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
