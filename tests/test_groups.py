"""Groups by claimant, topic, outlet and rating: a cold grouping and the merge after edits give the same groups."""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from conftest import write_tree
from generator.model.entities import Report, Site
from generator.pipeline.check import run_check
from generator.site.groups import KINDS, group_claims, rated_claims
from publishing import many_reports

NAMES = ["Jane Doe", "jane doe", "John Roe", "Ann Poe", "Housing", "housing ", "Budget", "Daily Planet", "Metro Times"]


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _expected(site: Site, kind: str) -> dict[str, list[str]]:
    """The groups worked out the plain way: display name -> claim ids, newest report first."""
    members: dict[str, list[str]] = {}
    spellings: dict[str, Counter[str]] = {}
    for report in site.reports:
        for claim in report.claims:
            topics = [t for n, t in enumerate(report.topics) if _key(t) not in {_key(u) for u in report.topics[:n]}]  # the first spelling of each
            names = {"claimants": [claim.claimant.name], "topics": topics, "outlets": [report.article.publisher]}[kind]
            for name in names:
                members.setdefault(_key(name), []).append(f"{claim.report_id}/{claim.id}")
                spellings.setdefault(_key(name), Counter())[name] += 1
    return {min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]: ids for key, ids in members.items()}


def _changed(report: Report, rng: random.Random) -> Report:
    """The report with a new claimant on one claim, or new topics, or a new outlet: a new object, as after an edit."""
    what = rng.choice(["claimant", "topics", "outlet"])
    if what == "topics":
        return dataclasses.replace(report, topics=tuple(rng.sample(NAMES[4:7], rng.randint(1, 2))))
    if what == "outlet":
        return dataclasses.replace(report, article=dataclasses.replace(report.article, publisher=rng.choice(NAMES[7:])))
    claims = list(report.claims)
    at = rng.randrange(len(claims))
    claims[at] = dataclasses.replace(claims[at], claimant=dataclasses.replace(claims[at].claimant, name=rng.choice(NAMES[:4])))
    return dataclasses.replace(report, claims=tuple(claims))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A site of 30 reports, two claims each."""
    root: Path = tmp_path_factory.mktemp("groups")
    checked = run_check(write_tree(root, many_reports(30)))
    assert checked.site is not None
    return checked.site


def test_groups_after_a_sequence_of_edits_match_a_plain_grouping(site: Site) -> None:
    """Each step changes, adds or removes a few reports; the merged groups are always the plain grouping's."""
    rng = random.Random(7)
    current = site
    for step in range(40):
        reports = list(current.reports)
        for _ in range(rng.randint(1, 3)):
            action = rng.random()
            if action < 0.7 or len(reports) < 5:
                at = rng.randrange(len(reports))
                reports[at] = _changed(reports[at], rng)
            elif action < 0.85:
                del reports[rng.randrange(len(reports))]
            else:
                reports.insert(rng.randrange(len(reports)), rng.choice(site.reports))  # back again, at its place or another
        if len({r.id for r in reports}) != len(reports):
            continue  # a report twice is not a site
        current = dataclasses.replace(current, reports=tuple(reports))
        for kind in KINDS:
            got = {group.name: [f"{claim.report_id}/{claim.id}" for claim in group.claims] for group in group_claims(current, kind)}
            assert got == _expected(current, kind), (step, kind)


def test_a_changed_rating_moves_the_claim_between_rating_groups(site: Site) -> None:
    """Rating groups follow an edit too: the claim leaves its old rating's list and joins the new one in site order."""
    before = rated_claims(site)
    report = site.reports[3]
    claim = report.claims[0]
    other = next(r for r in site.config.scale.ratings if r.key != claim.rating.key)
    edited = dataclasses.replace(report, claims=(dataclasses.replace(claim, rating=other), *report.claims[1:]))
    after = rated_claims(dataclasses.replace(site, reports=(*site.reports[:3], edited, *site.reports[4:])))
    assert claim not in after.get(claim.rating.key, ())
    moved = after[other.key]
    expected = [c for r in (*site.reports[:3], edited, *site.reports[4:]) for c in r.claims if c.rating.key == other.key]
    assert list(moved) == expected and edited.claims[0] in moved
    assert len(before[claim.rating.key]) == len(after.get(claim.rating.key, ())) + 1
