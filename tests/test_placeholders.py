"""Placeholders: each `TODO:` in a content value or a page body is a warning at its place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PAGE_MD, REPORT_YAML, SITE_YAML
from generator import cli
from generator.build import check
from generator.content.load import load_page, parse_yaml
from generator.content.placeholders import page_placeholders, yaml_placeholders
from generator.diagnostics import Diagnostic, headline


def test_yaml_values_plain_quoted_and_block_are_found_at_their_place() -> None:
    """Plain, quoted and block scalars point at the marker; comments are not content."""
    text = 'a: TODO:plain\nb: "x TODO: quoted"\n# c: TODO: a comment\nd: |\n  first line\n  TODO: in a block\n'
    doc = parse_yaml("f.yaml", text, [])
    assert [headline(d) for d in yaml_placeholders(doc)] == [
        'f.yaml:1:4: warning: placeholder text: "TODO:plain"',
        'f.yaml:2:7: warning: placeholder text: "TODO: quoted"',
        'f.yaml:6:3: warning: placeholder text: "TODO: in a block"',  # at the marker, past the indentation
    ]


def test_a_marker_spelled_with_escapes_is_found_and_a_text_without_it_has_none() -> None:
    """The text is looked at first, but an escape can make the marker out of other characters."""
    assert yaml_placeholders(parse_yaml("f.yaml", "a: plain\nb: [x, 'y']\nc: TODO without colon\n", [])) == []
    escaped = parse_yaml("f.yaml", 'a: "TO\\x44O: hex"\nb: "TO\\\n  DO: joined"\n', [])
    found = [headline(d).split(": ", 1)[1] for d in yaml_placeholders(escaped)]
    assert found == ['warning: placeholder text: "TODO: hex"', 'warning: placeholder text: "TODO: joined"']


def test_page_front_matter_and_body_lines(tmp_path: Path) -> None:
    """Body lines count from the top of the file, after the front matter."""
    long_line = "More, TODO: finish this sentence and the next one, which is long enough to be cut short."
    for ending in ("\n", "\r\n", "\r"):  # a file saved on Windows, or by an old Mac editor, counts its lines alike
        (tmp_path / "p.md").write_bytes(f"---\ntitle: 'TODO: a title'\n---\nIntro.\n\n{long_line}\n".replace("\n", ending).encode())
        found = page_placeholders(load_page(tmp_path, "p.md", []))
        assert [headline(d) for d in found] == [
            'p.md:2:9: warning: placeholder text: "TODO: a title"',
            'p.md:6:7: warning: placeholder text: "TODO: finish this sentence and the next one, which is long …"',
        ], ending


def test_new_page_todo_is_reported_and_fails_strict(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    """`factcheck new page` marks its text the same way: a warning, an error under --strict."""
    root = make_project({"content/site.yaml": SITE_YAML + "base_url: https://checks.example/\n"})
    assert cli.main(["--root", str(root), "new", "page", "funding"]) == 0
    capsys.readouterr()
    _site, diagnostics = check(root)
    assert [headline(d) for d in diagnostics] == [
        'content/pages/funding.md:7:1: warning: placeholder text: "TODO: write the page here, in markdown. It is published wit…"'
    ]
    assert cli.main(["--root", str(root), "check", "--strict"]) == 1
    assert capsys.readouterr().err.endswith("Check failed: 1 warning, and --strict makes warnings errors.\n")


def test_reports_site_and_people_are_scanned(make_project: Callable[..., Path]) -> None:
    """Every kind of content file is looked at, in the report through the per-report check."""
    root = make_project(
        {
            "content/site.yaml": SITE_YAML.replace("name: Test Org", "name: 'TODO: org'") + "base_url: https://checks.example/\n",
            "content/people.yaml": "- id: ann\n  name: 'TODO: name'\n- id: bob\n  name: Bob\n",
            "content/reports/planet-rents.yaml": REPORT_YAML.replace("summary: One claim holds up, one does not.", "summary: 'TODO: summary'"),
            "content/pages/about.md": PAGE_MD,
        }
    )
    _site, diagnostics = check(root)
    assert sorted((d.path, d.line, d.message) for d in diagnostics) == [
        ("content/people.yaml", 2, 'placeholder text: "TODO: name"'),
        ("content/reports/planet-rents.yaml", 3, 'placeholder text: "TODO: summary"'),
        ("content/site.yaml", 5, 'placeholder text: "TODO: org"'),
    ]


def test_a_placeholder_inside_a_text_of_several_lines_is_placed_at_its_own_column() -> None:
    """In a '|' block it was put at column 1; in a quoted or folded text, where YAML joined the lines, found in the source."""
    text = 'a:\n  analysis: |\n    First line.\n    Second line, TODO: more.\n  b: "Two cities\n    have more TODO: per resident."\n'
    text += "  c: >\n    one\n    two TODO: x\n"
    diags: list[Diagnostic] = []
    found = yaml_placeholders(parse_yaml("x.yaml", text, diags))
    assert diags == [] and sorted((d.line, d.col) for d in found) == [(4, 18), (6, 15), (9, 9)]
