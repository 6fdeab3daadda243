"""Rendered pages: content, escaping, links that resolve, the annotated article."""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest

from conftest import REPORT_YAML, SITE_YAML
from generator.build import BuildOptions, build, check, render_site
from generator.diagnostics import BuildFailed, format_text
from generator.site.pages import annotate


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.hrefs.append(value)
            if name == "id" and value:
                self.ids.add(value)


def test_report_and_claim_pages_show_every_claim(make_project: Callable[..., Path]) -> None:
    result = render_site(make_project())
    pages = {p.path: p.data.decode() for p in result.pages if not p.path.endswith(".png")}
    report = pages["reports/planet-rents/index.html"]
    for text in ("Rents in Metropolis doubled since 2015", "The council spent $4 million on shelters last year", "Rents rose 38%, not 100%."):
        assert text in report
    assert "<mark" in report and "rents in Metropolis have doubled since 2015</mark>" in report
    claim = pages["reports/planet-rents/claims/rents-doubled/index.html"]
    assert "Rents in Metropolis doubled since 2015" in claim and "False" in claim
    assert 'href="#source-stats-rents"' in claim and 'id="source-stats-rents"' in claim
    assert "budget" not in claim.split("Sources for this claim")[1].split("</ol>")[0]


def test_content_is_escaped(make_project: Callable[..., Path]) -> None:
    evil = REPORT_YAML.replace('title: "Fact-check: the Daily Planet on rents"', "title: \"<script>alert('x')</script>\"")
    evil = evil.replace("summary: One claim holds up, one does not.", 'summary: "<img src=x onerror=alert(1)>"')
    pages = {p.path: p.data.decode() for p in render_site(make_project({"content/reports/planet-rents.yaml": evil})).pages if not p.path.endswith(".png")}
    for path, html in pages.items():
        if path.endswith(".html"):  # data files (search shards, JSON) are not parsed as HTML
            assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in pages["reports/planet-rents/index.html"]


