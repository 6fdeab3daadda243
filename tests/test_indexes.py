"""Index pages: grouping, collision-safe slugs, pagination, corrections, and claims three clicks from home."""

from __future__ import annotations

import itertools
import re
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin

from conftest import write_tree
from generator.build import BuildOptions, build, render_site
from generator.site.groups import group_claims, unique_slugs
from generator.site.indexes import PAGER_ALL, pager_window, paginate
from publishing import many_reports, read

_HREF = re.compile(r'href="([^"#]*)(?:#[^"]*)?"')


def test_a_name_windows_keeps_for_a_device_gets_a_slug_it_allows() -> None:
    # A topic "Con" or a claimant "Nul" would be a folder con/ or nul/, which Windows cannot make.
    assert unique_slugs(["Con", "Nul", "Lpt1", "Conrad"], "topic") == {"Con": "con-topic", "Nul": "nul-topic", "Lpt1": "lpt1-topic", "Conrad": "conrad"}


def test_unique_slugs_never_collide() -> None:
    """Names that slugify alike get -2, -3 in name order; names with a slug of their own keep it."""
    slugs = unique_slugs(["Jane Doe", "Jane-Doe", "jane doe!", "Jane Doe 2", "日本", "★"], "claimant")
    assert slugs["Jane Doe 2"] == "jane-doe-2"
    assert {slugs["Jane Doe"], slugs["Jane-Doe"], slugs["jane doe!"]} == {"jane-doe", "jane-doe-3", "jane-doe-4"}
    assert {slugs["日本"], slugs["★"]} == {"claimant", "claimant-2"}
    assert len(set(slugs.values())) == len(slugs)


def test_paginate_counts_and_links() -> None:
    """Pages of `size`, with positions, counts and prev/next URLs; an empty list has one page."""
    pages = paginate(list(range(12)), 5, "topics/x/")
    assert [list(chunk) for _, chunk in pages] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]
    last = pages[2][0]
    assert (last.number, last.count, last.total, last.first, last.last) == (3, 3, 12, 11, 12)
    assert last.prev_url == "topics/x/2/" and last.next_url == ""
    assert pages[0][0].prev_url == "" and pages[0][0].next_url == "topics/x/2/"
    [(empty, chunk)] = paginate([], 5, "corrections/")
    assert (empty.count, empty.total, list(chunk)) == (1, 0, [])


def test_pager_window_links_every_page_of_a_short_list_and_elides_a_long_one() -> None:
    """Up to PAGER_ALL pages: all; beyond: first, last, two either side, 0 for a gap that hides two pages or more."""
    assert pager_window(1, 1) == [1]
    assert pager_window(4, PAGER_ALL) == list(range(1, PAGER_ALL + 1))
    assert pager_window(1, 20) == [1, 2, 3, 0, 20]
    assert pager_window(5, 20) == [1, 2, 3, 4, 5, 6, 7, 0, 20]  # page 2 is shown, not hidden behind a gap
    assert pager_window(10, 20) == [1, 0, 8, 9, 10, 11, 12, 0, 20]
    assert pager_window(16, 20) == [1, 0, 14, 15, 16, 17, 18, 19, 20]
    assert pager_window(20, 20) == [1, 0, 18, 19, 20]
    for count in range(1, 60):
        for number in range(1, count + 1):
            window = pager_window(number, count)
            shown = [n for n in window if n]
            assert shown == sorted(set(shown)) and shown[0] == 1 and shown[-1] == count and number in shown
            assert len(window) <= max(PAGER_ALL, 9)  # bounded however long the list: the build stays linear
            assert all(b - a == 1 for a, b in itertools.pairwise(window) if a and b)  # consecutive unless a gap
            assert all(window[i + 1] - window[i - 1] > 2 for i, n in enumerate(window) if not n)  # a gap hides two or more


