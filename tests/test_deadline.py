"""The render deadline: loops that call nothing are stopped too, in the main thread and in serve's threads."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from generator.site import deadline
from generator.site.deadline import RenderTimeout, check_deadline, render_deadline
from generator.site.theme import make_environment, resolve_theme


@pytest.fixture
def env(make_project: Callable[..., Path]) -> jinja2.Environment:
    return make_environment(resolve_theme(make_project(), "default"))


def test_a_plain_loop_of_ten_billion_steps_stops_at_the_deadline(env: jinja2.Environment) -> None:
    """`{% for %}` over a long string inside another calls nothing: the interval timer stops it."""
    template = env.from_string("{% for a in 'x' * 100000 %}{% for b in 'x' * 100000 %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    with render_deadline(0.5), pytest.raises(RenderTimeout, match=r"longer than 0\.5 s"):
        template.render()
    assert time.monotonic() - started < 30  # it ended (without the timer it would run for hours)


def test_the_timer_is_off_after_the_block() -> None:
    with render_deadline(0.2):
        pass
    time.sleep(0.4)  # a timer left running would raise here, outside any render


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(100000000) %}{% endfor %}",
        # Calls nothing, and signals reach only the main thread: each loop's start looks at the clock.
        "{% for a in 'x' * 100000 %}{% for b in 'x' * 100000 %}{% endfor %}{% endfor %}",
        "{% for a in 'x' * 100000 if a %}{% for b in 'x' * 100000 %}{{ loop.index }}{% endfor %}{% endfor %}",
    ],
)
def test_in_another_thread_loops_still_stop(env: jinja2.Environment, source: str) -> None:
    """serve renders in threads, where the interval timer never fires."""
    template = env.from_string(source)
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with render_deadline(0.3):
                template.render()
        except RenderTimeout as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert not thread.is_alive() and len(caught) == 1


def test_paced_loops_render_as_before(env: jinja2.Environment) -> None:
    source = (
        "{% for x in [1, 2, 3] %}{{ loop.index }}/{{ loop.length }}{{ '!' if loop.last }}{% endfor %}"
        "{% for y in [] %}{% else %}E{% endfor %}{% for z in 'abc' if z != 'b' %}{{ z }}{% endfor %}"
        "{% for k, v in {'a': 1}.items() %}{{ k }}{{ v }}{% endfor %}{{ range(3000)|select('odd')|list|length }}"
        "{% for n in range(2000) if n > 1997 %}{{ n }}{% endfor %}"
    )
    with render_deadline(60):
        assert env.from_string(source).render() == "1/32/33/3!Eaca1150019981999"


def test_a_late_alarm_does_not_replace_the_timeout_a_check_raised() -> None:
    """The alarm comes just after the deadline; if a check raised first, the alarm must not raise a second timeout
    while the first is on its way (Jinja rewrites its traceback then): that one carries the template's file and line."""
    with render_deadline(0.05):
        signal.setitimer(signal.ITIMER_REAL, 0)  # the timer's signal is sent by hand below, when the test wants it
        time.sleep(0.1)
        with pytest.raises(RenderTimeout):
            check_deadline()
        signal.raise_signal(signal.SIGALRM)  # the timer's signal, arriving now: nothing raised


def test_a_replaced_alarm_handler_is_put_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which handler is installed is looked at once a second (HANDLER_LOOK), not on every page; one replaced is put back then."""
    monkeypatch.setattr(deadline, "HANDLER_LOOK", 0.0)
    before = signal.signal(signal.SIGALRM, signal.SIG_IGN)
    try:
        with render_deadline(5):
            assert signal.getsignal(signal.SIGALRM) not in (signal.SIG_IGN, signal.SIG_DFL)
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        monkeypatch.setattr(deadline, "HANDLER_LOOK", 3600.0)  # looked at just now: not again within the hour
        with render_deadline(5):
            assert signal.getsignal(signal.SIGALRM) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGALRM, before)
        monkeypatch.setattr(deadline, "HANDLER_LOOK", 0.0)
        with render_deadline(5):
            pass  # the render's handler in place again, for the tests after this one
