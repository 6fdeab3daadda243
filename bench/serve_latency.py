"""Serve latency: from saving an edit to the first HTTP response that shows it.

Each server is started on a free loopback port; for each edit we write the file, then poll the
report's URL every 2 ms until the body contains the edit's marker. Requests go to 127.0.0.1
only, and every loop is bounded in count and time.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field

from measure import PeakSampler

from tools import Generator, node_env

READY_TIMEOUT = 600.0  # a cold first build of 4,000 reports happens before the server listens
EDIT_TIMEOUT = 120.0
_URL = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)/")


def free_port() -> int:
    """A port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(port: int, path: str) -> tuple[int, str]:
    """GET a path from 127.0.0.1:port; (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers={"Cache-Control": "no-cache"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        conn.close()


@dataclass
class Server:
    """A running preview server and what it printed."""

    generator: Generator
    proc: subprocess.Popen[str]
    port: int
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    sampler: PeakSampler | None = None
    cut_short: int = 0  # responses whose body ended before its Content-Length (polled again, and reported)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            match = _URL.search(line)
            if match and ("Serving" in line or "Web Server is available" in line):
                self.port = int(match.group(1))
                self.ready.set()

    def stop(self) -> float:
        """Stop the server; its peak memory (MB, PSS of the tree) while it ran."""
        peak = self.sampler.stop() if self.sampler else 0.0
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return peak


def start(generator: Generator) -> Server:
    """Start a generator's server and wait until it listens and serves the home page."""
    port = free_port()
    cmd = generator.serve_cmd(port)
    assert cmd is not None
    proc = subprocess.Popen(cmd, cwd=generator.cwd(), env=node_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = Server(generator, proc, port)
    threading.Thread(target=server._read, daemon=True).start()
    server.sampler = PeakSampler(proc.pid, interval=0.2)
    if not server.ready.wait(READY_TIMEOUT):
        server.stop()
        raise RuntimeError(f"{generator.name} server did not start:\n" + "\n".join(server.lines[-20:]))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(server.port, "/")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{generator.name} server never answered on port {server.port}")


def one_edit(server: Server, index: int, marker: str) -> float:
    """Edit a report, then poll its page until the marker shows; seconds from the write."""
    url = server.generator.report_url(index)
    server.generator.edit(index, marker)
    started = time.perf_counter()
    deadline = started + EDIT_TIMEOUT
    while time.perf_counter() < deadline:
        try:
            status, body = fetch(server.port, url)
            if status == 200 and marker in body:
                return time.perf_counter() - started
        except OSError:
            pass
        except http.client.IncompleteRead:
            server.cut_short += 1  # as a browser would, ask again; measure_serve says how often it happened
        time.sleep(0.002)
    raise RuntimeError(f"{server.generator.name}: edit {marker} not served within {EDIT_TIMEOUT:.0f} s; last output:\n" + "\n".join(server.lines[-10:]))


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def measure_serve(gens: list[Generator], edits: int, reports: int, log: object = print) -> dict[str, dict[str, float]]:
    """Start every server, alternate edits between them, return p50/p95 (s) and peak memory (MB)."""
    say = log if callable(log) else print
    servers = []
    try:
        for gen in gens:
            say(f"  starting {gen.name} server")
            servers.append(start(gen))
        latencies: dict[str, list[float]] = {s.generator.name: [] for s in servers}
        for k in range(-2, edits):  # two warm-up edits, not counted
            for server in servers:
                index = (k * 7919) % reports
                seconds = one_edit(server, index, f"Edit-{k + 2}-{server.port}")
                if k >= 0:
                    latencies[server.generator.name].append(seconds)
                time.sleep(0.3)  # let the watcher settle before the next save
        result = {}
        for server in servers:
            if server.cut_short:
                say(f"  {server.generator.name}: {server.cut_short} response(s) ended before their Content-Length")
            values = latencies[server.generator.name]
            result[server.generator.name] = {"p50": percentile(values, 50), "p95": percentile(values, 95), "max": max(values)}
    finally:
        peaks = {s.generator.name: s.stop() for s in servers}
    for name, peak in peaks.items():
        if name in result:
            result[name]["peak_mb"] = peak
    return result


def serve_supported(gen: Generator) -> bool:
    """True when the generator has a preview server this benchmark can drive."""
    if gen.serve_cmd(0) is None:
        return False
    if gen.name == "factcheck":
        code = gen.cwd() / "generator"
        return (code / "preview" / "server.py").exists() or (code / "serve.py").exists()
    return True
