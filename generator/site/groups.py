"""Groups of claims by claimant, topic or outlet: what the hubs and each group's listing show.

A group holds its claims newest report first. Each report's share of every group is worked out once
(reports never change: `serve` keeps the unchanged ones from rebuild to rebuild), and after an edit
only the groups that the changed reports were or are in are merged again.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.content.validate import slugify
from generator.model.entities import Claim, Report, Site
from generator.site import urls
from generator.site.jobs import per_site

MAX_SLUG = 60
# The grouped indexes; each is named in the theme's strings: hub.<kind>, hub.<kind>_intro, hub.<kind>_group.
KINDS = ("claimants", "topics", "outlets")


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


@functools.lru_cache(maxsize=1 << 16)  # a few thousand names, each asked for by every claim that carries it
def _key(name: str) -> str:
    # "Housing" and "housing " are one topic; compare names case- and space-insensitively.
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@functools.lru_cache(maxsize=1 << 16)
def _slug_base(name: str) -> str:
    return slugify(name)[:MAX_SLUG].strip("-")


def unique_slugs(names: Iterable[str], fallback: str) -> dict[str, str]:
    """A distinct URL slug for each name; names whose slug would clash get -2, -3... in name order."""
    bases: dict[str, str] = {}
    for name in sorted(set(names)):
        bases[name] = _slug_base(name) or fallback
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
    if kind not in KINDS:
        raise ValueError(f"unknown index kind {kind!r}")
    made = _groups_made(site)
    if kind not in made:
        made[kind] = tuple(_group(site, kind))
    return list(made[kind])


# Every page and template global asks for the groups; they are worked out once per site.
_groups_made = per_site(lambda site: dict[str, tuple[Group, ...]]())


@dataclass
class _Merged:
    """One kind's groups of the last site grouped (in one language): what the next site's groups start from."""

    reports: dict[str, tuple[Report, Shares]]  # report id -> the report, its shares
    members: dict[str, tuple[Claim, ...]]  # key -> the group's claims
    display: dict[str, str]  # key -> the group's name


_MERGED: dict[tuple[str, str], _Merged] = {}  # (language, kind) -> the last grouping


def _group(site: Site, kind: str) -> list[Group]:
    shares = _site_shares(site)
    before = _MERGED.get((site.config.language, kind))
    now = _by_id(site)
    # The groups a report changed, came or went in (before and after) are merged again; the others hold the same
    # claims, as the unchanged reports keep their order. With nothing to start from, every group is merged.
    touched: set[str] | None = None
    if before is not None:
        touched = set()
        for rid, (report, part) in now.items():
            old = before.reports.get(rid)
            if old is None or old[0] is not report:
                touched.update(part[kind], old[1][kind] if old is not None else ())
        for rid, (_, part) in before.reports.items():
            if rid not in now:
                touched.update(part[kind])
    members: dict[str, list[Claim]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for part in shares:
        if touched is not None and touched.isdisjoint(part[kind]):
            continue
        for key, (claims, names) in part[kind].items():
            if touched is None or key in touched:
                members[key].extend(claims)
                counts = spellings[key]
                for name, count in names:
                    counts[name] += count
    kept = {} if before is None else {key: claims for key, claims in before.members.items() if key not in members and key not in (touched or ())}
    merged = {**kept, **{key: tuple(claims) for key, claims in members.items()}}
    # The most used spelling names the group; ties go to the first in sort order.
    display = {key: before.display[key] for key in kept} if before is not None else {}
    display.update({key: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, counts in spellings.items()})
    _MERGED[(site.config.language, kind)] = _Merged(now, merged, display)
    slugs = unique_slugs(display.keys(), kind.rstrip("s"))
    groups = [Group(kind, display[key], slugs[key], claims) for key, claims in merged.items()]
    return sorted(groups, key=lambda g: (_key(g.name), g.slug))


# One report's share of each kind of group: {kind: {name key: (its claims there, (spelling, uses)...)}}.
Shares = dict[str, dict[str, tuple[tuple[Claim, ...], tuple[tuple[str, int], ...]]]]
# Each report's shares, by report object: reports never change, and `serve` keeps the unchanged ones
# from build to build, so a new site's groups are a merge of mostly remembered shares.
_SHARES: dict[int, tuple[Report, Shares]] = {}
_SHARES_LOCK = threading.Lock()


def _shares(report: Report) -> Shares:
    hit = _SHARES.get(id(report))
    if hit is not None and hit[0] is report:
        return hit[1]
    shares: Shares = {}
    for kind in KINDS:
        claims: dict[str, list[Claim]] = {}
        names: dict[str, dict[str, int]] = {}
        for claim in report.claims:
            for name in _names(kind, report, claim):
                key = _key(name)
                if key in claims:
                    claims[key].append(claim)
                    names[key][name] = names[key].get(name, 0) + 1
                else:
                    claims[key], names[key] = [claim], {name: 1}
        shares[kind] = {key: (tuple(found), tuple(names[key].items())) for key, found in claims.items()}
    _SHARES[id(report)] = (report, shares)
    return shares


@per_site
def _site_shares(site: Site) -> list[Shares]:
    with _SHARES_LOCK:
        shares = [_shares(report) for report in site.reports]
        if len(_SHARES) > len(site.reports) + 64:  # forget reports no longer in the site (now and then: it costs a pass)
            live = {id(r) for r in site.reports}
            for gone in [k for k in _SHARES if k not in live]:
                del _SHARES[gone]
    return shares


@per_site
def _by_id(site: Site) -> dict[str, tuple[Report, Shares]]:
    return {report.id: (report, part) for report, part in zip(site.reports, _site_shares(site), strict=True)}


def _names(kind: str, report: Report, claim: Claim) -> Iterable[str]:
    if kind == "claimants":
        return [claim.claimant.name]
    if kind == "topics":
        return dict.fromkeys(report.topics)  # a topic listed twice still counts once
    if kind == "outlets":
        return [report.article.publisher]
    raise ValueError(f"unknown index kind {kind!r}")


def group_key(name: str) -> str:
    """The key names of one group share: case and spacing aside, the same name."""
    return _key(name)


@per_site
def group_urls(site: Site) -> dict[str, dict[str, str]]:
    """{kind: {name key: URL of the group's first page}}: what group_claims gives."""
    return {kind: {_key(group.name): group.url for group in group_claims(site, kind)} for kind in KINDS}
