"""Share cards: a deterministic 1200x630 PNG per claim, used as og:image and twitter:image; share links."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from conftest import REPORT_YAML
from generator.build import BuildOptions, build
from generator.site.sharecards import FONTS, card_png, wrap
from publishing import withdrawn_project

CARD = "reports/planet-rents/claims/rents-doubled/card.png"


def test_cards_are_byte_identical_across_builds_and_small_1200x630_pngs(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    first, second = tmp_path / "one", tmp_path / "two"
    build(root, first, BuildOptions(base_url="https://x.example/", cache=False))
    build(root, second, BuildOptions(base_url="https://x.example/", workers=1, cache=False))
    data = (first / CARD).read_bytes()
    assert data == (second / CARD).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 300_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (1200, 630) and image.info == {}
        # The verdict's colour (False: #c0202c) is on the card: the stripe at its left edge.
        assert image.convert("RGB").getpixel((5, 300)) == (0xC0, 0x20, 0x2C)
    assert (first / "reports/planet-rents/claims/shelter-spend/card.png").read_bytes() != data


def test_a_long_claim_still_fits(tmp_path: Path) -> None:
    claim = "A very long claim about " + "rents and budgets and shelters " * 20 + "Supercalifragilisticexpialidocious" * 4
    data = card_png("A site with a long name", claim, "Mostly false", "#b3470c")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630)
    assert data == card_png("A site with a long name", claim, "Mostly false", "#b3470c")


def test_wrap_cuts_a_word_longer_than_a_line() -> None:
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 40)
    lines = wrap("see https://example.org/" + "x" * 120, font, 600)
    assert all(font.getlength(line) <= 600 for line in lines) and "".join(lines[1:]).startswith("https://example.org/")


def test_a_claim_of_one_endless_word_is_cut_and_ellipsised_without_hanging() -> None:
    """A hostile claim_reviewed (50,000 characters, no space) makes a card: the wrap stops once the card is full."""
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 40)
    lines = wrap("W" * 50_000, font, 600, limit=5)
    assert len(lines) == 6 and all(font.getlength(line) <= 600 for line in lines) and "".join(lines) == "W" * len("".join(lines))
    data = card_png("Site", "W" * 50_000, "False", "#c0202c")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630)


def test_wrap_without_a_limit_keeps_every_character() -> None:
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 40)
    text = "short words then " + "y" * 2_000 + " and more"
    lines = wrap(text, font, 600)
    assert " ".join(lines).replace(" ", "") == text.replace(" ", "") and all(font.getlength(line) <= 600 for line in lines)


def test_claim_page_uses_its_card_in_link_previews_and_has_share_links(make_project: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(make_project(withdrawn_project()), out, BuildOptions(base_url="https://x.example/", cache=False))
    html = (out / "reports/planet-rents/claims/rents-doubled/index.html").read_text(encoding="utf-8")
    assert f'<meta property="og:image" content="https://x.example/{CARD}">' in html
    assert f'<meta name="twitter:image" content="https://x.example/{CARD}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    share = html.split('id="share-title"')[1].split("</section>")[0]
    page = "https%3A//x.example/reports/planet-rents/claims/rents-doubled/"
    for href in ("mailto:?subject=False%3A%20Rents", "https://x.com/intent/post?text=False%3A%20Rents", f"https://www.facebook.com/sharer/sharer.php?u={page}"):
        assert f'href="{href}' in share, href
    assert "https://wa.me/?text=" in share and f"https://www.linkedin.com/sharing/share-offsite/?url={page}" in share
    assert '<script defer src="../../../../static/share.js"></script>' in html
    assert '<script src="http' not in html  # no third-party script
    withdrawn = (out / "reports/planet-old/claims/rents-doubled/index.html").read_text(encoding="utf-8")
    assert "og:image" not in withdrawn and 'id="share-title"' not in withdrawn and not (out / "reports/planet-old/claims/rents-doubled/card.png").exists()


def test_without_base_url_there_is_no_og_image(make_project: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(make_project({"content/reports/planet-rents.yaml": REPORT_YAML}), out, BuildOptions(cache=False))
    html = (out / "reports/planet-rents/claims/rents-doubled/index.html").read_text(encoding="utf-8")
    assert "og:image" not in html and '<meta name="twitter:card" content="summary">' in html and (out / CARD).is_file()


def test_share_cards_false_in_site_yaml_draws_none_and_previews_fall_back_to_text(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project({"content/reports/planet-rents.yaml": REPORT_YAML})
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "share_cards: false\n", encoding="utf-8")
    out = tmp_path / "site"
    build(root, out, BuildOptions(base_url="https://x.example/", cache=False))
    assert not list(out.rglob("card.png"))
    html = (out / "reports/planet-rents/claims/rents-doubled/index.html").read_text(encoding="utf-8")
    assert "og:image" not in html and '<meta name="twitter:card" content="summary">' in html


def test_a_rating_label_of_thousands_of_characters_is_cut_on_the_badge() -> None:
    data = card_png("Site", "A claim", "Mostly " * 30_000, "#b3470c")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630)


def test_the_claim_is_drawn_as_stated_not_in_quotation_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    # claim_reviewed is the fact-checker's statement of the claim: quotation marks would put it in someone's mouth.
    drawn: list[str] = []
    draw_text = ImageDraw.ImageDraw.text

    def recording(self: ImageDraw.ImageDraw, xy: Any, text: str, *args: Any, **kwargs: Any) -> None:
        drawn.append(text)
        draw_text(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", recording)
    card_png("A site", "Fares doubled", "False", "#c0202c")
    assert "Fares doubled" in drawn
    assert not any("“" in text or "”" in text for text in drawn)


def test_a_light_ratings_label_is_drawn_in_black() -> None:
    """White on yellow (#f0e442) reads at 1.3:1: the label is drawn in the rating's ink, as on the pages."""

    def darkest_in_badge(data: bytes) -> int:
        with Image.open(io.BytesIO(data)) as image:
            badge = image.convert("L").crop((90, 630 - 105, 300, 630 - 47))
            low, _high = badge.getextrema()
            return int(low)  # type: ignore[arg-type]

    assert darkest_in_badge(card_png("Site", "A claim", "True", "#f0e442", "#000")) < 40
    assert darkest_in_badge(card_png("Site", "A claim", "True", "#c0202c")) > 40  # white on red: nothing near black
