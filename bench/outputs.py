"""What a build wrote: its files counted by kind, so a reader can judge whether the tools did equal work.

Kinds: HTML pages, feeds (Atom or RSS), sitemaps, redirect pages (an HTML file that only refreshes to
another address) and other files, the last also broken down by extension (share-card PNGs, search
shards, JSON and CSV exports, static assets, robots.txt). The HTML pages' addresses can be compared with
another site's, to show that the same pages exist in both.

    python bench/outputs.py SITE_FOLDER [SITE_FOLDER ...]
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path

KINDS = ("html", "feeds", "sitemaps", "redirects", "other")
PAGER = re.compile(r"/page/([0-9]+)/")


def _kind(path: str, name: str) -> str:
    lower = name.lower()
    if lower.endswith(".html"):
        with open(path, "rb") as handle:
            head = handle.read(800).lower()
        return "redirects" if b'http-equiv="refresh"' in head and len(head) < 800 else "html"
    if lower.endswith(".xml"):
        if lower.startswith("sitemap"):
            return "sitemaps"
        with open(path, "rb") as handle:
            head = handle.read(400)
        if b"<feed" in head or b"<rss" in head:
            return "feeds"
    return "other"


def count_files(site: Path) -> dict[str, object]:
    """{kind: count} for the kinds above, plus `other_by_ext` ({extension: count}) and `html_bytes`."""
    kinds: Counter[str] = Counter()
    other: Counter[str] = Counter()
    html_bytes = 0
    for folder, _dirs, files in os.walk(site):
        for name in files:
            path = os.path.join(folder, name)
            kind = _kind(path, name)
            kinds[kind] += 1
            if kind == "html":
                html_bytes += os.path.getsize(path)
            elif kind == "other":
                other[Path(name).suffix.lstrip(".").lower() or name] += 1
    return {**{k: kinds.get(k, 0) for k in KINDS}, "total": sum(kinds.values()), "html_bytes": html_bytes, "other_by_ext": dict(sorted(other.items()))}


def html_paths(site: Path) -> set[str]:
    """Addresses of the HTML pages (redirects left out), Hugo's `page/N/` written as ours (`N/`)."""
    found = set()
    for folder, _dirs, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                if _kind(path, name) == "html":
                    found.add(PAGER.sub(r"/\1/", "/" + os.path.relpath(path, site)))
    return found


def compare_paths(ours: set[str], theirs: set[str]) -> dict[str, int]:
    """How many of our HTML pages the other site lacks, and how many it has that we do not."""
    return {"missing": len(ours - theirs), "extra": len(theirs - ours)}


def describe_other(counts: dict[str, object]) -> str:
    """'265 png, 7 js, ...': the other files by extension, most first."""
    by_ext = counts.get("other_by_ext") or {}
    assert isinstance(by_ext, dict)
    return ", ".join(f"{n:,} {ext}" for ext, n in sorted(by_ext.items(), key=lambda kv: (-kv[1], kv[0])))


def main() -> None:
    """Print the counts of each folder given."""
    for arg in sys.argv[1:]:
        counts = count_files(Path(arg))
        html = int(str(counts["html"]))
        average = int(str(counts["html_bytes"])) / html / 1024 if html else 0.0
        line = ", ".join(f"{k} {counts[k]}" for k in KINDS)
        print(f"{arg}: {line} (other: {describe_other(counts)}); {average:.1f} KB per HTML page")


if __name__ == "__main__":
    main()
