"""People pages: one per author or reviewer (name, role, bio, photo, their reports) and a staff page.

IFCN signatories show who does the work; every byline links here. A person's page shows their
newest reports, up to a page's worth (site.config.page_size) of those they wrote and of those they
reviewed; a longer list links to its own paginated pages (people/<id>/written/, .../reviewed/),
so a profile stays one quick page however large the archive grows.
"""

from __future__ import annotations

import functools
import hashlib
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.model.entities import Person, Report, Site
from generator.site import urls
from generator.site.indexes import Pager, paged_title, paginate, span_depends
from generator.site.jobs import KeptJobs, PageJob
from generator.site.structured import JsonObj, organization, script_tag


@dataclass(frozen=True)
class Credits:
    """One person and the published reports they wrote and reviewed, newest first."""

    person: Person
    wrote: tuple[Report, ...]
    reviewed: tuple[Report, ...]


_ID = operator.attrgetter("id")


def credits(site: Site) -> list[Credits]:
    """Every person of people.yaml, in file order, with their reports."""
    # One pass over the reports, not one per person: the preview makes these on every rebuild.
    wrote: dict[str, list[Report]] = {person.id: [] for person in site.people}
    reviewed: dict[str, list[Report]] = {person.id: [] for person in site.people}
    for report in site.reports:
        for person_id in dict.fromkeys(map(_ID, report.authors)):
            wrote.setdefault(person_id, []).append(report)
        for person_id in dict.fromkeys(map(_ID, report.reviewers)):
            reviewed.setdefault(person_id, []).append(report)
    return [Credits(person, tuple(wrote[person.id]), tuple(reviewed[person.id])) for person in site.people]


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def _person_key(person: Person) -> str:
    return "person:" + _digest(person.id, person.name, person.role, str(person.bio), person.photo, person.same_as)


def profile_page(site: Site, person: Person) -> JsonObj:
    """The person's page as a schema.org ProfilePage about a Person who works for the publisher."""
    entity: JsonObj = {"@type": "Person", "name": person.name}
    if person.role:
        entity["jobTitle"] = person.role
    if person.photo:
        entity["image"] = person.photo
    if person.same_as:
        entity["sameAs"] = list(person.same_as)
    entity["worksFor"] = organization(site)
    out: JsonObj = {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": entity}
    url = urls.absolute(site.config.base_url, urls.person(person.id))
    if url:
        out["url"] = url
    return out


LISTS = (("wrote", "written"), ("reviewed", "reviewed"))  # Credits field, URL segment and string key stem of each list


# The preview plans every page on every save; a person's pages are the same jobs while what they show is.
_KEPT: dict[str, KeptJobs] = {}


def people_pages(site: Site) -> Iterable[PageJob]:
    """One page per person, the paginated lists of those too long to show whole on it, and the staff page."""
    everyone = credits(site)
    kept = _KEPT.setdefault(site.config.language, KeptJobs())
    kept.begin((site.config, site.strings))
    staff_deps = frozenset({"staff:" + _digest([(_person_key(c.person), len(c.wrote), len(c.reviewed)) for c in everyone])})
    yield PageJob(
        urls.people(), "people.html", {"people": everyone}, site.strings.text("people.title"), site.strings.text("people.intro"), staff_deps, lists_site=True
    )
    size = site.config.page_size
    for entry in everyone:
        person = entry.person
        shown = {field: getattr(entry, field)[:size] for field, _ in LISTS}
        all_url = {field: urls.person_list(person.id, kind) if len(getattr(entry, field)) > size else "" for field, kind in LISTS}
        counts = (len(entry.wrote), len(entry.reviewed))
        yield kept.job(
            urls.person(person.id), (person, counts, all_url), [*shown["wrote"], *shown["reviewed"]], functools.partial(_person_page, entry, shown, all_url)
        )
        for field, kind in LISTS:
            if all_url[field]:
                yield from _list_pages(site, entry, field, kind, kept)
    kept.end()


def _person_page(entry: Credits, shown: dict[str, tuple[Report, ...]], all_url: dict[str, str]) -> PageJob:
    person = entry.person
    deps = {_person_key(person)}
    for field, _ in LISTS:
        deps |= _span(field, getattr(entry, field), shown[field])
    description = f"{person.name}{', ' + person.role if person.role else ''}: the fact-checks they wrote and reviewed."
    context = {"entry": entry, "shown": shown, "all_url": all_url}
    return PageJob(urls.person(person.id), "person.html", context, person.name, description, frozenset(deps), lists_site=True)


def _span(field: str, reports: tuple[Report, ...], chunk: tuple[Report, ...]) -> frozenset[str]:
    # Which reports a page shows, and which stretch of the list: the same keys as any paginated listing's.
    first, last = (chunk[0].id, chunk[-1].id) if chunk else ("", "")
    return span_depends(len(reports), f"{field}:{first}", last, (r.id for r in chunk))


def _list_pages(site: Site, entry: Credits, field: str, kind: str, kept: KeptJobs) -> Iterable[PageJob]:
    """Every report of one of a person's lists, newest first, page_size a page."""
    person = entry.person
    reports: tuple[Report, ...] = getattr(entry, field)
    heading = site.strings.text(f"person.{kind}_by", name=person.name)
    for pager, chunk in paginate(reports, site.config.page_size, urls.person_list(person.id, kind)):
        url = pager.pages[pager.number - 1][1]

        def make(pager: Pager = pager, chunk: Sequence[Report] = chunk, url: str = url) -> PageJob:
            context = {"entry": entry, "heading": heading, "items": chunk, "pager": pager}
            deps = frozenset({_person_key(person), *_span(field, reports, tuple(chunk))})
            return PageJob(url, "person_reports.html", context, paged_title(site, heading, pager), heading, deps, lists_site=True)

        # The pager by its numbers: its URLs follow from them and the list's base.
        yield kept.job(url, (person, heading, pager.number, pager.count, pager.total), chunk, make)


def template_globals(site: Site) -> Mapping[str, Any]:
    """`person_url()` and what bylines need."""

    def person_url(person: Person) -> str:
        """Site-relative URL of a person's page."""
        return urls.person(person.id)

    def person_data(person: Person) -> Markup:
        """The JSON-LD of a person's page."""
        return script_tag(profile_page(site, person))

    return {"person_url": person_url, "person_data": person_data}
