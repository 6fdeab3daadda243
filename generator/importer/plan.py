"""Group reviews into reports (one per reviewed page or article) and lay each out as report YAML values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from generator.content.validate import slugify
from generator.importer.normalise import clean, short, slug_id
from generator.importer.ratings import RatingMatcher, fold
from generator.importer.records import Party, Problem, Review

UNSAVED = "Imported from the original review's ClaimReview; the article's text was not saved."


@dataclass(frozen=True)
class PlannedReport:
    """One report to write: its id, YAML values and the comment lines above them."""

    id: str
    values: dict[str, object]
    comments: tuple[str, ...]
    origin: str
    claims: int


@dataclass
class People:
    """Maps review authors to people ids; collects the people not in people.yaml yet."""

    known: Mapping[str, str]  # id -> name
    fallback: str  # the site's organisation, when a review names no author
    new: dict[str, dict[str, str]] = field(default_factory=dict)
    mapped: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._by_fold = {fold(name): pid for pid, name in self.known.items()} | {fold(pid): pid for pid in self.known}

    def ids(self, authors: Sequence[Party]) -> list[str]:
        """People ids for a review's authors: its people, else its organisation as a desk, else the site's."""
        people = [a for a in authors if a.type == "person"] or [a for a in authors if a.type == "organization"][:1] or [Party(self.fallback)]
        return list(dict.fromkeys(self._id(p) for p in people))

    def _id(self, party: Party) -> str:
        found = self._by_fold.get(fold(party.name))
        if found:
            if found in self.known:
                self.mapped.add(found)
            return found
        pid = slug_id(party.name, "imported-author")
        while pid in self.known or (pid in self.new and self.new[pid]["name"] != party.name):
            pid = f"{pid}-x"
        self._by_fold[fold(party.name)] = pid
        role = "Imported author" if party.type == "person" else "Imported: the original publisher's desk"
        self.new[pid] = {"id": pid, "name": party.name, "role": role}
        return pid


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s]


def _own_layout(url: str) -> tuple[str, str]:
    """(report id, claim id) from this generator's own claim URLs: .../reports/<report>/claims/<claim>/."""
    parts = _segments(url)
    if len(parts) >= 4 and parts[-4] == "reports" and parts[-2] == "claims":
        return slugify(parts[-3]), slugify(parts[-1])
    return "", ""


def _capped(text: str) -> str:
    """An id made from `text` (a claim's, a page's), or '' when no slug is left: the caller has its own fallback."""
    return slug_id(text, "claim") if slugify(text) else ""


def _page_slug(url: str) -> str:
    parts = _segments(url)
    last = parts[-1].rsplit(".", 1)[0] if parts and parts[-1].endswith((".html", ".htm", ".php", ".aspx")) else parts[-1] if parts else ""
    return _capped(last)


