"""Claimant profiles: the head of a claimant's page (picture or initials, links, verdict mix) and its JSON-LD.

`indexes.py` lists each claimant's claims; this module adds who they are, from the claims and from
site.yaml's `claimants:` (declared once, by name), so readers can judge one speaker's record at a glance.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.model.entities import Claim, Claimant, Rating, Site, initials
from generator.site import urls
from generator.site.pages import mix_of
from generator.site.structured import JsonObj, claimant_entity, script_tag


@dataclass(frozen=True)
class ClaimantProfile:
    """One claimant as their page shows them."""

    name: str
    type: str  # "person" | "organization"
    job_title: str
    image: str
    same_as: tuple[str, ...]
    mix: tuple[tuple[Rating, int], ...]
    total: int
    url: str  # site-relative URL of the claimant's page

    @property
    def initials(self) -> str:
        """Initials shown when there is no picture."""
        return initials(self.name)


_TYPE = operator.attrgetter("claimant.type")
_JOB_TITLE = operator.attrgetter("claimant.job_title")
_RATING_KEY = operator.attrgetter("rating.key")


@dataclass(frozen=True)
class Tally:
    """A claimant's claims counted by type, job title and rating: what their profile is worked out from."""

    types: Counter[str]
    titles: Counter[str]
    ratings: Counter[str]


def tally(claims: Sequence[Claim]) -> Tally:
    """Count the claims (by attrgetter, with no Python-level loop: a prolific claimant has thousands)."""
    return Tally(Counter(map(_TYPE, claims)), Counter(filter(None, map(_JOB_TITLE, claims))), Counter(map(_RATING_KEY, claims)))


def retally(counted: Tally, before: Sequence[Claim], after: Sequence[Claim]) -> Tally:
    """The tally of `after` from `counted`, the tally of `before`: only the claims that came or went are counted.

    The preview plans every claimant's page on each save; an unchanged report's claims are the very same objects.
    """
    if len(before) == len(after):
        # The places where the claims differ (an edited report's claims, in their report's place): whatever else
        # is the same object in the same place counts the same, so only these are counted out and in.
        differ = list(itertools.compress(range(len(after)), map(operator.is_not, before, after)))
        gone, came = [before[i] for i in differ], [after[i] for i in differ]
    else:
        was, now = dict(zip(map(id, before), before, strict=True)), dict(zip(map(id, after), after, strict=True))
        gone, came = [was[i] for i in was.keys() - now.keys()], [now[i] for i in now.keys() - was.keys()]
    if len(gone) + len(came) > len(after):
        return tally(after)
    less, more = tally(gone), tally(came)
    # Counter's `-` keeps only counts above zero: a value none of the claims has any more is gone from the tally.
    return Tally(counted.types - less.types + more.types, counted.titles - less.titles + more.titles, counted.ratings - less.ratings + more.ratings)


def _most_common(counts: Counter[str], in_order: Callable[[], list[str]]) -> str:
    # The most frequent; a tie goes to the one the newest claim has (claims are newest first).
    top = max(counts.values())
    tied = [value for value, count in counts.items() if count == top]
    return tied[0] if len(tied) == 1 else min(tied, key=in_order().index)


def profile(site: Site, name: str, slug_url: str, claims: Sequence[Claim], counted: Tally | None = None) -> ClaimantProfile:
    """The profile of the claimant called `name`, from their claims (newest first, tallied as `counted` if given) and site.yaml."""
    counted = counted if counted is not None else tally(claims)
    kind = _most_common(counted.types, lambda: list(map(_TYPE, claims))) if counted.types else "person"
    title = _most_common(counted.titles, lambda: list(map(_JOB_TITLE, claims))) if counted.titles else ""
    info = site.config.claimant(name)
    return ClaimantProfile(
        name=name,
        type=kind,
        job_title=title,
        image=info.image if info else "",
        same_as=info.same_as if info else (),
        mix=tuple(mix_of(counted.ratings, site)),
        total=len(claims),
        url=slug_url,
    )


def collection_page(site: Site, who: ClaimantProfile) -> JsonObj:
    """A claimant's page as a schema.org CollectionPage about them."""
    about = claimant_entity(site, Claimant(who.name, who.type, who.job_title))
    out: JsonObj = {"@context": "https://schema.org", "@type": "CollectionPage", "name": f"Fact-checks of claims by {who.name}", "about": about}
    url = urls.absolute(site.config.base_url, who.url)
    if url:
        out["url"] = url
    return out


def template_globals(site: Site) -> Mapping[str, Any]:
    """`claimant_data()` for claimant pages."""

    def claimant_data(who: ClaimantProfile) -> Markup:
        """The JSON-LD of a claimant's page."""
        return script_tag(collection_page(site, who))

    return {"claimant_data": claimant_data}
