"""Search with no server: a prebuilt index, split into small files the search page loads on demand.

The index maps each term to the claims it occurs in (postings), sharded by the first letters
of terms, so a query loads only the shards of its own terms and then the few document chunks
holding its first results. Every file is a .js file that hands its data to a global callback,
because script elements load from file:// where fetch() cannot.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import marshal
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.model.entities import Report, Site
from generator.site import urls
from generator.site.jobs import Files, FileSet, Gathered, PageJob, report_runs

DATA_DIR = "search/data/"
CALLBACK = "FactcheckSearch.add"
MIN_TOKEN = 2
CHUNK = 100  # documents per chunk file: a page of results touches at most 20 chunks
SHARD_TARGET = 160_000  # bytes: the largest term shard we accept before splitting on longer prefixes
MAX_PREFIX = 3
# Words too common to narrow a search, per language (folded: lowercase, no accents); the page drops them from queries too.
STOPWORDS_BY_LANGUAGE = {
    "en": "a an and are as at be but by for from had has have he her his i if in into is it its of on or our said says she so than that the their them "
    "then there they this to was we were what when which who will with would you",
    "es": "a al como con de del dijo el ella ellos en es esa ese esta este fue ha han la las le les lo los mas no o para pero por que se segun ser "
    "sin sobre su sus un una unos y ya",
    "fr": "a au aux avec ce ces dans de des du elle en est et il ils la le les leur mais ne on ou par pas pour qu que qui sa se ses son sont sur un une",
    "de": "als am an auf aus bei das dass dem den der des die ein eine einen einer es fur hat ich im in ist mit nicht oder sagte sich sie sind und "
    "vom von war wie wird zu zum zur",
    "pt": "a ao aos as com como da das de disse do dos e ela ele em entre era foi ha mais mas na nas no nos o os ou para pela pelo por que se "
    "segundo sem ser sua suas um uma",
    "ar": "ال الى التي الذي ان او عن على في قال كان لا ما من هذا هذه و",
}
STOPWORDS = frozenset(STOPWORDS_BY_LANGUAGE["en"].split())
# Scripts written without spaces between words: indexed and searched as overlapping character pairs.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# A figure with its decimal point or thousands separators is one term ("3.2", "1,500"): readers search for figures.
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)+|[^\W_]+")
_PLAIN_KEY = re.compile(r"[a-z0-9]+")


Row = tuple[str, str, str, int, str, str]  # a document as the index's document files hold it (SearchDoc.row)


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One claim as the search page shows it: link, claim, claimant, rating (scale position), report title, the report's date as pages write it."""

    url: str
    claim: str
    claimant: str
    rating: int
    title: str
    checked: str

    def row(self) -> Row:
        """The document as the index's document files hold it: search.js reads its fields by position."""
        return (self.url, self.claim, self.claimant, self.rating, self.title, self.checked)


def stopwords(language: str) -> frozenset[str]:
    """The stopwords of a language (by its primary subtag); none for a language without a list."""
    return frozenset(STOPWORDS_BY_LANGUAGE.get(language.split("-")[0].lower(), "").split())


class _Marks(dict[int, int | None]):
    """str.translate's table that drops combining marks (Unicode category M*), filled in as characters are met."""

    LIMIT = 1 << 16  # characters remembered: content can name a million distinct ones, and serve lives long

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)).startswith("M") else code
        if len(self) < self.LIMIT:
            self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lowercase without accents or other marks, as the page's normalize('NFKD'), /\\p{M}/ and toLowerCase() do."""
    if text.isascii():  # most text: NFKD leaves ASCII alone, so the per-character pass is not needed
        return text.lower()
    # One translate in C, not a Python test of each character: text with a curly quote or a dash takes this path.
    return unicodedata.normalize("NFKD", text).translate(_MARKS).lower()


def _split(word: str) -> list[str]:
    # Runs of Chinese, Japanese kana or Thai inside a word become overlapping pairs of characters.
    out: list[str] = []
    last = 0
    for run in _UNSPACED.finditer(word):
        out.append(word[last : run.start()])
        text = run.group()
        out += [text[i : i + 2] for i in range(len(text) - 1)] if len(text) > 1 else [text]
        last = run.end()
    out.append(word[last:])
    return out


def tokens(text: str) -> list[str]:
    """Search terms of a text: figures and runs of letters and digits (pairs of characters in unspaced scripts), at least MIN_TOKEN long."""
    folded = fold(text)
    words = _TOKEN.findall(folded)
    if folded.isascii() or _UNSPACED.search(folded) is None:  # most text: no word holds a run to cut into pairs
        return [word for word in words if len(word) >= MIN_TOKEN]
    return [t for word in words for t in _split(word) if len(t) >= MIN_TOKEN]


def shard_key(term: str, prefix: int) -> str:
    """Which shard holds a term: its first `prefix` characters."""
    return term[:prefix]


