"""The one rule for every value that becomes a URL or a file name.

URLs are parsed without letting `urllib`'s ValueError escape (`https://[oops/x` raises it), and
only absolute http(s) addresses are accepted from content and the command line. Ids and page
names become folder names, so they are plain slugs short enough for every file system.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import SplitResult, urlsplit, urlunsplit

from generator.content.characters import hidden_character
from generator.content.schema import SLUG_PATTERN
from generator.diagnostics import shortened

# 255 bytes is the usual limit of one path segment; ids are joined with suffixes such as
# '.yaml' and nested ('reports/<id>/claims/<id>/'), so keep each one well below it.
MAX_ID_LENGTH = 80
_SLUG = re.compile(SLUG_PATTERN.removeprefix("^").removesuffix("$"))
# Whitespace and control characters have no place in an address a reader clicks.
# Quotes, angle brackets and backslashes are never needed unencoded and are how markup is smuggled in.
_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"<>\\`]")
BAD_PORT = "is not a valid URL: its port is not a number up to 65535"
PORT_HINT = "write the port as a number (https://example.org:8080/page), or leave it out"
FULL_HINT = "use a full address starting with https://"
_PLAIN_HOST = re.compile(r"[\w.-]+")  # letters of any script (IDN), digits, '-', '.'
_IPV6_HOST = re.compile(r"[0-9a-f]*:[0-9a-f:.]+")
# What keeps a parsed http(s) address from being a link a reader may follow: no host, a user name, a host that is not plain.
HostProblem = Literal["", "no host", "user name", "not plain"]


def split_url(text: str) -> SplitResult | None:
    """`urlsplit(text)`, or None when the text is not a URL at all (bad brackets, bad port...)."""
    return _split(text)[0]


def _split(text: str) -> tuple[SplitResult | None, str]:
    # urllib says what is wrong only by raising: the reason is kept for the message.
    try:
        parts = urlsplit(text)
    except ValueError:  # '[' with no ']' around the host, or a host that NFKC normalisation changes
        return None, "is not a valid URL"
    try:
        parts.port  # noqa: B018  (parsing the port raises ValueError for 'https://x:99999/')
    except ValueError:
        return None, BAD_PORT
    return parts, ""


def plain_static_path(path: str) -> bool:
    """True for a theme file's site path (static/...) made of plain segments: no '..', no quotes, spaces or backslashes."""
    return all(part not in ("", ".", "..") for part in path.split("/")) and not _UNSAFE_IN_URL.search(path) and "\\" not in path


def host_problem(parts: SplitResult) -> HostProblem:
    """The rule markdown links and URL fields share for an http(s) address: what is wrong with its host, or ''."""
    # A browser reads 'https:evil.example' as a relative address, and a host written with '%' or behind
    # a user name ('https://bank.example@evil.example') is a trick to make a link look like another site's.
    host = parts.hostname or ""
    if not host:
        return "no host"
    if parts.username is not None:
        return "user name"
    return "" if _PLAIN_HOST.fullmatch(host) or _IPV6_HOST.fullmatch(host) else "not plain"


def without_user(parts: SplitResult) -> str:
    """The address with its user name and password left out."""
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def http_url_problem(text: str) -> str:
    """Why `text` is not an absolute http(s) URL, or '' when it is one."""
    return http_url_diagnosis(text)[0]


def http_url_diagnosis(text: str) -> tuple[str, str]:
    """Why `text` is not an absolute http(s) URL a reader may follow, and a hint that fits; ('', '') when it is one."""
    parts, problem = _split(text)
    if parts is None:
        return problem, PORT_HINT if problem == BAD_PORT else FULL_HINT
    scheme = parts.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return f"is not an http(s) URL ('{scheme}:' links are not allowed)", FULL_HINT
    if scheme not in ("http", "https"):
        meant = forgotten_scheme(text)
        return "is not an http(s) URL", f"did you mean {shortened(meant, 80)}?" if meant else FULL_HINT
    host = host_problem(parts)
    if host == "no host":
        return "is not an http(s) URL: it has no host", "write the whole address, e.g. https://example.org/page"
    unsafe = set(_UNSAFE_IN_URL.findall(text))
    if unsafe == {" "} and " " in parts.netloc:  # a host has no spaces to encode: the space is a slip
        return "is not an http(s) URL (its host has a space in it)", "remove the space from the host"
    if unsafe == {" "}:
        return "is not an http(s) URL (it contains a space)", f"write each space as %20: {shortened(text.replace(' ', '%20'), 80)}"
    if unsafe:
        hint = "percent-encode them (a space is %20, '\"' %22, '<' %3C, '>' %3E) and remove line breaks and control characters"
        return "is not an http(s) URL (it contains spaces, quotes, angle brackets or control characters)", hint
    if host == "user name":
        message = "has a user name or password in it, which would be published and can disguise where a link goes"
        return message, f"write the address without it: {shortened(without_user(parts), 80)}"
    if host == "not plain":
        return "is not an http(s) URL: its host is not a plain name (letters, digits, '-' and '.')", "write the host as the browser's address bar shows it"
    return "", ""


