"""Measure the search page of a built site in Chromium: index bytes a first query loads, and query time.

    python tools/search_bench.py /tmp/liar-site "obama" "health care" "pants fire"

Each query runs in a fresh page (cold, as a reader's first query) over a local http server.
Bytes are the decoded sizes of the index files the page loaded; the query time is measured by
search.js with performance.now() around ranking, after the data has arrived.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
DEFAULT_QUERIES = ["obama", "health care", "says tax", "pants fire", "clinton email", "unemployment rate florida", "immigration", "ta"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the queries and print one line each, then a summary."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("queries", nargs="*", default=DEFAULT_QUERIES)
    parser.add_argument("--repeat", type=int, default=5, help="warm repeats per query for the median time")
    args = parser.parse_args(argv)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/search/index.html"
    worst_bytes, times = 0, []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for query in args.queries:
            page = browser.new_page()
            page.goto(base)
            page.evaluate("q => FactcheckSearch.run(q)", query)
            loaded = page.evaluate("performance.getEntriesByType('resource').filter(e => e.name.includes('/search/data/')).map(e => e.decodedBodySize)")
            first_ms = page.evaluate("FactcheckSearch.lastQueryMs")
            warm = []
            for _ in range(args.repeat):
                page.evaluate("q => FactcheckSearch.run(q)", query)
                warm.append(page.evaluate("FactcheckSearch.lastQueryMs"))
            status = page.locator("#search-status").inner_text()
            worst_bytes = max(worst_bytes, sum(loaded))
            times.append(first_ms)
            median = statistics.median(warm)
            print(f"{query!r:30} {len(loaded):3} files {sum(loaded) / 1024:8.1f} KiB  first {first_ms:6.1f} ms  warm median {median:6.1f} ms  {status}")
            page.close()
        browser.close()
    server.shutdown()
    print(f"largest first-query download {worst_bytes / 1024:.1f} KiB; slowest first query {max(times):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
