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


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """`text` in lines no wider than `width`; a word wider than a line is cut where it must be."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while font.getlength(line) > width:  # one very long word (a URL): cut it
            cut = max(1, next(n for n in range(len(line), 0, -1) if font.getlength(line[:n]) <= width))
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def _fit(text: str, width: float) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    for size in CLAIM_SIZES:
        font = _font(True, size)
        lines = wrap(text, font, width)
        if len(lines) <= MAX_LINES:
            return font, lines
    font = _font(True, CLAIM_SIZES[-1])
    lines = wrap(text, font, width)[:MAX_LINES]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1].rstrip()
    return font, [*lines[:-1], last + "…"]


def card_png(site_title: str, claim_text: str, label: str, color: str) -> bytes:
    """The share card of one claim as PNG bytes: byte-identical for the same arguments."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    verdict = _rgb(color)
    draw.rectangle((0, 0, 23, HEIGHT), fill=verdict)
    draw.text((MARGIN, 56), site_title, font=_font(True, 34), fill=MUTED)
    draw.text((MARGIN, 104), "Fact-check of the claim", font=_font(False, 28), fill=MUTED)
    font, lines = _fit(f"“{claim_text}”", WIDTH - 2 * MARGIN)
    line_height = round(font.size * 1.22)
    top = 170 + (MAX_LINES * round(CLAIM_SIZES[-1] * 1.22) - len(lines) * line_height) // 4
    for n, line in enumerate(lines):
        draw.text((MARGIN, top + n * line_height), line, font=font, fill=INK)
    draw.line((MARGIN, HEIGHT - 140, WIDTH - MARGIN, HEIGHT - 140), fill=RULE, width=2)
    badge_font = _font(True, 46)
    badge_width = badge_font.getlength(label) + 56
    draw.rounded_rectangle((MARGIN, HEIGHT - 112, MARGIN + badge_width, HEIGHT - 40), radius=14, fill=verdict)
    draw.text((MARGIN + 28, HEIGHT - 76), label, font=badge_font, fill=PAPER, anchor="lm")
    draw.text((MARGIN + badge_width + 28, HEIGHT - 76), "Our verdict", font=_font(False, 30), fill=MUTED, anchor="lm")
    out = io.BytesIO()
    # Flat colours and anti-aliased text fit a 64-colour palette: a third of the time to encode
    # (PNG compression is most of a card's cost) and of the bytes of a full-colour PNG.
    image.quantize(64, method=Image.Quantize.FASTOCTREE).save(out, format="PNG")
    return out.getvalue()


def share_cards(site: Site, report: Report) -> Iterable[PageJob]:
    """A share card (PNG) for each claim of a report."""
    if report.is_withdrawn:
        return  # a withdrawn verdict is not for sharing
    for claim in report.claims:
        make = functools.partial(card_png, site.config.title, claim.claim_reviewed, claim.rating.label, claim.rating.color)
        yield PageJob(urls.share_card(report.id, claim.id), "", {}, f"Share card: {claim.claim_reviewed}", depends=frozenset({report.id}), produce=make)


def template_globals(site: Site) -> Mapping[str, Any]:
    """`share_card()`: a claim's card URL."""

    def share_card(report: Report, claim: Claim) -> str:
        """Site-relative URL of a claim's share card, or '' for a claim that has none (withdrawn)."""
        return "" if report.is_withdrawn else urls.share_card(report.id, claim.id)

    return {"share_card": share_card, "share_card_size": (WIDTH, HEIGHT)}
