"""Markdown rendering: the only module that imports markdown_it (and markdown_it_pyrs).

Raw HTML is off (`js-default`), links must be http(s) or relative, external links get
rel="noopener", and `[@source-id]` citations become numbered links to the source list.
A text that can take it is rendered by the native engine (markdown-it-pyrs, content/nativemarkdown.py
says which and finishes its HTML); the others, and every diagnostic about a refused link, by markdown-it-py.
"""

from __future__ import annotations

import html
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

import markdown_it
import markdown_it_pyrs
import mdit_py_plugins
from markdown_it import MarkdownIt
from markdown_it import rules_block as block_rules
from markdown_it import rules_inline as inline_rules
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it_pyrs.markdown_it_pyrs import __version__ as native_version
from markupsafe import Markup, escape
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_def, footnote_ref

from generator.content.linkplaces import place_links
from generator.content.names import is_safe_link, split_url
from generator.content.nativemarkdown import CITATION, ENTITY, citation_html, citation_ids, finish, footnote_mark, native_html, native_ok

# What the build cache's key records of the markdown engines: a new version may render differently.
ENGINE_VERSION = f"markdown-it-py={markdown_it.__version__} mdit-py-plugins={mdit_py_plugins.__version__} markdown-it-pyrs={native_version}"
# The native engine's parser: markdown-it's "js-default" rules without raw HTML, linkify or typography.
NativeRule = Literal[
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline", "table", "strikethrough",
]  # fmt: skip
NATIVE_RULES: tuple[NativeRule, ...] = get_args(NativeRule)


@dataclass
class Rendered:
    """HTML of one markdown text, plus the links that were refused and the ids cited."""

    html: Markup
    rejected_links: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)


def citations(text: str) -> list[tuple[int, list[str]]]:
    """Each [@id] (or [@a; @b]) in a markdown text: its offset in the text and the ids it cites."""
    return [(m.start(), citation_ids(m)) for m in CITATION.finditer(text)]


def raw_html(text: str) -> list[tuple[int, int, str]]:
    """Raw HTML in a markdown text (rendered as plain text here): 0-based line, column and the tag."""
    if "<" not in text:  # no tag without one: most texts are spared a second parse
        return []
    lines = text.split("\n")
    found: list[tuple[int, int, str]] = []
    for token in _HTML_FINDER.parse(text):
        if token.type == "html_block" and token.map:
            line = lines[token.map[0]]
            found.append((token.map[0], len(line) - len(line.lstrip()), token.content.strip().split("\n")[0]))
        elif token.type == "inline" and token.map and token.children:
            # Inline HTML tokens carry no position: find each in the paragraph's lines, in order.
            row, col = token.map[0], 0
            for child in token.children:
                if child.type != "html_inline" or child.content.startswith("</"):
                    continue  # a closing tag is reported with its opening one
                # Searched from the column reached, not in a copy of the rest of the line: thousands of tags on one line.
                while row < token.map[1] and (at := lines[row].find(child.content, col)) < 0:
                    row, col = row + 1, 0
                if row < token.map[1]:
                    found.append((row, at, child.content))
                    col = at + len(child.content)
    return found


def cited_ids(text: str) -> list[str]:
    """Source ids cited as [@id] (or [@a; @b]) in a markdown text, in order."""
    ids: list[str] = []
    for match in CITATION.finditer(text):
        ids.extend(citation_ids(match))
    return ids


# [text](destination or ![alt](destination, followed by what may follow a destination: a title, ')' or the line's end
# ('[a](java\tscript:x)' is text, not a link to 'java').
# A destination ends at white space, ')' or the next '](' (so '](](](...' is read in one pass, not once from each).
_INLINE_LINK = re.compile(r"\]\(\s*+(<[^>\n]*>|(?:(?!\]\()[^\s)])++)(?=\)|[ \t]+(?:\)|\"|'|\()|[ \t]*$)", re.M)
# [label]: destination, alone on its line or with a title; never a footnote ('[^1]: Survey' is the footnote's text).
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)(?=[ \t]*$|[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\))[ \t]*$)", re.M)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)[^`\n]*?\1")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MAYBE_RELATIVE = re.compile(r"\](?:\(\s*|:[ \t]*)<?(?![A-Za-z][A-Za-z0-9+.-]*:|#|\)|\s*$)", re.M)


def _unescaped(match: re.Match[str]) -> str:
    return html.unescape(match.group())


