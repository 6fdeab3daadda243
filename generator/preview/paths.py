"""Request targets: the site path a request names (never one outside the site), and the type of the file served there."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"  # the server's own short answers (not found, not allowed)
CONTENT_TYPES = {
    ".html": HTML,
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": TEXT,
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
}


def safe_path(target: str) -> str | None:
    """The site path a request target names, or None if it is malformed or could leave the root.

    Refuses `.` and `..` segments (also percent-encoded), encoded slashes and backslashes, NUL and
    other control characters, invalid UTF-8, and targets that are not a plain absolute path.
    """
    if not target.startswith("/"):
        return None
    path = target.split("?", 1)[0].split("#", 1)[0]
    segments = path.split("/")[1:]
    parts: list[str] = []
    for index, segment in enumerate(segments):
        try:
            text = unquote(segment, errors="strict")
        except UnicodeDecodeError:
            return None
        if text in (".", "..") or any(c in text for c in "/\\") or any(ord(c) < 32 or ord(c) == 127 for c in text):
            return None
        if not text and index != len(segments) - 1:
            return None  # "//": an absolute path in disguise, or an empty segment
        parts.append(text)
    return "/".join(parts)


def content_type(path: str) -> str:
    """The Content-Type for a site path."""
    suffix = Path(path).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return guessed + "; charset=utf-8" if guessed.startswith("text/") else guessed
