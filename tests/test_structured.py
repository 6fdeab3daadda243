"""ClaimReview JSON-LD on claim pages, the report's NewsArticle, escaping and the base_url warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import REPORT_YAML, SITE_YAML
from generator import cli
from generator.build import BuildOptions, build, check
from generator.site.structured import claim_review, to_script_json
from publishing import BASE_URL, json_ld, read

CLAIM = "reports/planet-rents/claims/rents-doubled/index.html"
REPORT = "reports/planet-rents/index.html"


def _build(root: Path, out: Path, base_url: str | None = BASE_URL) -> list[str]:
    result = build(root, out, BuildOptions(base_url=base_url))
    return [d.message for d in result.diagnostics]


def test_claim_page_carries_exactly_one_claim_review(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """One ClaimReview with Google's required and recommended fields, url = the page's canonical URL."""
    out = tmp_path / "out"
    _build(make_project(), out)
    html = read(out, CLAIM)
    [review] = json_ld(html)
    url = BASE_URL + "reports/planet-rents/claims/rents-doubled/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == url and review["@id"] == url + "#claimreview"
    assert review["claimReviewed"] == "Rents in Metropolis doubled since 2015"
    assert review["datePublished"] == "2026-05-01" and review["dateModified"] == "2026-05-01"
    assert review["author"] == {"@type": "Organization", "name": "Test Org", "url": BASE_URL}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "name": "False",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 3,
        "worstRating": 1,
        "ratingExplanation": "Rents rose 38%, not 100%.",
    }
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Jane Doe", "jobTitle": "Mayor"}
    assert claim["appearance"][0] == {
        "@type": "Article",
        "url": "https://planet.example/rents",
        "headline": "Rents have doubled, mayor says",
        "publisher": {"@type": "Organization", "name": "Daily Planet"},
    }
    # The mayor said it before the article reported it: where it first appeared is unknown.
    assert "firstAppearance" not in claim and "datePublished" not in claim


def test_outlet_own_claim_first_appears_in_the_article(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """A claim the outlet makes itself has the article as firstAppearance, and its date."""
    report = REPORT_YAML.replace(
        "  retrieved: 2026-04-30\n",
        "  retrieved: 2026-04-30\n  published: 2026-04-29\n  archives:\n    - url: https://web.archive.org/web/2026/https://planet.example/rents\n",
    )
    out = tmp_path / "out"
    _build(make_project({"content/reports/planet-rents.yaml": report}), out)
    [review] = json_ld(read(out, "reports/planet-rents/claims/shelter-spend/index.html"))
    claim = review["itemReviewed"]
    assert claim["author"] == {"@type": "Organization", "name": "Daily Planet"}
    assert claim["datePublished"] == "2026-04-29"
    assert claim["firstAppearance"]["url"] == "https://planet.example/rents"
    assert [a["url"] for a in claim["appearance"]] == ["https://planet.example/rents", "https://web.archive.org/web/2026/https://planet.example/rents"]
    assert claim["appearance"][1]["@type"] == "CreativeWork"


def test_rating_off_the_scale_has_no_numbers(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """Ratings outside the scale keep alternateName and drop ratingValue, bestRating and worstRating."""
    out = tmp_path / "out"
    _build(make_project({"content/reports/planet-rents.yaml": REPORT_YAML.replace('rating: "false"', "rating: unproven")}), out)
    [review] = json_ld(read(out, CLAIM))
    assert review["reviewRating"] == {"@type": "Rating", "name": "Unproven", "alternateName": "Unproven", "ratingExplanation": "Rents rose 38%, not 100%."}


def test_report_page_links_its_claim_reviews(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """The report page has one NewsArticle pointing at each claim page's ClaimReview, and no ClaimReview."""
    out = tmp_path / "out"
    _build(make_project(), out)
    [article] = json_ld(read(out, REPORT))
    assert article["@type"] == "NewsArticle"
    assert article["url"] == BASE_URL + "reports/planet-rents/"
    assert article["headline"] == "Fact-check: the Daily Planet on rents"
    assert article["author"] == [{"@type": "Person", "name": "Ann Writer"}]
    ids = [json_ld(read(out, f"reports/planet-rents/claims/{c}/index.html"))[0]["@id"] for c in ("rents-doubled", "shelter-spend")]
    assert article["hasPart"] == [{"@id": i} for i in ids]
    assert json_ld(read(out, "index.html")) == []


