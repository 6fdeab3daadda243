"""The content model: frozen dataclasses that templates and exports read.

Nothing in here is untyped YAML: objects are made by `build_model` from checked values only.
Analysis and page bodies are already rendered to safe HTML, so themes never see markdown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import zlib
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.content.i18n import Strings
from generator.content.nativemarkdown import relabelled
from generator.content.stringtables import english
from generator.model.config import (
    ClaimantInfo as ClaimantInfo,
)
from generator.model.config import (
    Language as Language,
)
from generator.model.config import (
    Organization as Organization,
)
from generator.model.config import (
    Rating as Rating,
)
from generator.model.config import (
    RatingText as RatingText,
)
from generator.model.config import (
    Scale as Scale,
)
from generator.model.config import (
    SiteConfig as SiteConfig,
)
from generator.model.config import (
    Transparency as Transparency,
)
from generator.model.config import (
    name_key as name_key,
)
from generator.model.mapped import Moved, readable
from generator.model.pickling import pickled_by_init


def initials(name: str) -> str:
    """The first letters of the first and last words of a name ('Jane Q. Doe' -> 'JD')."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


# A packed text as the model holds it: bytes, or (in a build about to fork its render) the place of those
# bytes in a mapping every process shares (model/arena.py, model/mapped.py), equal to them and with the same hash.
Packed = bytes | Moved


def pack(text: str) -> bytes:
    """A long text as the model holds it: UTF-8, compressed ("" as b"").

    An analysis's HTML and an article's text are most of a report's memory, and every page but the
    report's own reads them never; compressed they take 2.5 to 4 times less, in the build's process
    and in each helper that copies them, and a page that shows one unpacks it in microseconds.
    """
    return zlib.compress(text.encode("utf-8"), 6) if text else b""


def unpack(data: Packed) -> str:
    """The text `pack` was given."""
    return zlib.decompress(readable(data)).decode("utf-8") if data else ""


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Link:
    """An external link with an optional label (archive copies and the like)."""

    url: str
    label: str = ""


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Person:
    """An author or reviewer."""

    id: str
    name: str
    role: str = ""
    bio: Markup = Markup("")  # noqa: RUF009 - Markup is an immutable str
    photo: str = ""
    same_as: tuple[str, ...] = ()

    @property
    def initials(self) -> str:
        """Up to two initials of the name, shown when there is no photo."""
        return initials(self.name)


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Excerpt:
    """A short exact passage of a source."""

    text: str
    locator: str = ""


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Source:
    """A source of a report, numbered in the order of the report's source list."""

    id: str
    number: int
    title: str
    publisher: str
    url: str
    kind: str
    author: str = ""
    date: dt.date | None = None
    via: str = ""
    archives: tuple[Link, ...] = ()
    accessed: dt.date | None = None
    excerpt: Excerpt | None = None
    note: str = ""


def pack_sources(sources: tuple[Source, ...]) -> bytes:
    """A report's sources as the model holds them: pickled and compressed (() as b"").

    Sources were the largest part of the model (about 3 KB a report as objects, a third of it at 40,000
    reports), and every page but the report's and its claims' reads them never. One compressed bytes
    object a report takes a fifth of that, and a process that renders touches, so copies, none of it.
    """
    return zlib.compress(pickle.dumps(sources, protocol=pickle.HIGHEST_PROTOCOL), 6) if sources else b""


# The sources last unpacked, with the packed object they came from (held, so that its identity stays its own):
# a report's page and its claims' pages, rendered one after another, ask for the same report's sources.
_last_sources: tuple[Packed, tuple[Source, ...]] = (b"", ())


def unpack_sources(data: Packed) -> tuple[Source, ...]:
    """The sources `pack_sources` was given (the model's own bytes, made by this program)."""
    global _last_sources
    last = _last_sources  # one read: another thread may set it meanwhile (the preview renders in several)
    if last[0] is data:
        return last[1]
    made: tuple[Source, ...] = pickle.loads(zlib.decompress(readable(data))) if data else ()
    _last_sources = (data, made)
    return made


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Claimant:
    """Who made a claim."""

    name: str
    type: str  # "person" | "organization"
    job_title: str = ""


