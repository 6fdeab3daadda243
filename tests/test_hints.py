"""Hints for a source id or rating key a report gets wrong (content/hints.py)."""

from __future__ import annotations

import pytest

from generator.content.hints import did_you_mean, rating_hint, source_hint

SCALE = ("true", "mostly-true", "half-true", "mostly-false", "false", "pants-on-fire")
VALID = "valid ratings: true, mostly-true, half-true, mostly-false, false, pants-on-fire"


@pytest.mark.parametrize(
    ("rating", "meant"),
    [
        ("ture", "true"),
        ("flase", "false"),
        ("fals", "false"),
        ("mostly-flase", "mostly-false"),
        ("Half true", "half-true"),
        ("half_true", "half-true"),
        ("pants-on-fier", "pants-on-fire"),
    ],
)
def test_a_slip_of_the_keys_gets_the_key(rating: str, meant: str) -> None:
    assert rating_hint(rating, SCALE) == f"did you mean '{meant}'? {VALID}"


@pytest.mark.parametrize("rating", ["untrue", "not-true", "very-false", "falsehood", "mostly-true-ish"])
def test_another_word_is_never_taken_for_a_slip(rating: str) -> None:
    assert rating_hint(rating, SCALE) == f"{VALID}; to use '{rating}', add it to the rating scale in content/site.yaml (ratings)"


def test_the_opposite_verdict_is_never_suggested() -> None:
    assert rating_hint("mostly-true", ("true", "mostly-false", "false")).startswith("valid ratings:")
    assert rating_hint("half-true", ("true", "misleading", "false")).startswith("valid ratings:")


def test_a_source_hint_when_no_source_has_an_id() -> None:
    assert source_hint("budget", ["budget-2025"]) == "did you mean 'budget-2025'?"
    assert source_hint("budget", []) == "no source of this report has an id yet: give the one it means 'id: budget'"


def test_did_you_mean_names_the_closest_option_or_lists_them() -> None:
    assert did_you_mean("verdikt", ["verdict", "analysis"]) == "did you mean 'verdict'?"
    assert did_you_mean("zzz", ["a", "b"]) == "expected one of: a, b"


def test_did_you_mean_skips_the_fuzzy_match_among_thousands_of_options() -> None:
    # A hostile report lists thousands of sources and cites unknown ids: each fuzzy match would cost milliseconds.
    options = [f"source-{n}" for n in range(2000)]
    assert did_you_mean("source-12x", options).startswith("expected one of: source-0, source-1,")
    assert did_you_mean("source-12x", options[:300]) == "did you mean 'source-12'?"
