"""The render deadline: loops that check nothing are stopped too, in the main thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from generator.site.deadline import RenderTimeout, render_deadline
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


def test_in_another_thread_the_calls_still_check(env: jinja2.Environment) -> None:
    """Signals reach only the main thread: elsewhere (serve's threads) the deadline is checked by calls and range()."""
    template = env.from_string("{% for i in range(100000000) %}{% endfor %}")
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
    assert len(caught) == 1
