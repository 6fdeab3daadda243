"""Groups of claims by claimant, topic or outlet: what the hubs and each group's listing show.

A group holds its claims newest report first. A cold plan groups every report in one pass. After an
edit (`serve` keeps the unchanged reports, the very same objects, from rebuild to rebuild) only the
groups that the changed reports were or are in are merged again, from those reports' shares alone.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.content.names import WINDOWS_RESERVED
from generator.content.validate import slugify
from generator.model.config import name_key
from generator.model.entities import Claim, Report, Site
from generator.site import urls
from generator.site.jobs import per_site, reports_by_id

MAX_SLUG = 60
# The grouped indexes; each is named in the theme's strings: hub.<kind>, hub.<kind>_intro, hub.<kind>_group.
KINDS = ("claimants", "topics", "outlets")
RATINGS = "ratings"  # claims by rating: not a hub of its own (ratings/ lists the scale), grouped the same way


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


# "Housing" and "housing " are one topic: names are compared case- and space-insensitively, as claimants are.
_key = name_key


@functools.lru_cache(maxsize=1 << 16)
def _slug_base(name: str) -> str:
    return slugify(name)[:MAX_SLUG].strip("-")


def unique_slugs(names: Iterable[str], fallback: str) -> dict[str, str]:
    """A distinct URL slug for each name; names whose slug would clash get -2, -3... in name order."""
    bases: dict[str, str] = {}
    for name in sorted(set(names)):
        base = _slug_base(name) or fallback
        bases[name] = f"{base}-{fallback}" if base in WINDOWS_RESERVED else base  # "Con" -> con-topic: Windows has no con/
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

    reports: dict[str, Report]  # report id -> the report
    place: dict[str, int]  # report id -> its place in site order
    members: dict[str, tuple[Claim, ...]]  # key -> the group's claims, in site order
    spellings: dict[str, Counter[str]]  # key -> how often each spelling names it (no zero counts)
    display: dict[str, str]  # key -> the group's name


_MERGED: dict[tuple[str, str], _Merged] = {}  # (language, kind) -> the last grouping
CHANGED_LIMIT = 64  # past this many changed reports, every group is merged from scratch


def _display(counts: Counter[str]) -> str:
    # The most used spelling names the group; ties go to the first in sort order.
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _merged(site: Site, kind: str) -> _Merged:
    """The groups of one kind: the last site's, with only the changed reports' claims taken out and put in again."""
    made = _merges(site)
    if kind not in made:
        made[kind] = _merge(site, kind)
    return made[kind]


_merges = per_site(lambda site: dict[str, _Merged]())


def _merge(site: Site, kind: str) -> _Merged:
    now = reports_by_id(site)
    before = _MERGED.get((site.config.language, kind))
    gone: list[Report] = []  # reports changed (as they were) or removed
    came: list[Report] = []  # reports changed (as they are) or added
    if before is not None:
        # The reports that are not the very same objects as last time, found with no Python-level loop over them all.
        came = list(itertools.compress(now.values(), map(operator.is_not, map(before.reports.get, now), now.values())))
        gone = [old for old in map(before.reports.get, (report.id for report in came)) if old is not None]
        missing = before.reports.keys() - now.keys()
        gone += [old for rid, old in before.reports.items() if rid in missing] if missing else []
    if before is None or len(gone) + len(came) > CHANGED_LIMIT:
        merged = _merge_all(site, kind, now)
    else:
        place, was = _places(site), before.place
        merged = _Merged(now, place, dict(before.members), dict(before.spellings), dict(before.display))
        # Only the changed reports' shares are worked out: a report never changes, so its share is a function of it.
        left = [(report, _share(report, kind)) for report in gone]
        added = [(report, _share(report, kind)) for report in came]
        for key in {key for _, part in left + added for key in part}:
            # The unchanged reports keep their order, so the group is its old claims less the changed reports'
            # (each report's a run, found by its old place), with theirs put in at their reports' places.
            claims = list(before.members.get(key, ()))
            counts = Counter(before.spellings.get(key, Counter()))
            for old, part in left:
                found, names = part.get(key, ((), ()))
                if found:
                    at = bisect.bisect_left(claims, was[old.id], key=lambda c: was[c.report_id])
                    del claims[at : at + len(found)]
                for name, uses in names:
                    counts[name] -= uses
            for report, part in added:
                found, names = part.get(key, ((), ()))
                if found:
                    at = bisect.bisect_left(claims, place[report.id], key=lambda c: place[c.report_id])
                    claims[at:at] = found
                counts.update(dict(names))
            counts = Counter({name: uses for name, uses in counts.items() if uses > 0})
            if claims:
                merged.members[key], merged.spellings[key], merged.display[key] = tuple(claims), counts, _display(counts)
            else:
                for table in (merged.members, merged.spellings, merged.display):
                    table.pop(key, None)
    _MERGED[(site.config.language, kind)] = merged
    return merged


def _merge_all(site: Site, kind: str, now: dict[str, Report]) -> _Merged:
    # Every report in one pass, without a share per report: a cold plan groups thousands of reports.
    members: dict[str, list[Claim]] = {}
    spellings: dict[str, dict[str, int]] = {}
    for report in site.reports:
        for name, claims in _named(kind, report):
            key = _key(name)
            found = members.get(key)
            if found is None:
                members[key], spellings[key] = list(claims), {name: len(claims)}
            else:
                found += claims
                counts = spellings[key]
                counts[name] = counts.get(name, 0) + len(claims)
    return _Merged(
        now,
        _places(site),
        {key: tuple(claims) for key, claims in members.items()},
        {key: Counter(c) for key, c in spellings.items()},
        {key: _display(Counter(c)) for key, c in spellings.items()},
    )


def _group(site: Site, kind: str) -> list[Group]:
    merged = _merged(site, kind)
    slugs = unique_slugs(merged.display.keys(), kind.rstrip("s"))
    groups = [Group(kind, merged.display[key], slugs[key], claims) for key, claims in merged.members.items()]
    return sorted(groups, key=lambda g: (_key(g.name), g.slug))


def rated_claims(site: Site) -> dict[str, tuple[Claim, ...]]:
    """Each rating key's claims, newest report first (keys of the scale only; a rating with no claims is left out)."""
    members = _merged(site, RATINGS).members
    return {r.key: members[r.key] for r in site.config.scale.ratings if r.key in members}  # rating keys are slugs: their own group key


