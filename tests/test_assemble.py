"""The model: ordering, numbering, defaults, rendered markdown."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from conftest import REPORT_YAML
from generator.build import check


def test_claims_follow_article_order_and_sources_are_numbered(make_project: Callable[..., Path]) -> None:
    swapped = REPORT_YAML.replace(
        "sources:\n  - id: stats-rents",
        "sources:\n  - id: budget-first\n    title: Other\n    publisher: P\n    url: https://p.example/\n    kind: secondary\n  - id: stats-rents",
    )
    swapped = swapped.replace("    sources: [budget]\n", "    sources: [budget, budget-first]\n").replace("[@budget].", "[@budget] [@budget-first].")
    site, _ = check(make_project({"content/reports/planet-rents.yaml": swapped}))
    report = site.reports[0]
    assert [c.id for c in report.claims] == ["rents-doubled", "shelter-spend"]
    assert [c.number for c in report.claims] == [1, 2]
    assert [(s.id, s.number) for s in report.sources] == [("budget-first", 1), ("stats-rents", 2), ("budget", 3)]
    assert [s.id for s in report.claims[1].sources] == ["budget-first", "budget"]
    # The claim's own page numbers its sources 1..n; the report page keeps the report's numbers.
    assert [s.number for s in report.claims[1].sources] == [1, 2]
    assert 'href="#source-budget" aria-label="Source 2">2</a>' in report.claims[1].analysis
    assert 'href="#source-budget" aria-label="Source 3">3</a>' in report.claims[1].report_analysis
    assert 'href="#source-budget-first" aria-label="Source 1">1</a>' in report.claims[1].report_analysis
    # The report page's text is not held a second time: the claim keeps the labels that differ there.
    assert report.claims[1].report_labels == (("budget", "3"),) and not report.claims[1].packed_report_analysis
    # Sources are held packed once a report: each claim keeps the report's very bytes and its sources' numbers.
    assert all(c.packed_sources is report.packed_sources for c in report.claims)
    assert report.claims[1].source_numbers == (1, 3)
    assert report.claims[1].sources[1] == dataclasses.replace(report.sources[2], number=2)


def test_claimant_defaults_to_the_publisher_and_quote_has_context(make_project: Callable[..., Path]) -> None:
    site, _ = check(make_project())
    first, second = site.reports[0].claims
    assert (first.claimant.name, first.claimant.type, first.claimant.job_title) == ("Jane Doe", "person", "Mayor")
    assert (second.claimant.name, second.claimant.type) == ("Daily Planet", "organization")
    assert first.quote.before == "Mayor Jane Doe said on Tuesday that "
    assert first.quote.after == "."
    assert first.rating.label == "False" and site.config.scale.best == 3 and site.config.scale.worst == 1


def test_reports_sorted_newest_first(make_project: Callable[..., Path]) -> None:
    older = REPORT_YAML.replace("id: planet-rents", "id: older").replace("published: 2026-05-01", "published: 2026-01-01")
    site, _ = check(make_project({"content/reports/older.yaml": older}))
    assert [r.id for r in site.reports] == ["planet-rents", "older"]
    assert site.menu[0].slug == "about"


def test_disclosure_is_optional_markdown(make_project: Callable[..., Path]) -> None:
    site, _ = check(make_project())
    assert site.reports[0].disclosure == ""
    with_note = REPORT_YAML.replace("\nstatus:", "\ndisclosure: Drafted with *AI* help.\nstatus:", 1)
    site, _ = check(make_project({"content/reports/planet-rents.yaml": with_note}))
    assert "<em>AI</em>" in site.reports[0].disclosure


def test_unsaved_text_keeps_quotes_as_recorded_in_recorded_order(make_project: Callable[..., Path]) -> None:
    head, rest = REPORT_YAML.split("claims:\n")
    rents, shelter = rest.split("sources:\n  - id: stats-rents")[0].split("  - id: shelter-spend\n")
    tail = "sources:\n  - id: stats-rents" + rest.split("sources:\n  - id: stats-rents")[1]
    report = head.replace("  snapshot: seeds/planet.txt\n", "  text_unavailable: Imported; no copy was kept.\n")
    report += "claims:\n  - id: shelter-spend\n" + shelter + rents.replace("doubled since 2015\n", "doubled <i>since</i> 2015\n", 1) + tail
    site, _ = check(make_project({"content/reports/planet-rents.yaml": report}))
    claims = site.reports[0].claims
    assert [c.id for c in claims] == ["shelter-spend", "rents-doubled"]
    assert (claims[1].quote.before, claims[1].quote.exact, claims[1].quote.after) == ("", "rents in Metropolis have doubled <i>since</i> 2015", "")
    assert site.reports[0].article.text == "" and not site.reports[0].article.text_saved
