"""Data exports: every ClaimReview as a schema.org DataFeed (JSON) and one CSV row per claim.

The JSON follows the feed shape fact-check aggregators ingest (a DataFeed whose elements are
DataFeedItems holding ClaimReviews); its ClaimReviews are the objects the claim pages carry.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from generator.model.entities import Site
from generator.site import urls
from generator.site.jobs import EVERYTHING, PageJob
from generator.site.structured import SCHEMA, JsonObj, claim_review, organization

CLAIMS_JSON = "data/claims.json"
CLAIMS_CSV = "data/claims.csv"
CSV_COLUMNS = (
    "report_id",
    "report_url",
    "claim_id",
    "claim_url",
    "claim_reviewed",
    "claimant",
    "rating",
    "rating_label",
    "claim_date",
    "report_published",
    "article_url",
    "article_publisher",
)


def data_feed(site: Site) -> JsonObj:
    """Every claim's ClaimReview in a schema.org DataFeed, newest report first."""
    items = []
    for report in site.reports:
        for claim in report.claims:
            items.append(
                {
                    "@type": "DataFeedItem",
                    "dateCreated": report.published.isoformat(),
                    "dateModified": report.modified.isoformat(),
                    "item": claim_review(site, report, claim, context=False),
                }
            )
    feed: JsonObj = {"@context": SCHEMA, "@type": "DataFeed", "name": f"{site.config.title}: fact-checks (ClaimReview)"}
    url = urls.absolute(site.config.base_url, CLAIMS_JSON)
    if url:
        feed["url"] = url
    feed |= {
        "description": f"Every claim reviewed by {site.config.title}, as schema.org ClaimReview.",
        "inLanguage": site.config.language,
        "publisher": organization(site),
    }
    if site.reports:
        feed["dateModified"] = max(r.modified for r in site.reports).isoformat()
    feed["dataFeedElement"] = items
    return feed


def claims_json(site: Site) -> bytes:
    """data/claims.json, byte-stable, one claim's review a line (so a diff shows which claims changed)."""
    feed = data_feed(site)
    items = feed.pop("dataFeedElement")
    # Compact JSON goes through the json module's C encoder; pretty-printing would take seconds on a large archive.
    head = json.dumps(feed, ensure_ascii=False, separators=(",", ":"))
    rows = ",\n".join(json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items)
    return (head[:-1] + ',"dataFeedElement":[\n' + rows + "\n]}\n").encode("utf-8")


def claims_csv(site: Site) -> bytes:
    """data/claims.csv: one row per claim, RFC 4180 (CRLF line ends), UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    base = site.config.base_url
    for report in site.reports:
        for claim in report.claims:
            row = (
                report.id,
                urls.absolute(base, urls.report(report.id)) or urls.report(report.id),
                claim.id,
                urls.absolute(base, urls.claim(report.id, claim.id)) or urls.claim(report.id, claim.id),
                claim.claim_reviewed,
                claim.claimant.name,
                claim.rating.key,
                claim.rating.label,
                claim.claim_date.isoformat() if claim.claim_date else "",
                report.published.isoformat(),
                report.article.url,
                report.article.publisher,
            )
            writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): a leading ' when it starts like one."""
    return "'" + value if value.startswith(_FORMULA_START) else value


# What makes Excel, LibreOffice and Google Sheets read a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_files(site: Site) -> Iterable[PageJob]:
    """data/claims.json (a ClaimReview DataFeed) and data/claims.csv."""
    yield PageJob(CLAIMS_JSON, "", {}, "Claims (JSON)", depends=EVERYTHING, produce=lambda: claims_json(site))
    yield PageJob(CLAIMS_CSV, "", {}, "Claims (CSV)", depends=EVERYTHING, produce=lambda: claims_csv(site))
