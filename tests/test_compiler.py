"""How theme templates are compiled: output escaped as markupsafe would, loops paced, Jinja's behaviour kept."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from generator.site.compiler import ThemeCodeGenerator, escape_output
from generator.site.theme import make_environment, resolve_theme


class _Html:
    def __html__(self) -> str:
        return "<b>made</b>"


def test_escape_output_writes_what_markupsafe_escape_writes() -> None:
    pieces = ["", "a", "&", "<", ">", "'", '"', "é", "\ud800", "&amp;", "<script>", " "]
    draw = random.Random(7)
    texts = ["".join(draw.choice(pieces) for _ in range(draw.randint(0, 8))) for _ in range(5000)]
    values: list[object] = [*texts, *map(Markup, texts), 0, -12, 10**30, True, False, None, 1.5, _Html(), ["<a>"]]
    for value in values:
        assert escape_output(value) == str(escape(value)), value


def test_a_markup_value_is_written_as_it_is() -> None:
    value = Markup("<em>already safe</em>")
    assert escape_output(value) is value  # no copy


@pytest.fixture
def env(make_project: Callable[..., Path]) -> jinja2.Environment:
    return make_environment(resolve_theme(make_project(), "default"))


def test_theme_templates_compile_with_the_theme_code_generator(env: jinja2.Environment) -> None:
    assert env.code_generator_class is ThemeCodeGenerator
    source = env.compile("{{ x }}", raw=True)
    assert "escape_output(" in source and "paced" not in source
    assert "from generator.site.deadline import paced as" in env.compile("{% for i in items %}{{ i }}{% endfor %}", raw=True)


@pytest.mark.parametrize(
    "source",
    [
        "{{ text }}|{{ safe }}|{{ number }}|{{ html }}",
        "{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(text) }}{{ m(safe) }}",
        "{% set block %}{{ text }}{% endset %}{{ block }}{{ block|length }}",
        "{% filter upper %}{{ text }}{% endfilter %}",
        "{% for i in [text, safe] %}{{ i }}{{ loop.index }}{% endfor %}",
        "{% macro caller_macro() %}{{ caller(text) }}{% endmacro %}{% call(x) caller_macro() %}{{ x }}{{ text }}{% endcall %}",
        "{% autoescape false %}{{ text }}{% endautoescape %}{{ text }}",
        "{{ text ~ safe }}{{ (text ~ safe)|e }}",
    ],
)
def test_pages_render_as_with_jinjas_own_code_generator(env: jinja2.Environment, source: str) -> None:
    values = {"text": "a < b & 'c' \"d\"", "safe": Markup("<i>x</i>"), "number": 42, "html": _Html()}
    plain = env.overlay()
    plain.code_generator_class = jinja2.compiler.CodeGenerator
    assert env.from_string(source).render(values) == plain.from_string(source).render(values)


def test_an_undefined_value_still_fails(env: jinja2.Environment) -> None:
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
