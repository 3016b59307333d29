"""Benchmark: a resource page served by Parley (gunicorn, as ``parley serve`` runs it) against a
peer that serves the same page's HTML as a static file (Python's threading ``http.server``).

Both servers run as subprocesses on free 127.0.0.1 ports and get the same bounded load: a
fixed number of requests from a fixed number of client threads, a new connection per request
(neither server keeps connections alive). Prints requests per second, p50 and p99 latency for
each, the ratio of Parley to the peer, and Parley answering a conditional request (304). No
timing is asserted; the figures depend on the machine.

    .venv/bin/python bench/pages_bench.py --build-dir build
    .venv/bin/python bench/pages_bench.py --small      # a small build made like the tests' one
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from parley.live import LiveServer, ServerDidNotStart, free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = "/doc/claim/000-bodies-total-to-date.html"


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def load(port: int, path: str, requests: int, concurrency: int, headers: dict | None = None) -> dict:
    """Send ``requests`` GETs from ``concurrency`` threads; return rps, p50/p99 (ms) and errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per_thread = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]

    def worker(count: int) -> None:
        mine, bad = [], 0
        for _ in range(count):
            started = time.perf_counter()
            try:
                status, _, _ = fetch(port, path, headers)
                if status >= 400:
                    bad += 1
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(n,)) for n in per_thread]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors[0],
        "requests": len(latencies),
    }


def start_parley(build_dir: Path, port: int, workers: int, logs: Path) -> LiveServer:
    """``server.serve.run`` with the build, the port and the workers, ready when ``/`` answers."""
    code = (
        "from server.config import load_settings; from server.serve import run; "
        f"run(load_settings(overrides={{'build_dir': {str(build_dir)!r}, 'port': {port}, "
        f"'host': '127.0.0.1', 'workers': {workers}}}))"
    )
    command = [sys.executable, "-c", code]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = LiveServer(command, port=port, logs=logs, name="parley", cwd=ROOT, env=env, ready_status=None)
    return server.start(timeout_s=30)


def start_peer(directory: Path, port: int, logs: Path) -> LiveServer:
    """Python's ``http.server`` over ``directory``, ready when ``/page.html`` answers."""
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)]
    return LiveServer(command, port=port, logs=logs, name="peer", ready_path="/page.html").start(timeout_s=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build")
    parser.add_argument("--small", action="store_true", help="bench a small build made like the tests' one")
    parser.add_argument("--path", default=DEFAULT_PATH, help=f"page to request (default {DEFAULT_PATH})")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for Parley")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        build_dir = args.build_dir
        if args.small:
            sys.path.insert(0, str(ROOT))
            from tests.pages.conftest import write_small_build

            build_dir = write_small_build(Path(tmp) / "build")
        if not (build_dir / "store").is_dir():
            print(f"Error: {build_dir} has no store; run `parley build` or pass --small", file=sys.stderr)
            return 2
        parley_port, peer_port = free_port(), free_port()
        logs = Path(tmp) / "logs"
        try:
            parley = start_parley(build_dir, parley_port, args.workers, logs)
        except ServerDidNotStart as exc:
            print(f"Error: {exc.message}", file=sys.stderr)
            return 2
        with parley:
            status, page, headers = fetch(parley_port, args.path)
            if status != 200:
                print(f"Error: {args.path} answered {status}; pick a page of this build with --path", file=sys.stderr)
                return 2
            static = Path(tmp) / "static"
            static.mkdir()
            (static / "page.html").write_bytes(page)
            with start_peer(static, peer_port, logs):
                for port, path in ((parley_port, args.path), (peer_port, "/page.html")):
                    load(port, path, min(100, args.requests), args.concurrency)  # warm up
                ours = load(parley_port, args.path, args.requests, args.concurrency)
                theirs = load(peer_port, "/page.html", args.requests, args.concurrency)
                cached = load(
                    parley_port, args.path, args.requests, args.concurrency, {"If-None-Match": headers.get("ETag", "")}
                )

    print(
        f"page {args.path} ({len(page):,} bytes), {args.requests} requests, {args.concurrency} client threads, "
        f"Parley with {args.workers} gunicorn workers"
    )
    print(f"{'server':<38}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, row in (
        ("Parley (rendered page)", ours),
        ("peer: static file, http.server", theirs),
        ("Parley (304 on If-None-Match)", cached),
    ):
        print(f"{name:<38}{row['rps']:>10.0f}{row['p50']:>10.2f}{row['p99']:>10.2f}{row['errors']:>8}")
    print(
        f"ratio Parley/peer: {ours['rps'] / theirs['rps']:.2f} x the peer's requests per second, "
        f"p50 {ours['p50'] / theirs['p50']:.2f} x the peer's latency"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
