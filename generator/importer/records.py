"""What every reader produces: one reviewed claim, normalised, and the import's limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Bounds that keep a hostile or broken input from taking unbounded time or memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_REVIEWS = 100_000
MAX_TEXT = 5_000


@dataclass(frozen=True)
class Party:
    """A claimant or a review author: a person or an organisation."""

    name: str
    type: str = "organization"  # "person" | "organization"
    job_title: str = ""


@dataclass(frozen=True)
class Appearance:
    """The article (or other work) where the claim appeared."""

    url: str
    headline: str = ""
    publisher: str = ""
    publisher_url: str = ""
    published: dt.date | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Review:
    """One reviewed claim, whatever it was read from; text already cleaned, URLs only http(s)."""

    origin: str  # "file" or "file:line" for messages
    url: str  # the review's own address (without fragment), '' if none
    fragment: str
    claim_reviewed: str
    rating: str  # the label to map to the site's scale
    explanation: str = ""
    claimant: Party | None = None
    claim_date: dt.date | None = None
    published: dt.date | None = None
    modified: dt.date | None = None
    title: str = ""
    authors: tuple[Party, ...] = ()
    article: Appearance | None = None
    archives: tuple[tuple[str, str], ...] = ()  # (url, label) of archived copies of the article
    dropped: tuple[str, ...] = ()  # other appearances, not kept (listed as a comment in the YAML)
    quote: str = ""  # the claim's words as recorded, when the source has them apart from claim_reviewed
    report_id: str = ""  # ids given by the source (CSV), else derived from the URL
    claim_id: str = ""
    topics: tuple[str, ...] = ()
    publisher: str = ""  # who published the review (its author organisation)


@dataclass(frozen=True)
class Problem:
    """Why an input (or one item of it) was skipped or refused."""

    origin: str
    message: str
    hint: str = ""
    fatal: bool = False  # an input that cannot be read at all: nothing is written
    kind: str = "skipped"  # "dropped" for a link left out of an imported review, "date" for a date left out
