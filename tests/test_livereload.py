"""Live reload: build ids, snapshots, and what served HTML gets (script, overlay, preview link)."""

from __future__ import annotations

import threading

from generator.diagnostics import error, format_text, warning
from generator.preview.livereload import LIVERELOAD, Preview, inject, overlay, preview_url


def test_each_publish_is_a_new_build_id_and_keeps_files_on_failure() -> None:
    """A failed build keeps the last good files, adds its diagnostics, and still changes the id."""
    preview = Preview()
    first = preview.snapshot.build_id
    good = preview.publish({"index.html": b"<body>ok</body>"}, previews=frozenset({"a"}))
    assert good != first and not preview.snapshot.failed
    failed = preview.publish(None, [error("content/site.yaml", 2, 1, "bad")])
    assert failed != good and preview.snapshot.failed
    assert preview.snapshot.files == {"index.html": b"<body>ok</body>"} and preview.snapshot.previews == {"a"}
    preview.publish(None, [warning("content/site.yaml", 2, 1, "meh")])
    assert not preview.snapshot.failed


def test_build_ids_differ_between_server_runs() -> None:
    """A restarted server never reuses an id, so open pages reload after a restart."""
    assert Preview().snapshot.build_id != Preview().snapshot.build_id


def test_wait_change_wakes_on_publish_and_on_stop() -> None:
    """Event streams wait for a new id; stop() releases them."""
    preview = Preview()
    current = preview.snapshot.build_id
    assert preview.wait_change(None, 5) == current
    assert preview.wait_change(current, 0.01) == current
    got: list[str] = []
    waiter = threading.Thread(target=lambda: got.append(preview.wait_change(current, 30)))
    waiter.start()
    new_id = preview.publish({})
    waiter.join(10)
    assert got == [new_id]
    waiter = threading.Thread(target=lambda: got.append(preview.wait_change(new_id, 30)))
    waiter.start()
    preview.stop()
    waiter.join(10)
    assert not waiter.is_alive()


def test_a_request_during_a_rebuild_gets_the_rebuilt_page() -> None:
    """settled() waits while a rebuild runs and returns its snapshot; outside a rebuild it returns at once."""
    preview = Preview()
    preview.publish({"index.html": b"old"})
    assert preview.settled(timeout=5).files["index.html"] == b"old"  # no rebuild: no wait
    started, got = threading.Event(), []
    with preview.rebuilding():
        waiter = threading.Thread(target=lambda: (started.set(), got.append(preview.settled(timeout=30))))
        waiter.start()
        started.wait(5)
        waiter.join(0.2)
        assert waiter.is_alive() and not got  # still waiting: the rebuild has not published
        preview.publish({"index.html": b"new"})
    waiter.join(5)
    assert [s.files["index.html"] for s in got] == [b"new"]


def test_a_request_waits_for_a_rebuild_only_so_long() -> None:
    """A rebuild that does not end (or takes long) does not hold a request past its timeout: it gets the last build."""
    preview = Preview()
    preview.publish({"index.html": b"old"})
    with preview.rebuilding():
        assert preview.settled(timeout=0.05).files["index.html"] == b"old"
    preview.stop()
    with preview.rebuilding():
        assert preview.settled(timeout=30).files["index.html"] == b"old"  # a stopping server never waits


def test_inject_puts_everything_before_the_last_body_tag() -> None:
    """The script and overlay go before </body>; pages without one get them appended."""
    preview = Preview()
    preview.publish({}, [error("content/reports/a.yaml", 3, 1, "bad <thing>")])
    snapshot = preview.snapshot
    page = inject(b"<html><body><p>x</p></body></html>", snapshot, "index.html")
    assert page.endswith(b"</div></body></html>") and b"bad &lt;thing&gt;" in page
    assert f'var id = "{snapshot.build_id}"'.encode() in page and LIVERELOAD.encode() in page
    assert inject(b"<p>fragment</p>", snapshot, "x.html").startswith(b"<p>fragment</p><script>")


