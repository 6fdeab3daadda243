"""The site's page plan (generator/site/plan.py): each report's pages in URL order, planned once while the report is the same."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from multilingual import bilingual_site

from conftest import write_tree
from generator.build import check_project
from generator.site import urls
from generator.site.plan import ReportJobs, plan_site, url_order


def test_reports_are_put_in_the_order_of_their_urls() -> None:
    rng = random.Random(5)
    ids = ["a", "a-b", "a.b", "a_b", "ab", "a0", "b", "a-", "z9", "aa"] + [f"r-{rng.randrange(10_000)}" for _ in range(200)]
    rng.shuffle(ids)
    assert [ids[n] for n in url_order(ids)] == sorted(ids, key=urls.report)


def test_an_unchanged_reports_jobs_are_the_very_same_objects_in_the_next_plan(make_project: Callable[..., Path]) -> None:
    site = check_project(make_project()).site
    memo = ReportJobs()
    first = plan_site(site, memo=memo)
    again = plan_site(site, memo=memo)
    mine = [job for job in first.jobs if job.url.startswith("reports/")]
    assert mine and all(a is b for a, b in zip(mine, [job for job in again.jobs if job.url.startswith("reports/")], strict=True))
    assert [job.url for job in again.jobs] == sorted(job.url for job in again.jobs)


def test_another_languages_pages_are_the_same_jobs_in_the_next_plan(tmp_path: Path) -> None:
    """Pages moved under es/ are moved once while the page is the same: a new job would get a new key on every save."""
    site = check_project(write_tree(tmp_path / "bilingual", bilingual_site())).site
    memo = ReportJobs()
    first = [job for job in plan_site(site, memo=memo).jobs if job.url.startswith("es/")]
    again = [job for job in plan_site(site, memo=memo).jobs if job.url.startswith("es/")]
    assert first and [job.url for job in first] == [job.url for job in again]
    assert all(a is b for a, b in zip(first, again, strict=True) if a.url.startswith("es/reports/"))


def test_a_memo_that_keeps_nothing_plans_the_same_pages_and_holds_none_of_them(make_project: Callable[..., Path]) -> None:
    """A build plans once: its memo carries the related lists only, not a second copy of every claim page's job."""
    site = check_project(make_project()).site
    keeping, once = ReportJobs(), ReportJobs(keep=False)
    kept, planned = plan_site(site, memo=keeping), plan_site(site, memo=once)
    assert [(j.url, j.depends, j.title) for j in kept.jobs] == [(j.url, j.depends, j.title) for j in planned.jobs]
    assert any(key.startswith("related:") for job in planned.jobs for key in job.depends)  # the lists are there
    assert keeping.related.jobs and not once.related.jobs
    again = plan_site(site, memo=once)
    mine = [job for job in planned.jobs if job.url.startswith("reports/")]
    assert mine and not any(a is b for a, b in zip(mine, [job for job in again.jobs if job.url.startswith("reports/")], strict=True))
