"""Quote anchoring in article snapshots."""

from __future__ import annotations

import random

import pytest

from conftest import REPO
from generator.content import anchors
from generator.content.anchors import Anchor, cut_words, find_quote, normalize, normalize_plain, sentence_around, sentences

TEXT = "Intro line\n\nThe mayor’s “plan” costs $4 million, said U.S. Sen. Jane Doe.  It   passed. The plan costs less now.\n"


def test_typographic_quotes_and_whitespace_are_normalised() -> None:
    result = find_quote(normalize(TEXT), 'The mayor\'s "plan"   costs $4 million')
    assert result.anchor is not None
    assert TEXT[result.anchor.start : result.anchor.end] == "The mayor’s “plan” costs $4 million"


def test_offsets_map_back_across_collapsed_whitespace() -> None:
    result = find_quote(normalize(TEXT), "Jane Doe. It passed.")
    assert result.anchor is not None
    assert TEXT[result.anchor.start : result.anchor.end] == "Jane Doe.  It   passed."


def test_several_matches_need_prefix_or_suffix() -> None:
    normal = normalize(TEXT)
    ambiguous = find_quote(normal, "plan")
    assert ambiguous.anchor is None and "occurs 2 times" in ambiguous.message
    chosen = find_quote(normal, "plan", prefix="The", suffix="costs less")
    assert chosen.anchor is not None and TEXT[chosen.anchor.start - 4 : chosen.anchor.end] == "The plan"


def test_a_repeated_quote_shows_where_it_occurs_from_a_word_and_counts_the_rest() -> None:
    text = (
        "Officials said the New school will open. Parents said the New school will open. "
        "The mayor said the New school will open. Everyone said the New school will open."
    )
    result = find_quote(normalize(text), "the New school")
    assert result.anchor is None and result.message == "quote occurs 4 times in the snapshot"
    assert result.hint == (
        'add a prefix or suffix to choose one: "...Officials said [quote]..."; "...will open. Parents said [quote]..."; '
        '"...will open. The mayor said [quote]..." (and 1 more)'
    )


def test_prefix_that_does_not_match_is_reported() -> None:
    result = find_quote(normalize(TEXT), "costs", prefix="nothing like this")
    assert result.anchor is None and "prefix/suffix" in result.message


def test_missing_quote_suggests_the_closest_passage() -> None:
    result = find_quote(normalize(TEXT), "The mayor's plan costs $5 million")
    assert result.anchor is None
    assert "closest passage" in result.hint and "costs $4 million" in result.hint


def test_invisible_characters_copied_from_the_web_do_not_hide_a_quote() -> None:
    """A soft hyphen or a zero-width character in the snapshot or the quote: found all the same (hostile-input audit F8)."""
    text = "Officials said the city now has more li\u00adbraries per resident than any other.\u200b It does not."
    snapshot = normalize(text)
    for quote in ("more libraries per resident", "more li\u200dbraries per resident", "any other. It does"):
        found = find_quote(snapshot, quote).anchor
        assert found is not None, quote
        assert text[found.start : found.end].replace("\u00ad", "").replace("\u200b", "") == quote.replace("\u200d", "")


def test_a_quote_cut_at_a_soft_hyphen_is_still_a_cut_word() -> None:
    """From review: the soft hyphen next to the cut looked like a word boundary, and the word was named in pieces."""
    text = "Public li\u00adbraries close."
    for quote in ("Public li", "Public libr"):
        found = find_quote(normalize(text), quote).anchor
        assert found is not None and cut_words(text, found) is not None
        assert cut_words(text, found)[0] == "the quote ends inside the word 'libraries'"  # type: ignore[index]
    whole = find_quote(normalize(text), "Public libraries").anchor
    assert whole is not None and cut_words(text, whole) is None


def test_an_empty_snapshot_is_named_in_the_hint() -> None:
    found = find_quote(normalize(" \n"), "rents have doubled")
    assert (found.anchor, found.message, found.hint) == (
        None,
        "quote not found in the article snapshot",
        "the snapshot is empty: save the article's text in it",
    )


def test_sentence_around_skips_abbreviations() -> None:
    start = TEXT.index("said")
    before, exact, after = sentence_around(TEXT, Anchor(start, start + 4))
    assert before == "The mayor’s “plan” costs $4 million, "
    assert exact == "said"
    assert after == " U.S. Sen. Jane Doe."


def test_sentences_split_on_stops_and_lines() -> None:
    spans = [TEXT[a.start : a.end] for a in sentences(TEXT)]
    assert spans == ["Intro line", "The mayor’s “plan” costs $4 million, said U.S. Sen. Jane Doe.", "It   passed.", "The plan costs less now."]


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})