@pickled_by_init
@dataclass(frozen=True, slots=True)
class QuoteInContext:
    """A claim's quote with the rest of its sentence, and its offsets in the snapshot."""

    before: str
    exact: str
    after: str
    start: int
    end: int


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Appearance:
    """Another place a claim was made: a post, a video, a speech or an article."""

    url: str
    kind: str  # "post" | "video" | "speech" | "article"
    title: str = ""
    date: dt.date | None = None
    archives: tuple[Link, ...] = ()


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Claim:
    """One reviewed claim."""

    id: str
    report_id: str
    number: int
    quote: QuoteInContext
    claim_reviewed: str
    claimant: Claimant
    claim_date: dt.date | None
    rating: Rating
    explanation: str
    packed_analysis: Packed  # the analysis's HTML, packed (see `analysis`)
    source_numbers: tuple[int, ...]  # this claim's sources by their number in the report's list, in report order
    packed_sources: Packed  # the report's sources, packed: the very bytes object the report holds (see `sources`)
    # On the report page citations are numbered as in the report's full source list: the labels that differ
    # there, by source id as escaped in the link, relabel `analysis`. A second packed text would be a fifth
    # of the model. `packed_report_analysis` holds the report page's HTML only if relabelling could not make it.
    report_labels: tuple[tuple[str, str], ...] = ()
    packed_report_analysis: Packed = b""
    appearances: tuple[Appearance, ...] = ()  # besides the article under review

    @property
    def sources(self) -> tuple[Source, ...]:
        """This claim's sources, numbered 1..n in report order (as its own page and its analysis's citations number them)."""
        every = unpack_sources(self.packed_sources)
        own = (every[number - 1] for number in self.source_numbers)
        return tuple(s if s.number == n else dataclasses.replace(s, number=n) for n, s in enumerate(own, start=1))

    @property
    def analysis(self) -> Markup:
        """The analysis as safe HTML, citations numbered as on the claim's own page (1..n, matching `sources`)."""
        return Markup(unpack(self.packed_analysis))

    @property
    def report_analysis(self) -> Markup:
        """The analysis as safe HTML, citations numbered as in the report's full source list."""
        if self.packed_report_analysis:
            return Markup(unpack(self.packed_report_analysis))
        made = unpack(self.packed_analysis)
        return Markup(relabelled(made, dict(self.report_labels)) if self.report_labels else made)


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Correction:
    """One entry of a report's corrections log."""

    date: dt.date
    type: str
    change: str
    reason: str
    claim: str = ""
    from_rating: Rating | None = None
    to_rating: Rating | None = None


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Withdrawal:
    """When and why a published report was withdrawn."""

    date: dt.date
    reason: str


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Article:
    """The article under review."""

    headline: str
    publisher: str
    url: str
    retrieved: dt.date
    snapshot: str
    packed_text: Packed  # the article's text, packed (see `text`)
    publish_text: bool = False
    publisher_url: str = ""
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    published_note: str = ""
    archives: tuple[Link, ...] = ()
    text_unavailable: str = ""  # why the text was not saved (imported reviews): quotes are as recorded

    @property
    def text(self) -> str:
        """The article's text as saved in its snapshot ("" if it was not saved)."""
        return unpack(self.packed_text)

    @property
    def text_saved(self) -> bool:
        """False for imported reviews whose article text was not saved (quotes not anchored)."""
        return not self.text_unavailable


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Report:
    """A fact-check of one article."""

    id: str
    path: str  # source file, relative to the project root
    title: str
    summary: str
    status: str
    published: dt.date
    updated: dt.date | None
    authors: tuple[Person, ...]
    reviewers: tuple[Person, ...]
    topics: tuple[str, ...]
    article: Article
    claims: tuple[Claim, ...]
    packed_sources: Packed  # every source of the report, numbered 1..n, packed (see `sources`)
    corrections: tuple[Correction, ...] = ()
    disclosure: Markup = Markup("")  # noqa: RUF009 - Markup is an immutable str
    withdrawn: Withdrawal | None = None
    response: str = ""  # what came of contacting the outlet or claimant
    language: str = ""  # the report's language tag ('' before assembly sets the site's default)
    translations: tuple[str, ...] = ()  # ids of the reports that are this fact-check in other languages

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the report, numbered 1..n in the order of its source list."""
        return unpack_sources(self.packed_sources)

    @property
    def is_withdrawn(self) -> bool:
        """True for a retracted report: kept at its URL under a notice, out of listings, search and ClaimReview."""
        return self.withdrawn is not None

    @property
    def is_published(self) -> bool:
        """True when the report is out of the editorial workflow."""
        return self.status == "published"

    @property
    def modified(self) -> dt.date:
        """The latest of published, updated and any correction date."""
        dates = [self.published] + ([self.updated] if self.updated else []) + [c.date for c in self.corrections]
        dates += [self.withdrawn.date] if self.withdrawn else []
        return max(dates)


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Page:
    """A plain page (about, methodology...)."""

    slug: str
    path: str
    title: str
    description: str
    menu: int | None
    body: Markup
    language: str = ""
    links: tuple[tuple[int, int, str], ...] = ()  # relative links in the body (file line, column, address), checked against the plan


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, sorted and cross-linked."""

    config: SiteConfig
    people: tuple[Person, ...]
    reports: tuple[Report, ...]  # newest first
    pages: tuple[Page, ...]
    drafts: bool = False
    withdrawn: tuple[Report, ...] = ()  # retracted reports: their pages stay, outside every listing
    # The theme's strings in the language of these pages (the plan gives each language's site its own).
    strings: Strings = field(default_factory=english)

    @property
    def published(self) -> tuple[Report, ...]:
        """Listed reports that are published: all of them, except in a build with drafts (a preview).

        What leaves the site for machines (feeds, exports, the sitemap, ClaimReview) holds these only, so that
        a preview put on a staging host never offers an unreviewed verdict to a search engine or an aggregator.
        """
        return tuple(r for r in self.reports if r.is_published) if self.drafts else self.reports

    @property
    def every_report(self) -> tuple[Report, ...]:
        """Listed reports, then withdrawn ones (for the corrections index and feed)."""
        return self.reports + self.withdrawn

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim of every report, newest report first, in article order within one."""
        return tuple(claim for report in self.reports for claim in report.claims)

    @property
    def menu(self) -> tuple[Page, ...]:
        """Pages shown in the navigation, in menu order."""
        return tuple(sorted((p for p in self.pages if p.menu is not None), key=lambda p: (p.menu or 0, p.slug)))
