"""What pages exist: the site's page plan, decided here and nowhere else.

Every page and file of the site comes from one of the planners registered below, in this order:
each report's own pages, the pages about the whole site, the pages that need every other page
(the sitemap) and the sets of files named only once made (the search index). `check`, `build` and
`serve` all take their pages from `plan_site`; the output sinks decide which to render.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.content.i18n import Catalog, Strings
from generator.model.entities import Report, Site, SiteConfig
from generator.site import claimants, exports, feeds, indexes, languages, pages, people, related, search, sharecards, structured, transparency
from generator.site.jobs import EVERYTHING, Files, FileSet, Gathered, KeptJobs, PageJob

ReportPlanner = Callable[[Site, Report], Iterable[PageJob]]
SitePlanner = Callable[[Site], Iterable[PageJob]]
LatePlanner = Callable[[Site, Sequence[PageJob]], Iterable[PageJob]]
FileSetPlanner = Callable[[Site], Iterable[FileSet]]
GlobalsMaker = Callable[[Site], Mapping[str, Any]]
SetsElsewhere = Callable[[tuple[FileSet, ...]], tuple[FileSet, ...]]

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
_TEMPLATE = operator.attrgetter("template")


@dataclass(frozen=True)
class SitePlan:
    """Every page of one build: the jobs in URL order, the file sets, and the templates' globals.

    `site` and `globals` are the default language's (its reports, pages and strings); a multilingual
    site's other languages have theirs in `other_languages`, keyed by the `language` of their jobs.
    """

    site: Site
    jobs: tuple[PageJob, ...]
    file_sets: tuple[FileSet, ...]
    globals: Mapping[str, Any]
    # Output paths of pages only the preview shows (never written by `build`, never in the sitemap).
    preview_only: frozenset[str] = frozenset()
    other_languages: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)
    language_sites: Mapping[str, Site] = dataclasses.field(default_factory=dict)  # every language's site, the default's too

    def templates(self) -> list[str]:
        """The template names the plan renders, sorted."""
        return sorted(set(map(_TEMPLATE, self.jobs)) - {""})


class ReportJobs:
    """Each report's planned pages, kept while the report and the site configuration are unchanged (the preview's rebuilds).

    Report planners read only their report, `site.config` and `site.strings`, and an unchanged report is
    the very same object from one rebuild to the next, so its pages need not be planned again; nor need
    its claim pages' related lists be looked up again while the RelatedMemo kept every list it had.
    """

    def __init__(self, keep: bool = True, elsewhere: related.Elsewhere | None = None) -> None:
        # False for a build, which plans once: keeping each report's jobs for a next plan would only hold
        # a second copy of every claim page's job (the one without its related list) until the fork.
        self.keep = keep
        self.elsewhere = elsewhere  # a build's way to choose related lists in another process while this one plans
        # Planner list -> report id -> the report, its jobs, and those jobs with their related lists as of a memo's generation.
        self._known: dict[int, dict[str, _Planned]] = {}
        self._read: dict[int, tuple[SiteConfig, Strings]] = {}  # what each planner list's kept jobs were planned with
        self._moved: dict[tuple[str, str], KeptJobs] = {}  # (language, part) -> its jobs moved under the language's root
        self._order: dict[int, tuple[tuple[str, ...], list[int]]] = {}  # each planner list's report ids in site order, and their URL order
        self.related = related.RelatedMemo(keep)  # which claims each claim page lists as related
        self.more_related: dict[str, related.RelatedMemo] = {}  # the same, for a multilingual site's other languages

    def related_for(self, language: str, default: bool) -> related.RelatedMemo:
        """The related lists kept for one language's claim pages."""
        return self.related if default else self.more_related.setdefault(language, related.RelatedMemo(self.keep))

    def plan(self, site: Site, planners: Sequence[ReportPlanner], which: int, kept: related.RelatedMemo | None = None) -> list[PageJob]:
        """The pages the planners give every report of the site (`which` tells planner lists apart), with related lists from `kept` if given."""
        read = (site.config, site.strings)
        known = self._known.get(which, {}) if self._read.get(which) == read else {}  # compared once here, not once a report
        self._read[which] = read
        fresh: dict[str, _Planned] = {}  # reports gone are forgotten
        generation = kept.generation if kept is not None else 0
        jobs: list[PageJob] = []
        # In URL order, each report's pages too: the plan's sort of every page then finds them sorted already.
        for report in self._in_url_order(site.reports, which):
            hit = known.get(report.id)
            if hit is None or hit[0] is not report:
                hit = (report, tuple(sorted((job for plan in planners for job in plan(site, report)), key=_URL)), None, 0, ())
            if kept is not None and (hit[2] is not kept or hit[3] != generation):
                hit = (report, hit[1], kept, generation, tuple(related.with_related_depends(site, job, kept) for job in hit[1]))
            if self.keep:
                fresh[report.id] = hit
            jobs += hit[4] if kept is not None else hit[1]
        self._known[which] = fresh
        return jobs

    def moved(self, part: tuple[str, str], jobs: Sequence[PageJob], move: Callable[[PageJob], PageJob]) -> list[PageJob]:
        """`move` of each job (to its language's root), the last plan's result again for the very same job."""
        # A new job a rebuild would mean a new page key for every page of the site's other languages.
        kept = self._moved.setdefault(part, KeptJobs())
        kept.begin(None)
        out = [kept.job(job.url, None, (job,), functools.partial(move, job)) for job in jobs]
        kept.end()
        return out

    def _in_url_order(self, reports: Sequence[Report], which: int) -> list[Report]:
        # The order is the same while the ids are (the very same strings, most of them): compared, not sorted again.
        ids = tuple(map(_ID, reports))
        known = self._order.get(which)
        if known is None or ids != known[0]:
            known = self._order[which] = (ids, url_order(ids))
        return list(map(reports.__getitem__, known[1]))


