"""The preview server: safe paths, HTTP behaviour, live reload, the error overlay, and a real browser."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from conftest import REPO, REPORT_YAML
from generator.build import BuildOptions, render_site
from generator.diagnostics import format_text
from generator.preview.livereload import LIVERELOAD, preview_url
from generator.preview.server import PreviewServer, Session, bind, is_loopback, serve

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SECRET = "TOP-SECRET-outside-the-root"


def test_loopback_detection() -> None:
    """Only loopback addresses count as private."""
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


# --- a live server over the minimal project -------------------------------------------------


class Live:
    """A Session served on a free port in a thread."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lines: list[str] = []
        self.session = Session(root, BuildOptions(), self.lines.append)
        self.session.rebuild(None)
        self.server: PreviewServer = bind("127.0.0.1", 0)
        self.server.preview = self.session.preview
        self.server.log = self.lines.append
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def raw(self, request: bytes) -> tuple[int, bytes]:
        """Send raw bytes, return (status, whole response)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(request)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        data = b"".join(chunks)
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
        return status, data

    def get(self, path: str, method: str = "GET") -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path)
        return conn.getresponse()

    def close(self) -> None:
        self.session.preview.stop()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def live(make_project: Callable[..., Path]) -> Iterator[Live]:
    root = make_project()
    (root.parent / "secret.txt").write_text(SECRET, encoding="utf-8")
    server = Live(root)
    yield server
    server.close()


TRAVERSALS = [
    b"GET /../secret.txt HTTP/1.0\r\n\r\n",
    b"GET /../../../../etc/passwd HTTP/1.0\r\n\r\n",
    b"GET /%2e%2e/secret.txt HTTP/1.0\r\n\r\n",
    b"GET /%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.0\r\n\r\n",
    b"GET /static/..%2f..%2fsecret.txt HTTP/1.0\r\n\r\n",
    b"GET /static%2f..%2f..%2fsecret.txt HTTP/1.0\r\n\r\n",
    b"GET /..%5csecret.txt HTTP/1.0\r\n\r\n",
    b"GET //etc/passwd HTTP/1.0\r\n\r\n",
    b"GET /%00/../secret.txt HTTP/1.0\r\n\r\n",
    b"GET /index.html%00 HTTP/1.0\r\n\r\n",
    b"GET http://127.0.0.1/../secret.txt HTTP/1.0\r\n\r\n",
    b"GET /etc/passwd HTTP/1.0\r\n\r\n",
    b"HEAD /../secret.txt HTTP/1.0\r\n\r\n",
]


def test_an_http_0_9_request_is_not_answered(live: Live) -> None:
    """Its answer would be the page without a header (no Content-Type); an HTTP/1.0 one gets the headers."""
    assert live.raw(b"GET /index.html\r\n\r\n") == (0, b"")
    status, data = live.raw(b"GET /index.html HTTP/1.0\r\n\r\n")
    assert status == 200 and b"\r\nContent-Type: text/html" in data


@pytest.mark.parametrize("request_bytes", TRAVERSALS)
def test_traversal_attempts_over_raw_http_get_404(live: Live, request_bytes: bytes) -> None:
    """Every attempt to reach outside the site answers 404, and never with a file from outside."""
    status, data = live.raw(request_bytes)
    assert status == 404
    assert SECRET.encode() not in data
    assert b"root:x:0:0" not in data


def test_folders_serve_index_html_and_files_have_content_types(live: Live) -> None:
    """/ and folders give index.html; a folder without its slash redirects; static files have their type."""
    home = live.get("/")
    assert home.status == 200 and home.getheader("Content-Type") == "text/html; charset=utf-8"
    assert b"Test Checks" in home.read()
    report = live.get("/reports/planet-rents/")
    assert report.status == 200
    moved = live.get("/reports/planet-rents")
    assert moved.status == 301 and moved.getheader("Location") == "/reports/planet-rents/"
    css = live.get("/static/style.css")
    assert css.status == 200 and css.getheader("Content-Type") == "text/css; charset=utf-8"
    assert css.read() == (live.root / "themes/default/static/style.css").read_bytes()


def test_missing_pages_get_the_sites_404_page(live: Live) -> None:
    """An unknown path answers 404 with the theme's 404 page."""
    response = live.get("/no/such/page/")
    assert response.status == 404
    body = response.read()
    assert b"Page not found" in body and LIVERELOAD.encode() in body


