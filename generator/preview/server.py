"""Serve: the live preview. Build in memory, serve the last good build, reload browsers on change.

Requests read one immutable Snapshot (the files of the last good build, plus the diagnostics of
a failed rebuild, if the latest one failed); a rebuild swaps in a new Snapshot when it is done,
so nobody ever sees half a build. Browsers learn of a new build id over Server-Sent Events
(`/__livereload`) from a small script added to served HTML only; nothing is written to disk.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from generator.build import BuildOptions
from generator.console import left_out, plural
from generator.diagnostics import BuildFailed, Diagnostic, error, format_text, headline, one_line, shortened, summary_line
from generator.preview.collector import quiet_collector, settle_memory
from generator.preview.engine import Engine, Outcome
from generator.preview.hosts import fetch_allowed, host_allowed
from generator.preview.livereload import LIVERELOAD, Preview, Snapshot, inject, rooted
from generator.preview.pages import preview_pages
from generator.preview.paths import HTML, TEXT, content_type, safe_path
from generator.preview.watch import MAX_DEPTH, Change, Watcher, describe, is_ignored, too_deep, watched_folders

PING_SECONDS = 15.0
PLACEHOLDER = b"<!doctype html><html><head><meta charset='utf-8'><title>Building...</title></head><body><h1>No successful build yet</h1></body></html>"


class PreviewServer(ThreadingHTTPServer):
    """A threaded HTTP server holding the preview state."""

    daemon_threads = True
    preview: Preview
    bound_host = "127.0.0.1"
    log: Callable[[str], None] = print
    _reported: set[tuple[str, str]] | None = None

    def report_failure(self, build_id: str, key: str) -> bool:
        """True the first time a page of a build fails to render (so the terminal says it once)."""
        if self._reported is None:
            self._reported = set()
        fresh = (build_id, key) not in self._reported
        self._reported.add((build_id, key))
        return fresh


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD from the current snapshot; everything else is 405."""

    server_version = "factcheck-serve"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for rebuild lines."""

    def parse_request(self) -> bool:
        """Parse as usual, then refuse a request whose Host is not this preview's address (421), or that another site's page made (403)."""
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9":
            # Its answer would be the file alone, without a header (no Content-Type): no browser asks that way.
            self.close_connection = True
            return False
        server = cast(PreviewServer, self.server)
        host = self.headers.get("Host")
        # No Host at all is an HTTP/1.0 tool, not a browser: a rebinding page always sends one.
        if host is not None and not host_allowed(host, server.bound_host, server.server_address[1]):
            self.close_connection = True
            body = b"Misdirected request: this preview answers only to its own address (localhost).\n"
            self._respond(421, body, TEXT, head=self.command == "HEAD")
            return False
        # Another site's page loading the preview's files (its search data is a script): drafts would be read.
        if not fetch_allowed(self.headers.get("Sec-Fetch-Site"), self.headers.get("Sec-Fetch-Mode"), self.headers.get("Sec-Fetch-Dest")):
            self.close_connection = True
            self._respond(403, b"Forbidden: another site's page may not load this preview's files.\n", TEXT, head=self.command == "HEAD")
            return False
        return True

    def __getattr__(self, name: str) -> Callable[[], None]:
        # http.server looks up do_<METHOD>; every method but GET and HEAD is answered 405.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    @property
    def preview(self) -> Preview:
        """The server's shared state."""
        return cast(PreviewServer, self.server).preview

    def do_GET(self) -> None:
        """Serve a file, a folder's index.html, the event stream, or the 404 page."""
        if self.path.split("?", 1)[0] == LIVERELOAD:
            self._events()
        else:
            self._serve(head=False)

    def do_HEAD(self) -> None:
        """As GET, without the body."""
        self._serve(head=True)

    def _not_allowed(self) -> None:
        self._respond(405, b"Method not allowed\n", TEXT, head=False, extra={"Allow": "GET, HEAD"})

    def _serve(self, head: bool) -> None:
        snapshot = self.preview.settled()  # one reference for the whole request: never half a build
        path = safe_path(self.path)
        if path is None:
            self._not_found(snapshot, head)
            return
        if not snapshot.files:
            self._respond(503, inject(PLACEHOLDER, snapshot, ""), HTML, head)
            return
        key = path + "index.html" if path == "" or path.endswith("/") else path
        try:
            data = snapshot.files.get(key)  # pages are made on first request: a template error shows up here
            folder = data is None and (path + "/index.html") in snapshot.files
        except BuildFailed as failed:
            self._render_failed(snapshot, key, failed.diagnostics, head)
            return
        if folder:
            self._respond(301, b"", TEXT, head, extra={"Location": quote("/" + path + "/")})  # a header is ASCII: 日/ as %E6%97%A5/
            return
        if data is None:
            self._not_found(snapshot, head)
            return
        kind = content_type(key)
        if kind.startswith("text/html"):
            data = inject(data, snapshot, key)
        self._respond(200, data, kind, head)

    def _render_failed(self, snapshot: Snapshot, key: str, diagnostics: Sequence[Diagnostic], head: bool) -> None:
        # A page made on request failed to render: say so once per build and page, and show the error in the page.
        server = cast(PreviewServer, self.server)
        if server.report_failure(snapshot.build_id, key):
            errors = [d for d in diagnostics if d.is_error]
            server.log(f"{_stamp()} {key}: could not render ({headline(errors[0]) if errors else summary_line(diagnostics)})")
        failed = Snapshot(snapshot.build_id, {}, tuple(diagnostics), snapshot.previews)
        body = b"<!doctype html><html><head><meta charset='utf-8'><title>Template error</title></head><body></body></html>"
        self._respond(500, inject(body, failed, key), HTML, head)

    def _not_found(self, snapshot: Snapshot, head: bool) -> None:
        try:
            page = snapshot.files.get("404.html")
        except BuildFailed:
            page = None
        if page is None:
            self._respond(404, b"Not found\n", TEXT, head)
        else:
            self._respond(404, inject(rooted(page), snapshot, "404.html", self.path), HTML, head)

    def _respond(self, status: int, body: bytes, kind: str, head: bool, extra: Mapping[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (ConnectionError, TimeoutError):
            pass  # the browser went away (a reload, a closed tab)

    def _events(self) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n")
            current: str | None = None
            while not self.preview.stopping:
                build_id = self.preview.wait_change(current, PING_SECONDS)
                self.wfile.write(f"data: {build_id}\n\n".encode() if build_id != current else b": ping\n\n")
                self.wfile.flush()
                current = build_id
        except (ConnectionError, TimeoutError):
            pass


def bind(host: str, port: int, attempts: int = 20) -> PreviewServer:
    """A server on host:port, or on the next free port when it is busy."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    cls = type("Server", (PreviewServer,), {"address_family": family})
    for candidate in range(port, port + attempts) if port else [0]:
        try:
            server = cast(PreviewServer, cls((host, candidate), Handler))
            server.bound_host = host
            return server
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or candidate == port + attempts - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _stamp() -> str:
    return time.strftime("%H:%M:%S")


class Session:
    """One `factcheck serve`: the engine, the shared state, the rebuild callback and the terminal lines."""

    def __init__(self, root: Path, options: BuildOptions, log: Callable[[str], None], debug: bool = False) -> None:
        self.root, self.debug = root, debug
        self.engine = Engine(root, options, preview_planners=[preview_pages], lazy=True, unwatched=is_ignored)
        self.preview = Preview()
        self.log = log
        self.watcher: Watcher | None = None
        self._lock = threading.Lock()  # the first build (main thread) and the watcher's never overlap
        self._told: dict[str, str] = {}  # the warnings and notes, and the errors, last printed: again only when they change

    def rebuild(self, changes: Sequence[Change] | None) -> Outcome | None:
        """Rebuild, publish the result (or the errors), print one line."""
        with self._lock, self.preview.rebuilding():
            return self._rebuild(changes)

    def _rebuild(self, changes: Sequence[Change] | None) -> Outcome | None:
        what = describe(self._worth_naming(changes or []))
        try:
            # The watcher's paths let the engine look at those files only, if it saw every change since the last rebuild.
            vouched = changes is not None and self.watcher is not None and self.watcher.complete()
            outcome = self.engine.rebuild([c.path for c in changes or ()] if vouched else None)
        except BuildFailed as failed:
            self._failed(what, failed.diagnostics)
            return None
        except Exception as exc:  # a bug, not bad content: keep serving, say so, show it in the page
            if self.debug:
                traceback.print_exc(file=sys.stderr)
            hint = "this is a bug in factcheck, not in your content; run serve with --debug to see the traceback"
            self._failed(what, [error("factcheck", 0, 0, f"internal error while rebuilding: {type(exc).__name__}: {exc}", hint=hint)])
            return None
        unpublished = outcome.result.check.unpublished
        self.preview.publish(outcome.files, outcome.result.diagnostics, frozenset(r.id for r in outcome.result.site.reports), unpublished)
        warned = f", {plural(outcome.result.warnings, 'warning')}" if outcome.result.warnings else ""
        # The pages that show the change are rendered now, the rest when first requested.
        done = f"all pages planned, {outcome.rendered} rendered now, the rest on request," if outcome.full else f"{plural(outcome.rendered, 'page')} rendered"
        self.log(f"{_stamp()} {what}: {done} in {outcome.seconds * 1000:.0f} ms{warned}")
        # Each warning in full the first time, not on every save: a new site's placeholders would fill the terminal.
        self._tell("errors", "")
        self._tell("warnings", format_text(outcome.result.diagnostics))
        self._tell("unpublished", left_out(unpublished, "factcheck serve --drafts"))  # a writer's new report is a draft
        settle_memory(outcome.full)
        if self.watcher is not None:
            self.watcher.set_theme(self.theme_dirs())
        return outcome

    def theme_dirs(self) -> list[str]:
        """The active theme and its parents, relative to the root (all of themes/ before a first good build)."""
        if self.engine.good is None:
            return ["themes"]
        root = self.root.resolve()
        chain = [d.resolve() for d in self.engine.good.theme.chain]
        return [d.relative_to(root).as_posix() for d in chain if d.is_relative_to(root)]

    def _worth_naming(self, changes: Sequence[Change]) -> list[Change]:
        # An editor's save also touches temp files that are gone by now; name the files that matter.
        named = [c for c in changes if (self.root / c.path).exists()]
        return named or list(changes)

    def _failed(self, what: str, diagnostics: Sequence[Diagnostic]) -> None:
        self.preview.publish(None, diagnostics)
        self.log(f"{_stamp()} {what}: build failed, {summary_line(diagnostics)}")
        self._tell("errors", format_text([d for d in diagnostics if d.is_error]))  # in full, with hints, as `check` prints them

    def _tell(self, kind: str, text: str) -> None:
        if text and text != self._told.get(kind):
            self.log(text)
        self._told[kind] = text


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = False,
    poll: bool = False,
    open_browser: bool = False,
    log: Callable[[str], None] = print,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    debug: bool = False,
) -> int:
    """Build, serve and watch until Ctrl-C (or `stop` is set); returns the exit code."""
    with quiet_collector():
        return _serve(root, host, port, drafts, poll, open_browser, log, ready, stop, debug)


def _serve(
    root: Path,
    host: str,
    port: int,
    drafts: bool,
    poll: bool,
    open_browser: bool,
    log: Callable[[str], None],
    ready: Callable[[str], None] | None,
    stop: threading.Event | None,
    debug: bool,
) -> int:
    session = Session(root, BuildOptions(drafts=drafts), log, debug)
    try:
        server = bind(host, port)
    except OSError as exc:
        # A name that does not resolve, or an address not of this machine, is the host's fault, not the port's.
        of_host = isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL
        advice = "Check --host (the default, 127.0.0.1, is this machine)." if of_host else "Try another --port."
        log(f"Cannot listen on {host}:{port}: {exc.strerror or exc}. {advice}")
        return 1
    server.preview = session.preview
    server.log = log
    actual = server.server_address[1]
    if port and actual != port:
        log(f"Port {port} is busy; using {actual} instead.")
    if not is_loopback(host):
        log(f"Warning: listening on {host}, so other machines can see this preview, drafts and errors included.")
    # Watch and answer before the first build: saves made meanwhile are not lost, and an early
    # browser gets a placeholder that reloads itself when the build is published.
    deep = too_deep(watched_folders(root, session.theme_dirs()))  # before any watcher thread starts: none is left behind
    if deep is not None:
        where = one_line(shortened(deep.relative_to(root).as_posix(), 80))
        log(f"Cannot watch for changes: {where} is nested more than {MAX_DEPTH} folders deep. Flatten the folders, then try again.")
        server.server_close()
        return 1
    session.watcher = Watcher(root, session.rebuild, poll=poll)
    session.watcher.theme_dirs = tuple(session.theme_dirs())
    session.watcher.start()
    threading.Thread(target=server.serve_forever, name="factcheck-http", daemon=True).start()
    try:
        session.rebuild(None)
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{actual}/"
        mode = f"{'drafts included' if drafts else 'published reports only'}; {'polling' if poll else 'watching'} for changes"
        log(f"Serving {url} ({mode}). Press Ctrl-C to stop.")
        if ready:
            ready(url)
        if open_browser:
            webbrowser.open(url)
        stop = stop or threading.Event()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        log("Stopping.")
    finally:
        session.watcher.stop()
        session.preview.stop()
        server.shutdown()
        server.server_close()
    return 0
