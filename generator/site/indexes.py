"""Index pages: claims by rating, claimant, topic and outlet, and every correction.

Each index is paginated (site.config.page_size items a page) with a numbered pager. A list of
up to PAGER_ALL pages links every page from each, so every claim of such a list is three clicks
from home (home -> a rating's first page -> the page holding the claim -> the claim); a longer
list links its first and last pages and those around the current one, so a pager stays short to
read and cheap to build however large the archive. The sitemap lists every page either way.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from generator.content.i18n import Strings
from generator.model.entities import Claim, Correction, Report, Site, SiteConfig
from generator.site import urls
from generator.site.claimants import Tally, profile, retally, tally
from generator.site.groups import KINDS, Group, group_claims, group_key, group_urls, rated_claims
from generator.site.jobs import LazyContext, PageJob
from generator.site.pages import mix_key

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    """Where one page stands in a paginated list."""

    number: int
    count: int  # pages
    total: int  # items in the whole list
    first: int  # 1-based position of the first item shown
    last: int
    pages: tuple[tuple[int, str], ...]  # (page number, site-relative URL) for every page

    @property
    def prev_url(self) -> str:
        """URL of the previous page, '' on the first."""
        return self.pages[self.number - 2][1] if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        """URL of the next page, '' on the last."""
        return self.pages[self.number][1] if self.number < self.count else ""

    @property
    def window(self) -> tuple[tuple[int, str], ...]:
        """The pages the pager links: the first, the last and two either side of this one; (0, "") marks a gap."""
        return tuple((n, self.pages[n - 1][1]) if n else (0, "") for n in pager_window(self.number, self.count))


PAGER_ALL = 10  # a list of up to this many pages links every page from each
PAGER_REACH = 2  # on a longer list: pages linked on either side of the current one


def pager_window(number: int, count: int) -> list[int]:
    """Page numbers a pager links, in order, with 0 for each gap (never a gap that hides only one page).

    Linking every page of a long list printed 500 links on each of its 500 pages: unusable to read
    or to tab through, and quadratic to build as an archive grows.
    """
    if count <= PAGER_ALL:
        return list(range(1, count + 1))
    shown = {1, count, *range(max(1, number - PAGER_REACH), min(count, number + PAGER_REACH) + 1)}
    out: list[int] = []
    for n in sorted(shown):
        if out and n - out[-1] == 2:
            out.append(n - 1)  # a gap would hide one page: show it instead
        elif out and n - out[-1] > 2:
            out.append(0)
        out.append(n)
    return out


def paginate(items: Sequence[T], size: int, base: str) -> list[tuple[Pager, Sequence[T]]]:
    """Split `items` into pages of `size`; an empty list still gets one (empty) page."""
    size = max(1, size)
    count = max(1, -(-len(items) // size))
    pages = tuple((n, urls.listing(base, n)) for n in range(1, count + 1))
    out = []
    for n in range(1, count + 1):
        chunk = items[(n - 1) * size : n * size]
        first = (n - 1) * size + 1 if chunk else 0
        out.append((Pager(n, count, len(items), first, first + len(chunk) - 1 if chunk else 0, pages), chunk))
    return out


def letter_sections(groups: Sequence[Group], threshold: int = 60) -> list[tuple[str, list[Group]]]:
    """Long hub lists split by initial letter (A-Z, then '#'); short lists stay one section."""
    if len(groups) <= threshold:
        return [("", list(groups))] if groups else []
    sections: dict[str, list[Group]] = defaultdict(list)
    for group in groups:
        initial = group_key(unicodedata.normalize("NFKD", group.name))[:1].upper()
        sections[initial if "A" <= initial <= "Z" else "#"].append(group)
    return sorted(sections.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def all_corrections(site: Site) -> list[tuple[Correction, Report]]:
    """Every correction with its report, newest first (withdrawn reports' too: a withdrawal is one)."""
    rows = [(n, c, r) for r in site.every_report for n, c in enumerate(r.corrections)]
    return [(c, r) for _, c, r in sorted(rows, key=lambda ncr: (-ncr[1].date.toordinal(), ncr[2].id, ncr[0]))]


def paged_title(site: Site, title: str, pager: Pager) -> str:
    """A paginated page's title: the list's title, with "page n of m" when the list has more than one page."""
    return title if pager.count == 1 else site.strings.text("pager.title", title=title, number=pager.number, count=pager.count)


def span_depends(total: int, first: str, last: str, report_ids: Iterable[str]) -> frozenset[str]:
    """What one page of a list shows, for incremental rebuilds: its items' reports, and which stretch it holds.

    Reports that did not change keep their items and their order, so a page whose reports are the same
    and unchanged, with the same first and last item in a list of the same length, holds the same items:
    a report whose items came or went between its two ends would be in one set of reports and not the other.
    """
    return frozenset([f"span:{total}:{first}:{last}", *report_ids])


def _with_reports(claims: Sequence[Claim], reports: Mapping[str, Report]) -> list[tuple[Claim, Report]]:
    return [(c, reports[c.report_id]) for c in claims]


@dataclass(frozen=True)
class Extra:
    """What a kind of listing adds to each of its pages: more context, what it depends on, a description."""

    context: Mapping[str, Any]
    depends: frozenset[str]
    description: str


@dataclass
class _Kept:
    """One language's listing pages as last planned, kept while the configuration and strings they were made with hold."""

    read: tuple[SiteConfig, Strings]
    pages: dict[str, tuple[tuple[object, ...], tuple[Claim, ...], PageJob]] = field(default_factory=dict)  # URL -> what else it shows, its claims, its job
    # A whole list's pages by its first URL: its claims (the very tuple the groups kept), what else it shows, its pages.
    lists: dict[str, tuple[Sequence[Claim], tuple[object, ...], list[str]]] = field(default_factory=dict)
    # Group URL -> its name, its claims, what its pages add, and (a claimant's) the claims' tally.
    extras: dict[str, tuple[str, tuple[Claim, ...], Extra, Tally | None]] = field(default_factory=dict)
    checked: dict[int, str] = field(default_factory=dict)  # "N claims checked" by N: thousands of groups share a few counts


# Serve plans every listing page on every rebuild, and an edit changes few: a page whose claims are the very
# same objects (so their reports are the same too) and whose other values are equal is the same job again.
_KEPT: dict[str, _Kept] = {}


def _same(a: Sequence[Claim], b: Sequence[Claim]) -> bool:
    return len(a) == len(b) and all(map(operator.is_, a, b))


def _reports_of(claims: Sequence[Claim], reports: Mapping[str, Report]) -> dict[str, Report]:
    # Only the page's own reports: a kept job must not hold every report of its rebuild.
    return {c.report_id: reports[c.report_id] for c in claims}


def _listing_jobs(
    site: Site,
    base: str,
    heading: str,
    intro: str,
    crumb: tuple[str, str],
    claims: Sequence[Claim],
    reports: Mapping[str, Report],
    kept: tuple[_Kept | None, _Kept],
    extra: Extra | None = None,
) -> Iterable[PageJob]:
    old, new = kept
    shown_too = (heading, intro, crumb, extra, site.config.page_size)
    known = old.lists.get(base) if old is not None else None
    if old is not None and known is not None and known[0] is claims and known[1] == shown_too:
        # The same claims tuple: a group no edit touched (groups.py keeps it), so every page of it is the same job.
        for url in known[2]:
            new.pages[url] = old.pages[url]
            yield old.pages[url][2]
        new.lists[base] = known
        return
    made: list[str] = []
    for pager, chunk in paginate(claims, site.config.page_size, base):
        url = pager.pages[pager.number - 1][1]
        # The pager by its numbers (its URLs follow from them and the base): comparing every page's link is not cheap.
        shown = (base, heading, intro, crumb, pager.number, pager.count, pager.total, pager.first, pager.last, extra)
        hit = old.pages.get(url) if old is not None else None
        if hit is None or hit[0] != shown or not _same(hit[1], chunk):
            first, last = (f"{chunk[0].report_id}/{chunk[0].id}", f"{chunk[-1].report_id}/{chunk[-1].id}") if chunk else ("", "")
            depends = span_depends(len(claims), first, last, map(_REPORT_ID, chunk)) | (extra.depends if extra else frozenset())
            # The (claim, report) rows are made when the page renders: serve plans every page but renders few.
            values = {"heading": heading, "intro": intro, "crumb": crumb, "pager": pager, **(extra.context if extra else {})}
            context = LazyContext(values, {"items": functools.partial(_with_reports, chunk, _reports_of(chunk, reports))})
            description = extra.description if extra else intro
            job = PageJob(url, "listing.html", context, paged_title(site, heading, pager), description, depends, lists_site=True)
            hit = (shown, tuple(chunk), job)
        new.pages[url] = hit
        made.append(url)
        yield hit[2]
    new.lists[base] = (claims, shown_too, made)


def _group_extra(site: Site, kind: str, group: Group, kept: tuple[_Kept | None, _Kept]) -> Extra:
    hit = kept[0].extras.get(group.url) if kept[0] is not None else None
    if hit is None or hit[0] != group.name or not _same(hit[1], group.claims):
        # A claimant's claims are counted again from the last count, by the claims that came and went.
        counted = None if kind != "claimants" else tally(group.claims) if hit is None or hit[3] is None else retally(hit[3], hit[1], group.claims)
        hit = (group.name, group.claims, _make_extra(site, kind, group, counted, kept[1].checked), counted)
    kept[1].extras[group.url] = hit
    return hit[2]


def _make_extra(site: Site, kind: str, group: Group, counted: Tally | None, checked: dict[int, str]) -> Extra:
    # The page's count line already says how many claims; the intro would only repeat it.
    size = len(group.claims)
    count = checked.get(size) or checked.setdefault(size, site.strings.text("listing.checked", count=size))
    if kind != "claimants":
        return Extra({}, frozenset(), count)
    who = profile(site, group.name, group.url, group.claims, counted)
    shown = repr((who.type, who.job_title, who.image, who.same_as))
    deps = frozenset({mix_key(who.mix), "claimant:" + hashlib.blake2b(shown.encode("utf-8"), digest_size=16).hexdigest()})
    return Extra({"profile": who}, deps, site.strings.text("listing.group_description", name=group.name, count=count))


_REPORT_ID = operator.attrgetter("report_id")
_CLAIMS = operator.attrgetter("claims")


def _hub_depends(groups: Sequence[Group], total: int) -> frozenset[str]:
    # A hub shows each group's name, link and size, and the number of claims.
    shown = repr([(g.name, g.slug, len(g.claims)) for g in groups]) + f"/{total}"
    return frozenset({"hub:" + hashlib.blake2b(shown.encode("utf-8"), digest_size=16).hexdigest()})


def index_pages(site: Site) -> Iterable[PageJob]:
    """The hubs and paginated listings by rating, claimant, topic and outlet, and the corrections index."""
    reports = {r.id: r for r in site.reports}
    read = (site.config, site.strings)
    before = _KEPT.get(site.config.language)
    kept = (before if before is not None and before.read == read else None, _Kept(read))
    rated = rated_claims(site)
    total = sum(map(len, map(_CLAIMS, site.reports)))

    for rating in site.config.scale.ratings:
        heading, crumb = site.strings.text("listing.rated", rating=rating.label), (site.strings.text("nav.ratings"), urls.ratings())
        yield from _listing_jobs(site, urls.rating_index(rating.key), heading, rating.definition, crumb, rated.get(rating.key, ()), reports, kept)
    for kind in KINDS:
        hub_title, hub_intro = site.strings.text(f"hub.{kind}"), site.strings.text(f"hub.{kind}_intro")
        groups = group_claims(site, kind)
        context = {"heading": hub_title, "intro": hub_intro, "groups": groups, "sections": letter_sections(groups), "total": total, "kind": kind}
        yield PageJob(urls.hub(kind), "hub.html", context, hub_title, hub_intro, _hub_depends(groups, total), lists_site=True)
        for group in groups:
            heading = site.strings.text(f"hub.{kind}_group", name=group.name)
            crumb = (hub_title, urls.hub(kind))
            yield from _listing_jobs(site, group.url, heading, "", crumb, group.claims, reports, kept, _group_extra(site, kind, group, kept))
    intro, corrections_title = site.strings.text("corrections.intro"), site.strings.text("corrections.title")
    corrections = all_corrections(site)
    position = {id(c): n for r in site.every_report for n, c in enumerate(r.corrections)}
    for pager, chunk in paginate(corrections, site.config.page_size, urls.corrections()):
        context = {"heading": corrections_title, "intro": intro, "items": chunk, "pager": pager}
        first, last = (f"{r.id}#{position[id(c)]}" for c, r in (chunk[0], chunk[-1])) if chunk else ("", "")
        depends = span_depends(len(corrections), first, last, (r.id for _, r in chunk))
        yield PageJob(
            pager.pages[pager.number - 1][1], "corrections.html", context, paged_title(site, corrections_title, pager), intro, depends, lists_site=True
        )
    _KEPT[site.config.language] = kept[1]  # the pages of this plan only: listings gone are forgotten


def template_globals(site: Site) -> Mapping[str, Any]:
    """`index_url(kind, name)` for templates; its answers depend on every group name (slugs that clash)."""
    slugs = group_urls(site)

    def index_url(kind: str, name: str = "") -> str:
        """Site-relative URL of a group's first page, of a hub (no name) or of a rating's list."""
        if kind == "ratings":
            return urls.rating_index(name) if name else urls.ratings()
        if kind == "corrections":
            return urls.corrections()
        if not name:
            return urls.hub(kind)
        return slugs[kind].get(group_key(name), urls.hub(kind))

    return {"index_url": index_url}