def test_long_list_pager_shows_nearby_pages_and_every_page_stays_reachable(tmp_path: Path) -> None:
    """A 14-page list: page 7 links 1, 5-9 and 14 with two gaps; following the pager reaches every page."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(105)), out)  # 70 false claims, five a page
    middle = read(out, "ratings/false/7/index.html")
    pager = middle[middle.index('<nav class="pagination"') : middle.index("</nav>", middle.index('<nav class="pagination"'))]
    numbers = re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>', pager)
    assert numbers == ["1", "5", "6", "7", "8", "9", "14"]
    assert pager.count('<li class="gap" aria-hidden="true">…</li>') == 2
    assert pager.count("aria-current") == 1 and '<a href="index.html" aria-current="page"><span class="visually-hidden">Page </span>7<' in pager
    seen, todo = set(), [out / "ratings/false/index.html"]
    while todo:
        page = todo.pop()
        if page not in seen:
            seen.add(page)
            todo += [t for t in _links(out, page) if t.is_relative_to(out / "ratings/false")]
    assert {p.relative_to(out).as_posix() for p in seen} >= {f"ratings/false/{n}/index.html" for n in range(2, 15)}


def test_groups_merge_spellings_and_split_clashing_slugs(tmp_path: Path) -> None:
    """'Jane Doe' and 'jane doe' are one claimant; 'Jane-Doe' is another, on its own URL."""
    site = render_site(write_tree(tmp_path, many_reports(10)), BuildOptions()).site
    claimants = {g.name: g for g in group_claims(site, "claimants")}
    assert "jane doe" not in claimants
    assert len(claimants["Jane Doe"].claims) == 4  # reports 0, 1, 5, 6: one claim each
    assert claimants["Jane Doe"].slug == "jane-doe" and claimants["Jane-Doe"].slug == "jane-doe-2"
    topics = {g.name: len(g.claims) for g in group_claims(site, "topics")}
    assert topics == {"Budget": 10, "Housing": 16, "Transport": 4}
    outlets = {g.name: g.slug for g in group_claims(site, "outlets")}
    assert outlets == {"Daily Planet": "daily-planet", "Daily-Planet": "daily-planet-2", "Metro Times": "metro-times"}


def test_index_pages_are_paginated_with_counts(tmp_path: Path) -> None:
    """A rating index of 14 claims at 5 a page has 3 pages, each saying where it stands."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(21)), out)
    first, second, third = (read(out, f"ratings/false/{p}index.html") for p in ("", "2/", "3/"))
    assert "14 claims, showing 1–5." in first and "Page 1 of 3" in first
    assert 'rel="next" href="2/index.html"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="../index.html"' in second and 'rel="next"' in second
    assert "showing 11–14" in third and 'rel="next"' not in third
    assert '<ol class="claim-list" start="11">' in third
    assert not (out / "ratings/false/4").exists()
    assert "No claims have this rating yet." in read(out, "ratings/half-true/index.html")
    report = read(out, "reports/report-003/index.html")
    assert '<a class="topic" href="../../topics/transport/index.html">Transport</a>' in report
    hub = read(out, "claimants/index.html")
    assert '<a href="jane-doe-2/index.html">Jane-Doe</a>' in hub


def test_corrections_index_lists_every_correction_newest_first(tmp_path: Path) -> None:
    """Every correction appears once, newest first, linked to its report."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(7)), out)
    html = read(out, "corrections/index.html")
    assert "3 corrections." in html
    order = [int(n) for n in re.findall(r"Changed the rating of report (\d+)", html)]
    assert order == [6, 3, 0]  # 2026-07-28, 2026-04-28, 2026-01-28
    assert "rating changed from Half true to False" in html


def _links(out: Path, page: Path) -> set[Path]:
    html = page.read_text(encoding="utf-8")
    base = page.as_uri()
    found = set()
    for href in _HREF.findall(html):
        if href and not href.startswith(("http:", "https:", "mailto:")):
            found.add(Path(unquote(urljoin(base, href).removeprefix("file://"))))
    return {p for p in found if p.suffix == ".html" and p.is_file()}


def test_every_claim_is_three_clicks_from_home(tmp_path: Path) -> None:
    """Breadth-first over the built links: every claim page is at most three clicks from index.html."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(40)), out)
    home = out / "index.html"
    depth = {home: 0}
    queue = deque([home])
    while queue:
        page = queue.popleft()
        if depth[page] == 3:
            continue
        for target in _links(out, page):
            if target not in depth:
                depth[target] = depth[page] + 1
                queue.append(target)
    claims = sorted(out.glob("reports/*/claims/*/index.html"))
    assert len(claims) == 80
    assert [c for c in claims if c not in depth] == []


def test_a_claim_links_its_claimants_and_its_ratings_listings(tmp_path: Path) -> None:
    """From a claim, one click to the claimant's claims (slug clashes resolved as the hub has them) and to its rating's."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(6)), out)
    claim = read(out, "reports/report-003/claims/rents-doubled/index.html")
    assert 'Claim made by <a href="../../../../claimants/jane-doe-2/index.html">Jane-Doe</a>' in claim
    assert '<p class="more-rated"><a href="../../../../ratings/unproven/index.html">Claims rated Unproven' in claim
    report = read(out, "reports/report-004/index.html")
    assert '<p class="more-rated"><a href="../../ratings/false/index.html">Claims rated False' in report
    assert (out / "claimants/jane-doe-2/index.html").is_file() and (out / "ratings/unproven/index.html").is_file()