def _normalize_reference(text: str) -> tuple[str, list[int]]:
    """The original per-character normalize (text and each character's original index), kept to prove the fast one agrees."""
    out: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for index, char in enumerate(text.translate(_QUOTES)):
        if char in "\u00ad\u200b\u200c\u200d\u2060\ufeff":
            continue  # shows nothing: never part of a match
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
            char = " "
        else:
            previous_space = False
        out.append(char)
        offsets.append(index)
    return "".join(out), offsets


def test_fast_normalize_matches_the_reference_on_the_seed_and_random_text() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    rng = random.Random(11)
    alphabet = "ab c\\t\\n\\r\\x0b\\x0c\\x1c\\x85\\xa0\\u2028\\u3000’‘“”„″ xyz  \\n\\n"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300))) for _ in range(500)]
    invisible = alphabet + "\u00ad\u200b\u200d\ufeff\u2060\u200c"  # soft hyphens and zero-width characters, as copied from the web
    texts += ["".join(rng.choice(invisible) for _ in range(rng.randint(0, 300))) for _ in range(500)]
    texts += ["", " ", "  a  ", "\\n\\n", "a", "’"]
    for text in texts:
        normal = normalize(text)
        expected_text, expected_offsets = _normalize_reference(text)
        assert normal.text == expected_text and normal.original_length == len(text)
        assert [normal.original(i) for i in range(len(normal.text))] == expected_offsets


def test_closest_passage_of_a_huge_quote_with_one_wrong_word() -> None:
    """A 2,000-word quote with one word changed in a 20,000-word article: found, and quickly (linear time)."""
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(3000)]
    words = [rng.choice(vocabulary) for _ in range(20_000)]
    article = " ".join(words)
    quote_words = words[9000:11000]
    quote_words[1000] = "WRONG"
    result = find_quote(normalize(article), " ".join(quote_words))
    assert result.anchor is None and result.message == "quote not found in the article snapshot"
    assert result.hint.startswith('closest passage in the snapshot: "' + " ".join(words[9000:9010]))


def test_the_sentence_around_each_of_thousands_of_quotes_is_found_quickly() -> None:
    """Each sentence was looked for from the article's start and to its end: 2,000 claims took 40 s, now well under one."""
    import time

    text = "".join(f"Sentence {n} says the value rose by {n % 97} percent. " for n in range(4000))
    anchors = [Anchor(text.index(f"Sentence {n} says"), text.index(f"Sentence {n} says") + 10) for n in range(0, 4000, 2)]
    started = time.perf_counter()
    found = [sentence_around(text, anchor) for anchor in anchors]
    assert time.perf_counter() - started < 5
    assert found[-1] == ("", "Sentence 3", "998 says the value rose by 21 percent.")


def test_every_typographic_quote_is_straightened_in_place() -> None:
    """Each curly or prime quote becomes ' or ", one character for one, so offsets still point into the original."""
    text = "‘a’ ‚b‛ 5′ “c” „d‟ 6″ plain 'e' \"f\" é"
    assert normalize_plain(text) == "'a' 'b' 5' \"c\" \"d\" 6\" plain 'e' \"f\" é"
    assert len(normalize(text).text) == len(text)


def _cut(text: str, quote: str) -> str | None:
    """The message about `quote` (found in `text`) cutting a word, or None."""
    start = text.index(quote)
    cut = cut_words(text, Anchor(start, start + len(quote)))
    return cut[0] if cut is not None else None


def test_a_quote_cut_inside_a_word_is_named_with_the_word() -> None:
    text = "Mayor Jane Doe said that rents in Metropolis have doubled since 2015. Critics disagree."
    assert _cut(text, "ents in Metropolis") == "the quote starts inside the word 'rents'"
    assert _cut(text, "doubled since 20") == "the quote ends inside the word '2015'"
    assert _cut(text, "ayor Jane Doe sa") == "the quote starts inside the word 'Mayor' and ends inside the word 'said'"
    assert _cut(text, "rents in Metropolis have doubled since 2015") is None
    assert _cut(text, "Mayor Jane Doe") is None and _cut(text, "Critics disagree.") is None  # the text's own start and end


def test_scripts_without_spaces_and_punctuation_are_not_cuts() -> None:
    assert _cut("市长说房租自2015年以来翻了一番。", "房租自2015年") is None
    assert _cut("It doesn't matter, she said.", "doesn") is None  # an apostrophe ends the word's part
    assert _cut("Prices (up 40%) rose.", "up 40%") is None
    assert _cut("Rents are at a record high³ this year.", "at a record high") is None  # a footnote marker
    assert _cut("Rents are at a record high3 this year.", "at a record high") is None
    assert _cut("وقال الوزير إن الإيجارات تضاعفت", "قال الوزير") is None  # a conjunction left out, as quoting does
    assert _cut("대통령은 임대료가 두 배가 되었다고 말했다", "대통령") is None  # a particle left out


