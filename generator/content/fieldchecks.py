"""Checks on markdown fields of a YAML document, each problem at its own line and column.

`Reporter` places diagnostics by field path; the markdown checks (refused links, raw HTML,
relative links in an analysis) use it to point inside a field's text.
"""

from __future__ import annotations

import re

from generator.content.markdown import FOOTNOTE_LABEL, raw_html, refused_links, relative_links
from generator.content.names import forgotten_scheme
from generator.content.pagechecks import RAW_HTML_HINT, link_message
from generator.content.textpos import ORIGIN, in_source, line_starts, position
from generator.content.validate import Located
from generator.diagnostics import Diagnostic, error, note, shortened, warning

FULL_ADDRESS_HINT = "link with the page's full https:// address (base_url and its path)"


class Reporter:
    """Appends diagnostics located by field path in one document."""

    def __init__(self, doc: Located, diags: list[Diagnostic]) -> None:
        self.doc = doc
        self.diags = diags

    def error(self, where: str, message: str, hint: str = "") -> None:
        """An error at the field `where`."""
        line, col = self.doc.mark(where)
        self.diags.append(error(self.doc.path, line, col, message, where, hint))

    def place_in(self, where: str, text: str, offset: int) -> tuple[int, int]:
        """The file's line and column of `text[offset]`, `text` being the markdown of field `where`.

        Exact in a literal block ('|') and, found in the YAML source, in a plain, quoted or folded text whose
        lines YAML joined; where an escape or a doubled quote hides the place, the text's start: never a line
        of another field, or a column past the end of a line.
        """
        start = self.doc.mark(where + ORIGIN)
        folded = self.doc.folded.get(where)
        if folded is not None:  # its lines were joined: `text` holds none of the source's line breaks
            return in_source(folded[2], folded[:2], text, offset) or start
        placed = position(start, text, offset)
        if placed[0] != start[0] and where not in self.doc.line_for_line:
            return start  # a line break before it, in a text whose lines are not the file's
        return placed

    def error_in(self, where: str, text: str, offset: int, message: str, hint: str = "") -> None:
        """An error about `text[offset]`, `text` being the markdown of field `where`."""
        self.diags.append(error(self.doc.path, *self.place_in(where, text, offset), message, where, hint))

    def warning_in(self, where: str, text: str, offset: int, message: str, hint: str = "") -> None:
        """A warning about `text[offset]`, `text` being the markdown of field `where`."""
        self.diags.append(warning(self.doc.path, *self.place_in(where, text, offset), message, where, hint))

    def warning(self, where: str, message: str, hint: str = "") -> None:
        """A warning at the field `where`."""
        line, col = self.doc.mark(where)
        self.diags.append(warning(self.doc.path, line, col, message, where, hint))

    def note(self, where: str, message: str, hint: str = "") -> None:
        """A note (advice) at the field `where`."""
        line, col = self.doc.mark(where)
        self.diags.append(note(self.doc.path, line, col, message, where, hint))


def refuse_links(rep: Reporter, where: str, text: str) -> None:
    """Report each link markdown would refuse in the text field `where`, at its own line."""
    for rel_line, rel_col, url in refused_links(text):
        message, hint = link_message(url)
        rep.error_in(where, text, _offset(text, rel_line, rel_col - 1), message, hint)


def shown_at_two_depths(rep: Reporter, where: str, text: str) -> None:
    """Warn of each relative link in an analysis: it is shown on the report's page and on its claim's, one folder deeper."""
    for row, col, url in relative_links(text):
        offset = _offset(text, row, col - 1)  # relative_links counts columns from 1
        message = (
            f"relative link '{shortened(url)}': an analysis shows on the report's page and on the claim's page, two folders deeper, so it breaks on one of them"
        )
        meant = forgotten_scheme(url)
        hint = f"did you mean {meant}? Without 'https://' it names a page of this site" if meant else FULL_ADDRESS_HINT
        rep.warning_in(where, text, offset, message, hint)


# A label as content/markdown.py reads footnotes ('[^[^[^...' is refused at each '[^' at once).
_FOOTNOTE_CITED = re.compile(rf"\[\^({FOOTNOTE_LABEL})\](?!:)")
_FOOTNOTE_WRITTEN = re.compile(rf"^ {{0,3}}\[\^({FOOTNOTE_LABEL})\]:", re.M)


def footnotes_paired(rep: Reporter, where: str, text: str) -> None:
    """Warn of a footnote cited but never written (shown as typed, `[^2]`) and of one written but never cited (not shown)."""
    if "[^" not in text:
        return
    written = {found.group(1): found.start() for found in _FOOTNOTE_WRITTEN.finditer(text)}
    cited: set[str] = set()
    for found in _FOOTNOTE_CITED.finditer(text):
        label = found.group(1)
        if label not in written and label not in cited:
            hint = f"write the note on a line of its own after the paragraph: [^{label}]: ..."
            rep.warning_in(where, text, found.start(), f"footnote [^{label}] is cited but never written, so readers see '[^{label}]'", hint)
        cited.add(label)
    for label, at in written.items():
        if label not in cited:
            rep.warning_in(
                where, text, at, f"footnote [^{label}] is written but never cited, so it is not shown", f"cite it as [^{label}] where it belongs, or remove it"
            )


def refuse_raw_html(text: str, where: str, rep: Reporter) -> None:
    """Report raw HTML in the markdown field `where`, each tag at its own column."""
    for row, col, tag in raw_html(text):
        offset = _offset(text, row, col)
        rep.error_in(where, text, offset, f"raw HTML is not allowed in markdown: {tag[:40]}", RAW_HTML_HINT)


def _offset(text: str, row: int, col: int) -> int:
    """The offset in `text` of 0-based line `row`, 0-based column `col`."""
    return line_starts(text)[row] + col
