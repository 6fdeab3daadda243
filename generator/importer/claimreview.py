"""Find the ClaimReview objects of a JSON-LD document and turn each into a Review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

from generator.importer import normalise as n
from generator.importer.records import MAX_DEPTH, Appearance, Party, Problem, Review

JsonObj = dict[str, object]


def find_claim_reviews(value: object, origin: str) -> Iterator[JsonObj | Problem]:
    """Every ClaimReview in a DataFeed, an @graph, a list or nested objects (depth-bounded, no recursion)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    too_deep = False
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            too_deep = True
            continue
        if isinstance(item, dict):
            if "ClaimReview" in n.types(item):
                yield item
                continue
            stack.extend((child, depth + 1) for child in reversed(list(item.values())) if isinstance(child, dict | list))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in reversed(item) if isinstance(child, dict | list))
    if too_deep:
        yield Problem(origin, f"parts nested deeper than {MAX_DEPTH} levels were not read", "ClaimReview needs only a few levels")


def _party(value: object) -> Party | None:
    value = n.first(value)
    if isinstance(value, str):
        name = n.clean(value)
        return Party(name) if name else None
    if not isinstance(value, dict):
        return None
    name = n.clean(value.get("name"))
    if not name:
        return None
    kind = "person" if "Person" in n.types(value) else "organization"
    return Party(name, kind, n.clean(value.get("jobTitle")) if kind == "person" else "")


def _appearance(value: object, url: str, day: Callable[[object, str], dt.date | None]) -> Appearance:
    if not isinstance(value, dict):
        return Appearance(url)
    publisher = _party(value.get("publisher"))
    publisher_obj = n.first(value.get("publisher"))
    publisher_url = n.http_url(publisher_obj.get("url"))[0] if isinstance(publisher_obj, dict) else ""
    authors = tuple(p.name for p in (_party(a) for a in n.as_list(value.get("author"))) if p)
    return Appearance(
        url,
        n.clean(value.get("headline") or value.get("name")),
        publisher.name if publisher else "",
        publisher_url,
        day(value.get("datePublished"), "appearance datePublished"),
        authors,
    )


class _Reader:
    """Normalises one ClaimReview; refused links become problems, not failures."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[Problem] = []

    def url(self, value: object, field: str) -> str:
        """An http(s) address, or '' with the refused link reported."""
        url, refused = n.http_url(value)
        if refused:
            self.problems.append(Problem(self.origin, f"{field}: link '{refused}' dropped: {n.refusal(refused)}", kind="dropped"))
        return url

    def date(self, value: object, field: str) -> dt.date | None:
        """A date, or None with a date that is there but unreadable reported as left out."""
        problem = n.date_problem(value, field)
        if problem:
            self.problems.append(Problem(self.origin, f"{problem}: left out", kind="date"))
        return n.date(value)

    def appearances(self, claim: JsonObj) -> tuple[Appearance | None, list[tuple[str, str]], list[str]]:
        """The article (first non-archive appearance), archived copies, and the other appearances, not kept."""
        article: Appearance | None = None
        archives: list[tuple[str, str]] = []
        dropped: list[str] = []
        for value in n.as_list(claim.get("appearance")) + n.as_list(claim.get("firstAppearance")):
            url = self.url(value, "appearance")
            if not url or url in dropped or (article and url == article.url) or url in (a for a, _ in archives):
                continue
            if n.is_archive(url):
                archives.append((url, n.clean(value.get("name")) if isinstance(value, dict) else ""))
            elif article is None:
                article = _appearance(value, url, self.date)
            else:
                dropped.append(url)
        return article, archives, dropped

    def review(self, obj: JsonObj) -> Review | None:
        """The Review of one ClaimReview object, or None (with the reason reported)."""
        claim_reviewed = n.clean(obj.get("claimReviewed"))
        if not claim_reviewed:
            self.problems.append(Problem(self.origin, "a ClaimReview without claimReviewed"))
            return None
        rating_obj = n.first(obj.get("reviewRating"))
        rating_obj = rating_obj if isinstance(rating_obj, dict) else {}
        label = n.clean(rating_obj.get("alternateName")) or n.clean(rating_obj.get("name")) or n.clean(rating_obj.get("ratingValue"))
        if not label:
            self.problems.append(Problem(self.origin, f"'{n.short(claim_reviewed, 60)}' has no rating (alternateName, name or ratingValue)"))
            return None
        # The review's own dates that are there but unreadable skip it (as a CSV row's do): read as none,
        # another date (the claim's) would stand in for the report's.
        bad = next(filter(None, (n.date_problem(obj.get(key), key) for key in ("datePublished", "dateModified"))), "")
        if bad:
            self.problems.append(Problem(self.origin, f"'{n.short(claim_reviewed, 60)}': {bad}", "write dates as YYYY-MM-DD"))
            return None
        claim = n.first(obj.get("itemReviewed"))
        claim = claim if isinstance(claim, dict) else {}
        article, archives, dropped = self.appearances(claim)
        parts = urlsplit(self.url(obj.get("url") or obj.get("@id"), "url"))
        authors = tuple(p for p in (_party(a) for a in n.as_list(obj.get("author"))) if p)
        publisher = next((a.name for a in authors if a.type == "organization"), "") or (getattr(_party(obj.get("publisher")), "name", ""))
        return Review(
            origin=self.origin,
            url=urlunsplit(parts._replace(fragment="")) if parts.scheme else "",
            fragment=parts.fragment,
            claim_reviewed=claim_reviewed,
            rating=label,
            explanation=n.clean(rating_obj.get("ratingExplanation")),
            claimant=_party(claim.get("author")),
            claim_date=self.date(claim.get("datePublished"), "itemReviewed datePublished"),
            published=n.date(obj.get("datePublished")),
            modified=n.date(obj.get("dateModified")),
            title=n.clean(obj.get("name") or obj.get("headline")),
            authors=authors,
            article=article,
            archives=tuple(archives),
            dropped=tuple(dropped),
            publisher=publisher,
        )


def reviews_of(value: object, origin: str) -> tuple[list[Review], list[Problem]]:
    """The Reviews in one JSON value, and why any ClaimReview or link in it was left out."""
    reader = _Reader(origin)
    reviews: list[Review] = []
    for found in find_claim_reviews(value, origin):
        if isinstance(found, Problem):
            reader.problems.append(found)
            continue
        review = reader.review(found)
        if review is not None:
            reviews.append(review)
    return reviews, reader.problems
