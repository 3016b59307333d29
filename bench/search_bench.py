"""Latency of search and reconciliation on a build, over HTTP and in-process.

Sends N requests one after another (no concurrency: this measures latency, not throughput) to
``/search?q=`` (JSON; each (q, page) new, then the same again, from the body cache), to ``/reconcile`` (a form-encoded batch of one query, and of ten, as
OpenRefine sends them) and to ``/claims`` (JSON of a facet), cycling through a fixed list of
names, misspellings and quote words; and runs the same searches on the index in-process.
Prints p50 and p99 in milliseconds. Nothing is asserted: the figures depend on the machine.

    .venv/bin/python bench/search_bench.py --build-dir build            # starts gunicorn itself
    .venv/bin/python bench/search_bench.py --build-dir build --url http://127.0.0.1:8000 -n 500

Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sparql_bench import _percentile, start_server  # noqa: E402

QUERIES = [
    "medinsk",
    "Rustam",
    "Rustum Umerov",
    "Zelensky",
    "prisoner exchange",
    "bodies",
    "Istanbul",
    "memorandum",
    "ceasefire",
    "Kremlin adviser",
    "children on the list",
    "Erdogan",
]


def _row(name: str, latencies: list[float]) -> dict:
    return {
        "name": name,
        "n": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * _percentile(latencies, 0.99),
    }


def _timed(n: int, call) -> list[float]:
    latencies = []
    for i in range(n):
        started = time.perf_counter()
        call(i)
        latencies.append(time.perf_counter() - started)
    return latencies


def bench_http(url: str, n: int) -> list[dict]:
    import requests

    if urlparse(url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the benchmark only loads a server on 127.0.0.1")
    session = requests.Session()

    def search(i):
        # a new (q, page) each time, so no answer comes from the server's body cache
        params = {"q": QUERIES[i % len(QUERIES)], "page": i // len(QUERIES) + 1}
        session.get(url + "/search", params=params, headers={"Accept": "application/json"}).raise_for_status()

    def search_again(i):
        params = {"q": QUERIES[i % len(QUERIES)]}
        session.get(url + "/search", params=params, headers={"Accept": "application/json"}).raise_for_status()

    def reconcile(size):
        def call(i):
            batch = {f"q{k}": {"query": QUERIES[(i + k) % len(QUERIES)], "limit": 3} for k in range(size)}
            r = session.post(url + "/reconcile", data={"queries": json.dumps(batch)})
            r.raise_for_status()

        return call

    def claims(i):
        r = session.get(url + "/claims", params={"_format": "json", "page": 1, "sort": "statedOn"})
        r.raise_for_status()

    search_again(0)  # warm up each route once
    reconcile(1)(0)
    return [
        _row("HTTP /search?q= (JSON), not cached", _timed(n, search)),
        _row("HTTP /search?q= (JSON), repeated", _timed(n, search_again)),
        _row("HTTP /reconcile, 1 query a batch", _timed(n, reconcile(1))),
        _row("HTTP /reconcile, 10 queries a batch", _timed(n, reconcile(10))),
        _row("HTTP /claims?_format=json", _timed(n, claims)),
    ]


def bench_index(build_dir: Path, n: int) -> dict:
    from server.data.search import SearchIndex

    index = SearchIndex.of_build(build_dir)
    return _row("in-process SearchIndex.search", _timed(n, lambda i: index.search(QUERIES[i % len(QUERIES)])))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=Path("build"), help="the build to read (default: build)")
    parser.add_argument("--url", help="a running server on 127.0.0.1 (default: start one on a free port)")
    parser.add_argument("-n", type=int, default=300, help="requests per measurement (default 300)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers when starting one (default 2)")
    args = parser.parse_args(argv)
    server = None
    url = args.url
    if url is None:
        logs = Path(tempfile.mkdtemp(prefix="parley-bench-"))  # the server's log, kept for a failed run
        server = start_server(args.build_dir.absolute(), args.workers, 1, logs)
        url = server.url
    try:
        rows = bench_http(url, args.n) + [bench_index(args.build_dir, args.n)]
    finally:
        if server is not None:
            server.stop()
    print(f"{'':40} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for row in rows:
        print(f"{row['name']:40} {row['n']:>6} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}")


if __name__ == "__main__":
    main()