def base_url_problem(text: str) -> str:
    """Why `text` cannot be a site's address (base_url), or '': an http(s) URL with no ?query, #fragment or user name."""
    hidden = hidden_character(text)  # as in site.yaml, where the field's check refuses it first: `--base-url` too
    if hidden is not None:
        return f"contains {hidden[1]} (U+{ord(hidden[0]):04X})"
    problem = http_url_problem(text)
    parts = split_url(text)
    if problem or parts is None:
        return problem  # a user name too: no URL field may have one
    if parts.port == 0:
        return "has port 0, which no server listens on"
    # Every page's address is made by appending to it: 'https://x/?q=1' + 'about/' is no page's address.
    if parts.query or parts.fragment or text.rstrip("/").endswith(("?", "#")):
        return "has a ?query or #fragment; every page's address is made by adding to it"
    return ""


def link_problem(url: str) -> tuple[str, str]:
    """Why markdown may not link to `url`, with a hint, or ('', ''): it may link to http(s) addresses and relative ones."""
    text = url.strip()
    parts, problem = _split(text)
    scheme = parts.scheme.lower() if parts is not None else text.partition(":")[0].lower()
    if text.startswith("//") or scheme not in ("", "http", "https"):
        return "is not allowed (only http(s) and relative links)", "use a full https:// address"
    if parts is None:
        if problem == BAD_PORT:
            return "is not a valid http(s) address: its port is not a number up to 65535", PORT_HINT
        return "is not a valid http(s) address", "write it as https://example.org/page"
    if scheme == "":
        return "", ""
    host = host_problem(parts)
    if host == "user name":
        return (
            "is not a valid http(s) address (write it as https://example.org/page, with no user name)",
            f"write it without the user name: {shortened(without_user(parts), 80)}",
        )
    if host == "no host":
        rest = text[len(scheme) + 1 :]  # 'https:example.org/x', read by a browser as a page of this site
        hint = (
            f"did you mean {scheme}://{shortened(rest, 80)}?"
            if rest and not rest.startswith("/")
            else "write it with '//' and the host: https://example.org/page"
        )
        return "is not a valid http(s) address: it has no host", hint
    if host == "not plain":
        return (
            "is not a valid http(s) address: its host is not a plain name (letters, digits, '-' and '.')",
            "write the host as the browser's address bar shows it",
        )
    return "", ""


def is_safe_link(url: str) -> bool:
    """True for an http(s) link or a relative one (no scheme, not protocol-relative): what markdown may link to."""
    return not link_problem(url)[0]


# A relative link's first segment that looks like a host ('bridge.example/tolls'): the 'https://' was forgotten.
# A two-letter top-level domain or a common generic one, never a common file extension ('data.csv', 'notes.md').
_HOST_LIKE = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,})", re.I)
_GENERIC_TLDS = frozenset([
    "com", "org", "net", "edu", "gov", "int", "mil", "info", "biz", "news", "media", "online", "site", "website",
    "app", "dev", "blog", "tech", "example", "test",
])  # fmt: skip
_FILE_EXTENSIONS = frozenset([
    "md", "py", "js", "ts", "sh", "rb", "gz", "xz", "7z", "ps", "db", "cs", "go", "rs", "pl", "pm", "hs", "ml", "el", "mo", "po", "so",
])  # fmt: skip


def forgotten_scheme(address: str) -> str:
    """`https://` + `address` when the relative `address` starts with what looks like a host name, else ''."""
    first = re.split(r"[/?#]", address, maxsplit=1)[0]
    match = _HOST_LIKE.fullmatch(first) if len(first) <= 253 else None
    if match is None:
        return ""
    tld = match.group(1).lower()
    plausible = first.lower().startswith("www.") or tld in _GENERIC_TLDS or (len(tld) == 2 and tld not in _FILE_EXTENSIONS)
    return "https://" + address if plausible else ""


# Names Windows keeps for devices: a folder or file so named cannot be made there, and a site with one
# could not be copied to, built on or served from Windows (ids and slugs become folder names).
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))})
RESERVED_PROBLEM = "is a name Windows keeps for a device, so its page's folder could not be made there"


def slug_problem(name: str) -> str:
    """Why `name` cannot be an id, page name or file name, or '' when it is a plain slug of a safe length."""
    if len(name) > MAX_ID_LENGTH:
        return f"is {len(name)} characters long; ids and names are at most {MAX_ID_LENGTH} (they become file names)"
    if not _SLUG.fullmatch(name):
        return "is not a valid id (lowercase letters, digits, single hyphens)"
    if name in WINDOWS_RESERVED:
        return RESERVED_PROBLEM
    return ""
