"""The native markdown engine's path: which texts it may render, and its HTML made byte for byte markdown-it-py's.

markdown-it-pyrs (markdown-it ported to Rust) parses the same CommonMark about twenty times faster
than markdown-it-py, which was a third of a build's time. It knows nothing of our citations, refused
links, rel="noopener" or heading offsets, it writes XHTML void tags (`<br />`), and it crashes the
process on nesting tens of thousands deep. So a text takes it only when none of that can matter:
this module decides which (`native_ok`, before the engine runs, and `native_html`, on what it made)
and finishes its HTML (`finish`). Everything else goes to markdown-it-py, as before. The engines are
called in content/markdown.py alone; tests compare the two on every corpus we have.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from markupsafe import escape

from generator.content.names import is_safe_link, split_url

# Nesting takes at least one character a level: a container marker or indentation at the start of
# a line, or an inline delimiter. Bounded both, the native engine's recursion stays thousands of
# levels below its stack's end (it overflows at about 50,000).
MAX_PREFIX = 200
MAX_DELIMITERS = 4000
# markdown-it-py stops nesting at 100 levels, markdown-it-pyrs elsewhere: deeper HTML takes markdown-it-py.
MAX_DEPTH = 40

# An id stops at an open bracket too: '[@[@[@...' is then refused at each '[@' in one step, where reading
# each id on to the text's end made a 20 KB text take 20 s to check.
CITATION = re.compile(r"\[@([^\[\]\s;,]+)((?:\s*;\s*@[^\[\]\s;,]+)*)\]")
CITATION_IDS = re.compile(r"@([^\[\]\s;,]+)")
_PLAIN_ID = re.compile(r"[A-Za-z0-9._:/+-]+")  # the same once HTML-escaped: found as-is in the HTML's text
_DEEP_PREFIX = re.compile(r"^[ \t>*+\-0-9.)]{" + str(MAX_PREFIX) + "}", re.M)
# A link to something other than http(s) (or protocol-relative): markdown-it-py refuses it and says so;
# the native engine may refuse it silently. Read from the source, where either engine would see a link.
# White space before and after the '<' is matched by one run each: two runs side by side backtrack quadratically.
_OTHER_SCHEME = re.compile(r"(?:\]\(\s*+(?:<\s*+)?|\]:\s*+(?:<\s*+)?|<\s*+)(?:(?![Hh][Tt][Tt][Pp][Ss]?:)[A-Za-z][A-Za-z0-9+.-]*:|//)")
# "http(s):" not followed by // and a plain host (is_safe_link's rule), then what may end an address.
# A port is digits and ends there too: "https://a:b@evil" and "https://a:443@evil" name a user, not a port.
# A backslash before the colon is an escape markdown drops, so "https\:x" is an address as well.
_ODD_HTTP_ADDRESS = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?\\?:(?!//[\w.-]+(?::[0-9]*)?(?:[/?#)>\s]|$))")
# An entity as CommonMark reads one: with its semicolon ('a&copy=1' is text, not '©=1').
ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")
# Python's str.strip() (markdown-it-py's) takes these for whitespace; CommonMark and markdown-it-pyrs do not.
_PY_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
# Emphasis beside a non-ASCII punctuation mark or symbol (an emoji): CommonMark 0.31 (markdown-it-py)
# counts symbols as punctuation where earlier versions (markdown-it-pyrs) do not.
_DELIMITER_BESIDE_UNICODE = re.compile(r"[*_~]([^\x00-\x7f])|([^\x00-\x7f])[*_~]")
_FENCE = ("```", "~~~")  # an unclosed fence ends differently
# A table's delimiter row (or an underline) and the line above it; a line that is a list marker alone.
_UNDERLINED = re.compile(r"^([^\n]*)\n([ \t|:]*+-[ \t|:-]*+)$", re.M)  # up to the first dash, then the rest: no backtracking
_BLOCK_MARK = re.compile(r" {0,3}(?:[-+*>#]|[0-9]{1,9}[.)])")
_BARE_MARKER = re.compile(r"^[ \t>]*(?:[-+*]|[0-9]{1,9}[.)])[ \t]*$", re.M)
_EMPTY_QUOTE = re.compile(r"<blockquote>\n</blockquote>")
_VOID_XHTML = re.compile(r"<(br|hr|img)((?: [^>]*?)?) />")
_URL_ATTR = re.compile(r' (?:href|src)="([^"]*)"')
_NO_URL = urlsplit("")
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)")
_VOID = frozenset({"br", "hr", "img"})
_HTTP_LINK = re.compile(r'<a href="([^"]*)"([^>]*)>')
_HEADING = re.compile(r"<(/?)h([1-6])>")
_TEXT_PARTS = re.compile(r"(<code[^>]*>.*?</code>|<[^>]*>)", re.S)  # tags, and code with what it holds


def native_ok(text: str) -> bool:
    """True when the native engine may render `text`: shallow, no footnotes, no link markdown-it-py would refuse, plain citations."""
    if "[^" in text or "^[" in text:
        return False  # footnotes: markdown-it-py's plugin numbers and lays them out
    if _PY_SPACE.search(text):
        return False
    if any(fence in text for fence in _FENCE) or not _plain_flanks(text):
        return False
    if ("|" in text or ":-" in text) and not _plain_tables(text):
        return False
    if _BARE_MARKER.search(text):
        return False  # an empty list item after a paragraph: interrupts it or not, by engine
    if "![" in text and "\\" in text:
        return False  # an escaped character in an image's alt text is dropped by markdown-it-pyrs
    if "`" in text and "[" in text:
        return False  # markdown-it-pyrs 0.4 panics on an open bracket before an unclosed backtick ("[a`")
    if sum(text.count(c) for c in "*_~[") > MAX_DELIMITERS or _DEEP_PREFIX.search(text):
        return False
    if _OTHER_SCHEME.search(text) or ("&" in text and ENTITY.search(text)):
        return False  # an entity may spell a scheme: "&#106;avascript:"
    if ":" in text and _ODD_HTTP_ADDRESS.search(text):
        return False  # an http(s) address without a plain host ('https:x', 'https://a@b'): refused where used, even by an unused [label]: definition
    return "[@" not in text or _plain_citations(text)


def _plain_tables(text: str) -> bool:
    # A table both engines see: pipes in the header and the delimiter row, the header no list, quote or
    # heading. An underline of dashes alone under a line without pipes is a heading to both.
    for match in _UNDERLINED.finditer(text):
        head, row = match.groups()
        if "|" not in head and set(row) <= {"-", " ", "\t"}:
            continue
        if "|" not in head or "|" not in row or _BLOCK_MARK.match(head):
            return False
    return True


def _plain_flanks(text: str) -> bool:
    if text.isascii():
        return True
    return all(unicodedata.category(m.group(1) or m.group(2))[0] not in "PSZC" for m in _DELIMITER_BESIDE_UNICODE.finditer(text))


def _plain_citations(text: str) -> bool:
    # markdown-it-py reads a citation before a link; the native engine reads `[@a](x)` as a link and
    # `\[@a]` as text, and writes a citation into an image's alt text. Such texts are not its to render.
    if "\\" in text or "![" in text or "]:" in text:
        return False
    for match in CITATION.finditer(text):
        after, before = text[match.end() : match.end() + 1], text[match.start() - 1 : match.start()]
        if after in ("(", "[", "*", "_", "~") or before in ("*", "_", "~"):
            return False  # read as a link by one engine, or emphasis flanked by a token in one and text in the other
        if not all(_PLAIN_ID.fullmatch(i) for i in citation_ids(match)):
            return False
    return True


def citation_ids(match: re.Match[str]) -> list[str]:
    """The source ids one [@a; @b] cites."""
    return CITATION_IDS.findall("@" + match.group(1) + match.group(2))


def native_html(made: str) -> str | None:
    """The native engine's HTML as markdown-it-py writes it (void tags, rel="noopener"), or None when
    markdown-it-py must render the text instead (a link it refuses, nesting past MAX_DEPTH)."""
    made = _VOID_XHTML.sub(r"<\1\2>", made)
    if "<blockquote>\n</" in made:
        made = _EMPTY_QUOTE.sub("<blockquote></blockquote>", made)
    for url in _URL_ATTR.findall(made):
        address = html.unescape(url) if "&" in url else url
        if not is_safe_link(address) or ("%" in address and "%" in (split_url(address) or _NO_URL).netloc):
            return None  # refused (markdown-it-py says so), or a host name markdown-it-py writes in punycode
    if made.count("<") > MAX_DEPTH and _depth(made) > MAX_DEPTH:
        return None
    return _HTTP_LINK.sub(_noopener, made)


def _depth(made: str) -> int:
    level = deepest = 0
    for closing, tag in _TAG.findall(made):
        if tag not in _VOID:
            level += -1 if closing else 1
            deepest = max(deepest, level)
    return deepest


def _noopener(match: re.Match[str]) -> str:
    # Every address here passed is_safe_link (it parses): its scheme is what comes before the first ':'.
    if not match.group(1)[:6].lower().startswith(("http:", "https:")):
        return match.group(0)
    return f'<a href="{match.group(1)}"{match.group(2)} rel="noopener">'


def citation_label(source_id: str, numbers: Mapping[str, int]) -> str:
    """What a citation of a source shows: its number, or "?" for a source the numbering does not know."""
    number = numbers.get(source_id)
    return str(number) if number is not None else "?"


def citation_html(ids: Sequence[str], numbers: Mapping[str, int]) -> str:
    """The markup of one citation: a numbered link to each source cited ("?" for an unknown one)."""
    links = []
    for source_id in ids:
        label = citation_label(source_id, numbers)
        links.append(f'<a href="#source-{escape(source_id)}" aria-label="Source {label}">{label}</a>')
    return f'<sup class="cite">[{", ".join(links)}]</sup>'


# One link of citation_html's: raw HTML is off, so no text of an author's makes this markup.
_CITED = re.compile(r'<a href="#source-([^"<>]*)" aria-label="Source ([^"<>]*)">\2</a>')


def footnote_mark(meta: Mapping[str, int]) -> str:
    """A footnote's mark in the text: its number (and which use of it), not bracketed like a source's citation ("[1]"), which readers would take it for."""
    return f"{meta['id'] + 1}" + (f":{meta['subId']}" if meta.get("subId", -1) > 0 else "")


def relabelled(made: str, labels: Mapping[str, str]) -> str:
    """HTML with citations (citation_html's) given other labels: `labels` by the source id as escaped in the link."""

    def label(match: re.Match[str]) -> str:
        new = labels.get(match.group(1))
        return match.group(0) if new is None else f'<a href="#source-{match.group(1)}" aria-label="Source {new}">{new}</a>'

    return _CITED.sub(label, made)


def finish(made: str, numbers: Mapping[str, int], heading_offset: int) -> str:
    """native_html's HTML with headings shifted down `heading_offset` levels and citations numbered by `numbers`."""
    if heading_offset:
        made = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + heading_offset)}>", made)
    if "[@" not in made:
        return made
    parts = _TEXT_PARTS.split(made)
    for n in range(0, len(parts), 2):  # text between tags; code spans and blocks are the odd parts, left alone
        if "[@" in parts[n]:
            parts[n] = CITATION.sub(lambda m: citation_html(citation_ids(m), numbers), parts[n])
    return "".join(parts)