def test_the_404_page_loads_its_styles_and_links_from_the_root_at_any_depth(live: Live) -> None:
    """Real Chromium: the page's relative styles were asked for below the address (7 failed requests), then probed for."""
    failed: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and not r.url.endswith("/no/such/page/") else None)
        page.goto(f"http://127.0.0.1:{live.port}/no/such/page/", wait_until="networkidle")
        hrefs = page.eval_on_selector_all(".not-found-links a", "links => links.map(a => a.href)")
        styled = page.evaluate("getComputedStyle(document.body).fontFamily")
        browser.close()
    assert failed == []
    assert hrefs[:2] == [f"http://127.0.0.1:{live.port}/index.html", f"http://127.0.0.1:{live.port}/search/index.html"]
    assert styled and "Times" not in styled  # the theme's stylesheet, not the browser's default


def test_only_get_and_head_are_allowed(live: Live) -> None:
    """HEAD gives GET's headers without a body; other methods get 405 with Allow."""
    get = live.get("/")
    body = get.read()
    head = live.get("/", "HEAD")
    assert head.status == 200 and head.read() == b""
    assert head.getheader("Content-Length") == str(len(body))
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"):
        response = live.get("/", method)
        assert response.status == 405, method
        assert response.getheader("Allow") == "GET, HEAD"


def test_the_reload_script_is_only_in_served_html(live: Live) -> None:
    """Served HTML carries the script with the current build id; the build's own pages and CSS do not."""
    page = live.get("/").read()
    build_id = live.session.preview.snapshot.build_id
    assert f'var id = "{build_id}"'.encode() in page
    assert page.index(LIVERELOAD.encode()) < page.rindex(b"</body>")
    assert LIVERELOAD.encode() not in live.get("/static/style.css").read()
    assert all(LIVERELOAD.encode() not in p.data for p in render_site(live.root).pages)
    assert all(LIVERELOAD.encode() not in data for data in live.session.preview.snapshot.files.values())


def test_event_stream_sends_the_build_id_then_each_new_one(live: Live) -> None:
    """/__livereload is an event stream: the current id at once, then every new build id."""
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=10)
    conn.request("GET", LIVERELOAD)
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def next_data() -> str:
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                return line[6:].strip()

    assert next_data() == live.session.preview.snapshot.build_id
    new_id = live.session.preview.publish(None)
    assert next_data() == new_id
    conn.close()


def test_a_failed_rebuild_shows_an_overlay_over_the_last_good_pages_until_fixed(live: Live) -> None:
    """Broken YAML: pages still serve the last good build, with the diagnostics as the CLI prints them."""
    rel = "content/reports/planet-rents.yaml"
    path = live.root / rel
    good = live.get("/reports/planet-rents/").read()
    path.write_text(REPORT_YAML.replace("claims:", "claims: [oops", 1), encoding="utf-8")
    from generator.preview.watch import Change, ChangeKind

    assert live.session.rebuild([Change(rel, ChangeKind.REPORT)]) is None
    broken = live.get("/reports/planet-rents/").read().decode()
    assert 'id="factcheck-overlay"' in broken
    failed = live.session.preview.snapshot.diagnostics
    assert format_text(failed).replace("'", "&#x27;") in broken
    assert re.search(r"content/reports/planet-rents\.yaml:\d+:\d+: error: YAML syntax error", broken)
    assert "Half true" not in broken and good.decode().split("<script>")[0][:200] in broken
    assert 'id="factcheck-overlay"' in live.get("/ratings/").read().decode()
    path.write_text(REPORT_YAML.replace('rating: "false"', "rating: half-true"), encoding="utf-8")
    assert live.session.rebuild([Change(rel, ChangeKind.REPORT)]) is not None
    fixed = live.get("/reports/planet-rents/").read().decode()
    assert 'id="factcheck-overlay"' not in fixed and "Half true" in fixed
    # The start line, the warnings it found (in full, once), the failure and its errors in full as `check` prints
    # them, then the fix (its warnings unchanged: not again).
    assert len(live.lines) == 5 and "warning: base_url" in live.lines[1] and "build failed, 1 error in 1 file" in live.lines[2]
    assert live.lines[3] == format_text([d for d in failed if d.is_error]) and "error: YAML syntax error" in live.lines[3]
    assert "pages rendered in" in live.lines[4]


