"""People pages: one per person with their reports, a staff page, bylines linking to them."""

from __future__ import annotations

import json
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
