"""Transparency: funding, ownership and addresses on the about page and in footers; report-an-error links; responses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPORT_YAML, SITE_YAML
from generator.build import BuildOptions, check, render_site
from generator.diagnostics import BuildFailed
from generator.site.transparency import address_href

OPEN = (
    SITE_YAML
    + """transparency:
  funding: Reader donations (72%) and a grant from the Example Foundation (28%).
  ownership: Test Org is a non-profit association registered in Metropolis.
  contact: desk@test.example
  tips: https://test.example/tips
  ifcn: https://ifcncodeofprinciples.poynter.org/profile/test
"""
)


def _pages(root: Path) -> dict[str, str]:
    return {p.path: p.data.decode() for p in render_site(root, BuildOptions(base_url="https://x.example/")).pages if p.path.endswith(".html")}


def test_about_page_and_footer_show_funding_ownership_and_addresses(make_project: Callable[..., Path]) -> None:
    pages = _pages(make_project({"content/site.yaml": OPEN}))
    about = pages["about/index.html"].split("<main")[1]
    assert "Reader donations (72%)" in about and "non-profit association" in about
    assert 'href="mailto:desk@test.example"' in about and 'href="https://test.example/tips"' in about
    assert 'href="https://ifcncodeofprinciples.poynter.org/profile/test"' in about
    for path in ("index.html", "reports/planet-rents/index.html", "people/ann/index.html"):
        footer = pages[path].split('<footer class="site-footer">')[1]
        assert "Who funds and owns us</a>" in footer and 'href="mailto:desk@test.example"' in footer and "IFCN signatory" in footer, path
    assert "Funding, ownership and contact" not in pages["index.html"]


def test_report_and_claim_pages_have_a_report_an_error_link(make_project: Callable[..., Path]) -> None:
    pages = _pages(make_project({"content/site.yaml": OPEN}))
    claim = pages["reports/planet-rents/claims/rents-doubled/index.html"]
    expected = address_href("desk@test.example", "Error report: Rents in Metropolis doubled since 2015", "")
    assert f'<a href="{expected}' in claim and "Report an error on this page" in claim
    assert "https%3A%2F%2Fx.example%2Freports%2Fplanet-rents%2Fclaims%2Frents-doubled%2F" in claim  # the page it is about
    assert "Report an error on this page" in pages["reports/planet-rents/index.html"]
    assert "Report an error on this page" not in _pages(make_project())["reports/planet-rents/index.html"]  # nowhere to send it


def test_a_form_address_is_linked_as_it_is() -> None:
    assert address_href("https://test.example/form") == "https://test.example/form"
    assert address_href("a@b.example", "Hi & bye") == "mailto:a@b.example?subject=Hi%20%26%20bye"


def test_addresses_must_be_emails_or_http(make_project: Callable[..., Path]) -> None:
    bad = SITE_YAML + "transparency:\n  contact: javascript:alert(1)\n"
    with pytest.raises(BuildFailed) as failed:
        check(make_project({"content/site.yaml": bad}))
    assert [d.field for d in failed.value.diagnostics] == ["transparency.contact"]


def test_response_is_shown_under_the_summary(make_project: Callable[..., Path]) -> None:
    summary = "summary: One claim holds up, one does not.\n"
    report = REPORT_YAML.replace(summary, summary + "response: The Daily Planet did not respond.\n")
    page = _pages(make_project({"content/reports/planet-rents.yaml": report}))["reports/planet-rents/index.html"]
    summary = page.split('id="summary-title"')[1].split("</section>")[0]
    assert "When we got in touch:</strong> The Daily Planet did not respond." in summary
