"""Dates that cannot be right: in a year still to come, or in an order events cannot happen in.

Warnings, not errors: each is almost always a typo (2062 for 2026, a day and month swapped), but
the editor decides. Only the year is compared with today's, so a result kept in the build cache
stays true until the year changes (the cache is keyed by the year, pipeline/check.py).
"""

from __future__ import annotations

import datetime as dt

from generator.content.fieldchecks import Reporter
from generator.content.values import Obj, Value, get_obj, get_objs, get_text


def check_dates(data: Obj, claims: list[Obj], rep: Reporter, this_year: int) -> None:
    """Warnings for a report's dates in a later year than `this_year` (0: not compared) or out of order."""
    article = get_obj(data, "article")
    published, appeared, saved = data.get("published"), article.get("published"), article.get("retrieved")
    labels = [f"claims[{get_text(claim, 'id') or index}]" for index, claim in enumerate(claims)]
    dated: list[tuple[str, Value | None]] = [
        ("published", published),
        ("updated", data.get("updated")),
        ("article.published", appeared),
        ("article.retrieved", saved),
    ]
    dated += [(f"{label}.claim_date", claim.get("claim_date")) for label, claim in zip(labels, claims, strict=True)]
    for where, value in dated:
        if this_year and isinstance(value, dt.date) and value.year > this_year:
            rep.warning(where, f"{value.isoformat()} is in a year still to come", "check the year")
    # A day apart is no mistake: the article's date is in its own time zone, the editor's in theirs.
    if _days_before(saved, appeared) > 1:
        rep.warning("article.retrieved", f"the article's text was saved ({saved}) before the article was published ({appeared})", "check both dates")
    if _days_before(published, appeared) > 1:
        rep.warning("published", f"the report is dated {published}, before the article it checks was published ({appeared})", "check both dates")
    # An imported review's report is dated by the earliest review of its group: its claims may come later.
    if "text_unavailable" in article:
        return
    checked = max(
        [d for d in (published, data.get("updated"), *(c.get("date") for c in get_objs(data, "corrections"))) if isinstance(d, dt.date)], default=None
    )
    # Named as the report names it: its `published` date alone is no "last update".
    when = "was published" if checked == published else "was last updated"
    for label, claim in zip(labels, claims, strict=True):
        made = claim.get("claim_date")
        if _days_before(checked, made) > 1:
            rep.warning(f"{label}.claim_date", f"the claim is dated {made}, after the report that checks it {when} ({checked})", "check both dates")


def year_now() -> int:
    """This year where it is latest on Earth (UTC+14): a date in it is never 'a year still to come' anywhere."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).year


def _days_before(first: Value | None, second: Value | None) -> int:
    """How many days `first` comes before `second` (0 if not, or if either is no date)."""
    if isinstance(first, dt.date) and isinstance(second, dt.date):
        return max(0, (second - first).days)
    return 0
