"""Parley side by side with Oxigraph server, Virtuoso and rdflib-endpoint, on one build, under wrk.

    .venv/bin/python bench/side_by_side.py --build-dir /work/bench-data/1m/build
    .venv/bin/python bench/side_by_side.py --build-dir build --peers parley,oxigraph --duration 5

Each peer is started alone on 127.0.0.1 over the same quads (``bench/peers.py`` loads them once
into a work directory beside the build), warmed for two seconds, then loaded by ``wrk`` (Debian)
at ``--connections`` for ``--duration`` seconds per workload, and stopped before the next peer
starts, so no two servers share the two cores. For every peer and workload it prints requests
per second, p50 and p99 latency (wrk's own), CPU seconds per request of the peer's whole process
tree (``/proc``: utime + stime of every process, before and after), and the largest RSS of that
tree; then each Parley figure as a ratio of each peer's. Requests that were not answered with a
2xx are counted and shown: a peer that answers errors fast is not fast.

Workloads (the resources are fixed random samples of the build's labelled ``/id/`` subjects:
``--lookup-resources`` of them, 50,000, for the SPARQL lookups, more than a run sends, so an
answer cache seldom serves them; ``--resources``, 1,000, for the documents):

- ``point``: ``SELECT ?p ?o WHERE { <r> ?p ?o }``, a different ``r`` each request;
- ``repeated``: one point lookup, the same text every time;
- ``construct``: ``CONSTRUCT { <r> ?p ?o } WHERE { <r> ?p ?o }``, Turtle, a different ``r`` each time;
- ``aggregate``: ``SELECT ?type (COUNT(?s) AS ?n) { ?s a ?type } GROUP BY ?type HAVING (COUNT(?s) > k)``
  with a different ``k`` each request, so no answer cache can serve it;
- ``doc-ttl`` and ``doc-html`` (Parley only): ``/doc/...ttl`` and ``.html`` of a random resource
  of the documents' sample, after each was fetched eight times on new connections (so every
  worker most likely has it in its page cache);
- ``doc-ttl-cold`` and ``doc-html-cold``: the same of resources from the lookups' sample, each
  asked for once (every one is made afresh);
- ``first-pages`` (Parley only; also for ``parley-before`` when it runs): the seconds from the port first accepting to the 8th of 8
  concurrent page requests answered, on a server started afresh.

``--json FILE`` writes every figure as well. Timings depend on the machine: nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers as peer_module  # noqa: E402
from measures import cpu_seconds, fetch, rss_mb, run_wrk, warm_every_worker  # noqa: E402

BASE = "https://w3id.org/parley/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SPARQL_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
ALL_PEERS = ("parley", "oxigraph", "virtuoso", "rdflib-endpoint", "parley-remote", "parley-before")
DEFAULT_PEERS = ALL_PEERS[:5]


def sample_resources(build_dir: Path, n: int, seed: int = 1) -> list[str]:
    """Return ``n`` labelled ``/id/`` subjects of the build, a fixed random sample."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(build_dir / "store"))
    query = f"SELECT DISTINCT ?s WHERE {{ ?s <{LABEL}> ?l FILTER(STRSTARTS(STR(?s), '{BASE}id/')) }}"
    found = sorted(row["s"].value for row in store.query(query, use_default_graph_as_union=True))
    del store
    if not found:
        raise SystemExit(f"{build_dir}: no labelled /id/ resources to look up")
    rng = random.Random(seed)
    chosen = rng.sample(found, min(n, len(found)))
    return (chosen * (n // len(chosen) + 1))[:n]  # repeated when the build has fewer


def sparql_paths(endpoint: str, queries: list[str]) -> list[str]:
    path = urllib.parse.urlsplit(endpoint).path
    return [path + "?" + urllib.parse.urlencode({"query": q}) for q in queries]


def workloads(resources: list[str]) -> dict[str, tuple[list[str], str]]:
    """Return name -> (query texts, Accept) of the SPARQL workloads (``resources``: the large sample)."""
    # Every text differs, even where a resource comes round again (its variables are renamed),
    # so the engines do the same work and no answer cache can serve a lookup twice.
    seen: dict[str, int] = {}
    names = []
    for r in resources:
        seen[r] = seen.get(r, -1) + 1
        names.append("" if seen[r] == 0 else str(seen[r]))
    point = [f"SELECT ?p{n} ?o{n} WHERE {{ <{r}> ?p{n} ?o{n} }}" for r, n in zip(resources, names, strict=True)]
    construct = [
        f"CONSTRUCT {{ <{r}> ?p{n} ?o{n} }} WHERE {{ <{r}> ?p{n} ?o{n} }}"
        for r, n in zip(resources, names, strict=True)
    ]
    aggregate = [
        f"SELECT ?type (COUNT(?s) AS ?n) WHERE {{ ?s a ?type }} GROUP BY ?type HAVING (COUNT(?s) > {k})"
        for k in range(len(resources))
    ]
    return {
        "point": (point, SPARQL_JSON),
        "repeated": (point[:1], SPARQL_JSON),
        "construct": (construct, TURTLE),
        "aggregate": (aggregate, SPARQL_JSON),
    }


def doc_paths(resources: list[str], suffix: str) -> list[str]:
    return ["/doc/" + r.removeprefix(BASE + "id/") + suffix for r in resources]


def measure(peer, name: str, paths: list[str], accept: str, args, scratch: Path) -> dict:
    status, body = fetch(peer.base + paths[0], accept)
    if status != 200:
        print(f"  {peer.name} {name}: the first request answered {status}: {body[:300]!r}", file=sys.stderr)
    run_wrk(peer.base, paths, accept, 2, args.connections, scratch)  # warm
    before = cpu_seconds(peer.pid)
    figures = run_wrk(peer.base, paths, accept, args.duration, args.connections, scratch)
    used = cpu_seconds(peer.pid) - before
    figures["cpu_ms_per_request"] = 1000 * used / max(figures["requests"], 1)
    figures["rss_mb"] = rss_mb(peer.pid)
    return figures


def first_pages(build_dir: Path, work: Path, pages: list[str], checkout: Path | None = None) -> dict:
    """Start Parley afresh; return the seconds from its port accepting to 8 concurrent pages answered."""
    server = peer_module.Parley(build_dir, work, name="parley-fresh", checkout=checkout)
    started = time.monotonic()
    server.spawn()
    try:
        while True:
            if server.process.poll() is not None:
                raise SystemExit(f"parley stopped while starting; see {server.log_path}")
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.01)
        accepting = time.monotonic()
        answers: list[tuple[int, float]] = []

        def get(path: str) -> None:
            status, _ = fetch(server.base + path, "text/html")
            answers.append((status, time.monotonic() - accepting))

        threads = [threading.Thread(target=get, args=(p,)) for p in pages[:8]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {
            "start_to_accept_s": accepting - started,
            "all_8_answered_s": max(t for _, t in answers),
            "statuses": sorted(s for s, _ in answers),
        }
    finally:
        server.stop()


# --- the run ---------------------------------------------------------------------------------


def run(args) -> dict:
    build_dir = args.build_dir.resolve()
    work = (args.work or build_dir.parent / "peers").resolve()
    work.mkdir(parents=True, exist_ok=True)
    names = [n.strip() for n in args.peers.split(",") if n.strip()]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    # Lookups draw from a sample larger than a run's requests, so answer caches rarely help
    # them (``repeated`` measures the cache); documents from a smaller one.
    lookups = sample_resources(build_dir, args.lookup_resources)
    resources = lookups[: args.resources]
    loads = workloads(lookups)
    results: dict = {"build": str(build_dir), "peers": {}, "settings": vars(args) | {"build_dir": str(build_dir)}}
    info = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))
    results["triples"], results["graphs"] = info.get("triples"), info.get("graphs")
    virtuoso = None
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        # Virtuoso first when Parley is to run in front of it: it stays up for parley-remote.
        order = sorted(names, key=lambda n: {"virtuoso": 0, "parley-remote": 1}.get(n, 2))
        for name in order:
            peer = peer_module.peer(name, build_dir, work, virtuoso, args.before)
            print(f"{name}: preparing", file=sys.stderr)
            load_started = time.monotonic()
            peer.prepare()
            prepared_s = time.monotonic() - load_started
            start_s = peer.start()
            print(f"{name}: up in {start_s:.1f} s (prepared in {prepared_s:.1f} s)", file=sys.stderr)
            row: dict = {"start_s": start_s, "prepare_s": prepared_s}
            try:
                chosen = [w for w in args.workloads.split(",") if w]
                for workload in chosen:
                    if workload in loads:
                        queries, accept = loads[workload]
                        if name == "rdflib-endpoint" and workload == "aggregate" and not args.slow_aggregates:
                            queries = queries[: max(1, len(queries) // 10)]
                        paths = sparql_paths(peer.endpoint, queries)
                    elif workload.startswith("doc-") and name == "parley-remote" and not args.remote_documents:
                        continue  # each document is several queries of Virtuoso's: minutes at 1M
                    elif workload in ("doc-ttl", "doc-html") and name.startswith("parley"):
                        paths, accept = doc_paths(resources, "." + workload[4:]), "*/*"
                        warm_every_worker(peer.base, paths)
                    elif workload in ("doc-ttl-cold", "doc-html-cold") and name.startswith("parley"):
                        paths, accept = doc_paths(lookups[args.resources :], "." + workload[4:-5]), "*/*"
                    else:
                        continue
                    row[workload] = measure(peer, workload, paths, accept, args, scratch)
                    figures = row[workload]
                    print(
                        f"  {name:16} {workload:10} {figures['rps']:9.1f} req/s  p50 {figures['p50_ms']:7.2f} ms  "
                        f"p99 {figures['p99_ms']:8.2f} ms  cpu {figures['cpu_ms_per_request']:6.2f} ms/req  "
                        f"rss {figures['rss_mb']:7.0f} MB  errors {figures['errors']}",
                        file=sys.stderr,
                    )
            except BaseException:
                peer.stop()
                if virtuoso is not None:
                    virtuoso.stop()
                raise
            if name == "virtuoso" and "parley-remote" in names:
                virtuoso = peer  # kept running for Parley to use as its store
            else:
                peer.stop()
            results["peers"][name] = row
        if virtuoso is not None:
            virtuoso.stop()
        if "first-pages" in args.workloads.split(","):
            pages = doc_paths(resources[:8], ".html")
            for name, checkout in (("parley", None), ("parley-before", args.before)):
                if name in names:
                    results["peers"][name]["first_pages"] = first_pages(build_dir, work, pages, checkout)
                    print(f"  {name} first 8 pages: {results['peers'][name]['first_pages']}", file=sys.stderr)
    return results


def table(results: dict) -> str:
    """Return the figures as a Markdown table, peers as columns, then Parley's ratios."""
    peers = list(results["peers"])
    lines = [f"{results.get('triples')} triples, {results.get('graphs')} graphs", ""]
    lines.append("| | " + " | ".join(peers) + " |")
    lines.append("|---|" + "---|" * len(peers))
    workloads_seen = []
    for row in results["peers"].values():
        workloads_seen += [
            k for k, v in row.items() if isinstance(v, dict) and k not in (*workloads_seen, "first_pages")
        ]
    for workload in workloads_seen:
        for figure, label, fmt in (
            ("rps", "req/s", "{:,.0f}"),
            ("p50_ms", "p50 ms", "{:.2f}"),
            ("p99_ms", "p99 ms", "{:.2f}"),
            ("cpu_ms_per_request", "CPU ms/req", "{:.2f}"),
            ("errors", "non-2xx", "{}"),
        ):
            cells = []
            for peer in peers:
                value = results["peers"][peer].get(workload, {}).get(figure)
                cells.append("" if value is None else fmt.format(value))
            lines.append(f"| {workload} {label} | " + " | ".join(cells) + " |")
    rss = [
        max((v.get("rss_mb", 0) for v in results["peers"][p].values() if isinstance(v, dict)), default=0) for p in peers
    ]
    lines.append("| RSS of all processes, MB | " + " | ".join(f"{r:,.0f}" for r in rss) + " |")
    if "parley" in results["peers"]:
        lines += ["", "Parley's rate as a ratio of each peer's:", ""]
        ours = results["peers"]["parley"]
        for workload in workloads_seen:
            if workload not in ours:
                continue
            parts = []
            for peer in peers:
                same = not workload.startswith("doc") or peer.startswith("parley")
                theirs = results["peers"][peer].get(workload if same else "point")
                if peer != "parley" and theirs and theirs.get("rps"):
                    parts.append(f"{ours[workload]['rps'] / theirs['rps']:.2f}x {peer}")
            against = " (against each SPARQL peer's point lookup)" if workload.startswith("doc") else ""
            lines.append(f"- {workload}{against}: " + ", ".join(parts))
        if "parley-remote" in results["peers"] and "virtuoso" in results["peers"]:
            remote, virt = results["peers"]["parley-remote"], results["peers"]["virtuoso"]
            for workload in ("point", "aggregate"):
                if workload in remote and workload in virt:
                    lines.append(
                        f"- {workload} through Parley over Virtuoso: {remote[workload]['rps'] / virt[workload]['rps']:.2f}x Virtuoso's own"
                    )
    for peer in peers:
        fp = results["peers"][peer].get("first_pages")
        if fp:
            lines.append(
                f"- {peer}, started afresh: its first 8 concurrent pages all answered {fp['all_8_answered_s']:.2f} s "
                f"after the port accepted ({fp['start_to_accept_s']:.1f} s from start); statuses {fp['statuses']}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--build-dir", type=Path, required=True, help="the build every peer serves")
    parser.add_argument("--peers", default=",".join(DEFAULT_PEERS), help=f"comma-separated, of {', '.join(ALL_PEERS)}")
    parser.add_argument(
        "--workloads",
        default="point,repeated,construct,aggregate,doc-ttl,doc-html,doc-ttl-cold,doc-html-cold,first-pages",
        help="comma-separated workloads (see the module docstring)",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per workload")
    parser.add_argument("--connections", type=int, default=8, help="wrk's concurrent connections")
    parser.add_argument("--resources", type=int, default=1000, help="resources in the documents' sample")
    parser.add_argument(
        "--lookup-resources",
        type=int,
        default=50_000,
        help="resources in the SPARQL lookups' sample (drawn with replacement when the build has fewer)",
    )
    parser.add_argument(
        "--before", type=Path, help="a checkout of earlier code, run as the peer parley-before (add it to --peers)"
    )
    parser.add_argument("--work", type=Path, help="where peers keep their loaded data (default: beside the build)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--remote-documents", action="store_true", help="measure documents through parley-remote too (slow)"
    )
    parser.add_argument(
        "--slow-aggregates", action="store_true", help="give rdflib-endpoint the full aggregate sample too"
    )
    args = parser.parse_args(argv)
    # A kill of the driver stops the peers too (each runs in its own session).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = run(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
