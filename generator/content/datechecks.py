"""Dates that cannot be right: in a year still to come, or in an order events cannot happen in.

Warnings, not errors: each is almost always a typo (2062 for 2026, a day and month swapped), but
the editor decides. Only the year is compared with today's, so a result kept in the build cache
stays true until the year changes (the cache is keyed by the year, pipeline/check.py).
"""

from __future__ import annotations

import datetime as dt

from generator.content.fieldchecks import Reporter
from generator.content.values import Obj, Value, get_obj, get_text


def check_dates(data: Obj, claims: list[Obj], rep: Reporter, this_year: int) -> None:
    """Warnings for a report's dates in a later year than `this_year` (0: not compared) or out of order."""
    article = get_obj(data, "article")
    published, appeared, saved = data.get("published"), article.get("published"), article.get("retrieved")
    dated: list[tuple[str, Value | None]] = [
        ("published", published),
        ("updated", data.get("updated")),
        ("article.published", appeared),
        ("article.retrieved", saved),
    ]
    dated += [(f"claims[{get_text(claim, 'id')}].claim_date", claim.get("claim_date")) for claim in claims]
    for where, value in dated:
        if this_year and isinstance(value, dt.date) and value.year > this_year:
            rep.warning(where, f"{value.isoformat()} is in a year still to come", "check the year")
    if _before(saved, appeared):
        rep.warning("article.retrieved", f"the article's text was saved ({saved}) before the article was published ({appeared})", "check both dates")
    if _before(published, appeared):
        rep.warning("published", f"the report is dated {published}, before the article it checks was published ({appeared})", "check both dates")
    for claim in claims:
        made = claim.get("claim_date")
        if _before(published, made):
            where = f"claims[{get_text(claim, 'id')}].claim_date"
            rep.warning(where, f"the claim is dated {made}, after the report that checks it was published ({published})", "check both dates")


def _before(first: Value | None, second: Value | None) -> bool:
    return isinstance(first, dt.date) and isinstance(second, dt.date) and first < second
