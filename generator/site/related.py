"""Related fact-checks: up to five other claims by the same claimant or on the same topics, for a claim's page.

The choice is deterministic: first claims by the same claimant on one of the report's topics, then the
claimant's other claims, then other claims on the same topics; within each, claims of other reports
come before the report's own, newest report first, in article order. Each list is scanned only as far
as five answers can need (a prolific claimant's 200 most recent claims for the first), so a page costs
the same with 40 claims or 40,000.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import heapq
import itertools
import operator
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from generator.model.entities import Claim, Report, Site, name_key
from generator.site.jobs import PageJob, per_site, reports_by_id

LIMIT = 5
DEEP = 200  # how far into a claimant's claims the first tier looks for a shared topic


_Placed = tuple[int, Claim]
_PLACE = operator.itemgetter(0)


@dataclass(frozen=True)
class _Index:
    reports: Mapping[str, Report]
    position: Mapping[tuple[str, str], int]  # (report id, claim id) -> place in site order
    count: int  # claims in the site
    # Each list holds (place in site order, claim), in site order: merged and compared by the place alone.
    by_claimant: Mapping[str, Sequence[_Placed]]
    by_topic: Mapping[str, Sequence[_Placed]]
    by_claimant_topic: Mapping[tuple[str, str], Sequence[_Placed]]
    topics: Mapping[str, frozenset[str]]  # report id -> its topic keys
    # Lists already chosen: the plan asks for each claim page's list, then the page itself shows it.
    chosen: dict[tuple[str, str], list[tuple[Claim, Report]]] = dataclasses.field(default_factory=dict)


def _scan(site: Site, claimant_only: str | None = None, topics_only: frozenset[str] | None = None) -> _Index:
    """Every claim's place, and the claims by claimant, topic and both; with `*_only`, only the lists for that claimant and those topics."""
    by_claimant: dict[str, list[_Placed]] = defaultdict(list)
    by_topic: dict[str, list[_Placed]] = defaultdict(list)
    by_claimant_topic: dict[tuple[str, str], list[_Placed]] = defaultdict(list)
    topics: dict[str, frozenset[str]] = {}
    position: dict[tuple[str, str], int] = {}
    n = 0
    for report in site.reports:  # newest report first, article order within one
        keys = topics[report.id] = frozenset(name_key(t) for t in report.topics)
        listed = sorted(keys if topics_only is None else keys & topics_only)
        for claim in report.claims:
            position[(claim.report_id, claim.id)] = n
            claimant = name_key(claim.claimant.name)
            placed = (n, claim)
            mine = claimant_only is None or claimant == claimant_only
            if mine:
                by_claimant[claimant].append(placed)
            for topic in listed:
                by_topic[topic].append(placed)
                if mine:
                    by_claimant_topic[(claimant, topic)].append(placed)
            n += 1
    return _Index(reports_by_id(site), position, n, by_claimant, by_topic, by_claimant_topic, topics)


claim_index = per_site(_scan)  # every claim's place, by claimant and topic: what the lists are chosen from

# A page rendered without a plan's list (`check` renders one claim page) asks once or twice: one pass over
# the claims keeping only its claimant's and topics' lists costs a small part of indexing every one.
PARTIAL_LOOKUPS = 2
_partials = per_site(lambda site: [0])


def _index_for(site: Site, report: Report, claim: Claim) -> _Index:
    """The index, or for the site's first few lookups the part of it that one claim's list reads."""
    asked = _partials(site)
    if asked[0] >= PARTIAL_LOOKUPS:
        return claim_index(site)
    asked[0] += 1
    return _scan(site, name_key(claim.claimant.name), frozenset(name_key(t) for t in report.topics))


def _pick(candidates: Iterable[_Placed], report_id: str, seen: set[int], wanted: int) -> list[_Placed]:
    """The first `wanted` unseen candidates (given in site order), other reports' claims before the report's own."""
    others: list[_Placed] = []
    own: list[_Placed] = []
    for placed in candidates:
        if placed[0] in seen:
            continue
        seen.add(placed[0])  # a claim listed under two topics is one candidate
        (own if placed[1].report_id == report_id else others).append(placed)
        if len(others) == wanted:  # candidates come in site order: no later one can come before these
            break
    return [*others, *own][:wanted]


_Rows = Mapping[tuple[str, str], tuple[tuple[str, str], ...]]
_T = TypeVar("_T", covariant=True)


class Pending(Protocol[_T]):
    """Work started in another process (pipeline/workers.Aside, which the build gives): its result, or stop it."""

    def outcome(self) -> _T | None:
        """Wait for the result; None if the other process failed."""
        ...

    def close(self) -> None:
        """Stop the work if it still runs."""
        ...


