"""The model's packed long texts: what templates read is the text that was packed, as safe markup."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.build import check
from generator.model.entities import pack, unpack


@pytest.mark.parametrize("text", ["", "plain", "<p>An analysis with <em>markup</em> [1]</p>\n" * 40, "Ærø’s café — 台北 ✓"])
def test_pack_round_trips_and_shrinks_long_texts(text: str) -> None:
    assert unpack(pack(text)) == text
    if len(text) > 1000:
        assert len(pack(text)) < len(text.encode("utf-8")) / 2


def test_claims_and_articles_give_back_their_texts(make_project: Callable[..., Path]) -> None:
    site, _ = check(make_project())
    report = site.reports[0]
    claim = report.claims[0]
    assert isinstance(claim.analysis, Markup) and isinstance(claim.report_analysis, Markup)
    assert "<p>" in claim.analysis and "<script" not in claim.analysis
    assert claim.analysis == Markup(unpack(claim.packed_analysis))
    assert claim.quote.exact in report.article.text  # the anchored quote stands in the unpacked text
    # The cache keeps the packed bytes; the texts come back the same.
    again = pickle.loads(pickle.dumps(report))
    assert again.claims[0].analysis == claim.analysis and again.article.text == report.article.text


def test_a_report_pages_analysis_is_the_claims_relabelled_or_the_text_kept_for_it(make_project: Callable[..., Path]) -> None:
    site, _ = check(make_project())
    claim = site.reports[0].claims[0]
    relabelled = dataclasses.replace(
        claim, packed_analysis=pack('<p>x<sup class="cite">[<a href="#source-a" aria-label="Source 1">1</a>]</sup></p>'), report_labels=(("a", "4"),)
    )
    assert relabelled.report_analysis == Markup('<p>x<sup class="cite">[<a href="#source-a" aria-label="Source 4">4</a>]</sup></p>')
    assert relabelled.analysis.count("Source 1") == 1
    kept = dataclasses.replace(relabelled, packed_report_analysis=pack("<p>as rendered for the report</p>"))
    assert kept.report_analysis == Markup("<p>as rendered for the report</p>")
    assert dataclasses.replace(claim, report_labels=()).report_analysis == claim.analysis


@pytest.mark.parametrize(
    ("color", "ink"),
    [
        *[("#1a7f37", "#fff"), ("#c0202c", "#fff"), ("#59636e", "#fff"), ("#000", "#fff")],
        *[("#f0e442", "#000"), ("#FFF", "#000"), ("#767676", "#fff"), ("#777777", "#000")],
    ],
)
def test_a_ratings_text_is_white_unless_white_is_hard_to_read_on_its_colour(color: str, ink: str) -> None:
    """WCAG AA (4.5:1): white on #767676 passes (4.54:1), on #777777 it does not (4.48:1), and black then does."""
    from generator.model.config import readable_ink

    assert readable_ink(color) == ink