def test_a_failed_rebuild_prints_its_errors_in_full_once_until_they_change(live: Live) -> None:
    """An editor saving the same mistake twice sees its errors once; a new mistake prints the new errors, with hints."""
    from generator.preview.watch import Change, ChangeKind

    rel = "content/reports/planet-rents.yaml"
    change = [Change(rel, ChangeKind.REPORT)]
    (live.root / rel).write_text(REPORT_YAML.replace('rating: "false"', "rating: ture"), encoding="utf-8")
    start = len(live.lines)
    assert live.session.rebuild(change) is None and live.session.rebuild(change) is None
    printed = live.lines[start:]
    assert len(printed) == 3 and "build failed" in printed[0] and "build failed" in printed[2]
    assert "error: claims[rents-doubled].verdict.rating: unknown rating 'ture'" in printed[1] and "hint: did you mean 'true'?" in printed[1]
    (live.root / rel).write_text(REPORT_YAML.replace('rating: "false"', "rating: untrue"), encoding="utf-8")
    assert live.session.rebuild(change) is None
    assert "unknown rating 'untrue'" in live.lines[-1] and "build failed" in live.lines[-2]


def test_a_page_made_on_request_that_fails_to_render_shows_its_template_error(live: Live) -> None:
    """Pages render when first requested: a template error met only there is a 500 with the overlay, and one terminal line."""
    from generator.preview.watch import Change, ChangeKind

    rel = "themes/default/templates/claim.html"
    template = live.root / rel
    broken = '{% if claim.id == "shelter-spend" %}{{ claim.nope.x }}{% endif %}<h1>'
    template.write_text(template.read_text(encoding="utf-8").replace("<h1>", broken, 1), encoding="utf-8")
    assert live.session.rebuild([Change(rel, ChangeKind.TEMPLATE)]) is not None  # the first claim page renders fine
    assert live.get("/reports/planet-rents/claims/rents-doubled/").status == 200
    for _ in range(2):
        response = live.get("/reports/planet-rents/claims/shelter-spend/")
        body = response.read().decode()
        assert response.status == 500 and 'id="factcheck-overlay"' in body and "claim.html" in body
    assert sum("could not render" in line for line in live.lines) == 1


def test_preview_offers_the_annotated_article_with_uncovered_sentences(live: Live) -> None:
    """Every report has an editors' article view (though publish_text is off) with uncovered sentences marked."""
    report = live.get("/reports/planet-rents/").read().decode()
    assert f'href="/{preview_url("planet-rents")}"' in report
    page = live.get("/" + preview_url("planet-rents")).read().decode()
    assert 'class="claim-mark"' in page
    assert '<span class="uncovered" title="No claim covers this sentence">Critics disagree.</span>' in page
    assert "<strong>Editors’ preview.</strong>" in page
    assert not any(p.path.startswith(preview_url("planet-rents")) for p in render_site(live.root).pages)


def test_requests_during_a_rebuild_see_a_whole_build(live: Live) -> None:
    """The snapshot is swapped whole: a request reads one build's files, never a mix."""
    preview = live.session.preview
    before = preview.snapshot
    preview.publish({"index.html": b"<html><body>new</body></html>"})
    assert before.files["index.html"] != preview.snapshot.files["index.html"]
    assert b"new" in live.get("/").read()


def test_a_busy_port_moves_to_the_next_free_one() -> None:
    """bind() skips a port already in use."""
    taken = bind("127.0.0.1", 0)
    port = taken.server_address[1]
    try:
        other = bind("127.0.0.1", port)
        assert other.server_address[1] != port
        other.server_close()
    finally:
        taken.server_close()


def test_an_address_not_of_this_machine_blames_the_host_not_the_port(make_project: Callable[..., Path]) -> None:
    """`serve --host` with another machine's address said 'Try another --port'."""
    lines: list[str] = []
    assert serve(make_project(), host="192.0.2.1", port=0, log=lines.append) == 1  # TEST-NET-1: never this machine's
    assert lines[-1].startswith("Cannot listen on 192.0.2.1:0: ") and lines[-1].endswith("Check --host (the default, 127.0.0.1, is this machine).")