def test_a_number_cut_at_its_point_or_comma_is_a_cut() -> None:
    assert _cut("Rents rose 12.5 percent.", "5 percent") == "the quote starts inside the word '12.5'"
    assert _cut("It cost 1,200,000 dollars.", "200,000 dollars") == "the quote starts inside the word '1,200,000'"
    assert _cut("Rents rose 12.5 percent.", "rose 12") == "the quote ends inside the word '12.5'"
    assert _cut("It was 2015. 2016 was worse.", "2016 was worse") is None


def test_the_context_of_a_quote_runs_over_a_wrapped_line() -> None:
    """A snapshot wrapped at a fixed width breaks lines inside sentences: the quote's sentence goes on past them."""
    text = "Toll Bridge Report\n\nThe bridge carries 40,000 vehicles every day, more than any other\ncrossing in the country. Tolls rose."
    start = text.index("every day")
    assert sentence_around(text, Anchor(start, start + len("every day")))[2] == ", more than any other crossing in the country."
    start = text.index("The bridge")
    assert sentence_around(text, Anchor(start, start + 10))[0] == ""  # the headline, ended by its blank line, stays out
    heading = "Key figures\nThe bridge carries 40,000 vehicles."
    assert sentence_around(heading, Anchor(heading.index("The"), heading.index("The") + 10))[0] == ""  # a capital starts a new line's sentence


@pytest.mark.parametrize(
    ("quote", "difference"),
    [
        ("buses carried 12 milion passengers", 'the quote has "milion" where the snapshot has "million"'),
        ("buses carried million passengers in 2025", 'the quote leaves out "12"'),
        ("buses carried 12 million passengers in in 2025", 'the quote has "in", which the snapshot does not have there'),
        # Every word matches: the punctuation is what differs (the passage's own end is no difference).
        ("buses carried 12 million passengers in 2025 the", 'the quote has "2025" where the snapshot has "2025,"'),
        ("buses carried 12 million passengers in 2025.", 'the quote has "2025." where the snapshot has "2025,"'),  # not "2025, the"
    ],
)
def test_the_not_found_hint_names_the_first_words_that_differ(quote: str, difference: str) -> None:
    snapshot = normalize("Riverton's buses carried 12 million passengers in 2025, the most in the network's history.")
    result = find_quote(snapshot, quote)
    assert result.anchor is None and result.hint.startswith("closest passage in the snapshot: ")
    assert result.hint.endswith("; " + difference)


def test_no_closest_passage_is_looked_for_in_a_snapshot_far_longer_than_an_article(monkeypatch: pytest.MonkeyPatch) -> None:
    # A 47 MB snapshot and one mistyped word took 2.6 GB for the search: it is skipped past a limit, and the hint says so.
    text = "The council said rents have doubled since 2015. " * 40
    assert "closest passage" in find_quote(normalize(text), "rents hass doubled").hint
    monkeypatch.setattr(anchors, "CLOSEST_SEARCH_LIMIT", len(text) - 1)
    hint = find_quote(normalize(text), "rents hass doubled").hint
    assert hint == "copy the words exactly from the snapshot (it is too long to look for the closest passage)"


def test_a_closest_passage_in_the_articles_own_quotes_is_shown_in_single_quotes() -> None:
    # '""This project...""' read as a typo; the article's quote marks are part of the passage to copy.
    snapshot = normalize('The mayor said: "This project came in under budget," at the opening.')
    result = find_quote(snapshot, '"This project came in well under budget,"')
    assert result.anchor is None
    assert result.hint.startswith("""closest passage in the snapshot: '"This project came in under budget,"""), result.hint


def test_a_prefix_among_thousands_of_places_is_compared_in_place() -> None:
    """The sixth hostile-input audit: a copy of the snapshot on each side of each of 300,000 places took 9 s a claim."""
    original = "Start. " + "ab " * 300_000 + "zzz ab end."
    snapshot = normalize(original)
    found = find_quote(snapshot, "ab", prefix="zzz")
    assert found.anchor is not None and original[found.anchor.start - 4 : found.anchor.end] == "zzz ab"
    assert find_quote(snapshot, "ab", prefix="yyy").message == "quote found, but not with this prefix/suffix"


def test_the_sentence_after_a_quote_is_looked_for_as_far_as_it_is_shown() -> None:
    """A snapshot with no sentence end was scanned to its end for every claim (the sixth hostile-input audit)."""
    text = " ".join(f"w{n}x" for n in range(150_000))
    before, quote, after = sentence_around(text, Anchor(0, 5), limit=320)
    assert (before, quote) == ("", "w0x w") and after.endswith("…") and len(after) <= 321
