"""Model stage: turn checked values into the frozen content model.

Resolves references (ratings, people, sources), orders claims as they stand in the article,
numbers sources, and renders markdown once so every page that shows a text shares it.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterable, Mapping
from typing import NoReturn

from markupsafe import Markup, escape

from generator.content.anchors import sentence_around
from generator.content.checks import CheckedReport
from generator.content.i18n import normalize_tag
from generator.content.langchecks import site_languages
from generator.content.markdown import MarkdownRenderer, relative_links
from generator.content.nativemarkdown import citation_label, relabelled
from generator.content.pagechecks import CheckedPage
from generator.content.validate import Obj, get_bool, get_date, get_int, get_obj, get_objs, get_text, get_texts
from generator.diagnostics import Diagnostic, error
from generator.model.entities import (
    Appearance,
    Article,
    Claim,
    Claimant,
    ClaimantInfo,
    Correction,
    Excerpt,
    Language,
    Link,
    Organization,
    Page,
    Person,
    QuoteInContext,
    Rating,
    RatingText,
    Report,
    Scale,
    Site,
    SiteConfig,
    Source,
    Transparency,
    Withdrawal,
    pack,
    pack_sources,
)

TRANSPARENCY_FIELDS = ("funding", "ownership", "contact", "tips", "report_errors", "ifcn")


def build_config(site: Obj) -> SiteConfig:
    """The site configuration from checked site.yaml values."""
    ratings = get_obj(site, "ratings")
    rows = get_objs(ratings, "scale") + get_objs(ratings, "other")
    scale = Scale(
        tuple(
            Rating(
                key=get_text(r, "key"),
                label=get_text(r, "label"),
                definition=get_text(r, "definition"),
                color=get_text(r, "color"),
                value=get_int(r, "value", 0) if "value" in r else None,
                position=index,
                image=get_text(r, "image"),
                translations=tuple(
                    RatingText(normalize_tag(get_text(t, "language")), get_text(t, "label"), get_text(t, "definition")) for t in get_objs(r, "translations")
                ),
            )
            for index, r in enumerate(rows)
        )
    )
    org = get_obj(site, "organization")
    codes = site_languages(site)
    rows_by_code = {normalize_tag(get_text(row, "code")): row for row in get_objs(site, "languages")}
    languages = tuple(Language(code, get_text(rows_by_code.get(code, {}), "title"), get_text(rows_by_code.get(code, {}), "description")) for code in codes)
    return SiteConfig(
        title=get_text(site, "title"),
        description=get_text(site, "description"),
        language=codes[0],
        languages=languages,
        base_url=get_text(site, "base_url"),
        organization=Organization(get_text(org, "name"), get_text(org, "url"), get_text(org, "logo")),
        theme=get_text(site, "theme", "default"),
        reviewers_required=get_int(site, "reviewers_required", 1),
        page_size=get_int(site, "page_size", 50),
        scale=scale,
        favicon=get_text(site, "favicon"),
        license_url=get_text(site, "license_url"),
        share_cards=get_bool(site, "share_cards", True),
        transparency=Transparency(**{f: get_text(get_obj(site, "transparency"), f) for f in TRANSPARENCY_FIELDS}),
        claimants=tuple(ClaimantInfo(get_text(c, "name"), get_text(c, "image"), tuple(get_texts(c, "same_as"))) for c in get_objs(site, "claimants")),
    )


def _links(rows: Iterable[Obj]) -> tuple[Link, ...]:
    return tuple(Link(get_text(r, "url"), get_text(r, "label")) for r in rows)


def _report_labels(cited: Iterable[str], own: Mapping[str, int], numbers: Mapping[str, int]) -> tuple[tuple[str, str], ...]:
    """(escaped source id, label) of each cited source whose label on the report page is not its label on the claim's."""
    labels = {str(escape(i)): citation_label(i, numbers) for i in cited if citation_label(i, own) != citation_label(i, numbers)}
    return tuple(sorted(labels.items()))


def _source(row: Obj, number: int) -> Source:
    excerpt = get_obj(row, "excerpt")
    return Source(
        id=get_text(row, "id"),
        number=number,
        title=get_text(row, "title"),
        publisher=get_text(row, "publisher"),
        url=get_text(row, "url"),
        kind=get_text(row, "kind"),
        author=get_text(row, "author"),
        date=get_date(row, "date"),
        via=get_text(row, "via"),
        archives=_links(get_objs(row, "archives")),
        accessed=get_date(row, "accessed"),
        excerpt=Excerpt(get_text(excerpt, "text"), get_text(excerpt, "locator")) if excerpt else None,
        note=get_text(row, "note"),
    )


