"""Withdrawn reports: their pages stay at their URLs, under a notice, outside every listing.

A retraction must not make a fact-check disappear (readers and aggregators may have linked it), so
the report's own pages are planned as usual; `Site.withdrawn` keeps them out of the home page,
indexes, search, exports and feeds, and structured.py drops their ClaimReview. The corrections
index and feed list the withdrawal through the report's corrections entry of type 'withdrawn'.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.model.entities import Site
from generator.site.render import PageJob, plan_report, planner


@planner
def _withdrawn_pages(site: Site) -> Iterable[PageJob]:
    for report in site.withdrawn:
        yield from plan_report(site, report)