def test_script_json_cannot_close_the_script_element(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """'</script>' and '<!--' in content stay inside the JSON as \\u escapes."""
    assert to_script_json({"a": "</script><!--&"}) == '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026"}'
    report = REPORT_YAML.replace("explanation: Rents rose 38%, not 100%.", "explanation: 'Rents rose 38%, not 100% </script><b>x</b>'")
    out = tmp_path / "out"
    _build(make_project({"content/reports/planet-rents.yaml": report}), out)
    html = read(out, CLAIM)
    [review] = json_ld(html)
    assert review["reviewRating"]["ratingExplanation"] == "Rents rose 38%, not 100% </script><b>x</b>"
    assert html.count("</script>") == html.count("<script") == 2  # the JSON-LD and share.js, each closed once


def test_missing_base_url_warns_and_leaves_out_urls(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """Without base_url the build warns (site.yaml) and the JSON-LD has no url or @id."""
    out = tmp_path / "out"
    root = make_project({"content/site.yaml": SITE_YAML})
    result = build(root, out, BuildOptions())
    [warning] = [d for d in result.diagnostics if d.field == "base_url"]
    assert warning.path == "content/site.yaml" and not warning.is_error
    [review] = json_ld(read(out, CLAIM))
    assert "url" not in review and "@id" not in review
    assert "hasPart" not in json_ld(read(out, REPORT))[0]
    assert not any(d.field == "base_url" for d in build(root, out, BuildOptions(base_url=BASE_URL)).diagnostics)


def test_check_notes_a_missing_base_url_at_its_commented_line(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """`check --strict` passes a site whose build will get --base-url, but says what `build --strict` needs; both point at the line."""
    # A nested comment naming base_url is not the line: the top-level one is.
    root = make_project(
        {"content/site.yaml": SITE_YAML.replace("ratings:\n", "ratings:\n  # base_url: not here\n", 1) + "# base_url: https://checks.example.org/\n"}
    )
    line = SITE_YAML.count("\n") + 2
    _, found = check(root)
    [noted] = [d for d in found if d.field == "base_url"]
    assert (noted.severity, noted.line, noted.col) == ("note", line, 3)
    assert "`build --strict` fails) unless it is given --base-url" in noted.message
    [warned] = [d for d in build(root, tmp_path / "out", BuildOptions()).diagnostics if d.field == "base_url"]
    assert (warned.severity, warned.line, warned.col) == ("warning", line, 3)
    assert cli.main(["--root", str(root), "check", "--strict", "-q"]) == 0
    assert cli.main(["--root", str(root), "build", "--strict", "--out", str(tmp_path / "strict"), "-q"]) == 1
    assert cli.main(["--root", str(root), "build", "--strict", "--out", str(tmp_path / "strict"), "--base-url", BASE_URL, "-q"]) == 0


def test_claim_review_has_license_language_and_rating_image(make_project: Callable[..., Path]) -> None:
    site_yaml = SITE_YAML.replace(
        '{key: "false", label: "False", definition: Not accurate., value: 1, color: "#c0202c"}',
        '{key: "false", label: "False", definition: Not accurate., value: 1, color: "#c0202c", image: "https://img.example/false.png"}',
    )
    site_yaml += "license_url: https://creativecommons.org/licenses/by/4.0/\nlanguage: en-GB\n"
    site_yaml = site_yaml.replace("language: en\n", "")
    site, _ = check(make_project({"content/site.yaml": site_yaml}))
    report = site.reports[0]
    review = claim_review(site, report, report.claims[0])
    assert review["sdLicense"] == "https://creativecommons.org/licenses/by/4.0/" and review["inLanguage"] == "en-GB"
    assert review["reviewRating"]["image"] == "https://img.example/false.png"
    assert "image" not in claim_review(site, report, report.claims[1])["reviewRating"]
    plain, _ = check(make_project())
    assert "sdLicense" not in claim_review(plain, plain.reports[0], plain.reports[0].claims[0])


def test_long_claim_reviewed_is_a_note_that_strict_check_lets_pass(make_project: Callable[..., Path]) -> None:
    from generator.cli import main

    long_claim = "Rents in Metropolis doubled since 2015, the mayor told the council on Tuesday"  # 77 characters
    report = REPORT_YAML.replace("claim_reviewed: Rents in Metropolis doubled since 2015", f"claim_reviewed: {long_claim}")
    root = make_project({"content/reports/planet-rents.yaml": report})
    _site, diagnostics = check(root)
    [note] = [d for d in diagnostics if d.field != "base_url"]
    assert note.severity.value == "note" and note.field == "claims[rents-doubled].claim_reviewed" and "77 characters" in note.message
    assert main(["--root", str(root), "check", "--strict"]) == 0


APPEARANCES = """    appearances:
      - {url: "https://social.example/@janedoe/1", kind: post, date: 2026-04-28, archives: [{url: "https://web.archive.org/web/1/https://social.example/@janedoe/1"}]}
      - {url: "https://tv.example/interview", kind: video, title: Interview on Metro TV}
      - {url: "https://council.example/minutes", kind: speech, title: Council meeting}
"""


def appearances_report() -> str:
    """The minimal report with three more appearances of its first claim."""
    claimant = "    claimant: {name: Jane Doe, type: person, job_title: Mayor}\n"
    return REPORT_YAML.replace(claimant, claimant + APPEARANCES)


def test_every_appearance_is_in_claim_review_and_on_the_page(make_project: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(make_project({"content/reports/planet-rents.yaml": appearances_report()}), out, BuildOptions(base_url=BASE_URL, cache=False))
    html = read(out, "reports/planet-rents/claims/rents-doubled/index.html")
    [review] = json_ld(html)
    found = [(a["@type"], a["url"], a.get("name"), a.get("datePublished")) for a in review["itemReviewed"]["appearance"]]
    assert found == [
        ("Article", "https://planet.example/rents", None, None),
        ("SocialMediaPosting", "https://social.example/@janedoe/1", "Post", "2026-04-28"),
        ("CreativeWork", "https://web.archive.org/web/1/https://social.example/@janedoe/1", "Archived copy of “Post”", None),
        ("CreativeWork", "https://tv.example/interview", "Interview on Metro TV", None),
        ("CreativeWork", "https://council.example/minutes", "Council meeting", None),
    ]
    section = html.split('id="appearances-title"')[1].split("</section>")[0]
    assert section.count("<li>") == 3 and 'href="https://tv.example/interview" rel="noopener">Interview on Metro TV</a>' in section
    assert "28 April 2026" in section and "web.archive.org" in section
