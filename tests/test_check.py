"""The check pipeline (pipeline/check.py): what it keeps between runs and when it checks a report again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.pipeline.check import CheckOptions, run_check


def test_kept_results_hold_for_the_year_the_date_checks_compared_with(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A report's result is kept while nothing it read changed; a new year is such a change (dates 'still to come')."""
    root = make_project()
    options = CheckOptions(workers=1)
    assert run_check(root, options).stats.checked == 1
    assert run_check(root, options).stats.checked == 0  # from the cache
    monkeypatch.setattr(check, "year_now", lambda: 2999)
    assert run_check(root, options).stats.checked == 1
