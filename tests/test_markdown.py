"""Markdown: raw HTML off, safe links, citations, footnotes, headings."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from generator.content.markdown import MarkdownRenderer, cited_ids, refused_links, relative_links

MD = MarkdownRenderer()


def test_raw_html_is_escaped() -> None:
    html = MD.render("<script>alert(1)</script> and <b>bold</b>").html
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html


def test_unsafe_links_are_refused_and_reported() -> None:
    rendered = MD.render("[a](javascript:alert(1)) [b](data:text/html,x) [c](https://ok.example/) [d](../relative/)")
    assert rendered.rejected_links == ["javascript:alert(1)", "data:text/html,x"]
    assert 'href="javascript' not in rendered.html and 'href="data' not in rendered.html
    assert '<a href="https://ok.example/" rel="noopener">c</a>' in rendered.html
    assert '<a href="../relative/">d</a>' in rendered.html


def test_citations_become_numbered_links() -> None:
    rendered = MD.render("As reported [@guardian; @cbs] and [@unknown].", {"guardian": 1, "cbs": 4})
    assert (
        '<sup class="cite">[<a href="#source-guardian" aria-label="Source 1">1</a>, <a href="#source-cbs" aria-label="Source 4">4</a>]</sup>' in rendered.html
    )
    assert 'aria-label="Source ?"' in rendered.html
    assert rendered.citations == ["guardian", "cbs", "unknown"]


def test_citations_in_code_are_left_alone() -> None:
    assert "[@x]" in MD.render("`[@x]`").html
    assert cited_ids("see [@a] and [@b; @c]") == ["a", "b", "c"]


def test_tables_strikethrough_and_footnotes_with_unique_ids() -> None:
    html = MD.render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note", doc_id="claim-x").html
    assert "<table>" in html and "<s>old</s>" in html
    assert 'id="fn-claim-x-1"' in html
    # A footnote's mark is a bare number: "[1]" is how a source is cited, and note 1 must not pass for source 1.
    assert '<sup class="footnote-ref"><a href="#fn-claim-x-1" id="fnref-claim-x-1">1</a></sup>' in html and "[1]" not in html


def test_headings_shift_down() -> None:
    assert "<h4>Context</h4>" in MD.render("## Context", heading_offset=2).html
    assert "<h6>Deep</h6>" in MD.render("###### Deep", heading_offset=2).html


def test_raw_html_is_found_with_its_position() -> None:
    """Inline tags (closing ones folded into their opening) and blocks, at 0-based line and column; code is not HTML."""
    from generator.content.markdown import raw_html

    text = 'Hello <b>bold</b> and\nmore <i>x</i>.\n\n<div class="x">\nblock\n</div>\n\n`<code>` and <https://a.example/> and a < b'
    assert raw_html(text) == [(0, 6, "<b>"), (1, 5, "<i>"), (3, 0, '<div class="x">')]


def test_citations_carry_their_offsets() -> None:
    from generator.content.markdown import citations

    assert citations("A [@x] and\nthen [@y; @z].") == [(2, ["x"]), (16, ["y", "z"])]


def test_each_refused_link_is_reported_once_at_its_own_place() -> None:
    """A refused image is read again as a plain link one character on: one link, one report."""
    text = "![i](javascript:a)\n\n<javascript:b>\n\n![a](data:x) ![b](data:x) [c](vbscript:q)"
    assert refused_links(text) == [(0, 6, "javascript:a"), (2, 2, "javascript:b"), (4, 6, "data:x"), (4, 19, "data:x"), (4, 31, "vbscript:q")]
    assert MarkdownRenderer().render(text).rejected_links == ["javascript:a", "javascript:b", "data:x", "data:x", "vbscript:q"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("See [x](<javascript:alert(1)>).", [(0, 10, "javascript:alert(1)")]),
        ("See [x](<https://u@x.example/>).", [(0, 10, "https://u@x.example/")]),
        ("See ![x](<javascript:a>) and [[y]](\n<javascript:b> 'title').", [(0, 11, "javascript:a"), (1, 2, "javascript:b")]),
        ("> [x]: <javascript:a> 'title'\n\n> See [x].", [(0, 9, "javascript:a")]),
        ("[x](<javascript:a>) then <javascript:a>, written twice", [(0, 6, "javascript:a"), (0, 27, "javascript:a")]),
        ("[x]: <javascript:a>\n[y]: <javascript:a>\n\n[x] [y]", [(0, 7, "javascript:a"), (1, 7, "javascript:a")]),
        ("[a [b](javascript:y) c](https://ok.example/)", [(0, 8, "javascript:y")]),
        ("[a [b](<javascript:y>) c](<javascript:x>)", [(0, 28, "javascript:x"), (0, 9, "javascript:y")]),
        ("Write to <desk@news.example>.", [(0, 11, "mailto:desk@news.example")]),
    ],
)
def test_a_link_in_angle_brackets_is_reported_once_at_its_place(text: str, found: list[tuple[int, int, str]]) -> None:
    """A refused <destination> is then read as an autolink, and a label's links are read silently first: one link, one report."""
    assert refused_links(text) == found
    assert MarkdownRenderer(native=False).render(text).rejected_links == [url for _, _, url in found]