def group(reviews: Sequence[Review]) -> list[list[Review]]:
    """Reviews sharing a review page, an article or a given report id, in input order (union-find)."""
    parent = list(range(len(reviews)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, r in enumerate(reviews):
        own = _own_layout(r.url)[0]
        keys = [f"u:{r.url}" if r.url and not own else "", f"a:{r.article.url}" if r.article else "", f"r:{r.report_id or own}" if r.report_id or own else ""]
        for key in filter(None, keys):
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[Review]] = {}
    for i, r in enumerate(reviews):
        groups.setdefault(root(i), []).append(r)
    return [groups[k] for k in sorted(groups)]


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def report_id(reviews: Sequence[Review]) -> str:
    """The id a report would like: given by the source, from this generator's URLs, or the review page's slug."""
    first = reviews[0]
    wanted = first.report_id or _own_layout(first.url)[0] or _page_slug(first.url)
    if not wanted:
        headline = first.article.headline if first.article and first.article.headline else first.claim_reviewed
        wanted = "-".join(slugify(headline).split("-")[:6])
    return slug_id(wanted, "imported-report")


def _claim_ids(reviews: Sequence[Review]) -> list[str]:
    taken: set[str] = set()
    pages = {r.url for r in reviews}
    ids = []
    for r in reviews:
        wanted = r.claim_id or _own_layout(r.url)[1] or slugify(r.fragment) or (_page_slug(r.url) if len(pages) > 1 else "")
        wanted = _capped(wanted) or _capped("-".join(slugify(r.claim_reviewed).split("-")[:6])) or "claim"
        ids.append(_unique(wanted, taken))
    return ids


@dataclass(frozen=True)
class Settings:
    """What a plan needs from the project and the command line."""

    status: str  # draft | published
    ratings: RatingMatcher
    people: People
    labels: Mapping[str, str]  # rating key -> label, for default explanations
    unsaved: str = UNSAVED
    source: Mapping[str, str] | None = None  # a fixed source for every claim (CSV maps), else the review page


def _source(review: Review, sid: str, page: str, settings: Settings) -> dict[str, str]:
    if settings.source:
        return {"id": sid, **settings.source, "kind": settings.source.get("kind", "secondary")}
    title = review.title or f"Original review: {short(review.claim_reviewed, 90)}"
    publisher = review.publisher or (urlsplit(page).hostname or "Unknown publisher")
    return {"id": sid, "title": title, "publisher": publisher, "url": page, "kind": "secondary"}


def _label(review: Review, settings: Settings) -> str:
    return settings.labels.get(settings.ratings.lookup(review.rating), review.rating)


def _claim(review: Review, claim_id: str, sid: str, settings: Settings) -> dict[str, object]:
    key = settings.ratings.lookup(review.rating)
    claim: dict[str, object] = {"id": claim_id, "quote": {"exact": review.quote or review.claim_reviewed}, "claim_reviewed": review.claim_reviewed}
    if review.claimant:
        claimant = {"name": review.claimant.name, "type": review.claimant.type}
        claim["claimant"] = claimant | ({"job_title": review.claimant.job_title} if review.claimant.job_title else {})
    if review.claim_date:
        claim["claim_date"] = review.claim_date
    explanation = review.explanation or f"Rated {_label(review, settings)} by the original review."
    claim["verdict"] = {"rating": key, "explanation": explanation}
    claim["analysis"] = f"Imported without its analysis; see [@{sid}]."
    claim["sources"] = [sid]
    return claim


def _article(reviews: Sequence[Review], retrieved: dt.date, settings: Settings) -> tuple[dict[str, object], list[str]]:
    first = reviews[0]
    found = next((r.article for r in reviews if r.article), None)
    notes: list[str] = []
    if found is None:
        notes.append("The review named no appearance: article.url is the review's own page; replace it with the article's address.")
    claimant = first.claimant.name if first.claimant else ""
    article: dict[str, object] = {
        "headline": (found.headline if found else "") or short(first.title or first.claim_reviewed, 150),
        "publisher": (found.publisher if found else "") or claimant or "Unknown publisher",
    }
    if found and found.publisher_url:
        article["publisher_url"] = found.publisher_url
    if found and found.authors:
        article["authors"] = list(dict.fromkeys(found.authors))
    article["url"] = found.url if found else next(r.url for r in reviews if r.url)
    if found and found.published:
        article["published"] = found.published
    article["retrieved"] = retrieved
    archives = list(dict.fromkeys(a for r in reviews for a in r.archives))
    if archives:
        article["archives"] = [{"url": url, "label": label} if label else {"url": url} for url, label in archives]
    article["text_unavailable"] = settings.unsaved
    dropped = list(dict.fromkeys(u for r in reviews for u in r.dropped))
    if dropped:
        notes.append("Other appearances, not kept: " + " ".join(dropped))
    return article, notes


def plan_report(reviews: Sequence[Review], rid: str, settings: Settings) -> PlannedReport | Problem:
    """The YAML values of one report, or why the group cannot become one."""
    first = reviews[0]
    dates = [d for r in reviews for d in (r.published, r.modified, r.claim_date) if d]
    published = min((r.published for r in reviews if r.published), default=None) or (min(dates) if dates else None)
    if published is None:
        return Problem(
            first.origin,
            f"'{short(first.claim_reviewed, 60)}' has no usable datePublished (none, or not a real date)",
            "give the review's date as YYYY-MM-DD in the source",
        )
    if not any(r.url for r in reviews) and not settings.source:
        return Problem(first.origin, f"'{short(first.claim_reviewed, 60)}' has no review URL to cite as its source")
    if not any(r.url for r in reviews) and not any(r.article for r in reviews):
        return Problem(first.origin, f"'{short(first.claim_reviewed, 60)}' has neither an appearance nor a review URL")
    article, notes = _article(reviews, published, settings)
    sources: dict[str, dict[str, str]] = {}
    claims = []
    any_page = next((r.url for r in reviews if r.url), "")
    for review, claim_id in zip(reviews, _claim_ids(reviews), strict=True):
        # One source per review page; a review without an address cites its group's first page.
        page = "" if settings.source else review.url or any_page
        sid = next((s["id"] for s in sources.values() if page == s.get("_page")), "")
        if not sid:
            sid = "original-review" if not sources else f"original-review-{len(sources) + 1}"
            sources[sid] = _source(review, sid, page, settings) | {"_page": page}
        claims.append(_claim(review, claim_id, sid, settings))
    title = first.title or (f"Fact-check: {short(first.claim_reviewed, 100)}" if len(reviews) == 1 else f"Fact-check: {article['headline']}")
    explanations = [r.explanation for r in reviews if r.explanation][:3]
    modified = max((r.modified for r in reviews if r.modified), default=None)
    values: dict[str, object] = {
        "id": rid,
        "title": clean(title),
        "summary": " ".join(explanations) or f"Rated {_label(first, settings)}: {short(first.claim_reviewed, 200)}",
        "status": settings.status,
        "published": published,
    }
    if modified and modified > published:
        values["updated"] = modified
    values["authors"] = settings.people.ids([a for r in reviews for a in r.authors])
    topics = list(dict.fromkeys(t for r in reviews for t in r.topics))
    if topics:
        values["topics"] = topics
    values |= {"article": article, "claims": claims, "sources": [{k: v for k, v in s.items() if k != "_page"} for s in sources.values()]}
    urls = list(dict.fromkeys(r.url for r in reviews if r.url))
    comments = ["Imported by `factcheck import` from " + clean(first.origin), *(f"Original review: {u}" for u in urls), *notes]
    return PlannedReport(rid, values, tuple(comments), first.origin, len(claims))
