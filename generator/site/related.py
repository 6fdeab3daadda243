"""Related fact-checks: up to five other claims by the same claimant or on the same topics, for a claim's page.

The choice is deterministic: first claims by the same claimant on one of the report's topics, then the
claimant's other claims, then other claims on the same topics; within each, claims of other reports
come before the report's own, newest report first, in article order. Each list is scanned only as far
as five answers can need (a prolific claimant's 200 most recent claims for the first), so a page costs
the same with 40 claims or 40,000.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.model.entities import Claim, Report, Site, name_key
from generator.site.jobs import per_site

LIMIT = 5
DEEP = 200  # how far into a claimant's claims the first tier looks for a shared topic


@dataclass(frozen=True)
class _Index:
    reports: Mapping[str, Report]
    position: Mapping[tuple[str, str], int]  # (report id, claim id) -> place in site order
    by_claimant: Mapping[str, Sequence[Claim]]
    by_topic: Mapping[str, Sequence[Claim]]
    topics: Mapping[str, frozenset[str]]  # report id -> its topic keys


@per_site
def _index(site: Site) -> _Index:
    by_claimant: dict[str, list[Claim]] = defaultdict(list)
    by_topic: dict[str, list[Claim]] = defaultdict(list)
    topics = {r.id: frozenset(name_key(t) for t in r.topics) for r in site.reports}
    position = {}
    for n, claim in enumerate(site.claims):  # newest report first, article order within one
        position[(claim.report_id, claim.id)] = n
        by_claimant[name_key(claim.claimant.name)].append(claim)
        for topic in sorted(topics[claim.report_id]):
            by_topic[topic].append(claim)
    return _Index({r.id: r for r in site.reports}, position, by_claimant, by_topic, topics)


def related_claims(site: Site, report: Report, claim: Claim) -> list[tuple[Claim, Report]]:
    """Up to five other claims related to `claim`, with their reports, in a stable order."""
    index = _index(site)
    if report.id not in index.reports:  # a report outside the listings (a draft preview) has no neighbours
        return []
    topics = index.topics[report.id]
    reach = LIMIT + len(report.claims)  # enough to find five from other reports, past this report's own
    mine = index.by_claimant.get(name_key(claim.claimant.name), ())
    tiers: list[Iterable[Claim]] = [
        (c for c in mine[:DEEP] if index.topics[c.report_id] & topics),
        mine[:reach],
        (c for t in sorted(topics) for c in index.by_topic.get(t, ())[:reach]),
    ]
    chosen: list[Claim] = []
    seen = {(claim.report_id, claim.id)}
    for tier in tiers:
        fresh = list({(c.report_id, c.id): c for c in tier if (c.report_id, c.id) not in seen}.values())
        fresh.sort(key=lambda c: (c.report_id == report.id, index.position[(c.report_id, c.id)]))
        for c in fresh[: LIMIT - len(chosen)]:
            chosen.append(c)
            seen.add((c.report_id, c.id))
    return [(c, index.reports[c.report_id]) for c in chosen]


def _shown(rows: Sequence[tuple[Claim, Report]]) -> str:
    # Everything the page shows of each related claim, so `serve` re-renders the page when any of it changes.
    parts = [(c.report_id, c.id, c.claim_reviewed, c.rating.key, c.rating.label, c.rating.color, c.claimant.name, r.published.isoformat()) for c, r in rows]
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


@per_site
def _everything_shown(site: Site) -> str:
    # All a related list can draw on. `build`'s page cache keys a claim page by its own report only; a
    # closure value is part of every page's key, so this digest keeps cached claim pages from going stale
    # when another report's claims change. Coarse, but never wrong: edits to analyses, sources or
    # summaries leave it alone; a changed claim text, verdict, claimant or topic re-renders every page.
    index = _index(site)
    rows = [(c.report_id, c.id, c.claimant.name, sorted(index.topics[c.report_id])) for c in site.claims]
    return _shown([(c, index.reports[c.report_id]) for c in site.claims]) + hashlib.blake2b(repr(rows).encode("utf-8"), digest_size=16).hexdigest()


def template_globals(site: Site) -> Mapping[str, Any]:
    """`related()`: other checks of the same claimant or topics for a claim page."""
    everything = _everything_shown(site)

    def related(report: Report, claim: Claim) -> list[tuple[Claim, Report]]:
        """Related fact-checks for a claim's page (noted for `serve`, since they come from other reports)."""
        _ = everything  # held by the closure on purpose: see _everything_shown
        return related_claims(site, report, claim)

    return {"related": related}