def _serving(root: Path, lines: list[str]) -> tuple[threading.Thread, threading.Event, list[str]]:
    """serve() started in a thread (its lines, then its exit code, in `lines`), once it has said where: the thread, its stop and its URLs."""
    stop = threading.Event()
    urls: list[str] = []
    thread = threading.Thread(target=lambda: lines.append(str(serve(root, port=0, log=lines.append, ready=urls.append, stop=stop))))
    thread.start()
    for _ in range(200):
        if urls:
            break
        time.sleep(0.05)
    return thread, stop, urls


def test_serve_runs_until_stopped_and_says_where(make_project: Callable[..., Path]) -> None:
    """serve() builds, prints its address and one line per rebuild, and returns 0 when stopped."""
    lines: list[str] = []
    thread, stop, urls = _serving(make_project(), lines)
    try:
        assert urls and urls[0].startswith("http://127.0.0.1:")
        port = int(urls[0].rsplit(":", 1)[1].strip("/"))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
    finally:
        stop.set()
        thread.join(30)
    assert lines[-1] == "0"
    assert "start: all" in lines[0] and any(line.startswith("Serving http://127.0.0.1:") for line in lines)


def test_another_sites_page_cannot_load_the_previews_files(make_project: Callable[..., Path]) -> None:
    """A page elsewhere loading the search data with <script> (the browser sends the preview's own Host) gets 403; links and own pages work."""
    thread, stop, urls = _serving(make_project(), [])
    try:
        port = int(urls[0].rsplit(":", 1)[1].strip("/"))

        def status(site: str, mode: str, dest: str) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/search/index.html", headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest})
            return conn.getresponse().status

        assert status("cross-site", "no-cors", "script") == 403
        assert status("same-site", "cors", "empty") == 403  # another port of this machine is another origin
        assert status("cross-site", "navigate", "iframe") == 403
        assert status("cross-site", "navigate", "document") == 200  # a link followed: the editor sees the page
        assert status("same-origin", "no-cors", "script") == 200 and status("none", "navigate", "document") == 200
    finally:
        stop.set()
        thread.join(30)


def test_folders_nested_too_deeply_to_watch_are_said_so_not_an_internal_error(make_project: Callable[..., Path]) -> None:
    root = make_project()
    deep = root / "content" / "reports"
    for _ in range(1200):  # one level at a time: pathlib's own mkdir(parents=True) recurses too
        deep = deep / "d"
        deep.mkdir()
    stop = threading.Event()
    stop.set()
    lines: list[str] = []
    before = threading.active_count()
    try:
        assert serve(root, port=0, log=lines.append, stop=stop) == 1
        assert any("nested more than 400 folders deep" in line for line in lines), lines
        assert threading.active_count() == before  # no watcher thread left running (later forks need none)
    finally:
        while deep != root / "content" / "reports":  # deepest first: shutil.rmtree (pytest's clean-up) recurses too
            deep.rmdir()
            deep = deep.parent


def test_binding_elsewhere_warns(make_project: Callable[..., Path]) -> None:
    """A non-loopback --host prints a warning."""
    root = make_project()
    stop = threading.Event()
    stop.set()
    lines: list[str] = []
    assert serve(root, host="0.0.0.0", port=0, log=lines.append, stop=stop) == 0
    assert any(line.startswith("Warning: listening on 0.0.0.0") for line in lines)


# --- the command, in a subprocess ------------------------------------------------------------


def _copy_repo(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("content", "seeds", "themes"):
        shutil.copytree(REPO / name, root / name)
    return root


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class ServeProcess:
    """`factcheck serve` in a subprocess on a free port."""

    def __init__(self, root: Path, port: int = 0) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO)}
        cmd = [sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)]
        # Ctrl-C is what is tested: a suite started in the background (`pytest &`) ignores SIGINT, and its children would inherit that.
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
        self.lines: list[str] = []
        self.url = ""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if match := re.match(r"Serving (http://\S+/)", line):
                self.url = match.group(1)
                break
        assert self.url, "".join(self.lines) + self.proc.stderr.read() if self.proc.stderr else ""
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        stderr = self.proc.stderr.read() if self.proc.stderr else ""
        return code, stderr