def test_every_internal_link_resolves(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """Relative links name real files, so the site works at a root, under a subpath and from file://."""
    root = make_project(
        {"content/reports/planet-rents.yaml": REPORT_YAML.replace("snapshot: seeds/planet.txt", "snapshot: seeds/planet.txt\n  publish_text: true")}
    )
    out = tmp_path / "out"
    build(root, out)
    checked = 0
    for page in out.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            if re.match(r"^[a-z]+:", href):
                continue
            target, _, fragment = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.is_file(), f"{page.relative_to(out)} links to missing {href}"
            assert str(path).startswith(str(out.resolve()))
            if fragment:
                ids = Links()
                ids.feed(path.read_text(encoding="utf-8"))
                assert fragment in ids.ids, f"{page.relative_to(out)}: no #{fragment} in {target or 'itself'}"
            checked += 1
    assert checked > 50
    assert PurePosixPath("reports/planet-rents/article/index.html") in [PurePosixPath(p.relative_to(out).as_posix()) for p in out.rglob("*.html")]


def test_annotated_article_highlights_claims_and_uncovered_sentences(make_project: Callable[..., Path]) -> None:
    site, _ = check(make_project())
    report = site.reports[0]
    paragraphs = annotate(report, mark_uncovered=True)
    flat = [seg for para in paragraphs for seg in para]
    highlighted = {seg.claim.id: seg.text for seg in flat if seg.claim}
    assert highlighted == {
        "rents-doubled": "rents in Metropolis have doubled since 2015",
        "shelter-spend": "The council spent $4 million on new shelters last year",
    }
    uncovered = [seg.text.strip() for seg in flat if seg.uncovered]
    assert "Critics disagree." in uncovered and "The Daily Planet" in uncovered
    assert "".join(seg.text for seg in paragraphs[1]) == "Mayor Jane Doe said on Tuesday that rents in Metropolis have doubled since 2015. Critics disagree."


def test_unsaved_article_text_is_said_honestly(make_project: Callable[..., Path]) -> None:
    report = REPORT_YAML.replace("  snapshot: seeds/planet.txt\n", "  text_unavailable: Imported <em>without</em> it.\n")
    report = report.replace("exact: rents in Metropolis have doubled since 2015", "exact: rents <script>x</script> doubled")
    pages = {p.path: p.data.decode() for p in render_site(make_project({"content/reports/planet-rents.yaml": report})).pages if not p.path.endswith(".png")}
    for path in ("reports/planet-rents/index.html", "reports/planet-rents/claims/rents-doubled/index.html"):
        assert "Quoted as recorded; the article's text was not saved." in pages[path]
        assert "rents &lt;script&gt;x&lt;/script&gt; doubled</mark>" in pages[path]
    assert "Not saved: Imported &lt;em&gt;without&lt;/em&gt; it." in pages["reports/planet-rents/index.html"]


def test_claim_page_numbers_its_own_sources_and_the_report_page_numbers_all(make_project: Callable[..., Path]) -> None:
    """The shelter claim cites the report's second source: 1 on its own page, 2 on the report page."""
    pages = {p.path: p.data.decode() for p in render_site(make_project()).pages if not p.path.endswith(".png")}
    claim = pages["reports/planet-rents/claims/shelter-spend/index.html"]
    assert 'aria-label="Source 1">1</a>' in claim and '<li id="source-budget" value="1">' in claim
    report = pages["reports/planet-rents/index.html"]
    assert 'aria-label="Source 2">2</a>' in report and '<li id="source-budget" value="2">' in report


def test_404_links_from_the_root_or_absolutely_from_base_url(make_project: Callable[..., Path]) -> None:
    """No <base href>: relative links from the root without base_url, absolute ones with it."""
    root = make_project()
    plain = {p.path: p.data.decode() for p in render_site(root).pages if not p.path.endswith(".png")}["404.html"]
    assert "<base" not in plain and 'href="ratings/index.html"' in plain and 'href="static/style.css"' in plain
    with_base = {p.path: p.data.decode() for p in render_site(root, BuildOptions(base_url="https://x.example/sub/")).pages if not p.path.endswith(".png")}[
        "404.html"
    ]
    assert "<base" not in with_base
    assert 'href="https://x.example/sub/ratings/"' in with_base and 'href="https://x.example/sub/static/style.css"' in with_base
    assert '"https://x.example/sub/"' in with_base  # the script that re-points links on other hosts knows the base


def test_every_page_has_a_favicon_and_search_js_is_deferred(make_project: Callable[..., Path]) -> None:
    result = render_site(make_project())
    pages = {p.path: p.data for p in result.pages}
    assert "static/favicon.svg" in pages
    for path, data in pages.items():
        if path.endswith(".html"):
            assert b'rel="icon"' in data, path
    assert b'<script defer src="../static/search.js">' in pages["search/index.html"]
    custom = make_project({"content/site.yaml": SITE_YAML + "favicon: https://cdn.example/icon.png\n"})
    home = {p.path: p.data.decode() for p in render_site(custom).pages if not p.path.endswith(".png")}["index.html"]
    assert '<link rel="icon" href="https://cdn.example/icon.png">' in home


def test_home_card_groups_verdicts_with_counts(make_project: Callable[..., Path]) -> None:
    report = REPORT_YAML.replace('rating: "true"', 'rating: "false"')
    home = {p.path: p.data.decode() for p in render_site(make_project({"content/reports/planet-rents.yaml": report})).pages if not p.path.endswith(".png")}[
        "index.html"
    ]
    chips = home.split('class="chips"')[1].split("</ul>")[0]
    assert chips.count('class="verdict-label"') == 1 and "× 2" in chips


def test_remember_makes_a_block_once_per_key_and_site(make_project: Callable[..., Path]) -> None:
    """`{% call remember(...) %}` reuses a block's output for the same key; another key or another site makes it again."""
    import jinja2

    from generator.build import prepare
    from generator.site.render import install_globals

    prepared = prepare(make_project(), BuildOptions(cache=False))
    env = jinja2.Environment(autoescape=True)
    made: list[str] = []
    env.globals["note"] = lambda name: made.append(name) or name
    install_globals(env, prepared.site, {})
    template = env.from_string("{% for k in keys %}{% call remember('badge', k) %}<b>{{ note(k) }}</b>{% endcall %}{% endfor %}")
    assert template.render(keys=["a", "b", "a", "a", "b"]) == "<b>a</b><b>b</b><b>a</b><b>a</b><b>b</b>"
    assert made == ["a", "b"]
    install_globals(env, prepared.site, {})  # a new build or rebuild starts afresh
    assert template.render(keys=["a"]) == "<b>a</b>" and made == ["a", "b", "a"]


def test_shared_blocks_are_made_once_per_depth_with_links_through_the_root(make_project: Callable[..., Path]) -> None:
    """`{% call shared(...) %}` gives every page at one depth the same bytes, and its links still reach their targets."""
    import jinja2

    from generator.build import prepare
    from generator.site.render import install_globals

    prepared = prepare(make_project(), BuildOptions(cache=False))
    env = jinja2.Environment(autoescape=True)
    made: list[str] = []
    env.globals["note"] = lambda url: made.append(url) or ""
    install_globals(env, prepared.site, {})
    template = env.from_string(
        "{% call shared('foot') %}{{ note(page_url) }}<a href=\"{{ url('ratings/') }}\">r</a><a href=\"{{ static('s.css') }}\">s</a>{% endcall %}"
        "<a href=\"{{ url('ratings/') }}\">own</a>"
    )
    out = {page: template.render(page_url=page) for page in ["reports/a/", "ratings/true/", "reports/b/", "", "ratings/"]}
    assert made == ["reports/a/", "", "ratings/"]  # one render per depth, whichever page came first
    assert out["ratings/true/"].startswith('<a href="../../ratings/index.html">r</a><a href="../../static/s.css">s</a>')
    assert out["ratings/true/"].endswith('<a href="../index.html">own</a>')  # outside the block: the shortest relative link
    assert out["ratings/"].startswith('<a href="../ratings/index.html">r</a>') and out[""].startswith('<a href="ratings/index.html">r</a>')
    for page, html in out.items():
        for href in re.findall(r'href="([^"]+)"', html):
            assert posixpath.normpath(posixpath.join("/", page, href)) in ("/ratings/index.html", "/static/s.css")


def test_a_macro_imported_without_context_links_from_the_page_being_rendered(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """A module imported without context is made once for every page (no per-page module, no reference cycles):
    its url() and static() link from the page being rendered, as the default theme's macros do."""
    macro = "{% macro to_ratings() %}<a href=\"{{ url('ratings/') }}\">r</a><img src=\"{{ static('favicon.svg') }}\">{% endmacro %}\n"
    page = "{% extends 'base.html' %}\n{% from 'partials/mine.html' import to_ratings %}\n{% block content %}{{ to_ratings() }}{% endblock %}\n"
    root = make_project({"content/templates/partials/mine.html": macro, "content/templates/page.html": page})
    build(root, tmp_path / "site", BuildOptions(cache=False))
    about = (tmp_path / "site/about/index.html").read_text(encoding="utf-8")
    assert '<a href="../ratings/index.html">r</a><img src="../static/favicon.svg">' in about


def test_the_default_themes_pages_leave_no_garbage_for_the_cycle_collector(make_project: Callable[..., Path]) -> None:
    """Macros imported `with context` made a module a page, each in reference cycles: 90 objects a page for the
    collector (a tenth of LIAR's render time). Imported without context, they are made once."""
    import gc

    from generator.build import environment, prepare
    from generator.site.render import install_globals, render_job

    root = make_project()
    prepared = prepare(root, BuildOptions(cache=False))
    env = environment(prepared, root, BuildOptions(cache=False))
    install_globals(env, prepared.site, prepared.plan.globals, prepared.plan.other_languages)
    jobs = [job for job in prepared.plan.jobs if job.template]
    for job in jobs:  # modules and remembered blocks made once, before counting
        render_job(env, job, prepared.site)
    gc.collect()
    gc.disable()
    try:
        for job in jobs:
            render_job(env, job, prepared.site)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_lone_surrogate_in_a_template_string_is_reported_at_its_line(make_project: Callable[..., Path]) -> None:
    """A JavaScript-style escape ('\\ud83d\\ude00') makes two halves of a pair, which UTF-8 cannot write: it was an internal error."""
    page = "{% extends 'base.html' %}\n{% block content %}\n{{ '\\ud83d\\ude00' }}{% endblock %}\n"
    with pytest.raises(BuildFailed) as failed:
        check(make_project({"content/templates/page.html": page}))
    text = format_text(failed.value.diagnostics)
    assert "content/templates/page.html:3:1: error: template syntax error: " in text and "surrogate" in text


def test_a_lone_surrogate_a_template_makes_is_its_error_not_ours(make_project: Callable[..., Path]) -> None:
    page = "{% extends 'base.html' %}\n{% block content %}{{ '%c' % 55296 }}{% endblock %}\n"
    root = make_project({"content/templates/page.html": page})
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert "content/templates/page.html: error: template error: the page holds '\\ud800'" in result.stderr
    assert "hint: " in result.stderr


def test_every_template_is_loaded_before_the_helpers_are_forked(make_project: Callable[..., Path]) -> None:
    """load_templates: the pages' templates and the partials they import are in the environment's cache, and each language's."""
    from generator.build import environment, prepare
    from generator.site.render import install_globals, language_env, load_templates

    root = make_project()
    prepared = prepare(root, BuildOptions(cache=False))
    env = environment(prepared, root, BuildOptions(cache=False))
    install_globals(env, prepared.site, prepared.plan.globals, {"fr": {}})
    load_templates(env)
    for each in (env, language_env(env, "fr")):
        loaded = {template.name for template in each.cache.values()} if each.cache is not None else set()
        assert {"listing.html", "claim.html", "base.html", "partials/macros.html", "partials/pager.html"} <= loaded