# One report's share of one kind of group: {name key: (its claims there, (spelling, uses)...)}.
Share = dict[str, tuple[tuple[Claim, ...], tuple[tuple[str, int], ...]]]


def _share(report: Report, kind: str) -> Share:
    claims: dict[str, list[Claim]] = {}
    names: dict[str, dict[str, int]] = {}
    for name, run in _named(kind, report):
        key = _key(name)
        if key in claims:
            claims[key] += run
            names[key][name] = names[key].get(name, 0) + len(run)
        else:
            claims[key], names[key] = list(run), {name: len(run)}
    return {key: (tuple(found), tuple(names[key].items())) for key, found in claims.items()}


_places = per_site(lambda site: {report.id: n for n, report in enumerate(site.reports)})


def _named(kind: str, report: Report) -> list[tuple[str, Sequence[Claim]]]:
    # Each name the report's claims go under, with those claims in the report's order. A report's topics
    # and outlet are every claim's, so they come with all its claims at once.
    if kind == "claimants":
        return [(claim.claimant.name, (claim,)) for claim in report.claims]
    if kind == "topics":
        # A topic listed twice ("Housing", "housing ") counts once: its claims are in its group once.
        first: dict[str, str] = {}
        for topic in report.topics:
            first.setdefault(_key(topic), topic)
        return [(topic, report.claims) for topic in first.values()]
    if kind == "outlets":
        return [(report.article.publisher, report.claims)] if report.claims else []
    if kind == RATINGS:
        return [(claim.rating.key, (claim,)) for claim in report.claims]
    raise ValueError(f"unknown index kind {kind!r}")


def group_key(name: str) -> str:
    """The key names of one group share: case and spacing aside, the same name."""
    return _key(name)


@per_site
def group_urls(site: Site) -> dict[str, dict[str, str]]:
    """{kind: {name key: URL of the group's first page}}: what group_claims gives."""
    return {kind: {_key(group.name): group.url for group in group_claims(site, kind)} for kind in KINDS}


def rated_counts(site: Site) -> dict[str, int]:
    """How many claims each rating key of the scale has (a rating with none left out)."""
    return {key: len(claims) for key, claims in rated_claims(site).items()}