def test_ctrl_c_stops_the_server_cleanly(tmp_path: Path) -> None:
    """SIGINT ends `factcheck serve` with status 0 and no traceback."""
    server = ServeProcess(_copy_repo(tmp_path))
    code, stderr = server.stop()
    assert code == 0
    assert "Traceback" not in stderr
    assert any("Stopping." in line for line in server.lines)


CLAIM = "reports/nextfin-trump-ai-safety-order/claims/headline-abandons/"
REPORT_FILE = "content/reports/nextfin-trump-ai-safety-order.yaml"


def _verdict(page: Page) -> str:
    return page.locator(".claim-page .verdict-label, .verdict-label").first.inner_text()


def test_browser_follows_edits_and_shows_errors_in_the_page(tmp_path: Path) -> None:
    """Real Chromium: a verdict edit reloads the page by itself; broken YAML shows file:line; fixing clears it."""
    root = _copy_repo(tmp_path)
    yaml_path = root / REPORT_FILE
    original = yaml_path.read_text(encoding="utf-8")
    assert "rating: misleading" in original
    server = ServeProcess(root)
    first_lines: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url + CLAIM)
            expect(page.locator(".verdict-label").first).to_have_text("Misleading")
            page.evaluate("window.__notReloaded = true")

            yaml_path.write_text(original.replace("rating: misleading", 'rating: "false"', 1), encoding="utf-8")
            expect(page.locator(".verdict-label").first).to_have_text("False", timeout=10_000)
            assert page.evaluate("window.__notReloaded === undefined"), "the page changed without a reload?"

            broken = original.replace("rating: misleading", 'rating: "false"', 1).replace("\nclaims:\n", "\nclaims: [oops\n", 1)
            line = broken.split("\n").index("claims: [oops") + 1
            yaml_path.write_text(broken, encoding="utf-8")
            overlay = page.locator("#factcheck-overlay")
            expect(overlay).to_be_visible(timeout=10_000)
            expect(overlay).to_contain_text(f"{REPORT_FILE}:{line}:")  # the line of the unclosed '['
            expect(overlay).to_contain_text("this '[' is never closed")
            expect(overlay).to_contain_text("YAML syntax error")
            expect(page.locator(".verdict-label").first).to_have_text("False")  # the last good content, under the overlay

            yaml_path.write_text(original.replace("rating: misleading", "rating: mostly-true", 1), encoding="utf-8")
            expect(overlay).to_have_count(0, timeout=10_000)
            expect(page.locator(".verdict-label").first).to_have_text("Mostly true")

            # A hidden tab closes its stream and misses builds; becoming visible again catches up.
            page.evaluate("window.__notReloaded = true")
            page.evaluate("Object.defineProperty(document, 'hidden', {value: true, configurable: true}); document.dispatchEvent(new Event('visibilitychange'))")
            yaml_path.write_text(original.replace("rating: misleading", "rating: half-true", 1), encoding="utf-8")
            _wait_served(server.url + CLAIM, "Half true")
            page.wait_for_timeout(500)
            assert page.evaluate("window.__notReloaded === true"), "a hidden tab reloaded"
            page.evaluate(
                "Object.defineProperty(document, 'hidden', {value: false, configurable: true}); document.dispatchEvent(new Event('visibilitychange'))"
            )
            expect(page.locator(".verdict-label").first).to_have_text("Half true", timeout=10_000)

            # The server restarts (same port): the page reconnects by itself and reloads.
            page.evaluate("window.__notReloaded = true")
            first_lines = list(server.lines)
            code, stderr = server.stop()
            assert code == 0 and "Traceback" not in stderr
            port = int(server.url.rstrip("/").rsplit(":", 1)[1])
            server = ServeProcess(root, port)
            assert server.url.endswith(f":{port}/")
            page.wait_for_function("window.__notReloaded === undefined", timeout=20_000)
            expect(page.locator(".verdict-label").first).to_have_text("Half true")
            browser.close()
    finally:
        code, stderr = server.stop()
    assert code == 0 and "Traceback" not in stderr
    rebuilds = [line for line in first_lines if REPORT_FILE in line]
    assert any("build failed" in line for line in rebuilds) and any("pages rendered" in line for line in rebuilds)


def _wait_served(url: str, text: str) -> None:
    import urllib.request

    for _ in range(200):
        with urllib.request.urlopen(url, timeout=10) as response:
            if text in response.read().decode():
                return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never served at {url}")