def relative_links(text: str) -> list[tuple[int, int, str]]:
    """Links to a relative address in a markdown text (not a #fragment, not in code): 0-based line, 1-based column, destination.

    Read from the source rather than a parse, to give each its column; a parse for this alone would
    cost as much as rendering the text again.
    """
    if _MAYBE_RELATIVE.search(text) is None:  # most texts link only to http(s) addresses: one scan settles it
        return []
    found: list[tuple[int, int, str]] = []
    fenced = False
    for row, line in enumerate(text.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        plain = _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)  # code keeps its columns, loses its links
        for pattern in (_INLINE_LINK, _REFERENCE):
            for match in pattern.finditer(plain):
                # Entities are decoded as markdown would: '&#106;avascript:' has a scheme (and is refused, not relative).
                destination = ENTITY.sub(_unescaped, match.group(1).strip("<>")) if "&" in match.group(1) else match.group(1).strip("<>")
                if destination and not destination.startswith(("#", "//")) and not _SCHEME.match(destination):
                    found.append((row, match.start(1) + 1, destination))
    return sorted(found)


# Only to find raw HTML, which the renderer below refuses (it shows it as text).
_HTML_FINDER = MarkdownIt("commonmark", {"html": True})


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or not state.src.startswith("[@", state.pos):
        return False
    match = CITATION.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"ids": citation_ids(match)}
    state.pos = match.end()
    return True


# A footnote's label: up to ']', never past a space, a line's end or another '[' (a tab or a no-break
# space is part of it, as the plugin reads it). _FOOTNOTE_LABEL_END finds where one ends, or cannot be one.
FOOTNOTE_LABEL = r"[^\[\] \n\r]+"
_FOOTNOTE_LABEL_END = re.compile(r"[\[\] \n\r]")


def _footnote_ref_rule(state: StateInline, silent: bool) -> bool:
    # The plugin reads each '[^' on to ']', a space or a line's end: over '[^[^[^...' that was the rest
    # of the text again from every '[^' (24 KB took 27 s once one note was written). A label holding
    # '[' is not a footnote here, so each read stops at the next '[^'.
    if state.src.startswith("[^", state.pos):
        end = _FOOTNOTE_LABEL_END.search(state.src, state.pos + 2, state.posMax)
        if end is None or end.group() != "]":
            return False
    return footnote_ref(state, silent)


def _footnote_def_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    # No note is written under a label holding '[' either: the line stays a paragraph, shown, not a note never cited.
    start = state.bMarks[start_line] + state.tShift[start_line]
    if state.src.startswith("[^", start):
        end = _FOOTNOTE_LABEL_END.search(state.src, start + 2, state.eMarks[start_line])
        if end is not None and end.group() == "[":
            return False
    return footnote_def(state, start_line, end_line, silent)


def refused_links(text: str) -> list[tuple[int, int, str]]:
    """Links markdown refuses in `text` (schemes other than http(s), protocol-relative, unparsable), each with its 0-based line and 1-based column."""
    if ":" not in text and "//" not in text and "&" not in text and not ("<" in text and "@" in text):
        return []  # no scheme, no '//', no entity (&#58; is a colon) and no <email>: every link in it is relative, hence allowed
    rejected = _checker().refused(text)
    return place_links(text, rejected)


# A refused destination written in angle brackets is read again as text, and its '<...>' then as an
# autolink: the same link, not a second one. The autolink stands right after the refused link's label
# (one level of nested brackets, as in '[a [b] c](<x>)'), or right after a refused definition's.
_LABEL = r"\[(?:\\.|[^\\\[\]]|\[(?:\\.|[^\\\[\]])*\])*\]"
_BEFORE_DESTINATION = re.compile(rf"!?{_LABEL}\(\s*")
_BEFORE_DEFINITION = re.compile(rf"{_LABEL}:\s*")

_LOCAL = threading.local()
PARSED_KEPT = 64  # texts parsed by `refused` and not yet rendered, per thread


# A text `refused` parsed: markdown-it-py's tokens, env and refused links, or the native engine's HTML.
Parsed = tuple[list[Token], dict[str, object], list[str]] | str


def _parsed() -> dict[str, Parsed]:
    kept = getattr(_LOCAL, "parsed", None)
    if kept is None:
        kept = _LOCAL.parsed = {}
    assert isinstance(kept, dict)
    return kept


