"""Related fact-checks: up to five other claims by the same claimant or on the same topics, for a claim's page.

The choice is deterministic: first claims by the same claimant on one of the report's topics, then the
claimant's other claims, then other claims on the same topics; within each, claims of other reports
come before the report's own, newest report first, in article order. Each list is scanned only as far
as five answers can need (a prolific claimant's 200 most recent claims for the first), so a page costs
the same with 40 claims or 40,000.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.model.entities import Claim, Report, Site, name_key
from generator.site.jobs import PageJob, per_site

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


class RelatedMemo:
    """Each claim page's related claims, kept while nothing they are chosen from has changed (the preview's rebuilds)."""

    def __init__(self) -> None:
        self.signature = ""
        self.rows: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self.jobs: dict[tuple[str, str], tuple[PageJob, tuple[tuple[str, str], ...], PageJob]] = {}  # job, its related ids, the job with them

    def begin(self, site: Site) -> None:
        """Forget the kept lists if the reports' order, claims, claimants or topics changed."""
        shown = [
            (r.id, r.published.toordinal(), sorted(name_key(t) for t in r.topics), [(c.id, name_key(c.claimant.name)) for c in r.claims]) for r in site.reports
        ]
        signature = hashlib.blake2b(repr(shown).encode("utf-8"), digest_size=16).hexdigest()
        if signature != self.signature:
            self.signature, self.rows, self.jobs = signature, {}, {}


def with_related_depends(site: Site, job: PageJob, memo: RelatedMemo | None = None) -> PageJob:
    """A claim page with what its related list shows among its dependencies: those claims' reports, and which claims they are.

    The list comes from other reports, so the page's own report is not enough: when a related claim's
    report changes, or another claim takes its place, the page's key changes and it is rendered again.
    """
    claim, report = job.context.get("claim"), job.context.get("report")
    if job.template != "claim.html" or not isinstance(claim, Claim) or not isinstance(report, Report):
        return job
    key = (report.id, claim.id)
    ids = memo.rows.get(key) if memo is not None else None
    if ids is None:
        ids = tuple((c.report_id, c.id) for c, _ in related_claims(site, report, claim))
        if memo is not None:
            memo.rows[key] = ids
    if not ids:
        return job
    made = memo.jobs.get(key) if memo is not None else None
    if made is not None and made[0] is job and made[1] == ids:
        return made[2]  # the very same job as last time, so its page key is remembered too (output/keys.py)
    shown = "related:" + ",".join(f"{rid}/{cid}" for rid, cid in ids)
    with_related = dataclasses.replace(job, depends=job.depends | {shown, *(rid for rid, _ in ids)})
    if memo is not None:
        memo.jobs[key] = (job, ids, with_related)
    return with_related


def template_globals(site: Site) -> Mapping[str, Any]:
    """`related()`: other checks of the same claimant or topics for a claim page."""

    def related(report: Report, claim: Claim) -> list[tuple[Claim, Report]]:
        """Related fact-checks for a claim's page (its dependencies name them: see `with_related_depends`)."""
        return related_claims(site, report, claim)

    return {"related": related}
