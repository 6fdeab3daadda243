"""Claimant profiles: the head of a claimant's page (picture or initials, links, verdict mix) and its JSON-LD.

`indexes.py` lists each claimant's claims; this module adds who they are, from the claims and from
site.yaml's `claimants:` (declared once, by name), so readers can judge one speaker's record at a glance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.model.entities import Claim, Claimant, Rating, Site, initials
from generator.site import urls
from generator.site.pages import verdict_mix
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


def profile(site: Site, name: str, slug_url: str, claims: Sequence[Claim]) -> ClaimantProfile:
    """The profile of the claimant called `name`, from their claims (newest first) and site.yaml."""
    # The most common type and job title across their claims (ties: the newest claim's) describe them.
    types = Counter(c.claimant.type for c in claims)
    titles = Counter(c.claimant.job_title for c in claims if c.claimant.job_title)
    kind = max(types, key=lambda t: (types[t], -next(i for i, c in enumerate(claims) if c.claimant.type == t))) if claims else "person"
    title = max(titles, key=lambda t: (titles[t], -next(i for i, c in enumerate(claims) if c.claimant.job_title == t))) if titles else ""
    info = site.config.claimant(name)
    return ClaimantProfile(
        name=name,
        type=kind,
        job_title=title,
        image=info.image if info else "",
        same_as=info.same_as if info else (),
        mix=tuple(verdict_mix(claims, site)),
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
