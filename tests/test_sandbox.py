"""The sandbox templates render in (site/sandbox.py): what a template from a pull request may not do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.build import check
from generator.diagnostics import BuildFailed, format_text
from generator.site.theme import make_environment, resolve_theme


@pytest.fixture
def env(make_project: Callable[..., Path]) -> jinja2.Environment:
    return make_environment(resolve_theme(make_project(), "default"))


@pytest.mark.parametrize(
    "expression",
    [
        "d.update(k='changed')",
        "d.clear()",
        "d.pop('k')",
        "d.setdefault('n', 1)",
        "(d|attr('update'))(k='changed')",
        "l.append(4)",
        "l.sort(reverse=true)",
        "l.clear()",
        "s.add(4)",
    ],
)
def test_a_template_cannot_change_a_list_or_dict_it_is_given(env: jinja2.Environment, expression: str) -> None:
    """Globals (dates, languages, search_strings, the string tables) are shared by every page: a change would show on the next ones."""
    values: dict[str, Any] = {"d": {"k": "v"}, "l": [1, 2, 3], "s": {1, 2, 3}}
    with pytest.raises(jinja2.exceptions.SecurityError):
        env.from_string("{{ " + expression + " }}").render(values)
    assert values == {"d": {"k": "v"}, "l": [1, 2, 3], "s": {1, 2, 3}}


def test_reading_lists_dicts_and_namespaces_still_works(env: jinja2.Environment) -> None:
    source = "{{ d.items()|list }} {{ d.get('k') }} {{ d.keys()|list }} {{ l.index(2) }} {{ l.count(1) }} {{ (l + [4])|length }} "
    source += "{% set ns = namespace(n=0) %}{% for i in l %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"
    assert env.from_string(source).render(d={"k": "v"}, l=[1, 2, 3]) == "[(&#39;k&#39;, &#39;v&#39;)] v [&#39;k&#39;] 1 1 4 6"


def test_a_page_cannot_leave_state_for_the_pages_after_it(make_project: Callable[..., Path]) -> None:
    """Each page counted one more language than the last: output depended on the order pages were rendered in."""
    page = "{% extends 'base.html' %}\n{% block content %}\n{{ languages.append(1) or '' }}{{ languages|length }}{% endblock %}\n"
    with pytest.raises(BuildFailed) as failed:
        check(make_project({"content/templates/page.html": page}))
    text = format_text(failed.value.diagnostics)
    assert "content/templates/page.html:3:1: error: template error: SecurityError" in text
    assert "hint: lists, dicts and sets are read-only in templates" in text and "namespace()" in text


def test_a_namespace_an_imported_template_made_is_not_changed_by_later_pages(make_project: Callable[..., Path]) -> None:
    """An imported template's module is made once, for every page: its namespace counted the pages rendered before."""
    counter = "{% set counter = namespace(n=0) %}\n"
    base = "{% import 'counter.html' as m %}{% set c = m.counter %}\n{% set c.n = c.n + 1 %}{{ c.n }}\n"
    with pytest.raises(BuildFailed) as failed:
        check(make_project({"content/templates/counter.html": counter, "content/templates/base.html": base}))
    text = format_text(failed.value.diagnostics)
    assert "content/templates/base.html:2:1: error: template error: SecurityError: " in text and "namespace" in text


def test_a_namespace_is_changed_freely_on_the_page_that_made_it(env: jinja2.Environment) -> None:
    source = "{% set ns = namespace(n=0, seen=[]) %}{% for i in [1, 2, 3] %}{% set ns.n = ns.n + i %}{% set ns.seen = ns.seen + [i] %}{% endfor %}"
    assert env.from_string(source + "{{ ns.n }} {{ ns.seen }}").render() == "6 [1, 2, 3]"
