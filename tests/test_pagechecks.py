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
