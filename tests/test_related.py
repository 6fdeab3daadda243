"""Related fact-checks: at most five, same claimant then same topic, deterministic, part of every page key."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import REPORT_YAML
from generator.build import BuildOptions, check, prepare, render_site
from generator.model.entities import Claim, Site, name_key
from generator.site.related import related_claims
from publishing import many_reports


def _reference(site: Site, claim: Claim) -> list[tuple[str, str]]:
    """The rule written plainly: every other claim, ranked by tier, other reports first, site order."""
    reports = {r.id: r for r in site.reports}
    topics = {r.id: {name_key(t) for t in r.topics} for r in site.reports}
    ranked = []
    for n, other in enumerate(site.claims):
        if (other.report_id, other.id) == (claim.report_id, claim.id):
            continue
        same_claimant = name_key(other.claimant.name) == name_key(claim.claimant.name)
        shared = bool(topics[other.report_id] & topics[claim.report_id])
        tier = 0 if same_claimant and shared else 1 if same_claimant else 2 if shared else None
        if tier is not None:
            ranked.append((tier, other.report_id == claim.report_id, n, (other.report_id, other.id)))
    assert reports
    return [key for *_, key in sorted(ranked)[:5]]


def test_related_claims_follow_the_rule_for_every_claim(make_project: Callable[..., Path]) -> None:
    site, _ = check(make_project(many_reports(14)))
    for report in site.reports:
        for claim in report.claims:
            got = [(c.report_id, c.id) for c, _ in related_claims(site, report, claim)]
            assert got == _reference(site, claim), (report.id, claim.id)
            assert len(got) <= 5 and (claim.report_id, claim.id) not in got


def test_a_first_lookup_reads_only_its_claims_and_finds_the_same(make_project: Callable[..., Path]) -> None:
    """A site's first lookups (check renders one claim page) scan for one claim's claimant and topics: same lists as the full index."""
    site, _ = check(make_project(many_reports(14)))
    for report in site.reports:
        for claim in report.claims:
            fresh = dataclasses.replace(site)  # another Site: its first lookup, made from the partial scan
            got = [(c.report_id, c.id) for c, _ in related_claims(fresh, report, claim)]
            assert got == _reference(site, claim), (report.id, claim.id)


def test_claim_page_lists_related_checks_and_follows_their_changes(make_project: Callable[..., Path]) -> None:
    root = make_project(many_reports(6))
    result = render_site(root)
    page = {p.path: p.data.decode() for p in result.pages if not p.path.endswith(".png")}["reports/report-005/claims/rents-doubled/index.html"]
    section = page.split('id="related-title"')[1].split("</section>")[0]
    assert section.count("<li>") == 5 and 'href="../../../report-000/claims/rents-doubled/index.html"' in section
    # The page shows report-000's claim: when that claim changes, the page's key (build and serve) changes too.
    url = "reports/report-005/claims/rents-doubled/"
    before = _key(root, url)
    report = root / "content/reports/report-000.yaml"
    report.write_text(report.read_text().replace("claim_reviewed: Rents in Metropolis doubled since 2015", "claim_reviewed: Rents in Metropolis rose by half"))
    assert _key(root, url) != before


def _key(root: Path, url: str) -> str | None:
    prepared = prepare(root, BuildOptions())
    return next(key for job, key in zip(prepared.plan.jobs, prepared.keys, strict=True) if job.url == url)


def test_claims_sharing_nothing_have_no_related_section(make_project: Callable[..., Path]) -> None:
    pages = {p.path: p.data.decode() for p in render_site(make_project()).pages if not p.path.endswith(".png")}
    # Two claims, different claimants, one topic: each is the other's only related check.
    assert pages["reports/planet-rents/claims/rents-doubled/index.html"].split('class="related-list"')[1].count("<li>") == 1
    untagged = REPORT_YAML.replace("topics: [Housing]\n", "")
    pages = {p.path: p.data.decode() for p in render_site(make_project({"content/reports/planet-rents.yaml": untagged})).pages if not p.path.endswith(".png")}
    assert "related-title" not in pages["reports/planet-rents/claims/rents-doubled/index.html"]


def test_build_cache_does_not_serve_a_stale_related_list(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """A claim page is cached by its own report; a related claim of another report changing must still show."""
    from generator.build import BuildOptions, build

    files = many_reports(6)
    root = make_project(files)
    out = tmp_path / "site"
    build(root, out, BuildOptions(cache=True))
    page = out / "reports/report-005/claims/rents-doubled/index.html"
    assert "Rents in Metropolis doubled since 2015" in page.read_text(encoding="utf-8").split('id="related-title"')[1]
    report = root / "content/reports/report-000.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("claim_reviewed: Rents in Metropolis doubled since 2015", "claim_reviewed: Rents rose by half"),
        encoding="utf-8",
    )
    build(root, out, BuildOptions(cache=True))
    assert "Rents rose by half" in page.read_text(encoding="utf-8").split('id="related-title"')[1]


def test_related_lists_kept_between_builds_are_chosen_again_when_topics_change(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """The build keeps each claim page's related list in the cache; a change of topics or claimants must choose them again."""
    import filecmp

    from generator.build import BuildOptions, build

    root = make_project(many_reports(6))
    cached, fresh = tmp_path / "cached", tmp_path / "fresh"
    build(root, cached, BuildOptions(cache=True))
    assert (root / ".cache/factcheck/related.pickle").is_file()
    report = root / "content/reports/report-002.yaml"
    text = report.read_text(encoding="utf-8")
    assert "topics: [Budget]" in text
    report.write_text(text.replace("topics: [Budget]", "topics: [Transport]"), encoding="utf-8")
    build(root, cached, BuildOptions(cache=True))
    build(root, fresh, BuildOptions(cache=False))
    pages = sorted(p.relative_to(fresh) for p in fresh.rglob("index.html"))
    assert pages and not [p for p in pages if not filecmp.cmp(fresh / p, cached / p, shallow=False)]


