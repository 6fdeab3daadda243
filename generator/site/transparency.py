"""Transparency: links to the newsroom's contact, tips and error-report addresses, for the theme.

site.yaml's `transparency:` holds emails or https addresses; the theme shows funding, ownership and
these on the about page and in every footer, and a "Report an error on this page" link on every
report and claim page (a mailto: that names the page, or the form's address).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from generator.model.entities import Site
from generator.site import urls


def address_href(address: str, subject: str = "", body: str = "") -> str:
    """A link to an email address (mailto:, with an optional subject and body) or to an https form."""
    if not address or address.startswith(("https://", "http://")):
        return address
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in (("subject", subject), ("body", body)) if value)
    return f"mailto:{address}" + (f"?{query}" if query else "")


def address_label(address: str) -> str:
    """How an address reads in the page: the email itself, or the form's host and path."""
    return address.removeprefix("https://").removeprefix("http://").rstrip("/")


def report_error_href(site: Site, title: str, page: str) -> str:
    """The 'Report an error on this page' link for a page with this title and canonical URL ('' without one)."""
    body = site.strings.text("mail.error_body", page=page or title)
    return address_href(site.config.transparency.errors_address, site.strings.text("mail.error_page_subject", title=title), body)


def template_globals(site: Site) -> Mapping[str, Any]:
    """The transparency details and the report-an-error link for templates."""
    return {
        # Where the full statement is: a URL string (plain data, so build's page cache can vouch for it).
        "about_page": next((urls.page(p.slug) for p in site.pages if p.slug == "about"), ""),
        "address_href": address_href,
        "address_label": address_label,
        "report_error_href": lambda title, page: report_error_href(site, title, page),
    }