def test_a_parse_made_to_find_refused_links_serves_the_render_that_follows() -> None:
    """check parses each text to find refused links; the model's render of the same text reuses that parse, with the same result."""
    text = "A note[^1], a citation [@a] and links: [ok](https://x.example/) and [bad](javascript:alert(1)).\n\n[^1]: The note.\n\n## A heading\n"
    fresh = MarkdownRenderer().render(text, {"a": 3}, "doc", 1)
    assert [url for _, _, url in refused_links(text)] == ["javascript:alert(1)"]
    reused = MarkdownRenderer().render(text, {"a": 3}, "doc", 1)
    assert (reused.html, reused.rejected_links, reused.citations) == (fresh.html, fresh.rejected_links, fresh.citations)
    assert 'aria-label="Source 3"' in reused.html and "<h3>" in reused.html and "-doc-" in reused.html


def test_one_text_numbered_two_ways_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = MarkdownRenderer()
    parses: list[str] = []
    real = MarkdownIt.parse
    monkeypatch.setattr(MarkdownIt, "parse", lambda self, text, env=None: parses.append(text) or real(self, text, env))
    text = "## Check\n\nSee [@b] and [@a].[^1]\n\n[^1]: A note."
    own, in_report = renderer.render_each(text, [{"a": 1, "b": 2}, {"a": 3, "b": 5}], "c1", 2)
    assert len(parses) == 1
    assert "<h4>Check</h4>" in own.html and "<h4>Check</h4>" in in_report.html  # shifted once, not twice
    assert 'aria-label="Source 2">2</a>' in own.html and 'aria-label="Source 5">5</a>' in in_report.html
    assert 'id="fn-c1-1"' in own.html and 'id="fn-c1-1"' in in_report.html
    # Numberings that agree on what the text cites give the very same HTML, made once.
    first, second = renderer.render_each(text, [{"a": 1, "b": 2}, {"a": 1, "b": 2, "z": 9}], "c1", 2)
    assert first is second and first.html == own.html
    assert renderer.render(text, {"a": 3, "b": 5}, "c1", 2).html == in_report.html


def test_relative_links_are_what_markdown_would_link() -> None:
    """Footnotes, text that only looks like a link, and entity-spelt schemes are no relative links."""
    footnotes = "Two [@a].[^1]\n\n[^1]: See table 3.\n\n[^2]: Survey\n\n"
    text = footnotes + '[a](java\tscript:x) [b](&#106;avascript:x) [c](page/x) [d](other "t")\n[e]: local/y\n[f]: not a link at all'
    assert relative_links(text) == [(6, 47, "page/x"), (6, 59, "other"), (7, 6, "local/y")]


def test_a_refused_link_spelt_with_an_entity_is_found_at_its_line() -> None:
    assert refused_links("intro\n\nsee [a](javascript&#58;alert(1))") == [(2, 9, "javascript:alert(1)")]


def test_refused_links_spelt_with_entities_anywhere_are_found_where_they_stand() -> None:
    """The hostile-input audit's cases (F7): each was reported at another link's place or at the field's start."""
    assert refused_links("x [c](JaVaScRiPt:alert(1))\n\n[e](&#106;avascript:alert(1))") == [
        (0, 7, "JaVaScRiPt:alert(1)"),
        (2, 5, "javascript:alert(1)"),
    ]
    assert refused_links("[d](java&#115;cript:alert(1))") == [(0, 5, "javascript:alert(1)")]
    both = "![img](javascript:alert(1)) and [d](java&#115;cript:alert(1))"
    assert refused_links(both) == [(0, 8, "javascript:alert(1)"), (0, 37, "javascript:alert(1)")]


