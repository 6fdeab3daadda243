"""Incremental rebuild benchmark for `serve`: what one-report edits cost on a large corpus.

Complements serve_latency.py (which times `factcheck serve` against `hugo server` from outside):
this one runs in-process, to see where the time goes.
  engine   generator/incremental.py alone, as `serve` runs it (lazy): the rebuild of one edited
           report, per edit; then the first request of an index page that shows the edit (the
           claim's rating list) and of the home page, which are made on request
  served   from the file write to the first HTTP response showing the change, with `serve`
           watching the folder in this process (debounce, rebuild, swap, request)
  --core-only drops the index, search, feed, export and sitemap pages, to time the report,
           claim and home pages alone (the part a one-report edit must redo).
Peak memory is the process's maximum resident set so far (run one part with --only to see its own).

    python bench/incremental_edit.py --n 4000 --edits 20 --core-only
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import corpus  # noqa: E402  (bench/corpus.py: the benchmark's one corpus generator)

from generator.build import BuildOptions  # noqa: E402
from generator.preview.engine import Engine  # noqa: E402
from generator.preview.server import serve, settle_memory  # noqa: E402

RATINGS = ["true", "mostly-true", "half-true", "mostly-false", "false"]


def project(n: int, out: Path) -> Path:
    """The factcheck tree for N reports, generated once (deterministic from the seed)."""
    reports = out / "content" / "reports"
    if not reports.is_dir() or len(os.listdir(reports)) != n:
        corpus.write_factcheck(corpus.generate(n), out)
    return out


def edit(path: Path, serial: int) -> tuple[str, str]:
    """Change the first claim's verdict and explanation; return (claim id, a token its page then shows)."""
    text = path.read_text(encoding="utf-8")
    token = f"Edit number {serial} of the benchmark ({secrets.token_hex(3)})."  # never the text already there
    text = re.sub(r'rating: "[a-z-]+"', f'rating: "{RATINGS[serial % len(RATINGS)]}"', text, count=1)
    text = re.sub(r'explanation: ".*"', f'explanation: "{token}"', text, count=1)
    path.write_text(text, encoding="utf-8")
    claim = re.search(r"- id: (\S+)", text)
    assert claim
    return claim.group(1), token


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-len(ordered) * p // 100) - 1))]


def peak_mb() -> float:
    """The process's peak resident set so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary(values: list[float]) -> str:
    """p50, p95 and max in ms."""
    return f"p50 {statistics.median(values):.0f} ms, p95 {percentile(values, 95):.0f} ms, max {max(values):.0f} ms"


def bench_engine(root: Path, edits: int) -> None:
    """Time the incremental rebuild of one-report edits in-process, and the index pages made on request after it."""
    from generator.site import urls

    engine = Engine(root, BuildOptions(drafts=True), lazy=True)
    started = time.perf_counter()
    first = engine.rebuild(None)
    settle_memory(first.full)  # as serve does after each rebuild
    print(f"engine: first build {time.perf_counter() - started:.1f} s, {len(first.files)} files; peak {peak_mb():.0f} MB", flush=True)
    reports = sorted((root / "content" / "reports").iterdir())
    times, pages, listing, home = [], [], [], []
    for i in range(edits):
        path = reports[(i * 97) % len(reports)]
        edit(path, i)
        outcome = engine.rebuild({path.relative_to(root).as_posix()})
        settle_memory(outcome.full)
        times.append(outcome.seconds * 1000)
        pages.append(outcome.rendered)
        rating = RATINGS[i % len(RATINGS)]
        started = time.perf_counter()
        outcome.files.get(urls.output_path(urls.rating_index(rating)))  # plans the site's other pages, renders one
        listing.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        outcome.files.get("index.html")
        home.append((time.perf_counter() - started) * 1000)
    print(f"engine: one-report edit {summary(times)}; pages rendered per edit {statistics.median(pages):.0f}", flush=True)
    print(f"engine: then on request: the rating's list {summary(listing)}; the home page {summary(home)}; peak {peak_mb():.0f} MB", flush=True)


def bench_served(root: Path, edits: int) -> None:
    """Time from file write to the first HTTP response showing the change."""
    stop = threading.Event()
    urls: list[str] = []
    options = {"port": 0, "drafts": True, "log": lambda line: None, "ready": urls.append, "stop": stop}
    thread = threading.Thread(target=serve, args=(root,), kwargs=options)
    thread.start()
    while not urls:
        time.sleep(0.1)
    reports = sorted((root / "content" / "reports").iterdir())
    times = []
    try:
        for i in range(edits):
            path = reports[(i * 89 + 7) % len(reports)]
            time.sleep(0.3)  # let the previous save settle, as between a writer's saves
            started = time.perf_counter()
            claim, token = edit(path, 1000 + i)
            page = f"{urls[0]}reports/{path.stem}/claims/{claim}/"
            for _ in range(20_000):
                with urllib.request.urlopen(page, timeout=60) as response:
                    if token in response.read().decode("utf-8"):
                        break
                time.sleep(0.005)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        stop.set()
        thread.join(60)
    print(f"served: write to first response showing it, {edits} edits: {summary(times)}; peak {peak_mb():.0f} MB", flush=True)


def core_only() -> None:
    """Drop the feature planners (indexes, search, feeds, exports, sitemap), keeping the core pages."""
    from generator.site import pages, plan

    plan.SITE_PLANNERS = (pages.core_pages,)
    plan.LATE_PLANNERS = ()
    plan.FILE_SET_PLANNERS = ()


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="number of reports")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None, help="corpus folder (default: bench/out/edit-nN)")
    parser.add_argument("--only", choices=["engine", "served"], default=None)
    parser.add_argument("--core-only", action="store_true", help="without the index, search, feed and export pages")
    args = parser.parse_args()
    if args.core_only:
        core_only()
    root = project(args.n, args.out or HERE / "out" / f"edit-n{args.n}")
    if args.only != "served":
        bench_engine(root, args.edits)
    if args.only != "engine":
        bench_served(root, args.edits)


if __name__ == "__main__":
    main()
