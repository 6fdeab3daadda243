"""Feeds and crawler files: Atom feeds of reports and corrections, sitemap.xml, robots.txt.

Every date comes from the content (never the clock) and every id from stable names, so two
builds of the same content write the same bytes. Links are absolute when base_url is set and
relative to the feed otherwise (Atom resolves them against the feed's own address).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence

from markupsafe import escape

from generator import __version__
from generator.content.names import split_url
from generator.model.entities import Correction, Report, Site
from generator.site import urls
from generator.site.jobs import EVERYTHING, PageJob, joined

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_ENTRIES = 50  # newest reports in the feed; older ones stay on the site and in data/claims.json
SITEMAP_LIMIT = 50_000  # the sitemaps.org limit of URLs in one file
_EPOCH = dt.date(1970, 1, 1)

# Characters XML 1.0 does not allow; ElementTree would write them and make the feed ill-formed.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def timestamp(day: dt.date) -> str:
    """An RFC 3339 timestamp for a calendar date (midnight UTC)."""
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(site: Site, path: str, day: dt.date) -> str:
    """A stable id: a tag: URI on the organisation's domain (it survives a move of the site)."""
    hosts = (split_url(url) for url in (site.config.organization.url, site.config.base_url))
    authority = next((parts.hostname for parts in hosts if parts is not None and parts.hostname), None)
    if authority:
        return f"tag:{authority},{day.isoformat()}:{path}"
    return _uuid_urn(site, path)


def _uuid_urn(site: Site, path: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"factcheck:{site.config.title}:{path}"))


