"""Data exports: every ClaimReview as a schema.org DataFeed (JSON) and one CSV row per claim.

The JSON follows the feed shape fact-check aggregators ingest (a DataFeed whose elements are
DataFeedItems holding ClaimReviews); its ClaimReviews are the objects the claim pages carry.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence

from generator.model.entities import Claim, Report, Site
from generator.site import urls
from generator.site.jobs import EVERYTHING, InParts, PageJob, report_runs
from generator.site.structured import SCHEMA, JsonObj, claim_review, organization

CLAIMS_JSON = "data/claims.json"
CLAIMS_CSV = "data/claims.csv"
CLAIMREVIEW_API = "data/claimreview-api.json"
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


def _feed_items(site: Site, reports: Iterable[Report]) -> Iterator[JsonObj]:
    """Each claim's ClaimReview as a DataFeedItem, in site order (made one at a time: a list of them all is ~5 KB a claim)."""
    for report in reports:
        for claim in report.claims:
            yield {
                "@type": "DataFeedItem",
                "dateCreated": report.published.isoformat(),
                "dateModified": report.modified.isoformat(),
                "item": claim_review(site, report, claim, context=False),
            }


def _feed_head(site: Site) -> JsonObj:
    feed: JsonObj = {"@context": SCHEMA, "@type": "DataFeed", "name": f"{site.config.title}: fact-checks (ClaimReview)"}
    url = urls.absolute(site.config.base_url, CLAIMS_JSON)
    if url:
        feed["url"] = url
    feed |= {
        "description": f"Every claim reviewed by {site.config.title}, as schema.org ClaimReview.",
        "inLanguage": site.config.language,
        "publisher": organization(site),
    }
    if site.published:
        feed["dateModified"] = max(r.modified for r in site.published).isoformat()
    return feed


def _compact(value: object) -> bytes:
    # Compact JSON goes through the json module's C encoder; pretty-printing would take seconds on a large archive.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


ROWS_A_PIECE = 500  # rows joined into one piece of an export: a few hundred kilobytes, written as made


def _in_pieces(first: bytes, rows: Iterable[bytes], last: bytes) -> Iterator[bytes]:
    """first, the encoded rows and last, joined ROWS_A_PIECE rows at a time: written as they come (output/disk.py),
    so an export of every claim is never held whole, nor are its rows' objects."""
    piece = [first]
    for count, row in enumerate(rows, start=1):
        piece.append(row)
        if count % ROWS_A_PIECE == 0:
            yield b"".join(piece)
            piece = []
    piece.append(last)
    yield b"".join(piece)


def _lines(head: bytes, rows: Iterable[object], tail: bytes, first: bool, last: bool) -> Iterator[bytes]:
    """A part of a JSON export with a row a line: `head` in the first part, `tail` in the last, a comma
    before every row but the export's first (so parts made apart join into the file made whole)."""
    encoded = ((b",\n" if count or not first else b"") + _compact(row) for count, row in enumerate(rows))
    return _in_pieces(head if first else b"", encoded, b"\n" + tail if last else b"")


PART_CLAIMS = 2_000  # claims in a part of an export: the parts of a large archive's exports are made by several processes


_Part = Callable[[Site, tuple[Report, ...], bool, bool], Iterator[bytes]]


def in_parts(site: Site, part: _Part) -> InParts:
    """An export of the published reports as parts of about PART_CLAIMS claims each: part(site, reports, first, last)."""
    runs = report_runs(site.published, PART_CLAIMS)
    return InParts(tuple(functools.partial(part, site, run, index == 0, index == len(runs) - 1) for index, run in enumerate(runs)))


def claims_json_part(site: Site, reports: tuple[Report, ...], first: bool, last: bool) -> Iterator[bytes]:
    """A part of data/claims.json (byte-stable, one claim's review a line, so a diff shows which claims changed)."""
    head = _compact(_feed_head(site))[:-1] + b',"dataFeedElement":[\n' if first else b""
    return _lines(head, _feed_items(site, reports), b"]}\n", first, last)


