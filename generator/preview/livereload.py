"""Live reload: build ids, the state requests read, and what is added to served HTML.

Each build, good or failed, gets a new id. Requests read one immutable Snapshot; the event
stream wakes when the id changes. Served HTML pages get a small script (it reloads the page
when the id differs from its own), the error overlay while the latest rebuild fails, and a
link to the editors' article view. None of this is ever part of `factcheck build` output.
"""

from __future__ import annotations

import contextlib
import html
import re
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, format_text, summary_line

LIVERELOAD = "/__livereload"


def preview_url(report_id: str) -> str:
    """Site-relative URL of a report's editors' view of the article (serve only)."""
    return f"reports/{report_id}/preview/"


@dataclass(frozen=True)
class Snapshot:
    """What requests see: the last good build, and the diagnostics if the latest rebuild failed."""

    build_id: str
    files: Mapping[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    previews: frozenset[str] = frozenset()  # report ids with a preview page
    unpublished: tuple[tuple[str, str], ...] = ()  # (id, file) of the reports left out as drafts (serve without --drafts)

    @property
    def failed(self) -> bool:
        """True when the latest rebuild failed (its errors are shown over the last good pages)."""
        return any(d.is_error for d in self.diagnostics)


REBUILD_WAIT = 10.0  # seconds a page request waits for a rebuild under way before it gets the last build


class Preview:
    """The shared state between the rebuild thread and request threads."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(4)  # a restarted server's ids never match an old page's
        self._count = 0
        self._cond = threading.Condition()
        self.stopping = False
        self.building = False  # a rebuild is under way: page requests wait for it (see settled)
        self.snapshot = Snapshot(self._next_id())

    def _next_id(self) -> str:
        self._count += 1
        return f"{self.token}-{self._count}"

    @contextlib.contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Within the block a rebuild runs: page requests wait for its snapshot (or a bounded time)."""
        with self._cond:
            self.building = True
        try:
            yield
        finally:  # published or failed: the waiting requests go on
            with self._cond:
                self.building = False
                self._cond.notify_all()

    def settled(self, timeout: float = REBUILD_WAIT) -> Snapshot:
        """The snapshot to serve: after the rebuild under way, if any, or the current one once `timeout` passed.

        As MkDocs' server does: a request made just after a save gets the page as saved, and while a
        rebuild runs the request threads wait instead of taking turns with it for the interpreter.
        """
        with self._cond:
            self._cond.wait_for(lambda: self.stopping or not self.building, timeout)
            return self.snapshot

    def publish(
        self,
        files: Mapping[str, bytes] | None,
        diagnostics: Sequence[Diagnostic] = (),
        previews: frozenset[str] | None = None,
        unpublished: tuple[tuple[str, str], ...] | None = None,
    ) -> str:
        """Swap in a new snapshot (files None: keep the last good ones) and wake the browsers."""
        with self._cond:
            old = self.snapshot
            self.snapshot = Snapshot(
                self._next_id(),
                old.files if files is None else files,
                tuple(diagnostics),
                old.previews if previews is None else previews,
                old.unpublished if unpublished is None else unpublished,
            )
            # What the waiting requests wait for is here: they need not wait for the rest of the rebuild (its log lines, the collector).
            self.building = False
            self._cond.notify_all()
            return self.snapshot.build_id

    def wait_change(self, build_id: str | None, timeout: float) -> str:
        """The current build id, once it differs from `build_id` or `timeout` passed."""
        with self._cond:
            self._cond.wait_for(lambda: self.stopping or self.snapshot.build_id != build_id, timeout)
            return self.snapshot.build_id

    def stop(self) -> None:
        """End every event stream."""
        with self._cond:
            self.stopping = True
            self._cond.notify_all()


SCRIPT = """<script>
(function () {
  var id = "%s", source = null, timer = null;
  function open() {
    if (source || document.hidden) return;
    source = new EventSource("%s");
    source.onmessage = function (e) { if (e.data && e.data !== id) location.reload(); };
    source.onerror = function () {
      // The browser retries by itself, unless the stream is closed for good: then retry ourselves.
      if (source && source.readyState === 2) { close(); timer = setTimeout(open, 1000); }
    };
  }
  function close() { clearTimeout(timer); if (source) { source.close(); source = null; } }
  // Hidden tabs give their connection back, so many open tabs never starve the browser.
  document.addEventListener("visibilitychange", function () { if (document.hidden) close(); else open(); });
  open();
})();
</script>"""
OVERLAY_STYLE = (
    "position:fixed;inset:auto 1rem 1rem 1rem;max-height:70vh;overflow:auto;z-index:2147483647;background:#fff5f5;"
    "color:#1f2328;border:2px solid #c0202c;border-radius:6px;padding:1rem 1.25rem;font:14px/1.45 system-ui,sans-serif;"
    "box-shadow:0 4px 24px rgba(0,0,0,.25)"
)
# A bar at the top of the page, in its flow: fixed over the page, it covered the article's text on a phone.
BADGE_STYLE = "display:block;background:#1f2328;color:#fff;padding:.35rem 1rem;font:13px/1.4 system-ui,sans-serif;text-decoration:underline"
_REPORT_PATH = re.compile(r"^reports/([^/]+)/")
_REQUESTED_REPORT = re.compile(r"^/reports/([^/]+)")
NOTICE_STYLE = OVERLAY_STYLE.replace("#fff5f5", "#f1f6fd").replace("#c0202c", "#0a58b8")


def overlay(diagnostics: Sequence[Diagnostic], last_good: bool = True, link: str = "") -> str:
    """The error box shown over every page while the latest rebuild fails: the errors first, then the rest.

    `last_good` is False when no build has succeeded since the preview started (the page under the box is a placeholder);
    `link` is markup shown on the box's first line (the editors' link, which would otherwise cover the page's header).
    """
    # A writer looks for what broke the preview; a new site's dozen placeholder warnings must not bury it.
    errors = [d for d in diagnostics if d.is_error]
    rest = [d for d in diagnostics if not d.is_error]
    text = html.escape("\n".join(format_text(part) for part in (errors, rest) if part))
    # A <details> box: on a phone it fills most of the screen, and a writer may fold it to look at the page below.
    return (
        f'<div id="factcheck-overlay" role="alert" style="{OVERLAY_STYLE}"><details open><summary style="cursor:pointer">'
        f'<strong style="color:#c0202c">Build failed: {html.escape(summary_line(diagnostics))}.</strong></summary> '
        f"{'Showing the last good build' if last_good else 'No build has succeeded yet'}; this box goes away when the files are fixed."
        f"{' ' + link if link else ''}"
        f'<pre style="white-space:pre-wrap;margin:.75rem 0 0;font:13px/1.45 ui-monospace,monospace">{text}</pre></details></div>'
    )


def unpublished_notice(snapshot: Snapshot, requested: str) -> str:
    """On the 404 page, for the address of a report left out as a draft: a box saying so, and how to see it."""
    match = _REQUESTED_REPORT.match(unquote(requested.split("?", 1)[0]))
    found = next((path for rid, path in snapshot.unpublished if match and rid == match.group(1)), "")
    if not found:
        return ""
    text = f"This report ({found}) is not published yet, so this preview leaves it out: run factcheck serve --drafts to see it."
    return f'<div id="factcheck-unpublished" role="status" style="{NOTICE_STYLE}">{html.escape(text)}</div>'


def rooted(page: bytes) -> bytes:
    """The 404 page with <base href="/"> first in its head: served at any address, its styles and links still load from the root."""
    opened = page.lower().find(b"<head")
    at = page.find(b">", opened) + 1 if opened >= 0 else 0
    return page[:at] + b'<base href="/">' + page[at:]


def inject(page: bytes, snapshot: Snapshot, path: str, requested: str = "") -> bytes:
    """Add the reload script, the error overlay, the preview link (or on the 404 page the draft notice) before </body>."""
    extra = SCRIPT % (snapshot.build_id, LIVERELOAD)
    extra += unpublished_notice(snapshot, requested) if requested else ""
    match = _REPORT_PATH.match(path)
    badge = ""
    if match and match.group(1) in snapshot.previews and not path.startswith(preview_url(match.group(1))):
        link = "/" + preview_url(match.group(1))
        # While the error box is shown, on its first line; else a bar at the top of the page (see BADGE_STYLE).
        style = "color:#0b5cad;font-weight:600" if snapshot.failed else BADGE_STYLE
        title = "the article with each claim's quote highlighted, and check-worthy sentences no claim covers marked"
        badge = f'<a id="factcheck-preview-link" href="{html.escape(link)}" style="{style}" title="{html.escape(title)}">Editors: annotated article</a>'
    if snapshot.failed:
        extra += overlay(snapshot.diagnostics, last_good=bool(snapshot.files), link=badge)
    elif badge:
        opened = page.lower().find(b"<body")
        at = page.find(b">", opened) + 1 if opened >= 0 else 0
        page = page[:at] + badge.encode("utf-8") + page[at:]
    snippet = extra.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + snippet if at < 0 else page[:at] + snippet + page[at:]
