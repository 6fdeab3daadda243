"""The theme's 404 page, as a static host serves it at any missing address: its links lead into the site that served it."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, StaticHost
from generator.build import BuildOptions, build

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One host: the bundled site built without base_url at /checks/, with a production base_url at /preview/checks/, and at /."""
    docroot = tmp_path_factory.mktemp("host")
    build(REPO, docroot / "checks", BuildOptions(base_url="", cache=False))
    build(REPO, docroot / "preview" / "checks", BuildOptions(base_url="https://checks.example.org/fact/", cache=False))
    for item in (docroot / "checks").iterdir():  # the same site again at the host's root
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, docroot / item.name)
    handler = type("Host", (StaticHost,), {"sites": ("/checks/", "/preview/checks/", "/")})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(docroot)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("site", ["/checks/", "/preview/checks/", "/"])
def test_the_404_pages_links_and_styles_lead_into_the_site_that_served_it(host: str, site: str) -> None:
    """Under a subpath without base_url, on a staging path with the production base_url, and at the root."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        response = page.goto(f"{host}{site}reports/no-such-report/claims/x/", wait_until="load")
        assert response is not None and response.status == 404
        # The links change once the script has found the site's folder (their own answer, not the page's address).
        page.wait_for_function("(home) => [home, home + 'index.html'].includes(document.querySelector('a.brand').href)", arg=f"{host}{site}")
        page.wait_for_function("getComputedStyle(document.querySelector('.site-header')).display !== 'inline'")  # the stylesheet applied
        links = page.evaluate(
            "[...document.querySelectorAll('a[href], link[href]')].map(a => a.href)"
            ".filter(h => h.startsWith(location.origin) && h.split('#')[0] !== location.href.split('#')[0])"
        )
        statuses = {href: page.request.get(href).status for href in links}
        browser.close()
    assert links and all(href.startswith(host + site) for href in links), links
    assert {href: code for href, code in statuses.items() if code != 200} == {}


def test_the_404_page_opened_from_disk_links_every_page_by_its_index_html(tmp_path: Path) -> None:
    """From disk (file://), the header's, the page's and the footer's links all name files of the site."""
    from playwright.sync_api import sync_playwright

    out = tmp_path / "site"
    build(REPO, out, BuildOptions(base_url="", cache=False))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto((out / "404.html").as_uri(), wait_until="load")
        links = page.evaluate("[...document.querySelectorAll('a[href], link[href]')].map(a => a.href).filter(h => h.startsWith('file:'))")
        browser.close()
    missing = [href for href in links if not Path(href.split("#")[0].removeprefix("file://")).is_file()]
    assert len(links) > 10 and missing == []
