"""Plain pages' relative links, checked against the page plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PAGE_MD
from generator.build import check, render_site
from generator.content.markdown import relative_links
from generator.site.pagelinks import link_problem

FILES = {"index.html", "about/index.html", "methodology/index.html", "reports/a/index.html", "static/style.css"}


@pytest.mark.parametrize(
    ("address", "problem", "hint"),
    [
        ("../methodology/index.html", "", ""),
        ("../methodology/index.html#how", "", ""),
        ("../static/style.css", "", ""),
        ("../index.html", "", ""),
        ("#top", "", ""),
        ("../search/shard-3.json", "", ""),
        ("../methodolgy/index.html", "leads to a page the site does not have (methodolgy/index.html)", "did you mean ../methodology/index.html?"),
        ("../methodology/", "names a folder", "name the page: ../methodology/index.html"),
        ("../methodology", "names a folder", "name the page: ../methodology/index.html"),
        ("/methodology/", "starts from the site's root", "write it relative to this page: ../methodology/index.html"),
        ("../../etc/passwd", "leads outside the site", ""),
        ("bridge.example/tolls", "does not have (about/bridge.example/tolls)", "did you mean https://bridge.example/tolls? Without 'https://'"),
        ("www.bbc.co.uk/news", "does not have", "did you mean https://www.bbc.co.uk/news?"),
    ],
)
def test_link_problem(address: str, problem: str, hint: str) -> None:
    found, told = link_problem("about/", address, FILES, ("search/",))
    assert (problem in found) if problem else found == ""
    assert hint in told


def test_relative_links_are_found_with_their_columns_outside_code() -> None:
    text = "See [a](../a/index.html) and [b](https://x.org) `[c](../c/)`.\n\n```\n[d](../d/)\n```\n![e](../e.png) [f](#top)\n[g]: ../g/\n"
    assert relative_links(text) == [(0, 9, "../a/index.html"), (5, 6, "../e.png"), (6, 6, "../g/")]
    assert relative_links("no links at all") == []


def test_check_build_and_serve_warn_at_the_links_line(make_project: Callable[..., Path]) -> None:
    body = PAGE_MD + "\nRead [our method](../methodolgy/index.html) and [home](../index.html).\n"
    root = make_project({"content/pages/about.md": body})
    _, diagnostics = check(root)
    found = [d for d in diagnostics if "link '" in d.message]
    line = body.splitlines().index("Read [our method](../methodolgy/index.html) and [home](../index.html).") + 1
    assert [(d.path, d.line, d.col, d.is_warning) for d in found] == [("content/pages/about.md", line, 19, True)]
    assert "methodolgy/index.html" in found[0].message
    built = [d for d in render_site(root).diagnostics if "link '" in d.message]  # build and serve plan the same way
    assert built == found


def test_a_page_of_thousands_of_dead_links_gets_a_listed_few(make_project: Callable[..., Path]) -> None:
    """Each dead link looked for its closest page among every file of the site: 3,000 of them were minutes, and as many lines."""
    body = PAGE_MD + "".join(f"\n[page {n}](../abot-{n}/index.html)\n" for n in range(3000))
    _, diagnostics = check(make_project({"content/pages/about.md": body}))
    found = [d for d in diagnostics if d.path == "content/pages/about.md"]
    assert len(found) == 201 and found[-1].message == "2800 more problems in this file are not listed"
    assert [d.hint.startswith("did you mean") for d in found[:25]] == [True] * 20 + [False] * 5  # only the first few are guessed


def test_a_favicon_the_theme_does_not_have_is_warned_about(make_project: Callable[..., Path]) -> None:
    from conftest import SITE_YAML
    from generator.diagnostics import format_text

    root = make_project({"content/site.yaml": SITE_YAML + "favicon: static/nope.svg\n"})
    _site, diags = check(root)
    line = (SITE_YAML + "favicon:").count("\n") + 1
    assert f"content/site.yaml:{line}:10: warning: favicon: favicon 'static/nope.svg' is not a file of the theme" in format_text(diags)
    (root / "themes/default/static/nope.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    _site, diags = check(root)
    assert "favicon" not in format_text(diags)
