"""Placing the links markdown refused in their text (generator/content/linkplaces.py)."""

from __future__ import annotations

from generator.content.linkplaces import place_links


def test_each_link_takes_its_own_place_whatever_order_markdown_names_them_in() -> None:
    """A definition is named first; a link found by its scheme alone must not take a place a full match owns."""
    text = "[a](JAVASCRIPT:x) one\n[r]: javascript:y\n[b](javascript:x) two\n"
    assert place_links(text, ["javascript:y", "JAVASCRIPT:x", "javascript:x"]) == [(1, 6, "javascript:y"), (0, 5, "JAVASCRIPT:x"), (2, 5, "javascript:x")]


def test_an_entity_spelt_link_is_placed_at_its_ampersand_and_one_not_found_at_the_start() -> None:
    assert place_links("see [x](&#106;avascript:z)\n", ["javascript:z"]) == [(0, 9, "javascript:z")]
    assert place_links("nothing here\n", ["data:q"]) == [(0, 1, "data:q")]


def test_many_links_to_one_address_are_placed_in_one_pass() -> None:
    """The seventh hostile-input audit: each link to one refused address passed every place taken before it (2,000 took 0.36 s, growing with their square)."""
    text = "[a](javascript:x)\n" * 40_000
    placed = place_links(text, ["javascript:x"] * 40_000)
    assert placed[0] == (0, 5, "javascript:x") and placed[-1] == (39_999, 5, "javascript:x")
    assert len({line for line, _, _ in placed}) == 40_000


def test_many_links_to_different_addresses_are_placed_in_one_pass() -> None:
    """The seventh hostile-input audit: each of 20,000 links to different refused addresses was looked for from the text's start (1.6 s)."""
    urls = [f"javascript:{n}" for n in range(80_000)]
    text = "\n".join(f"[a](JavaScript:{n})" for n in range(80_000))
    placed = place_links(text, urls)
    assert placed[0] == (0, 5, "javascript:0") and placed[-1] == (79_999, 5, "javascript:79999")
    # One pass or a search each, the same places: the first not yet taken, wherever the address is written.
    text = "[javascript:7](javascript:7) " + " ".join(f"[b](javascript:{n})" for n in range(100)) + " [c](javascript:7)"
    urls = ["javascript:7", *(f"javascript:{n}" for n in range(100)), "javascript:7"]
    taken: list[int] = []
    for url in urls:  # the rule, spelt out: each address from the text's start, past the places taken
        at = text.find(url)
        while at in taken:
            at = text.find(url, at + 1)
        taken.append(at)
    assert [column for _, column, _ in place_links(text, urls)] == [at + 1 for at in taken]
    assert taken[:2] == [1, text.index("javascript:0")] and taken[8] == 15  # the label's, then the destination's