def test_a_refused_http_link_is_found_at_itself_not_at_an_earlier_good_one() -> None:
    """markdown-it rewrites the host in punycode and drops the escape: the link is found by its parts, not its scheme."""
    text = "One [ok](https://ok.example/a).\n\nTwo [bad](https://user@bücher.de/x).\n\nThree [bad2](https\\:evil.example)."
    assert refused_links(text) == [(2, 19, "https://user@xn--bcher-kva.de/x"), (4, 21, "https:evil.example")]


def test_a_relative_link_s_entities_are_read_as_commonmark_reads_them() -> None:
    assert relative_links("[a](a&copy=1.md) [b](&#106;avascript:x) [c](x&amp;y.md)") == [(0, 5, "a&copy=1.md"), (0, 45, "x&y.md")]


def test_a_line_of_repeated_link_openers_is_read_in_one_pass() -> None:
    """The sixth hostile-input audit: '](' 15,000 times on a page's line took 14 s (each one's destination ran to the line's end)."""
    assert relative_links("[a](rel) " + "](" * 20_000 + " y\n") == [(0, 5, "rel"), (0, 40_011, "y")]


def test_a_reference_definition_leaves_each_refused_link_at_its_own_line() -> None:
    """Definitions are refused first: the upper-case link before one was found by its scheme alone, on a later line."""
    text = "[a](JAVASCRIPT:alert(1)) first\n\n[r]: javascript:void(0)\n\n[b](javascript:alert(2)) third\n[c](javascript:alert(2)) again\n"
    assert sorted(refused_links(text)) == [
        (0, 5, "JAVASCRIPT:alert(1)"),
        (2, 6, "javascript:void(0)"),
        (4, 5, "javascript:alert(2)"),
        (5, 5, "javascript:alert(2)"),
    ]


def test_a_run_of_citation_openers_is_read_in_one_pass() -> None:
    """The seventh hostile-input audit: '[@' 10,000 times took 20 s to check (each id was read on to the text's end)."""
    hostile = "[@" * 100_000 + " and [@a]"
    assert cited_ids(hostile) == ["a"]
    assert MarkdownRenderer().render(hostile[-20_000:], {"a": 1}).citations == ["a"]
    assert cited_ids("[@a[b] and [@c; @d[e]") == []  # an id holds no '[' (no source id can)


def test_a_run_of_footnote_openers_is_read_in_one_pass() -> None:
    """The seventh hostile-input audit: '[^' 12,000 times after a written note took 27 s to render."""
    for hostile in ("[^" * 8_000, "[^" * 8_000 + "a]"):
        html = MarkdownRenderer(native=False).render("Note[^a].\n\n" + hostile + "\n\n[^a]: The note.\n").html
        assert html.count('class="footnote-ref"') == 1 + hostile.endswith("a]")
    # A label holds no '[': such a mark and such a note are text, shown as typed (the check's warnings read them so).
    html = MD.render("See[^x[y].\n\n[^x[y]: Never a note.\n").html
    assert 'class="footnote' not in html and "<p>[^x[y]: Never a note.</p>" in html


def test_many_refused_links_and_autolinks_are_matched_in_one_pass() -> None:
    """The seventh hostile-input audit: 2,000 refused links and as many refused autolinks took 1.9 s, each autolink compared with each link."""
    hostile = "[a](javascript:x) <javascript:x> " * 20_000
    assert refused_links(hostile)[-2:] == [(0, 659_972, "javascript:x"), (0, 659_987, "javascript:x")]
    assert len(refused_links(hostile)) == 40_000
    # A refused link's <destination>, read again as an autolink, is still the same link (reported once).
    assert MarkdownRenderer().render("[a](<javascript:x>) and <javascript:y>").rejected_links == ["javascript:x", "javascript:y"]
    assert MarkdownRenderer().render("[r]: <javascript:x>\n\n[a][r]").rejected_links == ["javascript:x"]


def test_thousands_of_tags_on_one_line_are_found_in_one_pass() -> None:
    """The seventh hostile-input audit: each tag was looked for in a copy of the rest of its line."""
    from generator.content.markdown import raw_html

    found = raw_html("<b>" * 100_000)
    assert len(found) == 100_000 and found[-1] == (0, 299_997, "<b>")
