"""What pages exist: the site's page plan, decided here and nowhere else.

Every page and file of the site comes from one of the planners registered below, in this order:
each report's own pages, the pages about the whole site, the pages that need every other page
(the sitemap) and the sets of files named only once made (the search index). `check`, `build` and
`serve` all take their pages from `plan_site`; the output sinks decide which to render.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.model.entities import Report, Site, SiteConfig
from generator.site import claimants, exports, feeds, indexes, pages, people, related, search, sharecards, structured, transparency, urls
from generator.site.jobs import EVERYTHING, FileSet, PageJob

ReportPlanner = Callable[[Site, Report], Iterable[PageJob]]
SitePlanner = Callable[[Site], Iterable[PageJob]]
LatePlanner = Callable[[Site, Sequence[PageJob]], Iterable[PageJob]]
FileSetPlanner = Callable[[Site], Iterable[FileSet]]
GlobalsMaker = Callable[[Site], Mapping[str, Any]]

# One report's own pages: they read only that report and the site configuration.
REPORT_PLANNERS: tuple[ReportPlanner, ...] = (pages.report_pages, sharecards.share_cards)
# Pages about the site as a whole: home, ratings, plain pages, indexes, search, feeds, exports.
SITE_PLANNERS: tuple[SitePlanner, ...] = (
    pages.core_pages,
    people.people_pages,
    indexes.index_pages,
    search.search_page,
    feeds.feed_files,
    exports.export_files,
)
# Pages that list every other page.
LATE_PLANNERS: tuple[LatePlanner, ...] = (feeds.sitemap,)
# Files whose names are known only once made.
FILE_SET_PLANNERS: tuple[FileSetPlanner, ...] = (search.search_index,)
# Values every template can call, worked out once per site.
GLOBALS: tuple[GlobalsMaker, ...] = (
    indexes.template_globals,
    structured.template_globals,
    people.template_globals,
    claimants.template_globals,
    related.template_globals,
    transparency.template_globals,
    sharecards.template_globals,
)

_URL = operator.attrgetter("url")


@dataclass(frozen=True)
class SitePlan:
    """Every page of one build: the jobs in URL order, the file sets, and the templates' globals."""

    site: Site
    jobs: tuple[PageJob, ...]
    file_sets: tuple[FileSet, ...]
    globals: Mapping[str, Any]
    # Output paths of pages only the preview shows (never written by `build`, never in the sitemap).
    preview_only: frozenset[str] = frozenset()

    def templates(self) -> list[str]:
        """The template names the plan renders, sorted."""
        return sorted({job.template for job in self.jobs if job.template})


class ReportJobs:
    """Each report's planned pages, kept while the report and the site configuration are unchanged (the preview's rebuilds).

    Report planners read only their report and `site.config`, and an unchanged report is the very
    same object from one rebuild to the next, so its pages need not be planned again.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[str, int], tuple[Report, SiteConfig, tuple[PageJob, ...]]] = {}
        self.related = related.RelatedMemo()  # which claims each claim page lists as related

    def plan(self, site: Site, planners: Sequence[ReportPlanner], which: int) -> list[PageJob]:
        """The pages the planners give every report of the site (`which` tells planner lists apart)."""
        known = self._known
        self._known = {key: value for key, value in known.items() if key[1] != which}  # reports gone are forgotten
        jobs: list[PageJob] = []
        for report in site.reports:
            hit = known.get((report.id, which))
            if hit is None or hit[0] is not report or hit[1] != site.config:
                hit = (report, site.config, tuple(job for plan in planners for job in plan(site, report)))
            self._known[(report.id, which)] = hit
            jobs += hit[2]
        return jobs


def _report_jobs(site: Site, planners: Sequence[ReportPlanner], memo: ReportJobs | None, which: int) -> list[PageJob]:
    if memo is None:
        return [job for report in site.reports for plan in planners for job in plan(site, report)]
    return memo.plan(site, planners, which)


def plan_site(site: Site, preview_planners: Sequence[ReportPlanner] = (), memo: ReportJobs | None = None, keyed: bool = True) -> SitePlan:
    """The page plan of a site; `preview_planners` add the preview's own pages to each report; `memo` keeps report pages.

    `keyed=False` (check, which keeps no pages) leaves out what only page keys need: each claim page's related claims.
    """
    if memo is not None:
        memo.related.begin(site)
    kept = memo.related if memo is not None else None
    own = _report_jobs(site, REPORT_PLANNERS, memo, 0)
    if keyed:
        own = [related.with_related_depends(site, job, kept) for job in own]
    # A withdrawn report keeps its pages at their URLs, under a notice; it is in no listing (Site.reports).
    own += [job for report in site.withdrawn for plan in REPORT_PLANNERS for job in plan(site, report)]
    whole = [job for plan in SITE_PLANNERS for job in plan(site)]
    every = tuple(sorted(itertools.chain(own, whole), key=_URL))
    late = [job for plan in LATE_PLANNERS for job in plan(site, every)]
    preview = _report_jobs(site, preview_planners, memo, 1) if preview_planners else []
    jobs = tuple(sorted(itertools.chain(every, late, preview), key=_URL))
    file_sets = tuple(fs for plan in FILE_SET_PLANNERS for fs in plan(site))
    made: dict[str, Any] = {}
    for make in GLOBALS:
        made.update(make(site))
    return SitePlan(site, jobs, file_sets, made, frozenset(urls.output_path(job.url) for job in preview))


def expand(file_set: FileSet) -> list[PageJob]:
    """A file set made now, as one page job per file (they show everything, so depend on everything)."""
    return [PageJob(url, "", {}, file_set.title, depends=EVERYTHING, produce=_constant(data)) for url, data in file_set.make()]


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data
