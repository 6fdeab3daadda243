"""The URL layout, decided in one place, and relative links between pages.

Every page is a folder with an index.html. Internal links are relative and name the
index.html file itself, so the site works at a domain root, under a subpath and from file://.
"""

from __future__ import annotations

import posixpath
import string

from generator.content.schema import RESERVED_TOP

__all__ = ["RESERVED_TOP"]


def home() -> str:
    """URL of the home page (site-relative, '' is the root)."""
    return ""


def report(report_id: str) -> str:
    """URL of a report page."""
    return f"reports/{report_id}/"


def claim(report_id: str, claim_id: str) -> str:
    """URL of a claim's own page (its permalink)."""
    return f"reports/{report_id}/claims/{claim_id}/"


def share_card(report_id: str, claim_id: str) -> str:
    """URL of a claim's share card (the image link previews show)."""
    return f"reports/{report_id}/claims/{claim_id}/card.png"


def article(report_id: str) -> str:
    """URL of a report's annotated article view."""
    return f"reports/{report_id}/article/"


def ratings() -> str:
    """URL of the rating-scale page."""
    return "ratings/"


def page(slug: str) -> str:
    """URL of a plain page."""
    return f"{slug}/"


def listing(base: str, number: int = 1) -> str:
    """URL of page `number` of a paginated index whose first page is `base` (e.g. 'topics/housing/')."""
    return base if number <= 1 else f"{base}{number}/"


def rating_index(key: str) -> str:
    """URL of the first page of the claims with one rating."""
    return f"ratings/{key}/"


def hub(kind: str) -> str:
    """URL of the page listing every claimant, topic or outlet ('claimants', 'topics', 'outlets')."""
    return f"{kind}/"


def group(kind: str, slug: str) -> str:
    """URL of the first page of one claimant's, topic's or outlet's claims."""
    return f"{kind}/{slug}/"


def corrections() -> str:
    """URL of the first page of the corrections index."""
    return "corrections/"


def search() -> str:
    """URL of the search page."""
    return "search/"


def feed(name: str) -> str:
    """URL of an Atom feed ('reports' or 'corrections')."""
    return f"feeds/{name}.xml"


def people() -> str:
    """URL of the staff page, listing everyone who writes or reviews reports."""
    return "people/"


def person(person_id: str) -> str:
    """URL of one person's page."""
    return f"people/{person_id}/"


def person_list(person_id: str, kind: str) -> str:
    """URL of the first page of every report a person wrote (kind 'written') or reviewed ('reviewed')."""
    return f"people/{person_id}/{kind}/"


def output_path(url: str) -> str:
    """The file a URL is written to: folders get index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (with optional #fragment), relative."""
    target, _, fragment = to_url.partition("#")
    if target == "" and fragment and to_url.startswith("#"):
        return to_url
    # The folder of the page's file: output_path adds index.html to folder URLs, so it is what precedes the last '/'.
    link = _from_folder(output_path(target), from_url[: from_url.rfind("/") + 1])
    return link + (f"#{fragment}" if fragment else "")


def _from_folder(path: str, folder: str) -> str:
    """posixpath.relpath(path, folder) for a folder given with its last '/' ('' for the root), without its getcwd() calls.

    Links are made about a million times in a large build: plain paths (no '.', '..' or empty parts, not
    absolute) take the short way, comparing the folder's parts with the path's in place.
    """
    if path.startswith((".", "/")) or "/." in path or "//" in path or folder.startswith((".", "/")) or "/." in folder or "//" in folder:
        return posixpath.relpath(path, folder[:-1] or ".")  # normalises '.', '..' and empty parts the same way
    common = 0  # how much of the folder, in whole parts, begins the path too
    while True:
        end = folder.find("/", common)
        if end < 0 or not path.startswith(folder[common : end + 1], common):
            break
        common = end + 1
    rest = path[common:]
    if "/" not in rest and folder.startswith(rest + "/", common):
        return posixpath.relpath(path, folder[:-1])  # the path names one of the folder's own parents: relpath's '..'
    return "../" * folder.count("/", common) + rest


def absolute(base_url: str, url: str) -> str:
    """The canonical absolute URL (pretty, without index.html), or '' without a base URL."""
    if not base_url:
        return ""
    return base_url.rstrip("/") + "/" + url


# Each byte's text in a URL: itself if unreserved or "/", else %XX. urllib.parse.quote, which Jinja's urlencode
# filter calls, takes twice as long: a claim page's share links quote four texts.
_QUOTED = [chr(byte) if chr(byte) in string.ascii_letters + string.digits + "_.-~/" else f"%{byte:02X}" for byte in range(256)]


def quote(text: str) -> str:
    """`text` percent-encoded as UTF-8, "/" kept: urllib.parse.quote(text, safe="/")."""
    return "".join(map(_QUOTED.__getitem__, text.encode("utf-8")))