FORGED_HOSTS = ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", "localhost:1", "127.0.0.1", "", "localhost.:{port}", "[::2]:{port}"]


@pytest.mark.parametrize("host", FORGED_HOSTS)
@pytest.mark.parametrize("request_line", ["GET / HTTP/1.1", "HEAD /index.html HTTP/1.1", "GET /__livereload HTTP/1.1", "POST / HTTP/1.1"])
def test_forged_host_is_refused_over_a_real_socket(live: Live, host: str, request_line: str) -> None:
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 must not read the preview."""
    status, data = live.raw(f"{request_line}\r\nHost: {host.format(port=live.port)}\r\nConnection: close\r\n\r\n".encode())
    assert status == 421
    assert b"Misdirected request" in data or request_line.startswith("HEAD")
    assert b"Test Checks" not in data and b"data:" not in data


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_own_addresses_are_served(live: Live, host: str) -> None:
    status, data = live.raw(f"GET / HTTP/1.1\r\nHost: {host.format(port=live.port)}\r\nConnection: close\r\n\r\n".encode())
    assert status == 200 and b"Test Checks" in data


def test_static_file_linked_outside_is_never_served(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root.parent / "secret.txt").write_text(SECRET, encoding="utf-8")
    (root / "themes/default/static/leak.txt").symlink_to(root.parent / "secret.txt")
    server = Live(root)
    try:
        status, data = server.raw(b"GET /static/leak.txt HTTP/1.0\r\n\r\n")
        assert status in (404, 503) and SECRET.encode() not in data
        assert any("leak.txt" in line and "outside the project" in line for line in server.lines)
    finally:
        server.close()


def test_snapshot_linked_outside_is_never_served(make_project: Callable[..., Path]) -> None:
    from conftest import REPORT_YAML

    published = REPORT_YAML.replace("snapshot: seeds/planet.txt", "snapshot: seeds/planet.txt\n  publish_text: true")
    root = make_project({"content/reports/planet-rents.yaml": published})
    secret = root.parent / "secret.txt"
    secret.write_text(SECRET + "\n" + (root / "seeds/planet.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "seeds/planet.txt").unlink()
    (root / "seeds/planet.txt").symlink_to(secret)
    server = Live(root)
    try:
        for target in (b"/", b"/reports/planet-rents/", b"/reports/planet-rents/article/", b"/reports/planet-rents/preview/"):
            _status, data = server.raw(b"GET " + target + b" HTTP/1.0\r\n\r\n")
            assert SECRET.encode() not in data
    finally:
        server.close()


def test_a_draft_left_out_is_named_in_the_log_and_on_its_404_page(make_project: Callable[..., Path]) -> None:
    """Without --drafts, a writer opening their new (draft) report got a bare 404: the page and the terminal say why."""
    root = make_project({"content/reports/planet-rents.yaml": REPORT_YAML.replace("status: published", "status: draft")})
    server = Live(root)
    try:
        response = server.get("/reports/planet-rents/claims/rents-doubled/")
        page = response.read().decode()
        assert response.status == 404 and 'id="factcheck-unpublished"' in page
        assert "This report (content/reports/planet-rents.yaml) is not published yet" in page and "factcheck serve --drafts" in page
        other = server.get("/reports/no-such-report/")
        assert other.status == 404 and "factcheck-unpublished" not in other.read().decode()
        assert any(line.startswith("Left out, not published yet: content/reports/planet-rents.yaml;") for line in server.lines)
    finally:
        server.close()


def test_warnings_are_printed_in_full_when_they_change(make_project: Callable[..., Path]) -> None:
    """The terminal shows each warning's text (not only a count), once, and again only when the set changes."""
    from generator.build import BuildOptions
    from generator.preview.server import Session

    root = make_project()
    lines: list[str] = []
    session = Session(root, BuildOptions(drafts=True), lines.append)
    session.rebuild(None)
    assert "1 warning" in lines[0] and "content/site.yaml:1:1: warning: base_url: base_url is not set" in lines[1]
    session.rebuild(None)
    assert len(lines) == 3 and "base_url is not set" not in lines[2]  # the same warning: the count line only
    site = root / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "base_url: https://example.org/\n", encoding="utf-8")
    session.rebuild(None)
    assert len(lines) == 4 and "warning" not in lines[3]
