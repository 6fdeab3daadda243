"""Structured data: schema.org ClaimReview on claim pages and an Article on report pages.

Google shows one fact-check rich result per page (its rule since 2021), so each claim's
ClaimReview lives only on the claim's own page; the report page carries an Article that
points at those reviews by @id. The same ClaimReview objects feed data/claims.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from generator.diagnostics import Diagnostic, note, warning
from generator.model.entities import Appearance, Article, Claim, Claimant, Report, Site
from generator.site import urls
from generator.site.theme import context_value

JsonObj = dict[str, Any]
SCHEMA = "https://schema.org"


def to_script_json(data: object) -> str:
    """JSON text that is safe to place inside a <script> element."""
    # In a <script> element only "</" (and "<!--") can end or disturb the data; escaping every "<", ">" and
    # "&" as JSON \u escapes keeps the JSON identical and the HTML inert. Three replaces, not str.translate,
    # which looks every character up in its table: 90 µs for 2 KB of text with an accent, on every page.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def script_tag(data: object) -> Markup:
    """A JSON-LD <script> element for `data`."""
    return Markup(f'<script type="application/ld+json">{to_script_json(data)}</script>')


def claim_review_id(site: Site, claim: Claim) -> str:
    """The ClaimReview's @id (its canonical URL plus a fragment), or '' without a base URL."""
    url = urls.absolute(site.config.base_url, urls.claim(claim.report_id, claim.id))
    return f"{url}#claimreview" if url else ""


def organization(site: Site) -> JsonObj:
    """The publishing organisation, author of every review."""
    org = site.config.organization
    out: JsonObj = {"@type": "Organization", "name": org.name}
    url = org.url or urls.absolute(site.config.base_url, urls.home())
    if url:
        out["url"] = url
    if org.logo:
        out["logo"] = org.logo
    return out


def claimant_entity(site: Site, claimant: Claimant) -> JsonObj:
    """Who made a claim, as a schema.org Person or Organization, with site.yaml's picture and sameAs links."""
    out: JsonObj = {"@type": "Person" if claimant.type == "person" else "Organization", "name": claimant.name}
    if claimant.type == "person" and claimant.job_title:
        out["jobTitle"] = claimant.job_title
    info = site.config.claimant(claimant.name)
    if info and info.image:
        out["image"] = info.image
    if info and info.same_as:
        out["sameAs"] = list(info.same_as)
    return out


