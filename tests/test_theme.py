"""Themes: inheritance, site overrides, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SITE_YAML
from generator.build import render_site
from generator.diagnostics import BuildFailed
from generator.site.theme import format_date, host, resolve_theme


def page_html(root: Path, path: str) -> str:
    result = render_site(root)
    return next(p.data.decode() for p in result.pages if p.path == path)


def test_child_theme_extends_parent(make_project: Callable[..., Path]) -> None:
    root = make_project(
        {
            "content/site.yaml": SITE_YAML + "theme: newsroom\n",
            "themes/newsroom/theme.yaml": "name: newsroom\nextends: default\n",
            "themes/newsroom/templates/page.html": '{% extends "base.html" %}{% block content %}<h1 class="newsroom">{{ page.title }}</h1>{% endblock %}',
            "themes/newsroom/static/style.css": "body { color: red; }",
        }
    )
    assert resolve_theme(root, "newsroom").chain[1].name == "default"
    assert '<h1 class="newsroom">About us</h1>' in page_html(root, "about/index.html")
    assert "Latest fact-checks" in page_html(root, "index.html")  # inherited
    result = render_site(root)
    assert next(p.data for p in result.pages if p.path == "static/style.css") == b"body { color: red; }"
    assert any(p.path == "static/print.css" for p in result.pages)


def test_site_overrides_single_templates(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/templates/404.html": '{% extends "base.html" %}{% block content %}<p>Custom 404</p>{% endblock %}'})
    assert "<p>Custom 404</p>" in page_html(root, "404.html")


def test_missing_theme_and_loops_are_diagnostics(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/site.yaml": SITE_YAML + "theme: nope\n"})
    with pytest.raises(BuildFailed) as failed:
        render_site(root)
    assert "theme 'nope' not found" in failed.value.diagnostics[-1].message
    assert "default" in failed.value.diagnostics[-1].hint
    loop = make_project({"content/site.yaml": SITE_YAML + "theme: a\n", "themes/a/theme.yaml": "extends: a\n", "themes/a/templates/x.html": ""})
    with pytest.raises(BuildFailed) as failed:
        render_site(loop)
    assert "extends itself" in failed.value.diagnostics[-1].message


def test_template_syntax_error_is_located(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/templates/page.html": "line one\n{% if %}\n"})
    with pytest.raises(BuildFailed) as failed:
        render_site(root)
    diag = failed.value.diagnostics[-1]
    assert (diag.path, diag.line) == ("content/templates/page.html", 2)
    assert "template syntax error" in diag.message


def test_filters() -> None:
    import datetime as dt

    assert format_date(dt.date(2026, 6, 2)) == "2 June 2026"
    assert format_date(dt.date(2026, 6, 2), "short") == "2 Jun 2026"
    assert format_date(None) == ""
    assert host("https://www.example.org/a?b") == "example.org"


def test_packaged_theme_is_used_without_a_themes_folder(make_project: Callable[..., Path]) -> None:
    """A site with no themes/ of its own builds with the default theme shipped in the package."""
    from generator.packaged import data_dir

    root = make_project(theme=False)
    assert not (root / "themes").exists()
    theme = resolve_theme(root, "default")
    assert theme.chain == (data_dir("themes") / "default",)  # type: ignore[operator]
    assert "Latest fact-checks" in page_html(root, "index.html")


def test_project_theme_extends_the_packaged_one_of_the_same_name(make_project: Callable[..., Path]) -> None:
    """themes/default/ with `extends: default` changes one template and inherits the rest from the package."""
    root = make_project(
        {
            "themes/default/theme.yaml": "name: default\nextends: default\n",
            "themes/default/templates/page.html": '{% extends "base.html" %}{% block content %}<h1 class="mine">{{ page.title }}</h1>{% endblock %}',
        },
        theme=False,
    )
    assert len(resolve_theme(root, "default").chain) == 2
    assert '<h1 class="mine">About us</h1>' in page_html(root, "about/index.html")
    assert "Latest fact-checks" in page_html(root, "index.html")


def test_misspelt_theme_is_an_error_of_check_at_its_line(make_project: Callable[..., Path]) -> None:
    """`check` reports an unknown theme at the `theme:` line of site.yaml with a suggestion."""
    from generator.build import check
    from generator.diagnostics import format_text

    root = make_project({"content/site.yaml": SITE_YAML + "theme: defualt\n"}, theme=False)
    with pytest.raises(BuildFailed) as failed:
        check(root)
    line = SITE_YAML.count("\n") + 1
    assert format_text(failed.value.diagnostics) == f"content/site.yaml:{line}:8: error: theme: theme 'defualt' not found\n    hint: did you mean 'default'?"
