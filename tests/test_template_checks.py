"""check_templates: every template problem at once, at its file and line; the compiled code kept for rendering."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA
from generator.diagnostics import format_text
from generator.pipeline.cache import TemplateCache
from generator.site.template_checks import check_templates
from generator.site.theme import make_environment, resolve_theme

TEMPLATE_CASES = sorted(p for p in (DATA / "templates").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=[c.name for c in TEMPLATE_CASES])
def test_check_templates_reports_every_problem_at_its_line(make_project: Callable[..., Path], case: Path) -> None:
    """Each case in tests/data/templates/ gives exactly the diagnostics in its expected file, all at once."""
    files = {p.relative_to(case / "files").as_posix(): p.read_text(encoding="utf-8") for p in (case / "files").rglob("*") if p.is_file()}
    root = make_project(files)
    found = check_templates(resolve_theme(root, "default"), ["home.html", "page.html"])
    assert format_text(found) == (case / "expected").read_text(encoding="utf-8").strip()


def test_the_default_theme_has_no_template_problems(make_project: Callable[..., Path]) -> None:
    theme = resolve_theme(make_project(), "default")
    assert check_templates(theme, ["home.html", "report.html", "claim.html", "page.html", "404.html"]) == []


def test_checked_templates_are_kept_compiled_for_rendering(make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the build's bytecode cache, the check's compiled code is what rendering loads: no template is compiled twice."""
    root = make_project({"content/templates/page.html": "{% extends 'base.html' %}{% block content %}OWN{% endblock %}"})
    theme = resolve_theme(root, "default")
    assert check_templates(theme, ["home.html", "page.html"], TemplateCache(tmp_path / "compiled")) == []
    env = make_environment(theme, TemplateCache(tmp_path / "compiled"))

    def compiled_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(env, "compile", compiled_again)
    for name in ("page.html", "base.html", "home.html", "claim.html"):
        env.get_template(name)
    # The project's own page.html overrides the theme's: its code is the one kept under that name.
    assert Path(str(env.get_template("page.html").filename)).as_posix().endswith("content/templates/page.html")


def test_templates_the_site_needs_must_exist(make_project: Callable[..., Path]) -> None:
    found = check_templates(resolve_theme(make_project(), "default"), ["home.html", "timeline.html"])
    assert format_text(found) == "themes/default/templates:1:1: error: template 'timeline.html' is needed by the site but not found in the theme or its parents"


def test_a_template_linked_outside_is_reported_not_read(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    (tmp_path / "secret.html").write_text("SECRET {% if %}", encoding="utf-8")
    (root / "content/templates").mkdir()
    (root / "content/templates/page.html").symlink_to(tmp_path / "secret.html")
    found = check_templates(resolve_theme(root, "default"))
    assert [(d.path, d.message) for d in found] == [("content/templates/page.html", "refused: it is a symbolic link to a file outside the project")]


def test_a_template_named_as_the_loader_reads_it_is_found(make_project: Callable[..., Path]) -> None:
    """'./base.html' and 'partials//macros.html' load as 'base.html' and 'partials/macros.html': the check said they were missing."""
    page = '{% extends "./base.html" %}{% from "partials//macros.html" import verdict %}{% block content %}{% endblock %}'
    root = make_project({"content/templates/page.html": page, "content/templates/other.html": '{% include "../base.html" %}'})
    text = format_text(check_templates(resolve_theme(root, "default")))
    assert "page.html" not in text
    assert "content/templates/other.html:1:1: error: template '../base.html' not found" in text
