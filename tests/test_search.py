"""The search index (tokens, postings, shards) and the search page in real Chromium, over http and file://."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import unicodedata
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from conftest import write_tree
from generator.build import BuildOptions, build, render_site
from generator.site import search
from generator.site.jobs import Gathered
from publishing import many_reports

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def decode(posting: str) -> dict[int, bool]:
    """The inverse of encode_postings (what search.js does)."""
    out, last = {}, 0
    for part in posting.split(","):
        value = int(part, 36)
        last += value >> 1
        out[last] = bool(value & 1)
    return out


def expected_hits(site_docs: list[search.SearchDoc], postings: dict[str, array[int]], query: str) -> set[int]:
    """Documents matching every query term as a word or the start of one (the page's rule)."""
    hits: set[int] | None = None
    for term in dict.fromkeys(search.tokens(query)):
        if term in search.STOPWORDS:
            continue
        docs = {value >> 1 for t, entries in postings.items() if t.startswith(term) for value in entries}
        hits = docs if hits is None else hits & docs
    return hits or set()


def test_tokens_fold_accents_and_case() -> None:
    """Lowercase, accents stripped, letters and digits only, one-letter words dropped."""
    assert search.tokens("Ærø's Café spent $4.5M in 2015 — a RECORD") == ["ærø", "cafe", "spent", "4.5", "in", "2015", "record"]
    # A figure is one term with its decimal point or thousands separators: readers search for figures.
    assert search.tokens("£3.2 million, up from 1,500,000.") == ["3.2", "million", "up", "from", "1,500,000"]
    assert search.shard_name("ob") == "ob" and search.shard_name("ær") == "_e6_72" and search.shard_name("") == "_all"


def _plain_tokens(text: str) -> list[str]:
    # The definition, one character at a time: NFKD, marks dropped, lowercase; unspaced scripts cut into pairs.
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.category(ch).startswith("M")).lower()
    unspaced = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
    out: list[str] = []
    for word in re.findall(r"[0-9]+(?:[.,][0-9]+)+|[^\W_]+", folded):
        last = 0
        for run in unspaced.finditer(word):
            out.append(word[last : run.start()])
            piece = run.group()
            out += [piece[i : i + 2] for i in range(len(piece) - 1)] if len(piece) > 1 else [piece]
            last = run.end()
        out.append(word[last:])
    return [t for t in out if len(t) >= search.MIN_TOKEN]


def test_tokens_match_the_character_by_character_definition() -> None:
    """The quick paths (ASCII, a table of marks, no unspaced run) give the terms the plain definition gives."""
    samples = [
        "The mayor’s “record” — 3.2% of İstanbul’s budget",
        "Ærø's Café naïve coöperation Ångström ﬁnance x²",
        "東京都の人口 2,5 and Tokyo東京 mixed",
        "ภาษาไทย ข่าว and 한국어 뉴스",
        "e\u0301 combining, \u0300alone, Ⅻ, ｆｕｌｌｗｉｄｔｈ",
        "plain ascii only, 1,500,000 and 4.5",
    ]
    for text in samples:
        assert search.tokens(text) == _plain_tokens(text), text


def test_folding_remembers_a_bounded_number_of_characters() -> None:
    """Content may hold a million distinct characters: marks are still dropped past the table's limit, and the table stops growing."""
    many = "".join(chr(code) for code in range(0x20000, 0x20000 + 70_000)) + "e\u0301\u0300"
    assert search.fold(many) == unicodedata.normalize("NFKD", many)[:-2].lower()
    assert len(search._MARKS) <= search._Marks.LIMIT


def test_postings_round_trip() -> None:
    """Gaps and strong-field flags survive encoding."""
    entries = {0: True, 3: False, 40: True, 41: False, 1000: False}
    assert decode(search.encode_postings([doc << 1 | strong for doc, strong in entries.items()])) == entries


def test_collect_notes_each_document_once_strong_if_any_field_is() -> None:
    """A term in a claim's text and in its claimant's name is one posting, flagged strong."""
    postings: dict[str, array[int]] = {}
    search.add_postings(postings, ["rents", "rents"], 0, 0)
    search.add_postings(postings, ["rents"], 0, 1)
    search.add_postings(postings, ["rents", "housing"], 3, 0)
    assert {term: decode(search.encode_postings(entries)) for term, entries in postings.items()} == {"rents": {0: True, 3: False}, "housing": {3: False}}


