"""The core pages: home, ratings, 404, plain pages, and each report's own pages (report, claims, article)."""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.content.anchors import sentences
from generator.model.entities import Claim, Rating, Report, Site
from generator.site import urls
from generator.site.groups import rated_counts
from generator.site.jobs import LazyContext, PageJob, ReportContext


@dataclass(frozen=True)
class Segment:
    """A run of article text, highlighted when a claim covers it."""

    text: str
    claim: Claim | None = None
    uncovered: bool = False


_RATING_KEY = operator.attrgetter("rating.key")


def verdict_mix(claims: Iterable[Claim], site: Site) -> list[tuple[Rating, int]]:
    """Claims per rating, in scale order, leaving out ratings with no claims."""
    return mix_of(Counter(map(_RATING_KEY, claims)), site)


def mix_of(counts: Mapping[str, int], site: Site) -> list[tuple[Rating, int]]:
    """verdict_mix from the claims' count by rating key."""
    return [(r, counts[r.key]) for r in site.config.scale.ratings if counts.get(r.key)]


def annotate(report: Report, mark_uncovered: bool = False) -> list[list[Segment]]:
    """The article's text as paragraphs of segments, claims' quotes highlighted."""
    text = report.article.text
    spans = sorted(((c.quote.start, c.quote.end, c) for c in report.claims), key=lambda s: (s[0], -s[1]))
    uncovered: list[tuple[int, int]] = []
    if mark_uncovered:
        covered = [(s, e) for s, e, _ in spans]
        uncovered = [(a.start, a.end) for a in sentences(text) if not any(s < a.end and e > a.start for s, e in covered)]
    paragraphs: list[list[Segment]] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        cuts = {start, end}
        for s, e, _ in spans:
            cuts.update(x for x in (s, e) if start < x < end)
        for s, e in uncovered:
            cuts.update(x for x in (s, e) if start < x < end)
        points = sorted(cuts)
        segments = []
        for a, b in itertools.pairwise(points):
            claim = next((c for s, e, c in spans if s <= a and b <= e), None)
            gap = claim is None and any(s <= a and b <= e for s, e in uncovered)
            segments.append(Segment(text[a:b], claim, gap and bool(text[a:b].strip())))
        paragraphs.append(segments)
    return paragraphs


def mix_key(mix: Iterable[tuple[Rating, int]]) -> str:
    """A `depends` key for pages that show claim counts per rating."""
    return "mix:" + ",".join(f"{rating.key}={count}" for rating, count in mix)


def core_pages(site: Site) -> Iterable[PageJob]:
    """Home, the ratings page, the 404 page and the plain pages."""
    counts = rated_counts(site)  # kept from rebuild to rebuild (groups.py), not counted anew
    mix = [(r, counts[r.key]) for r in site.config.scale.ratings if counts.get(r.key)]
    latest = site.reports[:10]
    # What each page shows: its reports by id (their content), plus a key for the rest (the counts).
    home_deps = frozenset({mix_key(mix), *(r.id for r in latest)})
    yield PageJob(urls.home(), "home.html", {"reports": latest, "mix": mix}, site.config.title, site.config.description, home_deps, lists_site=True)
    yield PageJob(
        urls.ratings(),
        "ratings.html",
        {"mix": dict((r.key, n) for r, n in mix)},
        site.strings.text("ratings.title"),
        site.strings.text("ratings.description"),
        frozenset({mix_key(mix)}),
        lists_site=True,
    )
    root = site.config.base_url.rstrip("/") + "/" if site.config.base_url else ""
    yield PageJob("404.html", "404.html", {"link_root": root}, site.strings.text("notfound.title"), "", frozenset({"404:" + root}))
    for page in site.pages:
        yield PageJob(urls.page(page.slug), "page.html", {"page": page}, page.title, page.description, frozenset({"page:" + page.slug}))


def _claim_description(context: Mapping[str, Any]) -> str:
    claim: Claim = context["claim"]
    return f"{claim.rating.label}: {claim.explanation}"


def report_pages(site: Site, report: Report) -> Iterable[PageJob]:
    """A report's own pages: the report, one page per claim, and the annotated article if published."""
    deps = frozenset({report.id})
    yield PageJob(urls.report(report.id), "report.html", ReportContext(report), report.title, report.summary, deps)
    for claim in report.claims:
        yield PageJob(urls.claim(report.id, claim.id), "claim.html", ReportContext(report, claim), claim.claim_reviewed, "", deps, describe=_claim_description)
    if report.article.publish_text:
        yield PageJob(
            urls.article(report.id),
            "article.html",
            LazyContext({"report": report}, {"report_mix": lambda: verdict_mix(report.claims, site), "paragraphs": lambda: annotate(report)}),
            site.strings.text("article.title", headline=report.article.headline),
            report.summary,
            deps,
        )
