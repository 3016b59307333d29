"""A bounded local load on /sparql, side by side with the same query run in-process.

Sends a fixed number of SPARQL point lookups (every triple of one subject IRI) to a
server with a pool of client threads, and runs the same query the same number of times directly
on pyoxigraph (the store of the build, read-only) and on rdflib (the same quads in an
``rdflib.Dataset`` with the union as default graph). Prints requests per second and p50/p99
latency for each, and each peer's throughput as a ratio of the endpoint's. Nothing is asserted:
the figures depend on the machine.

    .venv/bin/python bench/sparql_bench.py --build-dir build            # starts gunicorn itself
    .venv/bin/python bench/sparql_bench.py --build-dir build --url http://127.0.0.1:8000

Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from parley.live import LiveServer, ServerDidNotStart, free_port

ROOT = Path(__file__).resolve().parent.parent
# In-process, ?s is bound to the lookup IRI (pyoxigraph substitutes only projected variables).
QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"

log = logging.getLogger("sparql_bench")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _summary(name: str, latencies: list[float], wall_s: float) -> dict:
    return {
        "name": name,
        "n": len(latencies),
        "rps": len(latencies) / wall_s,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * _percentile(latencies, 0.99),
    }


def pick_iri(store_path: Path) -> str:
    """Return a subject with a label from the build's store (the lookup target)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path))
    query = "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s LIMIT 1"
    for row in store.query(query, use_default_graph_as_union=True):
        return row["s"].value
    raise SystemExit(f"{store_path}: no labelled subject to look up")


def point_query(iri: str) -> str:
    """Return the lookup as query text for HTTP (the IRI is checked, then written as an IRIREF)."""
    import pyoxigraph as ox

    return f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {ox.NamedNode(iri)} }} ?s ?p ?o }}"


def bench_http(url: str, query: str, requests_n: int, concurrency: int) -> dict:
    import requests

    if urlparse(url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the benchmark only loads a server on 127.0.0.1")
    sessions: dict[int, requests.Session] = {}

    def one(_):
        import threading

        session = sessions.setdefault(threading.get_ident(), requests.Session())
        started = time.perf_counter()
        response = session.get(
            url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code}: {response.text[:300]}")
        return elapsed

    for _ in range(min(20, requests_n)):  # warm the query processes and connections
        one(None)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(one, range(requests_n)))
    return _summary(f"/sparql over HTTP ({concurrency} client threads)", latencies, time.perf_counter() - started)


def bench_pyoxigraph(store_path: Path, iri: str, n: int) -> dict:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path))
    subs = {ox.Variable("s"): ox.NamedNode(iri)}
    latencies = []
    started = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        results = store.query(QUERY, use_default_graph_as_union=True, substitutions=subs)
        results.serialize(format=ox.QueryResultsFormat.JSON)
        latencies.append(time.perf_counter() - t)
    return _summary("pyoxigraph in-process (same query, JSON)", latencies, time.perf_counter() - started)


def bench_rdflib(store_path: Path, iri: str, n: int) -> dict:
    import pyoxigraph as ox
    from rdflib import Dataset, URIRef

    data = ox.serialize(ox.Store.read_only(str(store_path)), format=ox.RdfFormat.N_QUADS)
    dataset = Dataset(default_union=True)
    dataset.parse(data=data, format="nquads")
    latencies = []
    started = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        result = dataset.query(QUERY, initBindings={"s": URIRef(iri)})
        result.serialize(format="json")
        latencies.append(time.perf_counter() - t)
    return _summary("rdflib in-process (same query, JSON)", latencies, time.perf_counter() - started)


def start_server(build_dir: Path, workers: int, query_processes: int, logs: Path) -> LiveServer:
    """Start ``python -m server.serve`` on a free port, ready when an ``ASK {}`` is answered
    through the endpoint (a worker and a query process are up); return it (``url``, ``stop()``)."""
    port = free_port()
    env = dict(
        os.environ,
        PARLEY_BUILD_DIR=str(build_dir),
        PARLEY_HOST="127.0.0.1",
        PARLEY_PORT=str(port),
        PARLEY_WORKERS=str(workers),
        PARLEY_QUERY_PROCESSES=str(query_processes),
        PYTHONPATH=str(ROOT),
    )
    server = LiveServer(
        [sys.executable, "-m", "server.serve"],
        port=port,
        logs=logs,
        name="parley",
        cwd=ROOT,
        env=env,
        ready_path="/sparql?query=ASK%7B%7D",
    )
    try:
        return server.start(timeout_s=30)
    except ServerDidNotStart as exc:
        raise SystemExit(f"Error: {exc.message}") from None


def print_table(rows: list[dict]) -> None:
    base = rows[0]["rps"]
    print(f"{'':44} {'n':>6} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'req/s vs /sparql':>17}")
    for row in rows:
        print(
            f"{row['name']:44} {row['n']:>6} {row['rps']:>9.1f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['rps'] / base:>16.2f}x"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build", help="build to load (default: build)")
    parser.add_argument("--url", help="a running server on 127.0.0.1 (default: start one on a free port)")
    parser.add_argument("--requests", type=int, default=1000, help="requests per contender (default 1000)")
    parser.add_argument("--concurrency", type=int, default=8, help="HTTP client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers when starting one (default 2)")
    parser.add_argument("--query-processes", type=int, default=2, help="query processes per worker (default 2)")
    parser.add_argument("--iri", help="the IRI to look up (default: the first labelled subject)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    store_path = args.build_dir / "store"
    iri = args.iri or pick_iri(store_path)
    server = None
    url = args.url
    if url is None:
        logs = Path(tempfile.mkdtemp(prefix="parley-bench-"))  # the server's log, kept for a failed run
        server = start_server(args.build_dir, args.workers, args.query_processes, logs)
        url = server.url
    try:
        print(f"point lookup of <{iri}>, {args.requests} requests each")
        rows = [
            bench_http(url, point_query(iri), args.requests, args.concurrency),
            bench_pyoxigraph(store_path, iri, args.requests),
            bench_rdflib(store_path, iri, args.requests),
        ]
    finally:
        if server is not None:
            server.stop()
    print_table(rows)


if __name__ == "__main__":
    main()
