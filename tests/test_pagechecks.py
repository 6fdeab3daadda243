"""Plain pages' checks (generator/content/pagechecks.py): file names, reserved names, links."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import check
from generator.diagnostics import BuildFailed, format_text


def test_a_page_named_after_a_section_is_an_error_at_its_first_line(make_project: Callable[..., Path]) -> None:
    with pytest.raises(BuildFailed) as failed:
        check(make_project({"content/pages/reports.md": "---\ntitle: Reports\n---\nText.\n"}))
    expected = "content/pages/reports.md:1:1: error: page 'reports' would write the same output path as the site's own reports/ section"
    assert expected in format_text(failed.value.diagnostics)


def test_a_page_named_as_a_windows_device_is_an_error(make_project: Callable[..., Path]) -> None:
    with pytest.raises(BuildFailed) as failed:
        check(make_project({"content/pages/aux.md": "---\ntitle: Aux\n---\nText.\n"}))
    text = format_text(failed.value.diagnostics)
    assert "content/pages/aux.md:1:1: error: page file name 'aux' is a name Windows keeps for a device" in text
    assert "rename it, e.g. to 'aux-page.md'" in text


def test_a_refused_link_in_a_page_says_what_is_wrong_with_it(make_project: Callable[..., Path]) -> None:
    """A bad port is told as a bad port, not as a user name; a user name keeps its message, with the address to write instead."""
    body = "---\ntitle: About\n---\nSee [a](https://bridge.example:99999/x)\nand [b](https://user@bridge.example/tolls).\n"
    with pytest.raises(BuildFailed) as failed:
        check(make_project({"content/pages/about.md": body}))
    assert format_text([d for d in failed.value.diagnostics if "link" in d.message]) == (
        "content/pages/about.md:4:9: error: body: link 'https://bridge.example:99999/x' is not a valid http(s) address: its port is not a number up to 65535\n"
        "    hint: write the port as a number (https://example.org:8080/page), or leave it out\n"
        "content/pages/about.md:5:9: error: body: link 'https://user@bridge.example/tolls' is not a valid http(s) address"
        " (write it as https://example.org/page, with no user name)\n"
        "    hint: write it without the user name: https://bridge.example/tolls"
    )