def link(site: Site, from_url: str, to_url: str) -> str:
    """An absolute URL when base_url is set, else a link relative to `from_url`."""
    return urls.absolute(site.config.base_url, to_url) or urls.relative(from_url, to_url)


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids: the last defence, `check` reports them in content."""
    return _XML_FORBIDDEN.sub("", text)


def _el(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {name: xml_text(value) for name, value in attrs.items()})
    if text:
        child.text = xml_text(text)
    return child


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def _feed(site: Site, name: str, title: str, subtitle: str, updated: dt.date) -> ET.Element:
    feed_url = urls.feed(name)
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": site.config.language})
    # The feed's own id: its address, or a name-based UUID when the site has no base_url.
    _el(root, "id", urls.absolute(site.config.base_url, feed_url) or _uuid_urn(site, feed_url))
    _el(root, "title", title)
    _el(root, "subtitle", subtitle)
    _el(root, "updated", timestamp(updated))
    _el(root, "link", rel="alternate", type="text/html", href=link(site, feed_url, urls.home()))
    self_url = urls.absolute(site.config.base_url, feed_url)
    if self_url:
        _el(root, "link", rel="self", type="application/atom+xml", href=self_url)
    author = _el(root, "author")
    _el(author, "name", site.config.organization.name)
    if site.config.organization.url:
        _el(author, "uri", site.config.organization.url)
    _el(root, "generator", "factcheck", version=__version__)
    return root


def _report_html(site: Site, report: Report, feed_url: str) -> str:
    items = "".join(
        f'<li><a href="{escape(link(site, feed_url, urls.claim(report.id, c.id)))}">{escape(c.claim_reviewed)}</a>: '
        f"<strong>{escape(c.rating.label)}</strong>. {escape(c.explanation)}</li>"
        for c in report.claims
    )
    return f"<p>{escape(report.summary)}</p><ul>{items}</ul>"


def reports_feed(site: Site) -> bytes:
    """The Atom feed of the newest reports."""
    feed_url = urls.feed("reports")
    reports = sorted(site.published, key=lambda r: (-r.modified.toordinal(), -r.published.toordinal(), r.id))[:FEED_ENTRIES]
    updated = max((r.modified for r in reports), default=_EPOCH)
    root = _feed(site, "reports", site.config.title, site.config.description, updated)
    for report in reports:
        entry = _el(root, "entry")
        _el(entry, "id", entry_id(site, urls.report(report.id), report.published))
        _el(entry, "title", report.title)
        _el(entry, "link", rel="alternate", type="text/html", href=link(site, feed_url, urls.report(report.id)))
        _el(entry, "published", timestamp(report.published))
        _el(entry, "updated", timestamp(report.modified))
        for person in report.authors:
            _el(_el(entry, "author"), "name", person.name)
        for topic in report.topics:
            _el(entry, "category", term=topic)
        _el(entry, "summary", report.summary)
        _el(entry, "content", _report_html(site, report, feed_url), type="html")
    return _serialize(root)


def _correction_text(site: Site, c: Correction) -> str:
    rated = site.strings.text("feed.rating_changed", old=c.from_rating.label, new=c.to_rating.label) if c.from_rating and c.to_rating else ""
    return f"{c.change}{f' ({rated})' if rated else ''}. {site.strings.text('feed.why')} {c.reason}"


def corrections_feed(site: Site) -> bytes:
    """The Atom feed of every correction, newest first."""
    feed_url = urls.feed("corrections")
    # Withdrawn reports are out of every listing but this one: their withdrawal is a correction.
    rows = sorted(
        ((c, r, i) for r in (*site.published, *site.withdrawn) for i, c in enumerate(r.corrections, start=1)),
        key=lambda x: (-x[0].date.toordinal(), x[1].id, x[2]),
    )
    updated = max((c.date for c, _, _ in rows), default=max((r.published for r in site.published), default=_EPOCH))
    subtitle = site.strings.text("feed.corrections_subtitle", site=site.config.title)
    root = _feed(site, "corrections", site.strings.text("feed.corrections_title", site=site.config.title), subtitle, updated)
    for c, report, number in rows[:FEED_ENTRIES]:
        entry = _el(root, "entry")
        _el(entry, "id", entry_id(site, f"{urls.report(report.id)}corrections/{number}", c.date))
        kind = site.strings.text(f"feed.kind.{c.type}") if f"feed.kind.{c.type}" in site.strings.table else c.type
        _el(entry, "title", f"{kind}: {report.title}")
        _el(entry, "link", rel="alternate", type="text/html", href=link(site, feed_url, urls.report(report.id)))
        _el(entry, "updated", timestamp(c.date))
        _el(entry, "summary", _correction_text(site, c))
    return _serialize(root)


def _lastmod(modified: dict[str, dt.date], newest: dt.date | None, job: PageJob) -> dt.date | None:
    if job.lists_site or "*" in job.depends:
        return newest
    return max((modified[d] for d in job.depends if d in modified), default=None)


def _in_sitemap(job: PageJob) -> bool:
    return job.produce is None and (job.url == "" or job.url.endswith("/"))


def _sitemap_pages(site: Site, jobs: Sequence[PageJob]) -> list[PageJob]:
    pages = [job for job in jobs if _in_sitemap(job)]
    if not site.drafts:
        return pages
    # A preview's drafts are not offered to search engines: their report's pages are left out.
    unpublished = {r.id for r in site.reports if not r.is_published}
    return [job for job in pages if not (isinstance(report := job.context.get("report"), Report) and report.id in unpublished)]


def sitemap_files(site: Site, jobs: Sequence[PageJob], limit: int = SITEMAP_LIMIT) -> list[tuple[str, bytes]]:
    """sitemap.xml (and sitemap-N.xml when there are more than `limit` pages); none without base_url."""
    if not site.config.base_url:
        return []
    names = _sitemap_names(len(_sitemap_pages(site, jobs)), limit)
    return [(name, joined(sitemap_file(site, jobs, index, limit))) for index, name in enumerate(names)]


def _sitemap_names(count: int, limit: int) -> list[str]:
    """The sitemap's files for `count` pages: one, or an index and a file per `limit` pages."""
    return ["sitemap.xml"] if count <= limit else ["sitemap.xml", *(f"sitemap-{n}.xml" for n in range(1, -(-count // limit) + 1))]


def sitemap_file(site: Site, jobs: Sequence[PageJob], index: int, limit: int = SITEMAP_LIMIT) -> Iterator[bytes]:
    """The sitemap's file number `index` (see _sitemap_names), made alone and in pieces: a large site's is never held whole."""
    base = site.config.base_url
    pages = _sitemap_pages(site, jobs)
    if len(pages) > limit and index == 0:  # the index of the others
        rows = [[("loc", urls.absolute(base, name))] for name in _sitemap_names(len(pages), limit)[1:]]
        return _xml_list("sitemapindex", "sitemap", rows)
    start = (index - 1) * limit if len(pages) > limit else 0
    # A page's lastmod is the newest change among the reports it shows.
    modified = {r.id: r.modified for r in site.every_report}
    newest = max(modified.values(), default=None)
    days = ((job, _lastmod(modified, newest, job)) for job in pages[start : start + limit])
    return _xml_list("urlset", "url", ([("loc", urls.absolute(base, job.url)), *([("lastmod", day.isoformat())] if day else [])] for job, day in days))


ROWS_A_PIECE = 1000  # a sitemap is written in pieces of this many URLs: 50,000 held at once took 15 MB


def _xml_list(tag: str, child: str, rows: Iterable[Sequence[tuple[str, str]]]) -> Iterator[bytes]:
    """A sitemaps.org file: `tag` holding a `child` per row of (element, text), in the bytes ElementTree
    writes and indents, in pieces, without a tree of 250,000 elements in memory (every row has a text: a URL)."""
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        yield f'{head}<{tag} xmlns="{SITEMAP_NS}" />\n'.encode()
        return
    parts = [head, f'<{tag} xmlns="{SITEMAP_NS}">']
    for count, row in enumerate(itertools.chain([first], rows), start=1):
        parts.append(f"\n  <{child}>")
        parts += (f"\n    <{name}>{_xml_escape(xml_text(text))}</{name}>" for name, text in row)
        parts.append(f"\n  </{child}>")
        if not count % ROWS_A_PIECE:
            yield "".join(parts).encode("utf-8", "xmlcharrefreplace")
            parts = []
    parts.append(f"\n</{tag}>\n")
    yield "".join(parts).encode("utf-8", "xmlcharrefreplace")


def _xml_escape(text: str) -> str:
    # What ElementTree escapes in an element's text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def robots_txt(site: Site) -> bytes:
    """robots.txt allowing everything and naming the sitemap (which needs an absolute URL)."""
    lines = ["User-agent: *", "Allow: /"]
    sitemap = urls.absolute(site.config.base_url, "sitemap.xml")
    if sitemap:
        lines.append(f"Sitemap: {sitemap}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def feed_files(site: Site) -> Iterable[PageJob]:
    """The Atom feeds of reports and corrections, and robots.txt."""
    yield PageJob(urls.feed("reports"), "", {}, "Reports feed", depends=EVERYTHING, produce=lambda: reports_feed(site))
    yield PageJob(urls.feed("corrections"), "", {}, "Corrections feed", depends=EVERYTHING, produce=lambda: corrections_feed(site))
    yield PageJob("robots.txt", "", {}, "robots.txt", depends=frozenset(), produce=lambda: robots_txt(site))


def sitemap(site: Site, jobs: Sequence[PageJob]) -> Iterable[PageJob]:
    """sitemap.xml (split past 50,000 URLs), given every other page; none without base_url."""
    if not site.config.base_url:
        return
    # Counting the pages (a pass over every job, on every rebuild of the preview) is needed only past the limit.
    count = len(_sitemap_pages(site, jobs)) if len(jobs) > SITEMAP_LIMIT else len(jobs)
    # Each file is made when it is needed (`serve` may never need them); how many there are is known now.
    for index, name in enumerate(_sitemap_names(count, SITEMAP_LIMIT)):
        yield PageJob(name, "", {}, name, depends=EVERYTHING, produce=functools.partial(sitemap_file, site, jobs, index))
