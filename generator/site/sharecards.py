"""Share cards: a 1200x630 PNG per claim (the claim, its verdict in its colour, the site's name) for link previews.

PolitiFact's and Full Fact's previews carry the verdict; ours do too, as the claim page's og:image and
twitter:image. Cards are drawn at build time with Pillow and the bundled DejaVu fonts, as page jobs that
make bytes, so they are cached and rebuilt like pages. Same input, same bytes: no timestamps or metadata
go into the PNG, and the layout depends only on the text, the fonts and the colours.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from generator.model.entities import Claim, Report, Site
from generator.site import urls
from generator.site.jobs import PageJob

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONTS = Path(__file__).parent / "fonts"
INK, MUTED, PAPER, RULE = (27, 31, 36), (87, 96, 106), (255, 255, 255), (208, 215, 222)
CLAIM_SIZES = (60, 54, 48, 42, 38)  # the largest size at which the claim fits in MAX_LINES
MAX_LINES = 5


@functools.lru_cache(maxsize=16)
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def _rgb(color: str) -> tuple[int, int, int]:
    hex_digits = color.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    return int(hex_digits[0:2], 16), int(hex_digits[2:4], 16), int(hex_digits[4:6], 16)


LINE_CHARS = 400  # more characters than one line of a card holds at any of its sizes: longer text never fits


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, limit: int = 0) -> list[str]:
    """`text` in lines no wider than `width`; a word wider than a line is cut where it must be.

    With `limit`, stops once there are more than `limit` lines (enough to know the text does not fit),
    so that a claim of thousands of characters costs no more than one that just overflows.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        if limit and len(lines) > limit:
            break
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= LINE_CHARS and font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while (len(line) > LINE_CHARS or font.getlength(line) > width) and not (limit and len(lines) > limit):
            cut = _fitting(line, font, width)  # one very long word (a URL): cut it
            lines.append(line[:cut])
            line = line[cut:]
    if line and not (limit and len(lines) > limit):
        lines.append(line)
    return lines


def _fitting(word: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    """How many leading characters of `word` fit in `width` (at least one), by bisection: a linear search made a long word cubic."""
    low, high = 1, min(len(word), LINE_CHARS)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _fit(text: str, width: float) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    for size in CLAIM_SIZES:
        font = _font(True, size)
        lines = wrap(text, font, width, MAX_LINES)
        if len(lines) <= MAX_LINES:
            return font, lines
    font = _font(True, CLAIM_SIZES[-1])
    lines = wrap(text, font, width, MAX_LINES)[:MAX_LINES]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1].rstrip()
    return font, [*lines[:-1], last + "…"]


LEVELS = 16  # anti-aliasing levels kept per colour pair: indistinguishable from full 8-bit text edges at card size
INK_RAMP, MUTED_RAMP, BADGE_RAMP, RULE_INDEX = 0, LEVELS, 2 * LEVELS, 3 * LEVELS


def _ramp(start: tuple[int, int, int], end: tuple[int, int, int]) -> list[int]:
    return [round(a + (b - a) * n / (LEVELS - 1)) for n in range(LEVELS) for a, b in zip(start, end, strict=True)]


@functools.lru_cache(maxsize=64)
def _frame(site_title: str, label: str, color: str, ink: str = "#fff") -> tuple[Image.Image, bytes]:
    """The parts of a card that do not depend on the claim, drawn once per site and verdict, and the card's palette."""
    # The card is drawn as palette indices in an 8-bit image: each colour pair gets a run of LEVELS indices,
    # and drawing ink N+15 over background N anti-aliases within the run. No quantizing of a full-colour
    # image afterwards, which was most of a card's cost.
    image = Image.new("L", (WIDTH, HEIGHT), INK_RAMP)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 23, HEIGHT), fill=BADGE_RAMP)

    def muted(xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont, anchor: str = "la") -> None:
        draw.rectangle(draw.textbbox(xy, text, font=font, anchor=anchor), fill=MUTED_RAMP)
        draw.text(xy, text, font=font, fill=MUTED_RAMP + LEVELS - 1, anchor=anchor)

    muted((MARGIN, 56), site_title, _font(True, 34))
    muted((MARGIN, 104), "Fact-check of the claim", _font(False, 28))
    draw.line((MARGIN, HEIGHT - 140, WIDTH - MARGIN, HEIGHT - 140), fill=RULE_INDEX, width=2)
    badge_font = _font(True, 46)
    room = WIDTH - 2 * MARGIN - 56 - 260  # the badge leaves room for "Our verdict" beside it
    if len(label) > LINE_CHARS or badge_font.getlength(label) > room:  # a label of thousands of characters: cut, not a giant image
        label = label[: _fitting(label, badge_font, room - badge_font.getlength("…"))].rstrip() + "…"
    badge_width = badge_font.getlength(label) + 56
    draw.rounded_rectangle((MARGIN, HEIGHT - 112, MARGIN + badge_width, HEIGHT - 40), radius=14, fill=BADGE_RAMP)
    draw.text((MARGIN + 28, HEIGHT - 76), label, font=badge_font, fill=BADGE_RAMP + LEVELS - 1, anchor="lm")
    muted((MARGIN + badge_width + 28, HEIGHT - 76), "Our verdict", _font(False, 30), "lm")
    palette = _ramp(PAPER, INK) + _ramp(PAPER, MUTED) + _ramp(_rgb(color), _rgb(ink)) + list(RULE)
    return image, bytes(palette)


def card_png(site_title: str, claim_text: str, label: str, color: str, ink: str = "#fff") -> bytes:
    """The share card of one claim as PNG bytes: byte-identical for the same arguments."""
    frame, palette = _frame(site_title, label, color, ink)
    image = frame.copy()
    draw = ImageDraw.Draw(image)
    # Not in quotation marks: claim_reviewed is the fact-checker's own statement of the claim, not anyone's words.
    font, lines = _fit(claim_text, WIDTH - 2 * MARGIN)
    line_height = round(font.size * 1.22)
    top = 170 + (MAX_LINES * round(CLAIM_SIZES[-1] * 1.22) - len(lines) * line_height) // 4
    for n, line in enumerate(lines):
        draw.text((MARGIN, top + n * line_height), line, font=font, fill=INK_RAMP + LEVELS - 1)
    card = Image.frombytes("P", image.size, image.tobytes())
    card.putpalette(palette)
    out = io.BytesIO()
    # Level 3: a third of the default level's time for a file about a fifth larger (~25 KB).
    card.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def share_cards(site: Site, report: Report) -> Iterable[PageJob]:
    """A share card (PNG) for each claim of a report."""
    if report.is_withdrawn or not site.config.share_cards:
        return  # a withdrawn verdict is not for sharing
    for claim in report.claims:
        make = functools.partial(card_png, site.config.title, claim.claim_reviewed, claim.rating.label, claim.rating.color, claim.rating.ink)
        yield PageJob(urls.share_card(report.id, claim.id), "", {}, f"Share card: {claim.claim_reviewed}", depends=frozenset({report.id}), produce=make)


def template_globals(site: Site) -> Mapping[str, Any]:
    """`share_card()`: a claim's card URL."""

    def share_card(report: Report, claim: Claim) -> str:
        """Site-relative URL of a claim's share card, or '' for a claim that has none (withdrawn)."""
        return "" if report.is_withdrawn or not site.config.share_cards else urls.share_card(report.id, claim.id)

    return {"share_card": share_card, "share_card_size": (WIDTH, HEIGHT)}