def test_index_shards_by_prefix_when_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small indexes are one shard; past SHARD_TARGET the shards split on longer prefixes."""
    site = render_site(write_tree(tmp_path, many_reports(12)), BuildOptions()).site
    files = dict(search.index_files(site))
    assert "search/data/t/_all.js" in files and "search/data/d/0.js" in files
    monkeypatch.setattr(search, "SHARD_TARGET", 100)
    files = dict(search.index_files(site))
    meta = files["search/data/meta.js"].decode()
    prefix = int(re.search(r'"prefix":(\d)', meta).group(1))  # type: ignore[union-attr]
    assert prefix >= 2
    assert f"search/data/t/{'rents'[:prefix]}.js" in files
    assert f"search/data/t/{search.shard_name('ærø'[:prefix])}.js" in files


def test_the_index_made_in_parts_is_the_index_made_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large site's index is collected in parts (by the render's processes) and finished from their bytes: the same files."""
    site = render_site(write_tree(tmp_path, many_reports(12)), BuildOptions()).site
    monkeypatch.setattr(search, "PART_CLAIMS", 5)  # twelve reports of two claims: four parts of three reports
    (file_set,) = search.search_index(site)
    assert isinstance(file_set.make, Gathered) and len(file_set.make.parts) == 4
    parts = [part() for part in reversed(file_set.make.parts)][::-1]  # each made alone, in any order
    assert search.finish_index(site, parts) == search.index_files(site) == file_set.make()


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[search.SearchDoc], dict[str, array[int]]]]:
    """A 30-report site with a sharded index (a tiny SHARD_TARGET forces several shard files)."""
    tmp = tmp_path_factory.mktemp("search")
    mp = pytest.MonkeyPatch()
    mp.setattr(search, "SHARD_TARGET", 2000)
    root = write_tree(tmp / "p", many_reports(30))
    out = tmp / "out"
    result = build(root, out)
    docs, postings = search.collect(result.site)
    yield out, docs, postings
    mp.undo()


def _query(page: Page, text: str, expected: str) -> None:
    """Type a query, press Enter, and wait until the live region announces `expected`.

    Waiting for the exact text (not just any text) matters: the previous query's announcement is
    still there until the new one replaces it.
    """
    box = page.get_by_label("Search claims by their words")
    box.fill("")
    box.press_sequentially(text)
    box.press("Enter")
    expect(page.locator("#search-status")).to_have_text(expected)


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_search_page_finds_claims_with_the_keyboard(searchable: tuple[Path, list[search.SearchDoc], dict[str, array[int]]], scheme: str) -> None:
    """Typing a query and pressing Enter lists matching claims as links, announced in the live region."""
    out, docs, postings = searchable
    server, base = _serve(out) if scheme == "http" else (None, out.as_uri() + "/")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "search/index.html")
            assert page.locator("#search-status").get_attribute("aria-live") == "polite"

            want = expected_hits(docs, postings, "daily rents")
            _query(page, "daily rents", f"{len(want)} claims found for “daily rents”, showing 20.")
            links = page.locator("#search-results a")
            assert links.count() == 20
            hrefs = [links.nth(i).get_attribute("href") or "" for i in range(20)]
            assert all((out / "search" / h).resolve().is_file() for h in hrefs)
            # Each result says when its report was checked, as the report's pages write the date (not its title).
            url = str((out / "search" / hrefs[0]).resolve().relative_to(out).parent) + "/"
            first = next(doc for doc in docs if doc.url == url)
            shown = page.locator("#search-results li p.meta").first.inner_text()
            # The report's date as its pages write it ("24 December 2026", as on the claim page), not its title.
            date = re.search(r"Published (\d{1,2} \w+ \d{4})", (out / url / "index.html").read_text(encoding="utf-8"))
            assert date is not None and shown.endswith(f"{first.claimant} · checked {date.group(1)}"), shown
            more = page.get_by_role("button", name="Show more results")
            for shown in range(40, len(want) + 20, 20):
                more.click()
                page.wait_for_function(f"document.querySelectorAll('#search-results li').length === {min(shown, len(want))}")
            assert more.is_hidden()
            assert page.locator("#search-status").inner_text() == f"{len(want)} claims found for “daily rents”, showing {len(want)}."

            _query(page, "ærø", f"{len(expected_hits(docs, postings, 'ærø'))} claims found for “ærø”.")
            _query(page, "zzzz", "No claims found for “zzzz”.")
            _query(page, "the of", "Type a longer or less common word to search.")
            # The page's terms are the index's: figures, accents, unspaced scripts.
            samples = ["£3.2 million, up from 1,500,000.", "Ærø's Café spent $4.5M in 2015", "v2.0.1 and 3..4 or 5,", "東京都の人口 2,5"]
            assert page.evaluate("texts => texts.map(t => FactcheckSearch.tokens(t))", samples) == [search.tokens(s) for s in samples]
            page.goto(base + "search/index.html?q=unproven")
            page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
            assert page.locator("#search-results li").count() == min(20, len(expected_hits(docs, postings, "unproven")))
            assert errors == []
            browser.close()
    finally:
        if server:
            server.shutdown()
