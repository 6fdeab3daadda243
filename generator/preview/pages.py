"""The preview's own pages: what `serve` shows writers and `build` never writes."""

from __future__ import annotations

from generator.model.entities import Report, Site
from generator.preview.livereload import preview_url
from generator.site.jobs import LazyContext, PageJob
from generator.site.pages import annotate, verdict_mix


def preview_pages(site: Site, report: Report) -> list[PageJob]:
    """The annotated article with uncovered sentences marked, for every report, published text or not."""
    context = LazyContext(
        {"report": report, "report_mix": verdict_mix(report.claims, site), "editor_preview": True},
        {"paragraphs": lambda: annotate(report, mark_uncovered=True)},
    )
    title = f"Preview: {report.article.headline}"
    return [PageJob(preview_url(report.id), "article.html", context, title, report.summary, frozenset({report.id}))]
