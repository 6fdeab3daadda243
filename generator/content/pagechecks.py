"""Checks of site-wide and page files: the theme named in site.yaml, and each plain page (front matter, name, links, raw HTML)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.content import schema as s
from generator.content.hints import did_you_mean
from generator.content.langchecks import check_language_field
from generator.content.load import PageDoc
from generator.content.markdown import raw_html, refused_links
from generator.content.names import MAX_ID_LENGTH, RESERVED_PROBLEM, WINDOWS_RESERVED, link_problem
from generator.content.placeholders import page_placeholders
from generator.content.schema import RESERVED_TOP
from generator.content.validate import Located, Obj, get_text, slugify, validate_doc
from generator.diagnostics import Diagnostic, error, shortened
from generator.packaged import THEMES, known_themes, theme_candidates

RAW_HTML_HINT = "write it in markdown (**bold**, [text](https://...)); to show a '<' as text, write \\<"


@dataclass(frozen=True)
class CheckedPage:
    """A page with checked front matter."""

    doc: PageDoc
    front: Obj
    slug: str


def link_message(url: str) -> tuple[str, str]:
    """The message for a link content may not have (the URL shortened), and its hint."""
    problem, hint = link_problem(url)
    return f"link '{shortened(url)}' {problem}", hint


def check_theme(located: Located, root: Path, diags: list[Diagnostic]) -> None:
    """The theme named in site.yaml (or the default) exists in themes/ or among the packaged ones."""
    site = located.value if isinstance(located.value, dict) else {}
    name = get_text(site, "theme", "default")
    if theme_candidates(root, name):
        return
    known = known_themes(root)
    hint = did_you_mean(name, known) if known else f"put a theme in {THEMES}/{name}/ (theme.yaml, templates/, static/)"
    line, col = located.mark("theme") if "theme" in site else (0, 0)
    diags.append(error(located.path, line, col, f"theme '{name}' not found", "theme", hint))


def _check_page(doc: PageDoc, diags: list[Diagnostic], languages: Sequence[str]) -> CheckedPage | None:
    located = validate_doc(doc.front, s.PAGE, diags)
    if isinstance(located.value, dict):
        check_language_field(located, located.value, languages, diags)
    stem = PurePosixPath(doc.path).stem
    slug = slugify(stem)[:MAX_ID_LENGTH].strip("-")
    if slug != stem:
        message = f"page file name '{stem[:60]}' is not a valid URL slug of at most {MAX_ID_LENGTH} characters"
        diags.append(error(doc.path, 1, 1, message, hint=f"rename it to '{slug}.md'"))
        return None
    if slug in WINDOWS_RESERVED:
        diags.append(error(doc.path, 1, 1, f"page file name '{slug}' {RESERVED_PROBLEM}", hint=f"rename it, e.g. to '{slug}-page.md'"))
        return None
    if slug in RESERVED_TOP:
        diags.append(error(doc.path, 1, 1, f"page '{slug}' would write the same output path as the site's own {slug}/ section", hint="rename the page file"))
        return None
    for rel_line, rel_col, url in refused_links(doc.body):
        message, hint = link_message(url)
        diags.append(error(doc.path, doc.body_line + rel_line, rel_col, message, "body", hint))
    if not isinstance(located.value, dict):
        return None
    return CheckedPage(doc, located.value, slug)


def page_html(doc: PageDoc) -> list[Diagnostic]:
    """Raw HTML in a page's body, each at its line."""
    return [
        error(doc.path, doc.body_line + row, col + 1, f"raw HTML is not allowed in markdown: {tag[:40]}", hint=RAW_HTML_HINT)
        for row, col, tag in raw_html(doc.body)
    ]


def check_pages(docs: Iterable[PageDoc], diags: list[Diagnostic], languages: Sequence[str] = ()) -> list[CheckedPage]:
    """Check every plain page's front matter, file name, language, placeholders and raw HTML; the pages that can be modelled."""
    docs = list(docs)
    pages = [page for page in (_check_page(doc, diags, languages) for doc in docs) if page is not None]
    diags += [found for doc in docs for found in [*page_placeholders(doc), *page_html(doc)]]
    return _one_page_per_folder(pages, diags, languages)


def _one_page_per_folder(pages: list[CheckedPage], diags: list[Diagnostic], languages: Sequence[str]) -> list[CheckedPage]:
    """Drop, with an error, a page that would write another's folder (pages/sub/about.md beside about.md) or a language's."""
    default = languages[0].lower() if languages else ""
    others = {tag.lower() for tag in languages[1:]}
    first: dict[tuple[str, str], str] = {}
    kept: list[CheckedPage] = []
    for page in pages:
        language = str(page.front.get("language") or default).lower()
        if page.slug in others and language == default:
            message = f"page '{page.slug}' would write the folder of the site's '{page.slug}' pages ({page.slug}/)"
            diags.append(error(page.doc.path, 1, 1, message, hint="rename the page file"))
            continue
        earlier = first.setdefault((language, page.slug), page.doc.path)
        if earlier != page.doc.path:
            diags.append(error(page.doc.path, 1, 1, f"page '{page.slug}' would write the same {page.slug}/ as {earlier}", hint="rename one of the two files"))
            continue
        kept.append(page)
    return kept