class ModelBuilder:
    """Builds model objects; holds the markdown renderer and collects rendering problems."""

    def __init__(self, config: SiteConfig, people: list[Obj], md: MarkdownRenderer | None = None) -> None:
        self.config = config
        self.md = md or MarkdownRenderer()
        self.people = {get_text(p, "id"): self.person(p) for p in people}
        self.diagnostics: list[Diagnostic] = []

    def person(self, row: Obj) -> Person:
        """A person, with the bio rendered."""
        bio = self.md.render(get_text(row, "bio")).html if "bio" in row else Markup("")
        return Person(get_text(row, "id"), get_text(row, "name"), get_text(row, "role"), bio, get_text(row, "photo"), tuple(get_texts(row, "same_as")))

    def _refuse_links(self, path: str, where: tuple[int, int], field: str, rejected: list[str]) -> None:
        for url in rejected:
            self.diagnostics.append(
                error(path, where[0], where[1], f"link '{url}' is not allowed (only http(s) and relative links)", field, "use a full https:// address")
            )

    def report(self, checked: CheckedReport) -> Report:
        """A report model from a checked report."""
        data, doc = checked.data, checked.doc
        sources = tuple(_source(row, n) for n, row in enumerate(get_objs(data, "sources"), start=1))
        by_id = {s.id: s for s in sources}
        numbers = {s.id: s.number for s in sources}
        packed_sources = pack_sources(sources)  # one bytes object, which the report and each of its claims hold
        article_row = get_obj(data, "article")
        article = Article(
            headline=get_text(article_row, "headline"),
            publisher=get_text(article_row, "publisher"),
            url=get_text(article_row, "url"),
            retrieved=get_date(article_row, "retrieved") or get_date(data, "published") or _never(),
            snapshot=get_text(article_row, "snapshot"),
            packed_text=pack(checked.snapshot),
            publish_text=get_bool(article_row, "publish_text"),
            publisher_url=get_text(article_row, "publisher_url"),
            authors=tuple(get_texts(article_row, "authors")),
            published=get_date(article_row, "published"),
            published_note=get_text(article_row, "published_note"),
            archives=_links(get_objs(article_row, "archives")),
            text_unavailable=get_text(article_row, "text_unavailable"),
        )
        report_id = get_text(data, "id")
        language = normalize_tag(get_text(data, "language", self.config.default_language))
        # A report's verdicts show the rating's label and definition in the report's own language.
        scale = self.config.scale.in_language(language)
        # Claims stand in article order; unanchored ones (text not saved) keep the order recorded.
        rows = sorted(get_objs(data, "claims"), key=lambda c: _start(checked, get_text(c, "id")))
        claims = []
        for number, row in enumerate(rows, start=1):
            claim_id = get_text(row, "id")
            # A claim's page lists only its own sources, numbered 1..n; the report page numbers every source of the report.
            own = sorted((by_id[i] for i in dict.fromkeys(get_texts(row, "sources"))), key=lambda s: s.number)
            # A source whose number is the same in both keeps one object: fewer to hold, pickle and load.
            local = tuple(s if s.number == n else dataclasses.replace(s, number=n) for n, s in enumerate(own, start=1))
            # The claim's page numbers its own sources; the report page numbers all of the report's.
            rendered, in_report = self.md.render_each(get_text(row, "analysis"), [{s.id: s.number for s in local}, numbers], claim_id, 2)
            self._refuse_links(doc.path, doc.mark(f"claims[{claim_id}].analysis"), f"claims[{claim_id}].analysis", rendered.rejected_links)
            claimant_row = get_obj(row, "claimant")
            packed = pack(rendered.html)
            labels = _report_labels(rendered.citations, {s.id: s.number for s in local}, numbers)
            # Relabelling is checked against the report page's own rendering: should they differ, that HTML is kept.
            report_html = in_report.html if relabelled(rendered.html, dict(labels)) != in_report.html else ""
            claims.append(
                Claim(
                    id=claim_id,
                    report_id=report_id,
                    number=number,
                    quote=_quote(checked, claim_id, get_text(get_obj(row, "quote"), "exact")),
                    claim_reviewed=get_text(row, "claim_reviewed"),
                    claimant=Claimant(
                        get_text(claimant_row, "name", article.publisher),
                        get_text(claimant_row, "type", "organization"),
                        get_text(claimant_row, "job_title"),
                    ),
                    claim_date=get_date(row, "claim_date"),
                    rating=scale.get(get_text(get_obj(row, "verdict"), "rating")),
                    explanation=get_text(get_obj(row, "verdict"), "explanation"),
                    packed_analysis=packed,
                    source_numbers=tuple(s.number for s in own),
                    packed_sources=packed_sources,
                    report_labels=labels,
                    packed_report_analysis=pack(report_html),
                    appearances=tuple(
                        Appearance(get_text(a, "url"), get_text(a, "kind"), get_text(a, "title"), get_date(a, "date"), _links(get_objs(a, "archives")))
                        for a in get_objs(row, "appearances")
                    ),
                )
            )
        return Report(
            id=report_id,
            path=doc.path,
            title=get_text(data, "title"),
            summary=get_text(data, "summary"),
            status=get_text(data, "status"),
            published=get_date(data, "published") or _never(),
            updated=get_date(data, "updated"),
            authors=tuple(self.people[i] for i in get_texts(data, "authors")),
            reviewers=tuple(self.people[i] for i in get_texts(data, "reviewers")),
            topics=tuple(get_texts(data, "topics")),
            article=article,
            claims=tuple(claims),
            packed_sources=packed_sources,
            corrections=tuple(self.correction(row, scale) for row in get_objs(data, "corrections")),
            disclosure=self.md.render(get_text(data, "disclosure")).html if "disclosure" in data else Markup(""),
            withdrawn=_withdrawal(get_obj(data, "withdrawn")),
            response=get_text(data, "response"),
            language=language,
            translations=tuple(get_texts(data, "translations")),
        )

    def correction(self, row: Obj, scale: Scale) -> Correction:
        """A corrections-log entry with its ratings resolved on `scale` (the report's language's)."""
        return Correction(
            date=get_date(row, "date") or _never(),
            type=get_text(row, "type"),
            change=get_text(row, "change"),
            reason=get_text(row, "reason"),
            claim=get_text(row, "claim"),
            from_rating=scale.get(get_text(row, "from")) if "from" in row else None,
            to_rating=scale.get(get_text(row, "to")) if "to" in row else None,
        )

    def page(self, checked: CheckedPage) -> Page:
        """A plain page with its body rendered."""
        rendered = self.md.render(checked.doc.body, heading_offset=0)
        self._refuse_links(checked.doc.path, (1, 1), "body", rendered.rejected_links)
        front = checked.front
        return Page(
            slug=checked.slug,
            path=checked.doc.path,
            title=get_text(front, "title"),
            description=get_text(front, "description"),
            menu=get_int(front, "menu", 0) if "menu" in front else None,
            body=rendered.html,
            language=normalize_tag(get_text(front, "language", self.config.default_language)),
            links=tuple((checked.doc.body_line + row, col, url) for row, col, url in relative_links(checked.doc.body)),
        )


