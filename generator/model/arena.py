"""Packed texts moved out of the heap before a build forks its render helpers: read by every process, copied by none.

After a fork, a page of the heap that either process writes exists twice from then on, and reading
an object writes its reference count: rendering reads every claim's packed analysis, so each of those
pages ended up copied. Held in one shared, read-only mapping instead, the texts are mapped once for all
the processes, and what the model holds in their place (a `Moved`, model/mapped.py: equal to the bytes,
with the same hash) is a small number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.model.entities import Packed, Report
from generator.model.mapped import Moved, moved, new_mapping


def _packed(report: Report) -> Iterator[tuple[object, str, Packed]]:
    """Every packed text of a report: (the object holding it, the field's name, its value)."""
    yield report, "packed_sources", report.packed_sources
    yield report.article, "packed_text", report.article.packed_text
    for claim in report.claims:
        yield claim, "packed_analysis", claim.packed_analysis
        yield claim, "packed_report_analysis", claim.packed_report_analysis
        yield claim, "packed_sources", claim.packed_sources


def move_packed_texts(reports: Iterable[Report]) -> int:
    """Move these reports' packed texts into one shared read-only mapping; the bytes moved (0 if none).

    The model stays equal to itself (a Moved compares, hashes and pickles as its bytes): this is for a
    build about to fork, which reads the model in every process it renders with.
    """
    every = list({id(report): report for report in reports}.values())
    # Two passes, nothing listed: a list of every field would itself be 45 MB at 40,000 reports.
    seen: set[int] = set()
    size = 0
    for report in every:
        for _, _, value in _packed(report):
            if type(value) is bytes and value and id(value) not in seen:
                seen.add(id(value))
                size += len(value)
    if not size:
        return 0
    mapping, which = new_mapping(size)
    made_for: dict[int, Moved] = {}  # by the id of bytes still alive: a report's sources are its claims' too
    for report in every:
        for owner, name, value in _packed(report):
            if type(value) is not bytes or not value:
                continue
            made = made_for.get(id(value))
            if made is None:
                start = mapping.tell()
                mapping.write(value)
                made = made_for[id(value)] = moved(which, start, len(value))
            # Frozen model objects, set in place as model/sharing.py does: the value stays equal, with the same hash.
            object.__setattr__(owner, name, made)
    return size
