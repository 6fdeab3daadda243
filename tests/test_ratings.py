"""Mapping rating labels to the site's scale (generator/importer/ratings.py)."""

from __future__ import annotations

from generator.importer.ratings import PLACEHOLDER, RatingMatcher, fold, map_problems

SITE = {"true": "True", "half-true": "Half true", "false": "False"}


def test_labels_match_by_key_or_label_ignoring_case_and_punctuation() -> None:
    matcher = RatingMatcher(SITE, {"Pants on Fire!": "false"})
    assert [matcher.key(x) for x in ("TRUE", "half-TRUE", "Half true.", "pants on fire", "Four Pinocchios")] == ["true", "half-true", "half-true", "false", ""]
    assert dict(matcher.unmapped) == {"Four Pinocchios": 1} and fold("Pants on Fire!") == "pantsonfire"


def test_additions_get_unique_keys_and_a_placeholder() -> None:
    matcher = RatingMatcher({"true": "True", "satira": "Satire"})
    for label in ("Sátira", "SÁTIRA!", "Four Pinocchios", "Satire"):
        matcher.key(label)
    added = matcher.additions()  # 'Sátira' is not 'satira' once folded, but its slug is: the new key differs
    assert [(r["key"], r["label"]) for r in added] == [("four-pinocchios", "Four Pinocchios"), ("satira-2", "Sátira")]
    assert added[0]["definition"] == PLACEHOLDER and matcher.lookup("sátira") == "satira-2" and matcher.lookup("Satire") == "satira"


def test_a_map_must_point_at_site_ratings() -> None:
    mapping, problems = map_problems([("Pants on Fire!", "false"), ("Nope", "nope"), ("List", ["x"])], SITE)
    assert mapping == {"Pants on Fire!": "false"}
    assert problems == ["'Nope' maps to 'nope', which is not a rating of site.yaml (false, half-true, true)", "'List': map each label to a rating key (text)"]