def _checker() -> MarkdownRenderer:
    # One renderer per thread: a renderer keeps the links it refused while it renders.
    renderer = getattr(_LOCAL, "renderer", None)
    if renderer is None:
        renderer = _LOCAL.renderer = MarkdownRenderer()
    assert isinstance(renderer, MarkdownRenderer)
    return renderer


class MarkdownRenderer:
    """A configured markdown-it instance; one per process, reused for every text."""

    def __init__(self, native: bool = True) -> None:
        """`native=False`: markdown-it-py renders every text (tests compare the engines with it)."""
        self.native = native
        md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        md.use(footnote_plugin)
        md.add_render_rule("footnote_caption", lambda self, tokens, idx, options, env: footnote_mark(tokens[idx].meta))
        md.inline.ruler.before("link", "citation", _citation_rule)
        md.add_render_rule("citation", self._render_citation)
        md.add_render_rule("link_open", self._render_link_open)
        md.inline.ruler.at("link", self._link_rule)
        md.inline.ruler.at("image", self._image_rule)
        md.inline.ruler.at("autolink", self._autolink_rule)
        md.inline.ruler.at("footnote_ref", _footnote_ref_rule)
        md.block.ruler.at("footnote_def", _footnote_def_rule, {"alt": ["paragraph", "reference"]})  # the plugin's alternatives
        md.block.ruler.at("reference", self._reference_rule)
        md.validateLink = self._validate_link  # type: ignore[method-assign]
        self._md = md
        self._rejected: list[str] = []
        # Which rule reads a link now, and the last image refused: a refused image's brackets are then
        # read again as a plain link one character on, which is the same link, not a second one.
        self._reading: tuple[str, str, int] = ("", "", 0)
        self._refused_image: tuple[str, int, str] = ("", -1, "")
        # Links and images refused in this parse, not yet met as an autolink, by (text, where their <destination>
        # would start, address); definitions by ('', -1, address). Looked up, not searched: ten thousand refused
        # links and as many refused autolinks were each compared with each.
        self._refused_at: Counter[tuple[str, int, str]] = Counter()

    def _link_rule(self, state: StateInline, silent: bool) -> bool:
        return self._read("link", state, silent, inline_rules.link)

    def _image_rule(self, state: StateInline, silent: bool) -> bool:
        return self._read("image", state, silent, inline_rules.image)

    def _autolink_rule(self, state: StateInline, silent: bool) -> bool:
        return self._read("autolink", state, silent, inline_rules.autolink)

    def _read(self, rule: str, state: StateInline, silent: bool, parse: Callable[[StateInline, bool], bool]) -> bool:
        # Reading a label runs every rule inside it, silently: the outer rule is the reader again when they return.
        outer = self._reading
        self._reading = (rule if not silent else "", state.src, state.pos)
        found = parse(state, silent)
        self._reading = outer
        return found

    def _reference_rule(self, state: StateBlock, start: int, end: int, silent: bool) -> bool:
        self._reading = ("reference", "", -1)
        return block_rules.reference(state, start, end, silent)

    def _validate_link(self, url: str) -> bool:
        ok = is_safe_link(url)
        rule, src, pos = self._reading
        # A silent read only measures a label; what is in it is read again, aloud (and then reported).
        if not ok and rule:
            if rule == "image":
                self._refused_image = (src, pos, url)
            elif rule == "link" and self._refused_image == (src, pos - 1, url):
                return ok  # the refused image's own link, met again
            elif rule == "autolink" and self._met_again(src, pos, url):
                return ok  # a refused link's <destination>, met again
            if rule != "autolink":
                self._refuse_at(src, pos, url)
            self._rejected.append(url)
        return ok

    def _refuse_at(self, src: str, pos: int, url: str) -> None:
        """Note a refused link (or definition, pos -1) whose <destination> may be read again as an autolink."""
        if pos < 0:
            self._refused_at["", -1, url] += 1
        elif (before := _BEFORE_DESTINATION.match(src, pos)) is not None:
            self._refused_at[src, before.end(), url] += 1

    def _met_again(self, src: str, pos: int, url: str) -> bool:
        """True (once) if the autolink at `pos` is the <destination> of a link or definition refused before it."""
        for key in ((src, pos, url), ("", -1, url)):
            # A definition's line, refused, became the paragraph that starts '[label]:'.
            if self._refused_at[key] > 0 and (key[1] >= 0 or _BEFORE_DEFINITION.fullmatch(src, 0, pos) is not None):
                self._refused_at[key] -= 1
                return True
        return False

    @staticmethod
    def _render_citation(renderer: object, tokens: list[Token], idx: int, options: object, env: dict[str, object]) -> str:
        numbers = env.get("citations")
        assert isinstance(numbers, Mapping)
        return citation_html(tokens[idx].meta["ids"], numbers)

    @staticmethod
    def _render_link_open(renderer: object, tokens: list[Token], idx: int, options: object, env: dict[str, object]) -> str:
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        parts = split_url(href)
        if parts is not None and parts.scheme in ("http", "https"):
            token.attrSet("rel", "noopener")
        attrs = "".join(f' {name}="{escape(str(value))}"' for name, value in (token.attrs or {}).items())
        return f"<a{attrs}>"

    def render(self, text: str, citations: Mapping[str, int] | None = None, doc_id: str = "", heading_offset: int = 0) -> Rendered:
        """Render markdown to safe HTML; headings shift down by `heading_offset` levels."""
        return self.render_each(text, [citations or {}], doc_id, heading_offset)[0]

    def render_each(self, text: str, numberings: Sequence[Mapping[str, int]], doc_id: str = "", heading_offset: int = 0) -> list[Rendered]:
        """Render one markdown text once per numbering of its citations, parsing it only once."""
        kept = _parsed().pop(text, None)
        if kept is None or (isinstance(kept, str) and not self.native):
            kept = self._native(text)
        cited = cited_ids(text)
        if isinstance(kept, str):  # the native engine's HTML: numbered here (no footnotes, no refused links in it)
            return [Rendered(Markup(finish(kept, numbering, heading_offset)), [], cited) for numbering in numberings]
        # Parsing does not read the citations or the footnote prefix: a parse made by `refused` serves.
        env: dict[str, object] = dict(kept[1]) if kept is not None else {}
        if doc_id:
            env["docId"] = doc_id  # keeps footnote ids unique when many texts share a page
        if kept is not None:
            tokens, self._rejected = kept[0], list(kept[2])
        else:
            self._rejected, self._refused_at = [], Counter()
            tokens = self._md.parse(text, env)
        if heading_offset:
            for token in tokens:
                if token.type in ("heading_open", "heading_close"):
                    token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
        made: list[Rendered] = []
        for numbering in numberings:
            # Numberings that agree on every cited source give the same HTML: it is shared, not made again.
            same = next((r for r, n in zip(made, numberings, strict=False) if all(n.get(i) == numbering.get(i) for i in cited)), None)
            if same is None:
                env["citations"] = numbering
                same = Rendered(Markup(self._md.renderer.render(tokens, self._md.options, env)), list(self._rejected), cited)
            made.append(same)
        return made

    def refused(self, text: str) -> list[str]:
        """The link destinations markdown refuses in `text`, in order (parsing alone decides: nothing is rendered)."""
        native = self._native(text)
        if native is not None:
            found: Parsed = native
        else:
            self._rejected, self._refused_at = [], Counter()
            env: dict[str, object] = {}
            found = (self._md.parse(text, env), env, list(self._rejected))
        # The model renders the same text next, in this thread: it takes this parse instead of making its own.
        parsed = _parsed()
        parsed[text] = found
        while len(parsed) > PARSED_KEPT:
            del parsed[next(iter(parsed))]
        return [] if isinstance(found, str) else list(found[2])

    def _native(self, text: str) -> str | None:
        """The native engine's HTML of `text` (citations not yet numbered), or None if markdown-it-py must render it."""
        if not self.native or not native_ok(text):
            return None
        engine = getattr(_LOCAL, "native", None)
        if engine is None:
            engine = _LOCAL.native = markdown_it_pyrs.MarkdownIt("zero")
            for rule in NATIVE_RULES:
                engine.enable(rule)
        assert isinstance(engine, markdown_it_pyrs.MarkdownIt)
        try:
            made = engine.render(text)
        except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException, a BaseException
            if type(exc).__name__ != "PanicException":
                raise
            return None  # an input native_ok did not foresee: markdown-it-py renders it as it always did
        return native_html(made)

    def inline(self, text: str) -> Markup:
        """Render a one-line text (no paragraphs), e.g. a summary sentence with emphasis."""
        self._rejected, self._refused_at = [], Counter()
        return Markup(self._md.renderInline(text, {"citations": {}}))
