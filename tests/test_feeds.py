"""Atom feeds, sitemap.xml and robots.txt: ids, dates from content, links, and no base_url."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import feedparser

from conftest import SITE_YAML, write_tree
from generator.build import BuildOptions, build, check, render_site
from generator.site.feeds import corrections_feed, reports_feed, sitemap_files, xml_text
from generator.site.plan import plan_site
from publishing import BASE_URL, many_reports, read

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_reports_feed_has_stable_ids_and_content_dates(tmp_path: Path) -> None:
    """Entry ids are tag: URIs on the site's domain; dates come from the reports, newest first."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(4)), out)
    feed = feedparser.parse(read(out, "feeds/reports.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == BASE_URL + "feeds/reports.xml"
    assert feed.feed.updated == "2026-04-28T00:00:00Z"  # report 3's correction is the latest change
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"alternate": BASE_URL, "self": BASE_URL + "feeds/reports.xml"}
    ids = [e.id for e in feed.entries]
    assert ids[0] == "tag:checks.example.org,2026-04-04:reports/report-003/"
    assert len(set(ids)) == 4
    first = feed.entries[0]
    assert first.link == BASE_URL + "reports/report-003/"
    assert (first.published, first.updated) == ("2026-04-04T00:00:00Z", "2026-04-28T00:00:00Z")
    assert [t.term for t in first.tags] == ["Transport", "Housing"]
    assert BASE_URL + "reports/report-003/claims/rents-doubled/" in first.content[0].value


def test_corrections_feed_lists_each_correction(tmp_path: Path) -> None:
    """One entry per correction, dated by the correction, linking to the report."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(7)), out)
    feed = feedparser.parse(read(out, "feeds/corrections.xml"))
    assert not feed.bozo
    assert [e.updated for e in feed.entries] == ["2026-07-28T00:00:00Z", "2026-04-28T00:00:00Z", "2026-01-28T00:00:00Z"]
    assert feed.entries[0].id == "tag:checks.example.org,2026-07-28:reports/report-006/corrections/1"
    assert feed.entries[0].title.startswith("Rating changed: ")
    assert feed.entries[0].link == BASE_URL + "reports/report-006/"
    assert "from Half true to False" in feed.entries[0].summary


def test_feeds_are_byte_identical_across_builds(tmp_path: Path) -> None:
    """Nothing in the feeds, sitemap or robots.txt comes from the clock."""
    root = write_tree(tmp_path / "p", many_reports(5))
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        build(root, out)
    for name in ("feeds/reports.xml", "feeds/corrections.xml", "sitemap.xml", "robots.txt"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()


def test_sitemap_lists_every_html_page_with_absolute_urls(tmp_path: Path) -> None:
    """Every built HTML page but 404.html is in the sitemap, with its canonical URL."""
    out = tmp_path / "out"
    build(write_tree(tmp_path / "p", many_reports(3)), out)
    tree = ET.parse(out / "sitemap.xml")
    locs = [e.text for e in tree.iter(f"{SM}loc")]
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.name != "404.html")
    expected = sorted(BASE_URL + p.removesuffix("index.html") for p in pages)
    assert sorted(locs) == expected
    lastmods = {u.find(f"{SM}loc").text: u.find(f"{SM}lastmod") for u in tree.iter(f"{SM}url")}  # type: ignore[union-attr]
    assert lastmods[BASE_URL + "reports/report-002/"].text == "2026-03-03"  # type: ignore[union-attr]
    assert lastmods[BASE_URL + "about/"] is None
    assert read(out, "robots.txt") == f"User-agent: *\nAllow: /\nSitemap: {BASE_URL}sitemap.xml\n"


def test_big_sitemaps_split_into_an_index(tmp_path: Path) -> None:
    """Past the URL limit, sitemap.xml becomes a sitemap index of numbered files."""
    result = render_site(write_tree(tmp_path / "p", many_reports(3)), BuildOptions())
    files = dict(sitemap_files(result.site, plan_site(result.site).jobs, limit=10))
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    parts = [e.text for e in index.iter(f"{SM}loc")]
    assert parts == [f"{BASE_URL}sitemap-{n}.xml" for n in range(1, len(files))]
    assert all(len(ET.fromstring(files[f"sitemap-{n}.xml"])) <= 10 for n in range(1, len(files)))


def test_without_base_url_no_sitemap_and_relative_feed_links(tmp_path: Path) -> None:
    """No base_url: no sitemap.xml, robots.txt without a Sitemap line, feed links relative to the feed."""
    out = tmp_path / "out"
    result = build(write_tree(tmp_path / "p", many_reports(2, base_url="")), out)
    assert any("sitemap.xml is not written" in d.message for d in result.diagnostics)
    assert not (out / "sitemap.xml").exists()
    assert read(out, "robots.txt") == "User-agent: *\nAllow: /\n"
    feed = feedparser.parse(read(out, "feeds/reports.xml"))
    assert not feed.bozo
    assert feed.feed.id.startswith("urn:uuid:")
    assert feed.entries[0].id.startswith("tag:") is False and feed.entries[0].id.startswith("urn:uuid:")
    assert 'href="../reports/report-001/index.html"' in read(out, "feeds/reports.xml")


FORBIDDEN = "\x00\x01\x08\x0b\x0c\x0e\x1f\ufffe\uffff\ud800\udfff"


def test_xml_text_drops_only_what_xml_forbids() -> None:
    assert xml_text(f"a{FORBIDDEN}b\tc\nd\re\u2028é\U0001f600") == "ab\tc\nd\re\u2028é\U0001f600"


def test_feeds_stay_well_formed_when_the_model_holds_forbidden_characters(make_project: Callable[..., Path]) -> None:
    """The writer is the last defence: even a model that bypassed check gives feeds an XML parser accepts."""
    root = make_project({"content/site.yaml": SITE_YAML + "base_url: https://checks.example/\n"})
    site, _ = check(root, BuildOptions(drafts=False))
    report = site.reports[0]
    bad = dataclasses.replace(report, title=f"Title{FORBIDDEN}end", summary="sum\ufffemary", topics=(f"topic{FORBIDDEN}",))
    site = dataclasses.replace(site, reports=(bad,))
    for data in (reports_feed(site), corrections_feed(site)):
        tree = ET.fromstring(data)  # raises on a character XML forbids
        assert tree is not None
    assert b"<title>Titleend</title>" in reports_feed(site)


def test_sitemap_text_is_what_elementtree_writes() -> None:
    """The sitemap is written without a tree, in the very bytes ElementTree would write and indent."""
    from generator.site.feeds import ROWS_A_PIECE, SITEMAP_NS, _xml_list, xml_text

    rows = [[("loc", "https://x.example/a?b=1&c=<2>/"), ("lastmod", "2026-01-02")], [("loc", "https://x.example/é\x01ü/")]]
    rows += [[("loc", f"https://x.example/r/{n}/")] for n in range(ROWS_A_PIECE * 2 + 1)]  # written in three pieces
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for row in rows:
        entry = ET.SubElement(root, "url")
        for name, text in row:
            ET.SubElement(entry, name).text = xml_text(text)
    ET.indent(root)
    expected = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
    pieces = list(_xml_list("urlset", "url", rows))
    assert len(pieces) == 3 and b"".join(pieces) == expected
    empty = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    ET.indent(empty)
    written = ET.tostring(empty, encoding="utf-8", xml_declaration=False)
    assert b"".join(_xml_list("urlset", "url", [])) == b'<?xml version="1.0" encoding="utf-8"?>\n' + written + b"\n"
