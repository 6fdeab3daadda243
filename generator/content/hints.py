"""Hints for names a report gets wrong (a source id, a rating key): a suggestion only for a slip of the keys.

Never for another word: 'untrue' is not 'true', 'half-true' not 'true', 'mostly-true' not 'mostly-false'.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """'did you mean 'x'?' for the closest option, else a list of the valid ones (kept: a YAML alias repeats a mistake thousands of times)."""
    return _closest(word, tuple(options))


@functools.lru_cache(maxsize=1024)
def _closest(word: str, options: tuple[str, ...]) -> str:
    # A fuzzy match costs milliseconds among thousands of options: past 500 (or for a word of 100 characters), none is tried.
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6) if len(options) <= 500 and len(word) <= 100 else []
    if close:
        return f"did you mean '{close[0]}'?"
    shown = ", ".join(options[:20]) + (", ..." if len(options) > 20 else "")
    return f"expected one of: {shown}"


def source_hint(source_id: str, source_ids: list[str]) -> str:
    """The hint for a source id no source of the report has."""
    # No source has an id (each missing one is reported): "expected one of:" would list nothing.
    return did_you_mean(source_id, source_ids) if source_ids else f"no source of this report has an id yet: give the one it means 'id: {source_id}'"


def rating_hint(rating: str, keys: tuple[str, ...]) -> str:
    """The hint for a rating the scale does not have: the key it misspells, else the scale and how to add it."""
    valid = f"valid ratings: {', '.join(keys)}"
    typo = next((key for key in difflib.get_close_matches(rating.lower(), list(keys), n=3, cutoff=0.6) if _misspelt(rating, key)), None)
    if typo is not None:
        return f"did you mean '{typo}'? {valid}"
    return f"{valid}; to use '{rating}', add it to the rating scale in content/site.yaml (ratings)"


_RATING_WORDS = re.compile(r"[-_\s]+")


def _misspelt(rating: str, key: str) -> bool:
    """Whether `rating` is `key` mistyped: the same words, one of them misspelt, never another word
    ('half-true' is not 'true', 'untrue' not 'true', 'mostly-true' not 'mostly-false')."""
    said, meant = _RATING_WORDS.split(rating.lower().strip()), _RATING_WORDS.split(key.lower())
    if len(said) != len(meant):
        return False
    differing = [(a, b) for a, b in zip(said, meant, strict=True) if a != b]
    if not differing:
        return True  # 'Half true' for 'half-true'
    if len(differing) > 1:
        return False
    a, b = differing[0]
    # A key's word inside a longer one ('untrue', 'falsehood') is another word, not a slip.
    return b not in a and (sorted(a) == sorted(b) or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8)


def scale_hint(values: list[tuple[int, str]]) -> str:
    """For a scale whose values (value, key) are not distinct and falling: the neighbours that clash, and values that would do."""
    clashes = [f"'{upper}' ({high}) and '{lower}' ({low})" for (high, upper), (low, lower) in itertools.pairwise(values) if high <= low]
    renumbered = ", ".join(f"{key}: {len(values) - index}" for index, (_, key) in enumerate(values))
    found = f"{'; '.join(clashes)}: each value must be lower than the one above it; " if clashes else ""
    return f"{found}e.g. {renumbered}"
