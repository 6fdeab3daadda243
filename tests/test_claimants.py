"""Claimant pages: who they are (picture or initials, links), their verdict mix, and ClaimReview's author."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import SITE_YAML
from generator.build import BuildOptions, check, render_site
from generator.diagnostics import BuildFailed
from generator.site.claimants import retally, tally

DECLARED = (
    SITE_YAML
    + """claimants:
  - name: jane  DOE
    image: https://img.example/jane.jpg
    same_as: [https://www.wikidata.org/wiki/Q42, https://jane.example/]
"""
)


def _pages(root: Path) -> dict[str, str]:
    return {p.path: p.data.decode() for p in render_site(root, BuildOptions(base_url="https://x.example/")).pages if p.path.endswith(".html")}


def test_claimant_page_shows_picture_links_and_verdict_mix(make_project: Callable[..., Path]) -> None:
    page = _pages(make_project({"content/site.yaml": DECLARED}))["claimants/jane-doe/index.html"]
    assert 'src="https://img.example/jane.jpg"' in page and 'href="https://www.wikidata.org/wiki/Q42"' in page
    assert "Mayor" in page.split("</header>")[0]
    chart = page.split('id="mix-title"')[1].split("</ul>")[0]
    assert chart.count('class="mix-bar"') == 1 and "1 claim</span>" in chart and "--share: 100.0%" in chart
    assert "claim checked." not in page.split("<main")[1]  # the count line says it once: "1 claim."
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "CollectionPage" and data["about"]["sameAs"][0] == "https://www.wikidata.org/wiki/Q42"


def test_claimant_without_a_picture_gets_initials(make_project: Callable[..., Path]) -> None:
    pages = _pages(make_project())
    assert '<span class="avatar avatar-initials avatar-large" aria-hidden="true">JD</span>' in pages["claimants/jane-doe/index.html"]
    assert '<meta name="description" content="Jane Doe: 1 claim checked.">' in pages["claimants/jane-doe/index.html"]
    # Topics and outlets no longer say the count twice either.
    main = pages["topics/housing/index.html"].split("<main")[1].split("</main>")[0]
    assert main.count("2 claims") == 1


def test_claim_review_author_carries_image_and_same_as(make_project: Callable[..., Path]) -> None:
    page = _pages(make_project({"content/site.yaml": DECLARED}))["reports/planet-rents/claims/rents-doubled/index.html"]
    review = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    author = review["itemReviewed"]["author"]
    assert author == {
        "@type": "Person",
        "name": "Jane Doe",
        "jobTitle": "Mayor",
        "image": "https://img.example/jane.jpg",
        "sameAs": ["https://www.wikidata.org/wiki/Q42", "https://jane.example/"],
    }


def test_a_claimant_declared_twice_is_an_error(make_project: Callable[..., Path]) -> None:
    twice = DECLARED + "  - name: Jane Doe\n"
    with pytest.raises(BuildFailed) as failed:
        check(make_project({"content/site.yaml": twice}))
    assert any("duplicate claimant 'jane doe'" in d.message for d in failed.value.diagnostics)


def test_a_claimants_tally_counted_again_from_the_last_one_equals_one_counted_afresh() -> None:
    """retally counts only the claims that came or went; it must give what counting every claim gives."""
    rng = random.Random(3)

    def claim(n: int) -> SimpleNamespace:
        who = SimpleNamespace(type=rng.choice(["person", "organization"]), job_title=rng.choice(["", "Senator", "Mayor"]))
        return SimpleNamespace(claimant=who, rating=SimpleNamespace(key=rng.choice(["true", "false", "mixed"])), n=n)

    claims = [claim(n) for n in range(300)]
    counted = tally(claims)
    for step in range(80):
        after = list(claims)
        change = rng.choice(["replace", "insert", "delete", "same"])
        if change == "replace":
            for _ in range(rng.randint(1, 5)):
                after[rng.randrange(len(after))] = claim(1000 + step)
        elif change == "insert":
            after.insert(rng.randrange(len(after) + 1), claim(2000 + step))
        elif change == "delete" and len(after) > 1:
            del after[rng.randrange(len(after))]
        counted = retally(counted, claims, after)
        assert counted == tally(after), (step, change)
        claims = after
