"""Grouping reviews into reports and laying them out (generator/importer/plan.py)."""

from __future__ import annotations

import datetime as dt

from generator.importer.plan import People, Settings, group, plan_report, report_id
from generator.importer.ratings import RatingMatcher
from generator.importer.records import Appearance, Party, Problem, Review

DAY = dt.date(2024, 5, 1)


def review(url: str, article: str = "", **extra: object) -> Review:
    fields: dict[str, object] = {"origin": "f", "url": url, "fragment": "", "claim_reviewed": "Rents doubled since 2015", "rating": "False", "published": DAY}
    return Review(**{**fields, "article": Appearance(article) if article else None, **extra})  # type: ignore[arg-type]


def settings() -> Settings:
    return Settings("draft", RatingMatcher({"false": "False"}), People({"ann": "Ann Writer"}, "Test Org"), {"false": "False"})


def test_reviews_sharing_a_page_or_an_article_become_one_report() -> None:
    a, b, c, d = (
        review("https://r.example/x", "https://n.example/1"),
        review("https://r.example/y", "https://n.example/1"),
        review("https://r.example/x"),
        review("https://r.example/z"),
    )
    assert group([a, b, c, d]) == [[a, b, c], [d]]


def test_ids_from_the_review_url_or_this_generators_layout() -> None:
    assert report_id([review("https://r.example/2024/05/fact-check-rents.html")]) == "fact-check-rents"
    assert report_id([review("https://site.example/reports/planet-rents/claims/rents-doubled/")]) == "planet-rents"
    assert report_id([review("")]) == "rents-doubled-since-2015"
    assert len(report_id([review("https://r.example/" + "very-long-" * 20)])) <= 60


def test_a_report_lays_out_what_the_schema_needs() -> None:
    people = settings()
    planned = plan_report([review("https://r.example/x", "https://n.example/1", authors=(Party("Ann Writer", "person"),))], "x", people)
    assert not isinstance(planned, Problem)
    values = planned.values
    assert values["status"] == "draft" and values["authors"] == ["ann"] and values["published"] == DAY
    assert values["article"] == {
        "headline": "Rents doubled since 2015",
        "publisher": "Unknown publisher",
        "url": "https://n.example/1",
        "retrieved": DAY,
        "text_unavailable": "Imported from the original review's ClaimReview; the article's text was not saved.",
    }
    [claim] = values["claims"]  # type: ignore[misc]
    assert claim["verdict"] == {"rating": "false", "explanation": "Rated False by the original review."}
    assert claim["analysis"] == "Imported without its analysis; see [@original-review]." and claim["sources"] == ["original-review"]


def test_without_a_date_or_any_address_a_review_is_skipped() -> None:
    assert isinstance(plan_report([review("https://r.example/x", published=None)], "x", settings()), Problem)
    assert isinstance(plan_report([review("")], "x", settings()), Problem)


def test_unknown_authors_become_new_people_once() -> None:
    people = People({"ann": "Ann Writer"}, "Test Org")
    assert people.ids([Party("ANN WRITER", "person"), Party("Org", "organization")]) == ["ann"]
    assert people.ids([Party("Org", "organization")]) == ["org"] and people.ids([]) == ["test-org"]
    assert sorted(people.new) == ["org", "test-org"] and people.mapped == {"ann"}


def test_a_review_without_an_address_cites_its_groups_page() -> None:
    first = review("https://r.example/x", "https://n.example/1")
    second = review("", "https://n.example/1", claim_reviewed="Shelters cost $4 million")
    planned = plan_report([second, first], "x", settings())
    assert not isinstance(planned, Problem)
    assert [s["url"] for s in planned.values["sources"]] == ["https://r.example/x"]  # type: ignore[index, union-attr]