Elsewhere = Callable[[Callable[[], _Rows]], Pending[_Rows]]  # starts work in another process
# The lists a plan took from its RelatedMemo, for the last few sites planned: a claim page rendered later
# shows the list its key was made from without building the index (a tenth of a second at 4,000 reports).
_PLANNED: list[tuple[Site, _Rows]] = []
_PLANNED_LOCK = threading.Lock()


def _register(site: Site, rows: _Rows) -> None:
    with _PLANNED_LOCK:
        if not any(known is site and kept is rows for known, kept in _PLANNED):
            _PLANNED.append((site, rows))
            del _PLANNED[:-4]


def _planned(site: Site, key: tuple[str, str]) -> list[tuple[Claim, Report]] | None:
    """The list the plan chose for a claim page of `site`, if it was planned with a memo and the claims are found."""
    with _PLANNED_LOCK:
        rows = next((kept for known, kept in _PLANNED if known is site), None)
    ids = rows.get(key) if rows is not None else None
    if ids is None:
        return None
    reports = reports_by_id(site)
    found = []
    for rid, cid in ids:
        other = reports.get(rid)
        claim = next((c for c in other.claims if c.id == cid), None) if other is not None else None
        if other is None or claim is None:
            return None
        found.append((claim, other))
    return found


def related_claims(site: Site, report: Report, claim: Claim) -> list[tuple[Claim, Report]]:
    """Up to five other claims related to `claim`, with their reports, in a stable order."""
    return _related(site, report, claim, keep=True)


def _related(site: Site, report: Report, claim: Claim, keep: bool) -> list[tuple[Claim, Report]]:
    """related_claims; `keep` holds the list in the index for the page that shows it (a helper that only chooses keeps none)."""
    planned = _planned(site, (report.id, claim.id))
    if planned is not None:
        return planned
    if report.id not in reports_by_id(site):  # a report outside the listings (withdrawn, a draft preview) has no neighbours
        return []
    index = _index_for(site, report, claim)
    known = index.chosen.get((report.id, claim.id))
    if known is not None:
        return known
    topics = index.topics[report.id]
    reach = LIMIT + len(report.claims)  # enough to find five from other reports, past this report's own
    claimant = name_key(claim.claimant.name)
    mine = index.by_claimant.get(claimant, ())
    deepest = mine[DEEP - 1][0] if len(mine) >= DEEP else index.count

    def merged(lists: Iterable[Sequence[_Placed]]) -> Iterator[_Placed]:
        # Each list is in site order, so merging keeps it without sorting them all.
        return heapq.merge(*lists, key=_PLACE)

    tiers: list[Iterable[_Placed]] = [
        # The claimant's first DEEP claims that share a topic: its claims under each of the report's topics.
        itertools.takewhile(lambda placed: placed[0] <= deepest, merged(index.by_claimant_topic.get((claimant, t), ()) for t in sorted(topics))),
        mine[:reach],
        merged(index.by_topic.get(t, ())[:reach] for t in sorted(topics)),
    ]
    here = index.position[(report.id, claim.id)]
    chosen: list[_Placed] = []
    for tier in tiers:
        seen = {here, *(n for n, _ in chosen)}
        chosen += _pick(tier, report.id, seen, LIMIT - len(chosen))
    found = [(c, index.reports[c.report_id]) for _, c in chosen]
    if keep:
        index.chosen[(report.id, claim.id)] = found
    return found


_Shown = tuple[str, int, tuple[str, ...], tuple[tuple[str, str], ...]]


def _shown(report: Report) -> _Shown:
    """What the related lists read of a report: its id, date (its place), topics, and claims with their claimants."""
    topics = tuple(sorted(name_key(t) for t in report.topics))
    return (report.id, report.published.toordinal(), topics, tuple((c.id, name_key(c.claimant.name)) for c in report.claims))


