"""Index pages: claims by rating, claimant, topic and outlet, and every correction.

Each index is paginated (site.config.page_size items a page) with a numbered pager, so any
page of a list is one click from its first page and every claim is three clicks from home:
home -> a rating's first page -> the page holding the claim -> the claim.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from . import urls
from .model import Claim, Correction, Report, Site
from .render import PageJob, planner, template_globals
from .validate import slugify

T = TypeVar("T")
EVERYTHING = frozenset({"*"})
MAX_SLUG = 60
# What each grouped index is called, and how a group is named on its page.
KINDS = {
    "claimants": ("Claimants", "Everyone whose claims we checked, with the number of claims checked.", "Claims by {name}"),
    "topics": ("Topics", "Every topic our reports cover, with the number of claims checked.", "Claims about {name}"),
    "outlets": ("Outlets", "Every outlet whose articles we reviewed, with the number of claims checked.", "Claims in articles by {name}"),
}


@dataclass(frozen=True)
class Group:
    """The claims of one claimant, topic or outlet."""

    kind: str
    name: str
    slug: str
    claims: tuple[Claim, ...]

    @property
    def url(self) -> str:
        """URL of the group's first page."""
        return urls.group(self.kind, self.slug)


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


def _key(name: str) -> str:
    # "Housing" and "housing " are one topic; compare names case- and space-insensitively.
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def unique_slugs(names: Iterable[str], fallback: str) -> dict[str, str]:
    """A distinct URL slug for each name; names whose slug would clash get -2, -3... in name order."""
    bases: dict[str, str] = {}
    for name in sorted(set(names)):
        base = slugify(name)[:MAX_SLUG].strip("-") or fallback
        bases[name] = base
    counts = Counter(bases.values())
    slugs: dict[str, str] = {}
    # Names with a slug of their own keep it, whatever other names come and go.
    for name, base in bases.items():
        if counts[base] == 1:
            slugs[name] = base
    used = set(slugs.values())
    for name, base in bases.items():
        if name in slugs:
            continue
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        slugs[name] = slug
        used.add(slug)
    return slugs


def group_claims(site: Site, kind: str) -> list[Group]:
    """Claims grouped by claimant, topic or outlet, in name order; claims newest report first."""
    members: dict[str, list[Claim]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for report in site.reports:
        for claim in report.claims:
            for name in _names(kind, report, claim):
                members[_key(name)].append(claim)
                spellings[_key(name)][name] += 1
    # The most used spelling names the group; ties go to the first in sort order.
    display = {key: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, counts in spellings.items()}
    slugs = unique_slugs(display.keys(), kind.rstrip("s"))
    groups = [Group(kind, display[key], slugs[key], tuple(claims)) for key, claims in members.items()]
    return sorted(groups, key=lambda g: (_key(g.name), g.slug))


def _names(kind: str, report: Report, claim: Claim) -> Iterable[str]:
    if kind == "claimants":
        return [claim.claimant.name]
    if kind == "topics":
        return dict.fromkeys(report.topics)  # a topic listed twice still counts once
    if kind == "outlets":
        return [report.article.publisher]
    raise ValueError(f"unknown index kind {kind!r}")


def letter_sections(groups: Sequence[Group], threshold: int = 60) -> list[tuple[str, list[Group]]]:
    """Long hub lists split by initial letter (A-Z, then '#'); short lists stay one section."""
    if len(groups) <= threshold:
        return [("", list(groups))] if groups else []
    sections: dict[str, list[Group]] = defaultdict(list)
    for group in groups:
        initial = _key(unicodedata.normalize("NFKD", group.name))[:1].upper()
        sections[initial if "A" <= initial <= "Z" else "#"].append(group)
    return sorted(sections.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def all_corrections(site: Site) -> list[tuple[Correction, Report]]:
    """Every correction with its report, newest first."""
    rows = [(n, c, r) for r in site.reports for n, c in enumerate(r.corrections)]
    return [(c, r) for _, c, r in sorted(rows, key=lambda ncr: (-ncr[1].date.toordinal(), ncr[2].id, ncr[0]))]


def _page_title(title: str, pager: Pager) -> str:
    return title if pager.count == 1 else f"{title} (page {pager.number} of {pager.count})"


def _listing_jobs(site: Site, base: str, heading: str, intro: str, crumb: tuple[str, str], claims: Sequence[tuple[Claim, Report]]) -> Iterable[PageJob]:
    for pager, chunk in paginate(claims, site.config.page_size, base):
        context = {"heading": heading, "intro": intro, "crumb": crumb, "items": chunk, "pager": pager}
        yield PageJob(pager.pages[pager.number - 1][1], "listing.html", context, _page_title(heading, pager), intro, EVERYTHING)


@planner
def _index_pages(site: Site) -> Iterable[PageJob]:
    claims = site.claims
    reports = {r.id: r for r in site.reports}

    def with_reports(chosen: Iterable[Claim]) -> list[tuple[Claim, Report]]:
        return [(c, reports[c.report_id]) for c in chosen]

    for rating in site.config.scale.ratings:
        rated = with_reports(c for c in claims if c.rating.key == rating.key)
        yield from _listing_jobs(site, urls.rating_index(rating.key), f"Claims rated {rating.label}", rating.definition, ("Ratings", urls.ratings()), rated)
    for kind, (hub_title, hub_intro, pattern) in KINDS.items():
        groups = group_claims(site, kind)
        context = {"heading": hub_title, "intro": hub_intro, "groups": groups, "sections": letter_sections(groups), "total": len(claims)}
        yield PageJob(urls.hub(kind), "hub.html", context, hub_title, hub_intro, EVERYTHING)
        for group in groups:
            heading = pattern.format(name=group.name)
            intro = f"{len(group.claims)} claim{'s' if len(group.claims) != 1 else ''} checked."
            yield from _listing_jobs(site, group.url, heading, intro, (hub_title, urls.hub(kind)), with_reports(group.claims))
    intro = "Every correction, clarification and rating change we have made to a published report, newest first."
    for pager, chunk in paginate(all_corrections(site), site.config.page_size, urls.corrections()):
        context = {"heading": "Corrections", "intro": intro, "items": chunk, "pager": pager}
        yield PageJob(pager.pages[pager.number - 1][1], "corrections.html", context, _page_title("Corrections", pager), intro, EVERYTHING)


@template_globals
def _globals(site: Site) -> Mapping[str, Any]:
    slugs = {kind: {_key(g.name): g.url for g in group_claims(site, kind)} for kind in KINDS}

    def index_url(kind: str, name: str = "") -> str:
        """Site-relative URL of a group's first page, of a hub (no name) or of a rating's list."""
        if kind == "ratings":
            return urls.rating_index(name) if name else urls.ratings()
        if kind == "corrections":
            return urls.corrections()
        return slugs[kind].get(_key(name), urls.hub(kind)) if name else urls.hub(kind)

    return {"index_url": index_url}