def test_a_claim_page_names_its_related_list_by_a_digest_of_fixed_size(make_project: Callable[..., Path]) -> None:
    prepared = prepare(make_project(many_reports(6)), BuildOptions())
    shown = [key for job in prepared.plan.jobs if job.template == "claim.html" for key in job.depends if key.startswith("related:")]
    assert shown and all(len(key) == len("related:") + 32 for key in shown)  # not every listed id, on every claim page
    assert len(set(shown)) > 1  # different lists, different keys


def test_a_plan_with_a_memo_lets_the_index_go_and_pages_show_the_same_lists(make_project: Callable[..., Path]) -> None:
    """After planning, claim pages read the lists the plan kept: the index they were chosen from is dropped."""
    from generator.build import PUBLISHED, prepare
    from generator.site import related

    root = make_project(many_reports(6))  # more claims than the lookups a partial scan serves
    prepared = prepare(root, PUBLISHED)
    site = prepared.plan.site  # the site the pages are planned and rendered from
    assert not related.claim_index.holds(site)
    report = site.reports[0]
    for claim in report.claims:
        assert related.related_claims(site, report, claim) == related.related_claims(dataclasses.replace(site), report, claim)
    assert not related.claim_index.holds(site)  # the kept lists served them


def test_related_lists_chosen_in_a_helper_process_are_the_ones_this_process_would_choose(make_project: Callable[..., Path]) -> None:
    """A build chooses them in another process while it plans the other pages: the plan is the same, job for job."""
    from generator.pipeline.workers import Aside
    from generator.site.plan import ReportJobs, plan_site

    root = make_project(many_reports(60))
    site = prepare(root, BuildOptions(cache=False)).site
    here = plan_site(site, memo=ReportJobs(keep=False))
    helped = ReportJobs(keep=False, elsewhere=lambda work: Aside(work, fork=True))
    there = plan_site(site, memo=helped)
    assert [(job.url, job.depends) for job in there.jobs] == [(job.url, job.depends) for job in here.jobs]
    assert any(key.startswith("related:") for job in there.jobs for key in job.depends)
    rows = helped.related.rows
    assert rows and all(pair is helped.related.pair(*pair) for ids in rows.values() for pair in ids)  # one tuple a claim, as before


def test_a_related_helper_that_dies_leaves_the_lists_to_this_process_and_the_plan_the_same(make_project: Callable[..., Path]) -> None:
    """Killed (out of memory, say), the helper's lists are chosen here instead: the build goes on, the pages the same."""
    import os
    import signal

    from generator.pipeline.workers import Aside
    from generator.site.plan import ReportJobs, plan_site

    def dying() -> dict[str, str]:
        os.kill(os.getpid(), signal.SIGKILL)
        return {}

    root = make_project(many_reports(60))
    site = prepare(root, BuildOptions(cache=False)).site
    here = plan_site(site, memo=ReportJobs(keep=False))
    there = plan_site(site, memo=ReportJobs(keep=False, elsewhere=lambda work: Aside(dying, fork=True)))
    assert [(job.url, job.depends) for job in there.jobs] == [(job.url, job.depends) for job in here.jobs]


def test_lists_chosen_for_another_process_are_not_kept_for_pages_here(make_project: Callable[..., Path]) -> None:
    """The helper that chooses every list renders no page: holding each list for one took 100 MB at 40,000 reports."""
    from generator.pipeline.workers import Aside
    from generator.site import related
    from generator.site.plan import ReportJobs, plan_site

    root = make_project(many_reports(60))
    site = prepare(root, BuildOptions(cache=False)).site
    chosen_here: list[int] = []

    def in_this_process(work: Callable[[], Any]) -> Aside[Any]:
        assert isinstance(work, functools.partial)
        planned = work.args[0]  # the language's site the lists are chosen for (plan_site makes it)

        def counting() -> Any:
            rows = work()
            chosen_here.append(len(related.claim_index(planned).chosen))
            return rows

        return Aside(counting, fork=False)  # run here, where the index can be looked at

    memo = ReportJobs(keep=False, elsewhere=in_this_process)
    plan_site(site, memo=memo)
    assert len(memo.related.rows) > 100 and chosen_here == [0]
    report = site.reports[0]
    assert related.related_claims(site, report, report.claims[0])  # a page here still finds its list (the memo's)
