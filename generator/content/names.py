"""The one rule for every value that becomes a URL or a file name.

URLs are parsed without letting `urllib`'s ValueError escape (`https://[oops/x` raises it), and
only absolute http(s) addresses are accepted from content and the command line. Ids and page
names become folder names, so they are plain slugs short enough for every file system.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from generator.content.schema import SLUG_PATTERN

# 255 bytes is the usual limit of one path segment; ids are joined with suffixes such as
# '.yaml' and nested ('reports/<id>/claims/<id>/'), so keep each one well below it.
MAX_ID_LENGTH = 80
_SLUG = re.compile(SLUG_PATTERN.removeprefix("^").removesuffix("$"))
# Whitespace and control characters have no place in an address a reader clicks.
# Quotes, angle brackets and backslashes are never needed unencoded and are how markup is smuggled in.
_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"<>\\`]")


def split_url(text: str) -> SplitResult | None:
    """`urlsplit(text)`, or None when the text is not a URL at all (bad brackets, bad port...)."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (parsing the port raises ValueError for 'https://x:99999/')
        parts.hostname  # noqa: B018
    except ValueError:
        return None
    return parts


def plain_static_path(path: str) -> bool:
    """True for a theme file's site path (static/...) made of plain segments: no '..', no quotes, spaces or backslashes."""
    return all(part not in ("", ".", "..") for part in path.split("/")) and not _UNSAFE_IN_URL.search(path) and "\\" not in path


def http_url_problem(text: str) -> str:
    """Why `text` is not an absolute http(s) URL, or '' when it is one."""
    parts = split_url(text)
    if parts is None:
        return "is not a valid URL"
    scheme = parts.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return f"is not an http(s) URL ('{scheme}:' links are not allowed)"
    if scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) URL"
    if _UNSAFE_IN_URL.search(text):
        return "is not an http(s) URL (it contains spaces, quotes, angle brackets or control characters)"
    return ""


def base_url_problem(text: str) -> str:
    """Why `text` cannot be a site's address (base_url), or '': an http(s) URL with no ?query, #fragment or user name."""
    problem = http_url_problem(text)
    parts = split_url(text)
    if problem or parts is None:
        return problem
    # Every page's address is made by appending to it: 'https://x/?q=1' + 'about/' is no page's address.
    if parts.query or parts.fragment or text.rstrip("/").endswith(("?", "#")):
        return "has a ?query or #fragment; every page's address is made by adding to it"
    if parts.username is not None:
        return "has a user name or password in it, which every canonical link would publish"
    return ""


_PLAIN_HOST = re.compile(r"[\w.-]+")  # letters of any script (IDN), digits, '-', '.'
_IPV6_HOST = re.compile(r"[0-9a-f]*:[0-9a-f:.]+")


def is_safe_link(url: str) -> bool:
    """True for an http(s) link or a relative one (no scheme, not protocol-relative): what markdown may link to."""
    text = url.strip()
    parts = split_url(text)
    if parts is None or text.startswith("//"):
        return False
    scheme = parts.scheme.lower()
    if scheme == "":
        return True
    # An http(s) link names a plain host: a browser reads 'https:evil.example' as a relative address, and
    # a host written with '%' or behind a user name ('https://bank.example@evil.example') is a trick.
    host = parts.hostname or ""
    return scheme in ("http", "https") and parts.username is None and bool(_PLAIN_HOST.fullmatch(host) or _IPV6_HOST.fullmatch(host))


def slug_problem(name: str) -> str:
    """Why `name` cannot be an id, page name or file name, or '' when it is a plain slug of a safe length."""
    if len(name) > MAX_ID_LENGTH:
        return f"is {len(name)} characters long; ids and names are at most {MAX_ID_LENGTH} (they become file names)"
    if not _SLUG.fullmatch(name):
        return "is not a valid id (lowercase letters, digits, single hyphens)"
    return ""
