"""Page keys: the preview's memo gives every job the key a fresh reading would, however the plan changed."""

from __future__ import annotations

import random

from generator.output.keys import KeyMemo, everything_digest, page_keys
from generator.site.jobs import EVERYTHING, PageJob


def _jobs(rng: random.Random, reports: list[str], count: int) -> list[PageJob]:
    jobs = []
    for n in range(count):
        depends = rng.sample(reports, rng.randint(0, min(3, len(reports))))
        if rng.random() < 0.1:
            depends = [*depends, *EVERYTHING]
        if rng.random() < 0.3:
            depends = [*depends, f"span:{n}:{rng.randrange(3)}"]  # a key that carries its own value
        jobs.append(PageJob(f"page-{n}/", "page.html", {}, f"Page {n}", depends=depends))
    return jobs


def test_the_memo_gives_the_keys_a_fresh_reading_gives_through_every_kind_of_change() -> None:
    rng = random.Random(7)
    reports = [f"r{n}" for n in range(40)]
    digests = {rid: f"d0-{rid}" for rid in reports}
    jobs = _jobs(rng, reports, 200)
    memo = KeyMemo()
    site_wide = "site-1"
    for step in range(60):
        change = rng.choice(["edit", "add", "remove", "replace", "reorder", "site", "nothing", "new report", "gone report"])
        if change == "edit":
            rid = rng.choice(list(digests))
            digests[rid] = f"d{step}-{rid}"
        elif change == "add":
            jobs += _jobs(rng, list(digests), 5)
        elif change == "remove" and jobs:
            del jobs[rng.randrange(len(jobs))]
        elif change == "replace" and jobs:
            at = rng.randrange(len(jobs))
            jobs[at] = PageJob(jobs[at].url, jobs[at].template, {}, jobs[at].title + "!", depends=jobs[at].depends)
        elif change == "reorder":
            rng.shuffle(jobs)
        elif change == "site":
            site_wide = f"site-{step}"
        elif change == "new report":
            digests[f"n{step}"] = f"d{step}"
        elif change == "gone report" and len(digests) > 1:
            del digests[rng.choice(list(digests))]
        assert page_keys(jobs, digests, site_wide, memo) == page_keys(jobs, digests, site_wide), (step, change)


def test_a_key_follows_exactly_the_reports_its_page_depends_on() -> None:
    digests = {"a": "1", "b": "1"}
    on_a, on_b, on_all = (PageJob(f"{n}/", "t.html", {}, n, depends=d) for n, d in (("x", {"a"}), ("y", {"b"}), ("z", EVERYTHING)))
    memo = KeyMemo()
    before = page_keys([on_a, on_b, on_all], digests, "s", memo)
    after = page_keys([on_a, on_b, on_all], {"a": "2", "b": "1"}, "s", memo)
    assert after[0] != before[0] and after[1] == before[1] and after[2] != before[2]
    assert page_keys([on_a, on_b, on_all], {"a": "2", "b": "1"}, None) == [None, None, None]  # nothing vouched for: always made


def test_what_everything_stands_for_changes_with_any_report_and_not_with_their_order() -> None:
    digests = {f"r{n}": f"d{n}" for n in range(300)}
    whole = everything_digest(digests)
    assert everything_digest(dict(reversed(list(digests.items())))) == whole
    assert everything_digest({**digests, "r7": "other"}) != whole
    assert everything_digest({k: v for k, v in digests.items() if k != "r7"}) != whole
    assert everything_digest({**digests, "r300": "d300"}) != whole