class RelatedMemo:
    """Each claim page's related claims, kept while nothing they are chosen from has changed (the preview's rebuilds)."""

    def __init__(self, keep_jobs: bool = True) -> None:
        self.keep_jobs = keep_jobs  # False for a build, which plans once: the jobs are then not kept for a next plan
        self.signature = ""
        self.rows: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self.loaded = 0  # rows read from a cache file (a build's), to tell whether any were added
        self.fresh = False  # the last `begin` dropped the rows
        self.jobs: dict[tuple[str, str], tuple[PageJob, tuple[tuple[str, str], ...], PageJob]] = {}  # job, its related ids, the job with them
        self.generation = 0  # counts the times the rows were dropped: lists made since the last drop still hold
        self._shown: tuple[_Shown, ...] = ()  # what the signature was made from
        self._by_report: dict[str, tuple[Report, _Shown]] = {}  # each report's part of it, while the report is the same object
        # One (report id, claim id) tuple a claim, however many lists name it: a claim is in five lists on average.
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}

    def pair(self, report_id: str, claim_id: str) -> tuple[str, str]:
        """The (report id, claim id) tuple of a claim, the same object each time it is asked for."""
        pair = (report_id, claim_id)
        return self._pairs.setdefault(pair, pair)

    def begin(self, site: Site) -> None:
        """Forget the kept lists if the reports' order, claims, claimants or topics changed; `site`'s claim pages then show the kept ones."""
        known, made = self._by_report, {}
        for r in site.reports:
            hit = known.get(r.id)
            made[r.id] = hit if hit is not None and hit[0] is r else (r, _shown(r))
        self._by_report = made
        shown = tuple(part for _, part in made.values())
        # Comparing with the last rebuild's parts is cheap (the unchanged reports' are the same objects); hashing all is not.
        if not (self.signature and shown == self._shown):
            self._shown = shown
            signature = hashlib.blake2b(repr(shown).encode("utf-8"), digest_size=16).hexdigest()
            self.fresh = signature != self.signature
            if self.fresh:
                # A new dict, never the old one cleared: the sites planned before still read theirs (see _register).
                self.signature, self.rows, self.jobs, self._pairs = signature, {}, {}, {}
                self.generation += 1
        else:
            self.fresh = False
        _register(site, self.rows)

    def choosing(self, site: Site, elsewhere: Elsewhere) -> Pending[_Rows] | None:
        """The lists of `site`'s claims not kept yet, chosen `elsewhere` (another process) while this one plans other pages; None if none is missing.

        Choosing them is a second of one process's time at 12,836 reports, while the other core would wait.
        """
        missing = [(report, claim) for report in site.reports for claim in report.claims if (report.id, claim.id) not in self.rows]
        return elsewhere(functools.partial(_choose, site, missing, self.pair)) if missing else None

    def take(self, rows: _Rows) -> None:
        """Keep lists chosen elsewhere (`choosing`), every pair the one object `pair` gives."""
        pair = self.pair
        for key, ids in rows.items():
            self.rows[pair(*key)] = tuple(pair(*both) for both in ids)


_PairOf = Callable[[str, str], tuple[str, str]]


def _choose(site: Site, claims: Sequence[tuple[Report, Claim]], pair: _PairOf) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """Each of these claims' related list, as (report id, claim id) pairs."""
    # Sent back, not shown here: a list held for a page of this process's (see _related) would only take its memory.
    return {pair(report.id, claim.id): _listed(site, report, claim, pair, keep=False) for report, claim in claims}


def _listed(site: Site, report: Report, claim: Claim, pair: _PairOf, keep: bool = True) -> tuple[tuple[str, str], ...]:
    return tuple(pair(c.report_id, c.id) for c, _ in _related(site, report, claim, keep))


def release_index(site: Site) -> None:
    """The plan has chosen every claim page's list (and a RelatedMemo keeps them): the index they were chosen
    from is no longer needed. Rendering reads the kept lists; at 4,000 reports the index held about 10 MB in
    each process that renders."""
    claim_index.forget(site)


def _pair(report_id: str, claim_id: str) -> tuple[str, str]:
    return (report_id, claim_id)


def with_related_depends(site: Site, job: PageJob, memo: RelatedMemo | None = None) -> PageJob:
    """A claim page with what its related list shows among its dependencies: those claims' reports, and which claims they are.

    The list comes from other reports, so the page's own report is not enough: when a related claim's
    report changes, or another claim takes its place, the page's key changes and it is rendered again.
    """
    claim, report = job.context.get("claim"), job.context.get("report")
    if job.template != "claim.html" or not isinstance(claim, Claim) or not isinstance(report, Report):
        return job
    pair = memo.pair if memo is not None else _pair
    key = pair(report.id, claim.id)
    ids = memo.rows.get(key) if memo is not None else None
    if ids is None:
        ids = _listed(site, report, claim, pair)
        if memo is not None:
            memo.rows[key] = ids
    if not ids:
        return job
    made = memo.jobs.get(key) if memo is not None else None
    if made is not None and made[0] is job and made[1] == ids:
        return made[2]  # the very same job as last time, so its page key is remembered too (output/keys.py)
    # A digest, as hub keys are: the listed ids in full took a few hundred bytes on every claim page's job.
    listed = ",".join(f"{rid}/{cid}" for rid, cid in ids)
    shown = "related:" + hashlib.blake2b(listed.encode("utf-8"), digest_size=16).hexdigest()
    with_related = dataclasses.replace(job, depends=(*job.depends, shown, *(rid for rid, _ in ids)))
    if memo is not None and memo.keep_jobs:
        memo.jobs[key] = (job, ids, with_related)
    return with_related


def template_globals(site: Site) -> Mapping[str, Any]:
    """`related()`: other checks of the same claimant or topics for a claim page."""
    reports_by_id(site)  # made now, before the render's helpers are forked: each would make it again

    def related(report: Report, claim: Claim) -> list[tuple[Claim, Report]]:
        """Related fact-checks for a claim's page (its dependencies name them: see `with_related_depends`)."""
        return related_claims(site, report, claim)

    return {"related": related}