def appearance(article: Article) -> JsonObj:
    """The reviewed article as a schema.org Article."""
    out: JsonObj = {"@type": "Article", "url": article.url, "headline": article.headline}
    publisher: JsonObj = {"@type": "Organization", "name": article.publisher}
    if article.publisher_url:
        publisher["url"] = article.publisher_url
    out["publisher"] = publisher
    if article.published:
        out["datePublished"] = article.published.isoformat()
    if article.authors:
        out["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    return out


# Google applies its video rich-result rules (thumbnail, upload date) to any VideoObject, so a video we only
# link stays a CreativeWork.
APPEARANCE_TYPES = {"post": "SocialMediaPosting", "video": "CreativeWork", "speech": "CreativeWork", "article": "Article"}
APPEARANCE_NAMES = {"post": "Post", "video": "Video", "speech": "Speech", "article": "Article"}


def other_appearance(seen: Appearance) -> list[JsonObj]:
    """Another place the claim was made, then its archived copies, as schema.org CreativeWorks."""
    name = seen.title or APPEARANCE_NAMES[seen.kind]
    out: JsonObj = {"@type": APPEARANCE_TYPES[seen.kind], "url": seen.url, "name": name}
    if seen.date:
        out["datePublished"] = seen.date.isoformat()
    copies = [{"@type": "CreativeWork", "url": link.url, "name": link.label or f"Archived copy of “{name}”"} for link in seen.archives]
    return [out, *copies]


def _claim(site: Site, report: Report, claim: Claim) -> JsonObj:
    article = report.article
    out: JsonObj = {"@type": "Claim", "author": claimant_entity(site, claim.claimant)}
    # A claim the outlet makes in its own voice first appeared in the article itself;
    # a claim it reports from someone else was made earlier, somewhere we may not know.
    own_claim = claim.claimant.name == article.publisher
    date = claim.claim_date or (article.published if own_claim else None)
    if date:
        out["datePublished"] = date.isoformat()
    copies = [{"@type": "CreativeWork", "url": link.url, "name": link.label or f"Archived copy of “{article.headline}”"} for link in article.archives]
    out["appearance"] = [appearance(article), *copies, *(item for seen in claim.appearances for item in other_appearance(seen))]
    if own_claim:
        out["firstAppearance"] = appearance(article)
    return out


def claim_review(site: Site, report: Report, claim: Claim, *, context: bool = True) -> JsonObj:
    """The ClaimReview of one claim, as Google's fact-check guidelines describe it."""
    scale = site.config.scale
    rating: JsonObj = {"@type": "Rating", "name": claim.rating.label, "alternateName": claim.rating.label}
    if claim.rating.value is not None and scale.best is not None and scale.worst is not None:
        rating |= {"ratingValue": claim.rating.value, "bestRating": scale.best, "worstRating": scale.worst}
    rating["ratingExplanation"] = claim.explanation
    if claim.rating.image:
        rating["image"] = claim.rating.image
    out: JsonObj = {"@context": SCHEMA} if context else {}
    out["@type"] = "ClaimReview"
    ident = claim_review_id(site, claim)
    if ident:
        out["@id"] = ident
        out["url"] = ident.partition("#")[0]
    out |= {
        "claimReviewed": claim.claim_reviewed,
        "reviewRating": rating,
        "itemReviewed": _claim(site, report, claim),
        "author": organization(site),
        "datePublished": report.published.isoformat(),
        "dateModified": report.modified.isoformat(),
        "inLanguage": site.config.language,
    }
    if site.config.license_url:
        out["sdLicense"] = site.config.license_url
    return out


def report_article(site: Site, report: Report) -> JsonObj:
    """The report as a NewsArticle that links the ClaimReviews on its claims' pages."""
    out: JsonObj = {"@context": SCHEMA, "@type": "NewsArticle"}
    url = urls.absolute(site.config.base_url, urls.report(report.id))
    if url:
        out |= {"@id": f"{url}#article", "url": url, "mainEntityOfPage": url}
    out |= {
        # Google truncates longer headlines; the full title stays on the page.
        "headline": report.title if len(report.title) <= 110 else report.title[:109].rstrip() + "…",
        "description": report.summary,
        "datePublished": report.published.isoformat(),
        "dateModified": report.modified.isoformat(),
        "inLanguage": site.config.language,
        "author": [{"@type": "Person", "name": p.name} for p in report.authors] or [organization(site)],
        "publisher": organization(site),
    }
    if report.topics:
        out["keywords"] = ", ".join(report.topics)
    reviews = [claim_review_id(site, c) for c in report.claims]
    if all(reviews):
        out["hasPart"] = [{"@id": ident} for ident in reviews]
    out["about"] = appearance(report.article)
    return out


def page_structured_data(site: Site, page_url: str, context: Mapping[str, Any]) -> Markup:
    """The JSON-LD for the page being rendered: ClaimReview, Article or nothing."""
    claim, report = context.get("claim"), context.get("report")
    if isinstance(report, Report) and (report.is_withdrawn or not report.is_published):
        return Markup("")  # a withdrawn fact-check no longer vouches for its verdicts, and a draft does not yet
    if isinstance(claim, Claim) and isinstance(report, Report) and page_url == urls.claim(report.id, claim.id):
        return script_tag(claim_review(site, report, claim))
    if isinstance(report, Report) and page_url == urls.report(report.id):
        return script_tag(report_article(site, report))
    return Markup("")


def template_globals(site: Site) -> Mapping[str, Any]:
    """`structured_data()` for templates: the page's JSON-LD."""

    @jinja2.pass_context
    def structured_data(ctx: jinja2.runtime.Context) -> Markup:
        # The two values it reads, not ctx.get_all(), which merges every variable and global on each page.
        read = {name: context_value(ctx, name) for name in ("claim", "report")}
        return page_structured_data(site, str(context_value(ctx, "page_url", "")), read)

    return {"structured_data": structured_data}


def base_url_warnings(site: Site, source: str = "", publishing: bool = True) -> list[Diagnostic]:
    """A warning when base_url is missing (a note for `check`, whose site may get --base-url at build), at its line in site.yaml's `source`.

    Canonical URLs, ClaimReview and the sitemap need it. `check` cannot know whether the build that
    publishes will be given --base-url (the GitHub Pages workflow is), so it only notes what is missing.
    """
    if site.config.base_url:
        return []
    # The top-level line that sets it (empty), else the commented one a new site has (`# base_url: https://...`), else the first line.
    found = re.search(r"^()base_url[ \t]*:", source, flags=re.M) or re.search(r"^(#[ \t]*)base_url[ \t]*:", source, flags=re.M)
    line, col = (source.count("\n", 0, found.start()) + 1, len(found.group(1)) + 1) if found else (1, 1)
    message = "base_url is not set, so pages have no canonical URL, ClaimReview markup has no url (Google requires one) and sitemap.xml is not written"
    if not publishing:
        message = "base_url is not set: `build` warns about it (and `build --strict` fails) unless it is given --base-url"
    hint = "set base_url in site.yaml or pass --base-url https://example.org/ to build"
    return [(warning if publishing else note)("content/site.yaml", line, col, message, "base_url", hint)]
