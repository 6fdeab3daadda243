"""Dates that cannot be right (content/datechecks.py): a year still to come, an impossible order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from conftest import REPORT_YAML
from generator.build import check
from generator.content.datechecks import check_dates, year_now
from generator.content.fieldchecks import Reporter
from generator.content.validate import Located
from generator.diagnostics import Diagnostic, format_text

REVIEWED = "    claim_reviewed: Rents in Metropolis doubled since 2015"


def dated(**changes: str) -> str:
    """The test report with some of its date lines replaced (`key=new line`)."""
    text = REPORT_YAML
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def warnings_of(make_project: Callable[..., Path], report: str) -> list[str]:
    _site, found = check(make_project({"content/reports/planet-rents.yaml": report}))
    return [f"{d.line}:{d.col}: {d.message} ({d.hint})" for d in found if d.is_warning]


def test_a_year_still_to_come_is_a_warning_at_the_date(make_project: Callable[..., Path]) -> None:
    year = year_now() + 1
    shown = warnings_of(make_project, dated(**{"published: 2026-05-01": f"published: {year}-05-01", "retrieved: 2026-04-30": f"retrieved: {year}-04-30"}))
    assert shown == [f"5:12: {year}-05-01 is in a year still to come (check the year)", f"13:14: {year}-04-30 is in a year still to come (check the year)"]


def test_dates_in_an_impossible_order_are_warnings(make_project: Callable[..., Path]) -> None:
    report = dated(
        **{
            "  retrieved: 2026-04-30": "  retrieved: 2026-04-30\n  published: 2026-05-03",
            "    claim_reviewed: Rents in Metropolis doubled since 2015": REVIEWED + "\n    claim_date: 2026-05-04",
        }
    )
    assert warnings_of(make_project, report) == [
        "13:14: the article's text was saved (2026-04-30) before the article was published (2026-05-03) (check both dates)",
        "5:12: the report is dated 2026-05-01, before the article it checks was published (2026-05-03) (check both dates)",
        "21:17: the claim is dated 2026-05-04, after the report that checks it was published (2026-05-01) (check both dates)",
    ]


def test_dates_in_order_and_this_year_pass(make_project: Callable[..., Path]) -> None:
    assert warnings_of(make_project, REPORT_YAML) == []


def test_year_zero_means_not_compared() -> None:
    diags: list[Diagnostic] = []
    check_dates({"published": dt.date(9999, 1, 1)}, [], Reporter(Located("r.yaml", None), diags), 0)
    assert format_text(diags) == ""


def test_a_day_apart_is_no_mistake_and_an_update_covers_later_claims(make_project: Callable[..., Path]) -> None:
    """Time zones put an article a day off the editor's calendar; a claim added at an update is checked by then."""
    report = dated(
        **{
            "  retrieved: 2026-04-30": "  retrieved: 2026-04-30\n  published: 2026-05-01",
            "\npublished: 2026-05-01": "\npublished: 2026-05-01\nupdated: 2026-05-20",
            REVIEWED: REVIEWED + "\n    claim_date: 2026-05-12",
        }
    )
    assert warnings_of(make_project, report) == []
    later = report.replace("claim_date: 2026-05-12", "claim_date: 2026-05-25")
    assert warnings_of(make_project, later) == [
        "22:17: the claim is dated 2026-05-25, after the report that checks it was last updated (2026-05-20) (check both dates)"
    ]  # "last updated" only where the report names an update


def test_the_latest_time_zone_decides_the_year() -> None:
    """At 11:00 UTC on 31 December it is already next year in Kiribati (UTC+14): a date then is not 'to come'."""
    assert year_now() == dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).year


def test_an_imported_review_may_date_its_claims_after_the_report() -> None:
    """A grouped import dates the report by its earliest review; a claim id missing is named by its place."""
    diags: list[Diagnostic] = []
    data = {"published": dt.date(2024, 3, 1), "article": {"text_unavailable": "imported"}}
    check_dates(data, [{"id": "a", "claim_date": dt.date(2024, 3, 10)}], Reporter(Located("r.yaml", None), diags), 2026)
    assert diags == []
    del data["article"]
    check_dates(data, [{"claim_date": dt.date(2024, 3, 10)}], Reporter(Located("r.yaml", None), diags), 2026)
    assert [d.field for d in diags] == ["claims[0].claim_date"]