_Planned = tuple[Report, tuple[PageJob, ...], "related.RelatedMemo | None", int, tuple[PageJob, ...]]
_ID = operator.attrgetter("id")


def url_order(ids: Sequence[str]) -> list[int]:
    """The positions of these report ids in the order of their pages' URLs (reports/<id>/)."""
    # "reports/" is common to all; the slash after the id decides between an id and a longer one it begins.
    keys = list(map("{}/".format, ids))
    return sorted(range(len(keys)), key=keys.__getitem__)


def _report_jobs(site: Site, planners: Sequence[ReportPlanner], memo: ReportJobs | None, which: int, kept: related.RelatedMemo | None = None) -> list[PageJob]:
    if memo is None:
        return [job for report in site.reports for plan in planners for job in plan(site, report)]
    return memo.plan(site, planners, which, kept)


def plan_site(
    site: Site,
    preview_planners: Sequence[ReportPlanner] = (),
    memo: ReportJobs | None = None,
    keyed: bool = True,
    catalog: Catalog | None = None,
    sets_elsewhere: SetsElsewhere | None = None,
) -> SitePlan:
    """The page plan of a site; `preview_planners` add the preview's own pages to each report; `memo` keeps report pages.

    Each language is planned as a site of its own (site/languages.py), its pages moved under its root.
    `keyed=False` (check, which keeps no pages) leaves out what only page keys need: each claim page's related claims.
    `sets_elsewhere` is handed the file sets before any page is planned (a build starts making them in a helper).
    """
    langs = languages.language_sites(site, catalog)
    # The file sets read only the model: known first, they can be made while the pages are planned.
    file_sets = tuple(_moved_set(fs, lang) for lang in langs for plan in FILE_SET_PLANNERS for fs in plan(lang.site))
    if sets_elsewhere is not None:
        file_sets = sets_elsewhere(file_sets)
    every: list[PageJob] = []
    preview: list[PageJob] = []
    made: dict[str, dict[str, Any]] = {}
    for index, lang in enumerate(langs):
        own, shown, later = _plan_language(lang.site, preview_planners, memo, index, lang.code, keyed)
        every += _moved(own, lang, memo, "pages")
        preview += _moved(shown, lang, memo, "preview")
        made[lang.code] = {**later, **languages.template_globals(lang, langs, site.every_report, site.config.base_url)}
    ordered = tuple(sorted(every, key=_URL))
    late = [job for plan in LATE_PLANNERS for job in plan(site, ordered)]
    jobs = tuple(sorted(itertools.chain(ordered, late, preview), key=_URL))
    default = langs[0]
    others = {lang.code: made[lang.code] for lang in langs[1:]}
    return SitePlan(
        default.site,
        jobs,
        file_sets,
        made[default.code],
        frozenset(job.path for job in preview),
        others,
        {lang.code: lang.site for lang in langs},
    )


