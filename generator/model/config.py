"""The site configuration's part of the content model: languages, the rating scale, the organisation and site.yaml's settings.

Like the rest of the model (entities.py, which re-exports these), frozen dataclasses made from checked values only.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass

from generator.model.pickling import pickled_by_init


@pickled_by_init
@dataclass(frozen=True, slots=True)
class RatingText:
    """A rating's label and definition in one more language of the site."""

    language: str
    label: str
    definition: str


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Rating:
    """One rating of the site's scale."""

    key: str
    label: str
    definition: str
    color: str
    value: int | None  # None for ratings outside the numeric scale
    position: int  # order on the rating page: scale first (best first), then the others
    image: str = ""  # an image of the rating, for ClaimReview's reviewRating.image
    translations: tuple[RatingText, ...] = ()  # label and definition in the site's other languages

    def in_language(self, language: str) -> Rating:
        """The rating as readers of `language` see it (its own label and definition where site.yaml gives them)."""
        found = next((t for t in self.translations if t.language == language), None)
        return self if found is None else dataclasses.replace(self, label=found.label, definition=found.definition)

    @property
    def on_scale(self) -> bool:
        """True for ratings with a numeric value."""
        return self.value is not None

    @property
    def ink(self) -> str:
        """The colour of text on the rating's colour: white, or black where white would be hard to read."""
        return readable_ink(self.color)


def readable_ink(color: str) -> str:
    """'#fff' for text on `color` (#rgb or #rrggbb), or '#000' where white falls short of 4.5:1 (WCAG AA)."""
    digits = color.lstrip("#")
    digits = "".join(c * 2 for c in digits) if len(digits) == 3 else digits[:6]
    if len(digits) != 6:
        return "#fff"

    def linear(channel: str) -> float:
        value = int(channel, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(digits[i : i + 2]) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # Black text then reads at 4.67:1 or better: one of the two always passes.
    return "#fff" if 1.05 / (luminance + 0.05) >= 4.5 else "#000"


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Scale:
    """The rating scale: ordered ratings plus those outside it."""

    ratings: tuple[Rating, ...]

    @property
    def best(self) -> int | None:
        """The highest numeric value (ClaimReview bestRating)."""
        values = [r.value for r in self.ratings if r.value is not None]
        return max(values) if values else None

    @property
    def worst(self) -> int | None:
        """The lowest numeric value (ClaimReview worstRating)."""
        values = [r.value for r in self.ratings if r.value is not None]
        return min(values) if values else None

    def in_language(self, language: str) -> Scale:
        """The scale with each rating's label and definition in `language`."""
        return Scale(tuple(r.in_language(language) for r in self.ratings))

    def get(self, key: str) -> Rating:
        """The rating with this key (keys were checked in validation)."""
        for rating in self.ratings:
            if rating.key == key:
                return rating
        raise KeyError(key)


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Organization:
    """The publishing organisation."""

    name: str
    url: str = ""
    logo: str = ""


@functools.lru_cache(maxsize=1 << 16)  # a few thousand names, each asked for by every claim that carries it
def name_key(name: str) -> str:
    """A name compared case- and space-insensitively ('Jane  DOE' and 'jane doe' are one claimant)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@pickled_by_init
@dataclass(frozen=True, slots=True)
class ClaimantInfo:
    """What site.yaml says about a claimant: a picture and pages that identify them."""

    name: str
    image: str = ""
    same_as: tuple[str, ...] = ()


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Transparency:
    """Funding, ownership and ways to reach the newsroom; addresses are emails or https URLs."""

    funding: str = ""
    ownership: str = ""
    contact: str = ""
    tips: str = ""
    report_errors: str = ""
    ifcn: str = ""

    @property
    def errors_address(self) -> str:
        """Where error reports go: report_errors, else contact."""
        return self.report_errors or self.contact


@pickled_by_init
@dataclass(frozen=True, slots=True)
class Language:
    """One language the site publishes in; the site's title and description as its readers see them."""

    code: str
    title: str = ""  # '' for the site's own title
    description: str = ""


@pickled_by_init
@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Settings from content/site.yaml."""

    title: str
    description: str
    language: str
    base_url: str
    organization: Organization
    theme: str
    reviewers_required: int
    page_size: int
    scale: Scale
    favicon: str = ""  # a site-relative path (static/...) or an https URL; '' for the theme's default
    claimants: tuple[ClaimantInfo, ...] = ()
    transparency: Transparency = Transparency()
    license_url: str = ""  # the structured data's licence (ClaimReview sdLicense)
    share_cards: bool = True  # a PNG per claim for link previews (og:image)
    # Every language of the site, the default (served at the root) first; `language` is the one a page is in.
    languages: tuple[Language, ...] = ()

    @property
    def default_language(self) -> str:
        """The language served at the site's root."""
        return self.languages[0].code if self.languages else self.language

    def claimant(self, name: str) -> ClaimantInfo | None:
        """What site.yaml declares about the claimant called `name`, if anything."""
        key = name_key(name)
        return next((c for c in self.claimants if name_key(c.name) == key), None)