def claims_csv_part(site: Site, reports: tuple[Report, ...], first: bool, last: bool) -> Iterator[bytes]:
    """A part of data/claims.csv: one row per claim, RFC 4180 (CRLF line ends), UTF-8; the header in the first."""
    rows = (_csv_line(_csv_row(site.config.base_url, report, claim)) for report in reports for claim in report.claims)
    return _in_pieces(_csv_line(CSV_COLUMNS) if first else b"", rows, b"")


def _csv_row(base: str, report: Report, claim: Claim) -> list[str]:
    """A claim's CSV cells, each safe to open in a spreadsheet."""
    cells = (
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
    return [csv_cell(cell) for cell in cells]


def _csv_line(cells: Sequence[str]) -> bytes:
    """One CSV record as the csv module writes it: quoted where needed, CRLF."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue().encode("utf-8")


def csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): a leading ' when it starts like one."""
    return "'" + value if value.startswith(_FORMULA_START) else value


# What makes Excel, LibreOffice and Google Sheets read a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _api_rating(rating: JsonObj) -> JsonObj:
    names = {"alternateName": "textualRating", "ratingValue": "ratingValue", "bestRating": "bestRating", "worstRating": "worstRating"}
    out = {api: rating[key] for key, api in names.items() if key in rating}
    if "image" in rating:
        out["imageUrl"] = rating["image"]
    out["ratingExplanation"] = rating["ratingExplanation"]
    return out


def _api_author(author: JsonObj) -> JsonObj:
    out: JsonObj = {"name": author["name"]}
    for key, api in (("jobTitle", "jobTitle"), ("image", "imageUrl")):
        if key in author:
            out[api] = author[key]
    if author.get("sameAs"):
        out["sameAs"] = author["sameAs"][0]  # the API takes one address
    return out


def markup_page(site: Site, report: Report, claim: Claim) -> JsonObj:
    """One claim page as the Fact Check Tools API's ClaimReviewMarkupPage, mapped from its ClaimReview."""
    review = claim_review(site, report, claim, context=False)
    item = review["itemReviewed"]
    page_url = review.get("url") or urls.claim(report.id, claim.id)
    markup: JsonObj = {"url": page_url, "claimReviewed": review["claimReviewed"]}
    if "datePublished" in item:
        markup["claimDate"] = item["datePublished"]
    if "firstAppearance" in item:
        markup["claimFirstAppearance"] = item["firstAppearance"]["url"]
    markup["claimAppearances"] = [a["url"] for a in item["appearance"]]
    markup["claimAuthor"] = _api_author(item["author"])
    markup["rating"] = _api_rating(review["reviewRating"])
    author: JsonObj = {"name": site.config.organization.name}
    if site.config.organization.logo:
        author["imageUrl"] = site.config.organization.logo
    return {"pageUrl": page_url, "publishDate": report.published.isoformat(), "claimReviewAuthor": author, "claimReviewMarkups": [markup]}


def claimreview_api_part(site: Site, reports: tuple[Report, ...], first: bool, last: bool) -> Iterator[bytes]:
    """A part of data/claimreview-api.json: one ClaimReviewMarkupPage a claim page, ready for the Fact Check Tools API."""
    return _lines(b"[\n", (markup_page(site, report, claim) for report in reports for claim in report.claims), b"]\n", first, last)


def claims_json(site: Site) -> InParts:
    """data/claims.json, a ClaimReview DataFeed, in parts."""
    return in_parts(site, claims_json_part)


def claims_csv(site: Site) -> InParts:
    """data/claims.csv, in parts."""
    return in_parts(site, claims_csv_part)


def claimreview_api_json(site: Site) -> InParts:
    """data/claimreview-api.json, in parts."""
    return in_parts(site, claimreview_api_part)


def export_files(site: Site) -> Iterable[PageJob]:
    """data/claims.json (a ClaimReview DataFeed), data/claims.csv and data/claimreview-api.json, each in parts."""
    yield PageJob(CLAIMS_JSON, "", {}, "Claims (JSON)", depends=EVERYTHING, produce=claims_json(site))
    yield PageJob(CLAIMS_CSV, "", {}, "Claims (CSV)", depends=EVERYTHING, produce=claims_csv(site))
    yield PageJob(CLAIMREVIEW_API, "", {}, "ClaimReview markup pages (JSON)", depends=EVERYTHING, produce=claimreview_api_json(site))
