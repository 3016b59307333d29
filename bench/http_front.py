"""The HTTP fronts side by side: one build served by each candidate in turn, under wrk.

    .venv/bin/python bench/http_front.py                                  # builds a 20k project first
    .venv/bin/python bench/http_front.py --build-dir /work/bench-data/100k/build --duration 10
    .venv/bin/python bench/http_front.py --fronts granian,gunicorn --duration 2 --rounds 1   # a smoke run

Without ``--build-dir`` it makes a small synthetic project (``bench/generate.py --triples
--triples --build``, visibly synthetic data) under ``--work`` and serves its build. Each front is
started alone on 127.0.0.1 with the same settings (``--workers``, ``--threads``, the README's
defaults otherwise), waited for by polling, and loaded by ``wrk`` (Debian) at ``--connections``
for ``--duration`` seconds per workload and round, ``--rounds`` times, then stopped before the
next starts, so no two share the cores. Workloads (from ``bench/side_by_side.py``):

- ``point``: ``SELECT ?p ?o WHERE { <r> ?p ?o }``, a different text each request (no answer cache);
- ``doc-ttl``: ``/doc/...ttl`` of a random resource of a 1,000 sample, each fetched eight times on
  new connections first (warm: served from the page cache).

Fronts:

- ``granian``: ``parley serve`` (the default: granian's RSGI interface with ``server.front.BodyGuard``);
- ``gunicorn``: ``parley serve --front gunicorn`` (gthread workers: Python HTTP, the baseline);
- ``granian-wsgi``: granian's own WSGI interface, the same app, no body guard (what the guard costs);
- ``pyruvate``: PyPI ``pyruvate`` (Rust, WSGI), one process of ``workers * threads`` threads (it
  has no worker processes), if installed.

bjoern (last release 2022), meinheld (2020) and fastwsgi (2023) are not maintained and are not
candidates; socketify (2024) neither. For every front, workload and round it prints requests per
second, p50 and p99 (wrk's own), the requests not answered with a 2xx, and CPU ms per request of
the front's process tree. Timings depend on the machine: nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import side_by_side as sbs  # noqa: E402

FRONTS = ("granian", "gunicorn", "granian-wsgi", "pyruvate")


def _settings(build_dir: Path, port: int, args) -> dict:
    from server.config import load_settings

    settings = load_settings(
        {"port": port, "workers": args.workers, "threads": args.threads, "build_dir": str(build_dir)}, environ={}
    )
    settings["build_dir"] = Path(os.path.abspath(build_dir))
    settings["releases_dir"] = Path(os.path.abspath(settings["releases_dir"]))
    return settings


def _wsgi_app(settings: dict):
    from server import create_app, warm

    app = create_app(settings)
    warm(app)
    return app


def launch(name: str, build_dir: Path, port: int, args) -> None:
    """Run one of the fronts that ``parley serve`` does not offer, in this process (``--launch``)."""
    settings = _settings(build_dir, port, args)
    if name == "granian-wsgi":
        from granian.constants import Interfaces
        from granian.server import Server

        from server.front import LOG_CONFIG

        server = Server(
            "parley",
            address="127.0.0.1",
            port=port,
            interface=Interfaces.WSGI,
            workers=args.workers,
            blocking_threads=args.threads,
            log_dictconfig=LOG_CONFIG,
        )
        server.serve(target_loader=partial(_wsgi_app, settings), wrap_loader=False)
    elif name == "pyruvate":
        import pyruvate

        pyruvate.serve(_wsgi_app(settings), f"127.0.0.1:{port}", args.workers * args.threads)
    else:
        raise SystemExit(f"unknown front to launch: {name}")


def start(name: str, build_dir: Path, args, logs: Path) -> tuple[subprocess.Popen, str]:
    port = sbs.peer_module.free_port()
    common = ["--workers", str(args.workers), "--threads", str(args.threads)]
    if name in ("granian", "gunicorn"):
        command = [sys.executable, "-m", "parley", "-q", "serve", "--build-dir", str(build_dir), "--front", name]
        command += ["--port", str(port), *common]
    else:
        command = [sys.executable, __file__, "--launch", name, "--build-dir", str(build_dir), "--port", str(port)]
        command += common
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    with (logs / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}: see {logs / (name + '.log')}")
        try:
            with urllib.request.urlopen(base + "/void.ttl", timeout=5) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.2)  # polling for readiness
    stop(process)
    raise SystemExit(f"{name} did not answer within 120 s")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def small_build(work: Path, triples: int) -> Path:
    project = work / f"project-{triples}"
    if not (project / "build" / "store.json").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--triples", str(triples), "--out", str(project), "--build"],
            check=True,
        )
    return project / "build"


def run(args) -> dict:
    import shutil

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    work = args.work or Path(tempfile.gettempdir()) / "parley-http-front"
    work.mkdir(parents=True, exist_ok=True)
    build_dir = args.build_dir or small_build(work, args.triples)
    lookups = sbs.sample_resources(build_dir, args.lookup_resources)
    docs = sbs.sample_resources(build_dir, args.resources, seed=2)
    point, accept = sbs.workloads(lookups)["point"]
    loads = {
        "point": (sbs.sparql_paths("http://x/sparql", point), accept),
        "doc-ttl": (sbs.doc_paths(docs, ".ttl"), sbs.TURTLE),
    }
    results: dict = {}
    for name in args.fronts.split(","):
        if name == "pyruvate":
            try:
                import pyruvate  # noqa: F401
            except ImportError:
                print("pyruvate is not installed: skipped", file=sys.stderr)
                continue
        process, base = start(name, build_dir, args, work)
        try:
            sbs.warm_every_worker(base, loads["doc-ttl"][0])
            for load, (paths, load_accept) in loads.items():
                sbs.run_wrk(base, paths, load_accept, 2, args.connections, work)  # warm
                for round_ in range(args.rounds):
                    before = sbs.cpu_seconds(process.pid)
                    figures = sbs.run_wrk(base, paths, load_accept, args.duration, args.connections, work)
                    used = sbs.cpu_seconds(process.pid) - before
                    figures["cpu_ms_per_request"] = 1000 * used / max(figures["requests"], 1)
                    results.setdefault(name, {}).setdefault(load, []).append(figures)
                    print(
                        f"{name:13} {load:8} round {round_ + 1}: {figures['rps']:8.0f} req/s  "
                        f"p50 {figures['p50_ms']:6.2f} ms  p99 {figures['p99_ms']:7.2f} ms  "
                        f"errors {figures['errors']}  cpu {figures['cpu_ms_per_request']:.2f} ms/req",
                        flush=True,
                    )
        finally:
            stop(process)
    return results


def table(results: dict) -> str:
    lines = [
        "| front | workload | req/s (rounds) | p50 ms | p99 ms | errors | CPU ms/req |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, loads in results.items():
        for load, rounds in loads.items():
            rps = ", ".join(f"{r['rps']:.0f}" for r in rounds)
            p50 = max(r["p50_ms"] for r in rounds)
            p99 = max(r["p99_ms"] for r in rounds)
            errors = sum(r["errors"] for r in rounds)
            cpu = sum(r["cpu_ms_per_request"] for r in rounds) / len(rounds)
            lines.append(f"| {name} | {load} | {rps} | {p50:.2f} | {p99:.2f} | {errors} | {cpu:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--build-dir", type=Path, help="the build every front serves (default: a small one made here)")
    parser.add_argument("--triples", type=int, default=20000, help="size of the project made without --build-dir")
    parser.add_argument("--work", type=Path, help="where the small project and the logs go")
    parser.add_argument("--fronts", default=",".join(FRONTS), help=f"comma-separated, of {', '.join(FRONTS)}")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8, help="wrk's concurrent connections")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per workload and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--resources", type=int, default=1000, help="resources in the documents' sample")
    parser.add_argument("--lookup-resources", type=int, default=50000, help="resources in the lookups' sample")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--launch", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.launch:
        launch(args.launch, args.build_dir, args.port, args)
        return 0
    results = run(args)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
