"""Finding and normalising ClaimReviews (generator/importer/claimreview.py)."""

from __future__ import annotations

import datetime as dt

from generator.importer.claimreview import find_claim_reviews, reviews_of
from generator.importer.records import Problem

REVIEW = {"@type": "ClaimReview", "url": "https://r.example/a#one", "claimReviewed": "X", "reviewRating": {"name": "True"}}


def test_found_in_feeds_graphs_lists_and_nesting() -> None:
    doc = {"@graph": [{"@type": "WebPage"}, REVIEW], "dataFeedElement": [{"item": [REVIEW, {"mainEntity": REVIEW}]}], "x": [[REVIEW]]}
    assert sum(1 for found in find_claim_reviews(doc, "f") if not isinstance(found, Problem)) == 4


def test_depth_is_bounded() -> None:
    doc: object = REVIEW
    for _ in range(70):
        doc = [doc]
    found = list(find_claim_reviews(doc, "f"))
    assert len(found) == 1 and isinstance(found[0], Problem) and "deeper than 64" in found[0].message


def test_review_fields_and_what_is_skipped() -> None:
    reviews, problems = reviews_of([REVIEW, {"@type": "ClaimReview", "claimReviewed": "no rating"}, {"@type": "ClaimReview"}], "f")
    [review] = reviews
    assert (review.url, review.fragment, review.rating, review.claimant) == ("https://r.example/a", "one", "True", None)
    assert [p.message for p in problems] == ["'no rating' has no rating (alternateName, name or ratingValue)", "a ClaimReview without claimReviewed"]


def test_rating_value_alone_is_a_label() -> None:
    [review], _ = reviews_of({**REVIEW, "reviewRating": {"ratingValue": 2}}, "f")
    assert review.rating == "2"


def test_an_unreadable_date_is_named_never_read_as_none() -> None:
    """A review's own date that is no date skips it; the claim's or the article's is left out and listed."""
    bad_review = {**REVIEW, "claimReviewed": "Y", "dateModified": "May 3, 2025"}
    bad_claim = {**REVIEW, "datePublished": "2025-03-05", "itemReviewed": {"datePublished": "2025-14-01"}}
    reviews, problems = reviews_of([bad_review, bad_claim], "f")
    [review] = reviews
    assert (review.claim_reviewed, review.claim_date, review.published) == ("X", None, dt.date(2025, 3, 5))
    assert [(p.message, p.kind) for p in problems] == [
        ("'Y': dateModified 'May 3, 2025' is not a date", "skipped"),
        ("itemReviewed datePublished '2025-14-01' is not a date: left out", "date"),
    ]