def _plan_language(
    site: Site, preview_planners: Sequence[ReportPlanner], memo: ReportJobs | None, index: int, code: str, keyed: bool
) -> tuple[list[PageJob], list[PageJob], dict[str, Any]]:
    """One language's pages, preview pages and template globals, at the language's own URLs."""
    kept = memo.related_for(code, index == 0) if memo is not None else None
    if kept is not None:
        kept.begin(site)
    # A build may choose the related lists in another process meanwhile: the pages about the site come first.
    elsewhere = memo.elsewhere if keyed and memo is not None else None
    choosing = kept.choosing(site, elsewhere) if kept is not None and elsewhere is not None else None
    try:
        about_site = [job for plan in SITE_PLANNERS for job in plan(site)]
        if keyed and memo is not None:
            chosen = choosing.outcome() if choosing is not None else None
            if chosen is not None and kept is not None:
                kept.take(chosen)  # if the helper failed, the lists are chosen here as each claim page is planned
            own = _report_jobs(site, REPORT_PLANNERS, memo, 2 * index, kept)
            related.release_index(site)  # every claim page's list is kept in `kept`: the pages read them from there
        else:
            own = _report_jobs(site, REPORT_PLANNERS, memo, 2 * index)
            own = [related.with_related_depends(site, job, kept) for job in own] if keyed else own
    finally:
        if choosing is not None:
            choosing.close()  # stopped if planning failed before its result was taken
    # A withdrawn report keeps its pages at their URLs, under a notice; it is in no listing (Site.reports).
    own += [job for report in site.withdrawn for plan in REPORT_PLANNERS for job in plan(site, report)]
    own += about_site
    preview = _report_jobs(site, preview_planners, memo, 2 * index + 1) if preview_planners else []
    made: dict[str, Any] = {}
    for make in GLOBALS:
        made.update(make(site))
    return own, preview, made


def _moved(jobs: Iterable[PageJob], lang: languages.LanguageSite, memo: ReportJobs | None, part: str) -> list[PageJob]:
    # The default language keeps its URLs; another's pages move under its root, root-only files stay out.
    if not lang.root:
        return list(jobs)
    staying = [job for job in jobs if job.url not in languages.ROOT_ONLY]
    if memo is None:
        return [_move(job, lang) for job in staying]
    return memo.moved((lang.code, part), staying, functools.partial(_move, lang=lang))


def _move(job: PageJob, lang: languages.LanguageSite) -> PageJob:
    return dataclasses.replace(job, url=lang.root + job.url, language=lang.code)


def _moved_set(file_set: FileSet, lang: languages.LanguageSite) -> FileSet:
    if not lang.root:
        return file_set
    make, root = file_set.make, lang.root

    def moved(files: Files) -> Files:
        return [(root + url, data) for url, data in files]

    def whole() -> Files:
        return moved(make())

    # A set in parts stays in parts, for the disk sink to spread.
    made = Gathered(make.parts, lambda parts: moved(make.finish(parts)), whole) if isinstance(make, Gathered) else whole
    return FileSet(root + file_set.prefix, file_set.title, made, lang.code)


def expand(file_set: FileSet) -> list[PageJob]:
    """A file set made now, as one page job per file (they show everything, so depend on everything)."""
    made = file_set.make()
    return [PageJob(url, "", {}, file_set.title, depends=EVERYTHING, produce=_constant(data), language=file_set.language) for url, data in made]


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data
