"""People pages: one per person with their reports, a staff page, bylines linking to them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from conftest import PEOPLE_YAML
from generator.build import BuildOptions, render_site
from generator.model.entities import initials

PEOPLE = (
    PEOPLE_YAML.replace(
        "  role: Researcher\n",
        "  role: Researcher\n  bio: Covers *housing* <script>.\n  photo: https://img.example/ann.jpg\n  same_as: [https://www.wikidata.org/wiki/Q1]\n",
    )
    + "- id: cat\n  name: Cat Idle\n"
)


def _pages(root: Path, base_url: str | None = None) -> dict[str, str]:
    return {p.path: p.data.decode() for p in render_site(root, BuildOptions(base_url=base_url)).pages if p.path.endswith(".html")}


def test_each_person_has_a_page_with_bio_photo_and_reports(make_project: Callable[..., Path]) -> None:
    pages = _pages(make_project({"content/people.yaml": PEOPLE}), "https://x.example/")
    ann = pages["people/ann/index.html"]
    assert "<em>housing</em> &lt;script&gt;" in ann and 'src="https://img.example/ann.jpg"' in ann
    wrote = ann.split('id="wrote-title"')[1].split("</section>")[0]
    assert 'href="../../reports/planet-rents/index.html"' in wrote
    assert "None published yet." in ann.split('id="reviewed-title"')[1]
    bob = pages["people/bob/index.html"]
    assert 'href="../../reports/planet-rents/index.html"' in bob.split('id="reviewed-title"')[1]
    cat = pages["people/cat/index.html"]
    assert '<span class="avatar avatar-initials avatar-large" aria-hidden="true">CI</span>' in cat
    data = json.loads(ann.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "ProfilePage" and data["url"] == "https://x.example/people/ann/"
    assert data["mainEntity"]["sameAs"] == ["https://www.wikidata.org/wiki/Q1"] and data["mainEntity"]["jobTitle"] == "Researcher"


def test_staff_page_lists_everyone_and_bylines_link_people(make_project: Callable[..., Path]) -> None:
    pages = _pages(make_project({"content/people.yaml": PEOPLE}))
    staff = pages["people/index.html"]
    assert [name for name in ("Ann Writer", "Bob Editor", "Cat Idle") if name in staff] == ["Ann Writer", "Bob Editor", "Cat Idle"]
    assert 'href="ann/index.html"' in staff
    report = pages["reports/planet-rents/index.html"]
    assert 'By <a href="../../people/ann/index.html">Ann Writer</a>' in report
    assert 'Reviewed by <a href="../../people/bob/index.html">Bob Editor</a>' in report
    claim = pages["reports/planet-rents/claims/rents-doubled/index.html"]
    assert '<a href="../../../../people/ann/index.html">Ann Writer</a>' in claim


def test_photo_must_be_an_http_address(make_project: Callable[..., Path]) -> None:
    from generator.build import check
    from generator.diagnostics import BuildFailed

    root = make_project({"content/people.yaml": PEOPLE_YAML + "  photo: javascript:alert(1)\n"})
    try:
        check(root)
    except BuildFailed as failed:
        assert any("photo" in d.message or "photo" in d.field for d in failed.diagnostics)
    else:
        raise AssertionError("a javascript: photo was accepted")


def test_initials() -> None:
    assert initials("Jane Q. Doe") == "JD" and initials("Ærø Council") == "ÆC" and initials("UNESCO") == "U" and initials("  ") == "?"


def test_a_long_list_shows_the_newest_on_the_profile_and_is_paginated_in_full(tmp_path: Path) -> None:
    from conftest import write_tree
    from generator.build import build
    from publishing import many_reports, read

    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(12, page_size=5)), out)  # Ann wrote all twelve, Bob reviewed them
    profile = read(out, "people/ann/index.html").split('id="wrote-title"')[1].split("</section>")[0]
    assert "Fact-checks written (12)" in profile
    assert re.findall(r"reports/(report-\d+)/", profile) == [f"report-{n:03d}" for n in range(11, 6, -1)]  # the five newest
    assert '<a href="written/index.html">All 12 fact-checks they wrote' in profile
    listed = []
    for page in ("people/ann/written/index.html", "people/ann/written/2/index.html", "people/ann/written/3/index.html"):
        html = read(out, page)
        assert "<h1>Fact-checks written by Ann Writer</h1>" in html and "Ann Writer</a> › <span" in html
        listed += re.findall(r"reports/(report-\d+)/index.html\">", html.split("<h1>")[1])
    assert listed == [f"report-{n:03d}" for n in range(11, -1, -1)]  # every report once, newest first
    page_two = read(out, "people/ann/written/2/index.html")
    assert 'href="../3/index.html">Next' in page_two and '<a href="../../index.html">Ann Writer</a>' in page_two
    assert "written/" not in read(out, "people/bob/index.html") and (out / "people/bob/reviewed/3/index.html").is_file()
    assert not (out / "people/ann/reviewed").exists()  # a list that fits on the profile gets no pages of its own


def test_a_short_list_stays_whole_on_the_profile(tmp_path: Path) -> None:
    from conftest import write_tree
    from generator.build import build
    from publishing import many_reports, read

    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(5, page_size=5)), out)
    profile = read(out, "people/ann/index.html")
    assert len(re.findall(r'reports/report-\d+/index.html">', profile)) == 5 and "see-all" not in profile
    assert not (out / "people/ann/written").exists()
