"""Where a link markdown refused stands in its text: markdown-it names the links, not their places."""

from __future__ import annotations

import re
from urllib.parse import unquote

from generator.content.nativemarkdown import ENTITY
from generator.content.textpos import decoded_view, lowered_ascii, position


def place_links(text: str, rejected: list[str]) -> list[tuple[int, int, str]]:
    """Each refused link of `text` (in markdown's order) with its 0-based line and 1-based column; (0, 1) if not found."""
    found: list[tuple[int, int, str]] = []
    # Looked for as markdown read it: '&#106;avascript:' is a link to 'javascript:', at the '&'.
    decoded, where = decoded_view(text, ENTITY)
    lowered = lowered_ascii(decoded)
    # Refused in markdown's order, not the text's (reference definitions come first, a link before those in its
    # label): each link takes the first place not yet taken, every link by its most telling probe before any by a
    # lesser one, so that a loose probe (the scheme alone) never takes the place of a link written out in full.
    probes = [_probes(lowered_ascii(url)) for url in rejected]
    places: dict[int, int] = {}
    taken: set[int] = set()
    # Where to look for a probe again: every place of it before there is taken (or there is none).
    resume = _first_places(lowered, {probe for mine in probes for probe in mine})
    for level in range(max(map(len, probes), default=0)):
        for index, mine in enumerate(probes):
            if index not in places and level < len(mine):
                at = _free(lowered, mine[level], taken, resume)
                if at >= 0:
                    places[index] = at
                    taken.add(at)
    for index, url in enumerate(rejected):
        if index not in places:
            found.append((0, 1, url))
            continue
        at = where[places[index]] if where is not None else places[index]
        found.append((*position((0, 1), text, at), url))  # 0-based line, 1-based column
    return found


# Probes up to this long may be found in one pass over the text (longer ones are looked for alone).
_LONGEST_IN_PASS = 256


def _first_places(lowered: str, probes: set[str]) -> dict[str, int]:
    """Where each probe of 2 to 256 characters first stands in `lowered` (its length if nowhere), when one pass is cheaper.

    Ten thousand links to as many refused addresses were each looked for from the text's start: the time
    grew with the square of the text's length (20,000 took 1.6 s). A pass reads every place where some
    probe's first two characters stand, and there looks up the text of each probe length: cheaper when the
    probes are many, dearer when those two characters are everywhere and the probes few, so the cost of
    each way is reckoned first (a step of the pass in Python as about fifty characters compared by find).
    """
    short = [probe for probe in probes if 2 <= len(probe) <= _LONGEST_IN_PASS]
    if len(short) <= 50:  # fifty searches cost less than a pass, whatever the text
        return {}
    by_length: dict[int, set[str]] = {}
    for probe in short:
        by_length.setdefault(len(probe), set()).add(probe)
    heads = {probe[:2] for probe in short}
    # A step for every character, and a look-up of every length where a head stands (counted when the heads are few).
    hits = sum(lowered.count(head) for head in heads) if len(heads) <= 64 else len(lowered)
    if len(short) * len(lowered) < 50 * (len(lowered) + len(by_length) * hits):
        return {}
    first: dict[str, int] = {}
    for at in range(len(lowered) - 1):
        if lowered[at : at + 2] in heads:
            for length, group in by_length.items():
                piece = lowered[at : at + length]
                if piece in group and piece not in first:
                    first[piece] = at
    return {probe: first.get(probe, len(lowered)) for probe in short}


def _free(lowered: str, probe: str, taken: set[int], resume: dict[str, int]) -> int:
    """The first place of `probe` in `lowered` that is not taken, or -1; `resume` keeps where the search ended.

    The caller takes the place found: the next search for the same probe starts there, not at the text's
    start (ten thousand links to one refused address each passed every place the ones before had taken).
    """
    at = lowered.find(probe, resume.get(probe, 0))
    while at in taken:
        at = lowered.find(probe, at + 1)
    resume[probe] = at if at >= 0 else len(lowered)
    return at


def _probes(url: str) -> list[str]:
    """What to look for in the source to find a refused link, most telling first.

    markdown-it percent-encodes what it validates (and writes a host in punycode), so the link as
    written may differ: then a part of it is looked for. For a link of another scheme, the scheme
    ('&#58;' may stand for its colon: the scheme alone last); never for http(s), which most links have.
    """
    scheme, colon, rest = url.partition(":")
    probes = [url, unquote(url)]
    if colon and scheme == "mailto":  # an <address@example.org> autolink: the address is what was written
        probes.append(rest)
    elif colon and scheme in ("http", "https"):
        rest = unquote(rest).lstrip("/\\")
        probes += [rest, *(part for part in re.split(r"[@/:?#]", rest) if len(part) >= 3)]
    else:
        probes += [scheme + ":", scheme] if colon else [url[:2]]
    return [probe for probe in probes if probe]
