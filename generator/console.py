"""Console output: quiet and verbose levels, colour on a terminal, a progress line, plurals.

The command line prints through here; the engine reports progress through `Console.progress`
passed as a callback, so it never needs to know whether a terminal is attached.
"""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str = "") -> str:
    """'1 report', '2 reports', '0 reports' (or the given plural form)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"