def test_overlay_shows_the_cli_text_of_every_diagnostic() -> None:
    """The overlay lists the diagnostics exactly as `factcheck check` prints them (HTML-escaped)."""
    diagnostics = [error("content/reports/a.yaml", 12, 3, "unknown rating 'mostly-ture'", "claims[x].verdict.rating", "did you mean 'mostly-true'?")]
    box = overlay(diagnostics)
    assert format_text(diagnostics).replace("'", "&#x27;") in box
    assert "content/reports/a.yaml:12:3: error:" in box and "1 error in 1 file" in box


def test_overlay_says_whether_a_good_build_is_shown_under_it() -> None:
    """Before any build succeeded the page under the box is a placeholder: the box must not speak of a last good build."""
    preview = Preview()
    preview.publish({}, [error("content/reports/a.yaml", 9, 12, "not a valid date")])
    first = inject(b"<body></body>", preview.snapshot, "index.html")
    assert b"No build has succeeded yet" in first and b"last good build" not in first
    preview.publish({"index.html": b"ok"}, [])
    preview.publish(None, [error("content/reports/a.yaml", 9, 12, "not a valid date")])
    later = inject(b"<body></body>", preview.snapshot, "index.html")
    assert b"Showing the last good build" in later


def test_overlay_lists_errors_before_warnings() -> None:
    """A new site's placeholder warnings come after the error that broke the preview, each group in its own order."""
    diagnostics = [
        warning("content/pages/about.md", 6, 1, "placeholder text"),
        error("content/reports/b.yaml", 9, 12, "not a valid date"),
        warning("content/site.yaml", 5, 9, "placeholder text"),
        error("content/reports/c.yaml", 2, 1, "unknown rating"),
    ]
    box = overlay(diagnostics)
    order = [box.index(where) for where in ("b.yaml:9:12", "c.yaml:2:1", "about.md:6:1", "site.yaml:5:9")]
    assert order == sorted(order)


def test_report_pages_link_to_the_editors_article_view() -> None:
    """Report and claim pages get a link to the preview; other pages and the preview itself do not."""
    preview = Preview()
    preview.publish({}, previews=frozenset({"planet-rents"}))
    snapshot = preview.snapshot
    link = f'href="/{preview_url("planet-rents")}"'.encode()
    assert link in inject(b"<body></body>", snapshot, "reports/planet-rents/claims/x/index.html")
    assert link not in inject(b"<body></body>", snapshot, "index.html")
    assert link not in inject(b"<body></body>", snapshot, preview_url("planet-rents") + "index.html")
    assert b"factcheck-preview-link" not in inject(b"<body></body>", snapshot, "reports/other/index.html")


def test_the_editors_link_is_a_bar_in_the_pages_flow_and_in_the_error_box_while_it_shows() -> None:
    """Fixed over the page it covered the article's text (on a phone, the headline); at the top, the site's name."""
    preview = Preview()
    preview.publish({}, previews=frozenset({"planet-rents"}))
    page = "reports/planet-rents/index.html"
    shown = inject(b'<html><body class="x"><header>Site</header></body>', preview.snapshot, page)
    assert shown.startswith(b'<html><body class="x"><a id="factcheck-preview-link"') and b"position:fixed" not in shown.split(b"<header>")[0]
    preview.publish(None, [error("content/reports/planet-rents.yaml", 2, 1, "bad")])
    shown = inject(b"<body></body>", preview.snapshot, page)
    box = shown[shown.index(b'id="factcheck-overlay"') : shown.index(b"<pre")]
    assert b'id="factcheck-preview-link"' in box and b"position:fixed" not in box.split(b"factcheck-preview-link")[1]
    assert shown.count(b"factcheck-preview-link") == 1 and b"<details open><summary" in box  # the box folds away