def _withdrawal(row: Obj) -> Withdrawal | None:
    return Withdrawal(get_date(row, "date") or _never(), get_text(row, "reason")) if row else None


def _never() -> NoReturn:
    raise AssertionError("required date missing after validation")  # pragma: no cover


def _start(checked: CheckedReport, claim_id: str) -> int:
    anchor = checked.anchors.get(claim_id)
    return anchor.start if anchor else 0


def _quote(checked: CheckedReport, claim_id: str, recorded: str) -> QuoteInContext:
    anchor = checked.anchors.get(claim_id)
    if anchor is None:  # the article's text was not saved: the quote as recorded, no context
        return QuoteInContext("", recorded, "", 0, 0)
    before, exact, after = sentence_around(checked.snapshot, anchor)
    return QuoteInContext(before, exact, after, anchor.start, anchor.end)


def sort_reports(reports: Iterable[Report]) -> tuple[Report, ...]:
    """Newest first; ties broken by id so the order never depends on file order."""
    # Two stable sorts by attribute (no Python call a report): by id, then by date, newest first.
    ordered = sorted(reports, key=_ID)
    ordered.sort(key=_PUBLISHED, reverse=True)
    return tuple(ordered)


_ID = operator.attrgetter("id")
_PUBLISHED = operator.attrgetter("published")


def assemble_site(
    config: SiteConfig, people: Iterable[Person], reports: Iterable[Report], pages: Iterable[Page], drafts: bool, withdrawn: Iterable[Report] = ()
) -> Site:
    """The site model from its parts: reports newest first, pages by slug, withdrawn reports apart."""
    return Site(config, tuple(people), sort_reports(reports), tuple(sorted(pages, key=lambda p: p.slug)), drafts, sort_reports(withdrawn))