def shard_name(key: str) -> str:
    """A file-name-safe name for a shard key (other scripts become code points)."""
    if not key:
        return "_all"
    if _PLAIN_KEY.fullmatch(key):
        return key
    return "_" + "_".join(f"{ord(ch):x}" for ch in key)


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


@functools.cache
def _short_gaps() -> tuple[str, ...]:
    # Gaps are mostly small: their digits looked up, not worked out. Made on first use, not when factcheck starts.
    return tuple(map(_b36, range(36 * 36)))


def encode_postings(entries: Sequence[int], last: int = 0, start: int = 0) -> str:
    """Postings (doc << 1 | strong, in document order) as base-36 gaps: (gap << 1 | strong), comma-separated.

    From entry `start` on, the first gap taken from document `last`.
    """
    out, short = [], _short_gaps()
    for value in itertools.islice(entries, start, None):
        doc = value >> 1
        gap = ((doc - last) << 1) | (value & 1)
        out.append(short[gap] if gap < len(short) else _b36(gap))
        last = doc
    return ",".join(out)


def collect(site: Site, reports: Iterable[Report] | None = None, first: int = 0) -> tuple[list[SearchDoc], dict[str, array[int]]]:
    """The documents and, per term, the documents holding it: doc << 1 | 1 where a strong field does, in document order.

    Of every report, or of `reports`, whose first claim is document number `first` (a part of the index).
    Postings are arrays of machine integers: a dict per term held some 50 MB at 4,000 reports, arrays a twentieth.
    """
    docs: list[SearchDoc] = []
    postings: dict[str, array[int]] = {}
    stop = stopwords(site.config.language)
    recurring: dict[str, list[str]] = {}  # claimants, labels, topics and titles recur claim after claim
    dates: dict[dt.date, str] = {}  # a few hundred days for thousands of reports: each written once
    for report in site.reports if reports is None else reports:
        checked = dates.get(report.published)
        if checked is None:
            checked = dates[report.published] = site.strings.date(report.published)
        for claim in report.claims:
            doc = first + len(docs)
            docs.append(SearchDoc(urls.claim(report.id, claim.id), claim.claim_reviewed, claim.claimant.name, claim.rating.position, report.title, checked))
            # Who said it, the verdict and the topics are what people most often search by.
            strong = [claim.claimant.name, claim.rating.label, *report.topics]
            for text, is_strong in [(t, 1) for t in strong] + [(report.title, 0)]:
                found = recurring.get(text)
                if found is None:
                    found = recurring[text] = [t for t in tokens(text) if t not in stop]
                add_postings(postings, found, doc, is_strong)
            for text in (claim.claim_reviewed, claim.quote.exact):  # each claim's own: not worth remembering
                add_postings(postings, [t for t in tokens(text) if t not in stop], doc, 0)
    return docs, postings


def add_postings(postings: dict[str, array[int]], terms: Iterable[str], doc: int, strong: int) -> None:
    """Note `doc` under each term; a document already noted keeps one entry, strong if any field was."""
    for term in terms:
        entries = postings.get(term)
        if entries is None:
            postings[term] = array("i", (doc << 1 | strong,))  # four bytes an entry: room for a billion claims
        elif entries[-1] >> 1 == doc:
            entries[-1] |= strong
        else:
            entries.append(doc << 1 | strong)


def _script(name: str, data: object) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=isinstance(data, dict))
    return f"{CALLBACK}({json.dumps(name)},{payload});\n".encode()


def choose_prefix(encoded: Mapping[str, str]) -> int:
    """The shortest shard prefix (0 = one file) whose largest shard stays under SHARD_TARGET."""
    for prefix in range(MAX_PREFIX + 1):
        sizes: dict[str, int] = defaultdict(int)
        for term, posting in encoded.items():
            sizes[shard_key(term, prefix)] += len(term.encode()) + len(posting) + 6
        if max(sizes.values(), default=0) <= SHARD_TARGET:
            return prefix
    return MAX_PREFIX


def index_files(site: Site) -> Files:
    """Every file of the search index, as (path under the site, bytes), in a stable order."""
    docs, postings = collect(site)
    doc_files = _doc_files([doc.row() for doc in docs], 0)
    # Each term's arrays go as soon as they are encoded: at 40,000 reports both took 230 MB held together.
    return _files(site, doc_files, len(docs), {term: encode_postings(postings.pop(term)) for term in sorted(postings)})


PART_CLAIMS = 2_000  # claims a part of the index reads: a large site's parts are made by the render's processes


def collect_part(site: Site, reports: tuple[Report, ...], first: int) -> bytes:
    """A part of the index (`collect` of these reports, numbered from `first`) as bytes, for `finish_index`.

    Each term's postings are encoded here, in the part's process: all but the first entry, whose gap is from
    the previous part's last document, known only when the parts are joined (its value and the part's last
    document go with them). At 40,000 reports encoding every posting took the build's process 2 s after the render.
    """
    docs, postings = collect(site, reports, first)
    rows = [doc.row() for doc in docs]
    encoded = {term: (entries[0], entries[-1] >> 1, encode_postings(entries, entries[0] >> 1, 1)) for term, entries in postings.items()}
    return marshal.dumps((rows, encoded))


def finish_index(site: Site, parts: Iterable[bytes]) -> Files:
    """Every file of the search index from its parts' bytes, in order: the files `index_files` makes.

    A part is let go once read, and documents become their file's bytes as soon as the file's rows are known:
    at 40,000 reports, the parts held together and every document as an object took the build's process
    190 MB past its size at the end of the build, the highest it reached.
    """
    doc_files: list[bytes] = []
    waiting: list[Row] = []  # the documents of a file not yet full
    count = 0
    encoded: dict[str, str] = {}  # one string a term: a list of pieces held a string for each part and term
    last: dict[str, int] = {}  # each term's last document in the parts joined so far
    short = _short_gaps()
    for part in parts:  # in document order: a term's postings stay in order
        rows, found = marshal.loads(part)
        count += len(rows)
        waiting += rows
        full = len(waiting) - len(waiting) % CHUNK
        doc_files += _doc_files(waiting[:full], len(doc_files))
        del waiting[:full]
        for term, (head, end, rest) in found.items():
            gap = ((head >> 1) - last.get(term, 0)) << 1 | (head & 1)
            piece = short[gap] if gap < len(short) else _b36(gap)
            if rest:
                piece = f"{piece},{rest}"
            before = encoded.get(term)
            encoded[term] = piece if before is None else f"{before},{piece}"
            last[term] = end
    doc_files += _doc_files(waiting, len(doc_files))
    return _files(site, doc_files, count, {term: encoded.pop(term) for term in sorted(encoded)})


def _doc_files(rows: Sequence[Row], number: int) -> list[bytes]:
    """The document files of these rows in order, CHUNK rows to a file, the first numbered `number`."""
    return [_script(f"d/{number + n}", list(rows[start : start + CHUNK])) for n, start in enumerate(range(0, len(rows), CHUNK))]


def _files(site: Site, doc_files: list[bytes], count: int, encoded: dict[str, str]) -> Files:
    # Each stage's input goes as soon as the next is made. `encoded`: each term's postings (encode_postings), in term order;
    # `doc_files`: the `count` documents' files (_doc_files), in order.
    prefix = choose_prefix(encoded)
    shards: dict[str, dict[str, str]] = defaultdict(dict)
    for term, posting in encoded.items():
        shards[shard_key(term, prefix)][term] = posting
    del encoded
    names = sorted(shards)
    files: list[tuple[str, bytes]] = []
    version = hashlib.sha256()  # of every file but meta, in this order
    for key in names:
        files.append((f"t/{shard_name(key)}", _script(f"t/{shard_name(key)}", shards.pop(key))))
        version.update(files[-1][1])
    for number, data in enumerate(doc_files):
        files.append((f"d/{number}", data))
        version.update(data)
    meta = {
        "version": version.hexdigest()[:12],
        "prefix": prefix,
        "min": MIN_TOKEN,
        "docs": count,
        "chunk": CHUNK,
        "shards": sorted(shard_name(key) for key in names),
        "stop": sorted(stopwords(site.config.language)),
        "ratings": [[r.label, r.color, *([r.ink] if r.ink != "#fff" else [])] for r in site.config.scale.ratings],
    }
    files.append(("meta", _script("meta", meta)))
    return [(f"{DATA_DIR}{name}.js", data) for name, data in sorted(files)]


def _root_prefix(page_url: str) -> str:
    # "../" for search/: what turns a site-relative URL into a link from the search page.
    return urls.relative(page_url, "x").removesuffix("x")


def search_page(site: Site) -> Iterable[PageJob]:
    """The search page."""
    page = urls.search()
    context = {"index_src": urls.relative(page, DATA_DIR + "meta.js"), "root_prefix": _root_prefix(page)}
    # The page itself shows no report (the index does), so it depends on nothing.
    description = site.strings.text("search.description")
    yield PageJob(page, "search.html", context, site.strings.text("search.page_title"), description, frozenset(), lists_site=True)


def search_index(site: Site) -> Iterable[FileSet]:
    """The search index's shards, named by the terms they hold."""
    # Shard names come from the terms, so the files are known only once the index is made.
    runs = report_runs(site.reports, PART_CLAIMS)
    firsts = itertools.accumulate((sum(len(report.claims) for report in run) for run in runs), initial=0)
    parts = tuple(functools.partial(collect_part, site, run, first) for run, first in zip(runs, firsts, strict=False))
    yield FileSet(DATA_DIR, "Search index", Gathered(parts, functools.partial(finish_index, site), functools.partial(index_files, site)))
