"""Faults a public endpoint must survive, against a real ``parley serve``: a query process
killed mid-query, a new build going live under load, a missing or corrupt store, and 200
concurrent clients. Each test prints its figures (requests sent, failed, p99)."""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.helpers import assert_error_shape, free_port

from .conftest import parley, start_parley

pytestmark = pytest.mark.integration

LONG_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry.name))
    return out


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _query_processes(server_pid: int) -> list[int]:
    found = []
    for worker in _children(server_pid):
        found += [p for p in _children(worker) if "server.sparql.child" in _cmdline(p)]
    return found


def _cpu_ticks(pid: int) -> int:
    fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_query_process_killed_mid_query_gives_503_and_is_replaced(server):
    result = {}

    def slow():
        result["response"] = requests.get(server.url + "/sparql", params={"query": LONG_QUERY}, timeout=60)

    thread = threading.Thread(target=slow)
    thread.start()
    busy = None
    deadline = time.monotonic() + 10
    while busy is None and time.monotonic() < deadline:  # the busy one is the one using CPU
        before = {p: _cpu_ticks(p) for p in _query_processes(server.pid)}
        time.sleep(0.3)
        for pid, ticks in before.items():
            try:
                if _cpu_ticks(pid) - ticks > 5:
                    busy = pid
            except OSError:
                pass
    assert busy is not None, "no query process was running the query"
    os.kill(busy, signal.SIGKILL)
    thread.join(30)
    response = result["response"]
    error = assert_error_shape(response, 503)
    assert response.headers.get("Retry-After")
    assert "query" in error["message"]
    for _ in range(10):  # the pool replaced the process: the next requests are answered
        ok = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
        assert ok.status_code == 200
    assert busy not in _query_processes(server.pid)
    assert "Traceback" not in server.log()


class Load:
    """Threads sending a mix of requests until stopped; counts failures and latencies."""

    PATHS = (
        "/",
        "/timeline",
        "/types",
        "/id/person/rufus-firefly",
        "/doc/person/rufus-firefly.ttl",
        "/ontology.ttl",
        "/dumps/",
        "/dumps/parley.nq.gz",
        "/dumps/parley.ttl",
        "/void.ttl",
        "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%2010",
        "/sparql?query=ASK%7B%7D",
    )

    def __init__(self, url: str, clients: int):
        self.url, self.clients = url, clients
        self.stop = threading.Event()
        self.statuses: Counter = Counter()
        self.failures: list[str] = []
        self.latencies: list[float] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]

    def _run(self, index: int) -> None:
        session = requests.Session()
        n = index
        while not self.stop.is_set():
            path = self.PATHS[n % len(self.PATHS)]
            n += 1
            started = time.monotonic()
            try:
                response = session.get(self.url + path, timeout=60)
                status = response.status_code
                _ = response.content
            except requests.RequestException as exc:
                status, response = None, exc
            elapsed = time.monotonic() - started
            with self.lock:
                self.statuses[status] += 1
                self.latencies.append(elapsed)
                if status is None or status >= 500:
                    self.failures.append(f"{path}: {status} {str(response)[:200]}")

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(90)

    def figures(self) -> str:
        sent = sum(self.statuses.values())
        p99 = statistics.quantiles(self.latencies, n=100)[98] if len(self.latencies) > 1 else 0
        return (
            f"{sent} requests from {self.clients} clients, {len(self.failures)} failed, "
            f"p99 {p99 * 1000:.0f} ms, statuses {dict(self.statuses)}"
        )


def test_new_build_goes_live_on_hup_without_a_failed_request(project, tmp_path):
    """``parley build`` into the served build dir, under load, then ``kill -HUP``: no request
    fails before, during or after, and the new build is served afterwards."""
    served = start_parley(project).wait_ready()
    try:
        before = requests.get(served.url + "/", timeout=10).headers["Last-Modified"]
        with Load(served.url, clients=16) as load:
            time.sleep(2)
            rebuilt = parley("build", "--no-reasoner", cwd=project, env={"SOURCE_DATE_EPOCH": "1893456000"})
            assert rebuilt.returncode == 0, rebuilt.stderr
            time.sleep(1)
            os.kill(served.pid, signal.SIGHUP)
            deadline = time.monotonic() + 30
            after = before
            while after == before and time.monotonic() < deadline:
                time.sleep(0.5)
                after = requests.get(served.url + "/", timeout=10).headers["Last-Modified"]
            time.sleep(2)
        print("HUP reload under load:", load.figures())
        assert not load.failures, load.failures[:10]
        assert after != before, "the new build was not served after HUP"
        assert after == "Tue, 01 Jan 2030 00:00:00 GMT"
    finally:
        served.stop()


def test_200_concurrent_clients_get_no_5xx(server):
    seconds = float(os.environ.get("PARLEY_LOAD_S", "30"))
    with Load(server.url, clients=200) as load:
        time.sleep(seconds)
    print("200 clients for", seconds, "s:", load.figures())
    assert not load.failures, load.failures[:10]
    assert sum(load.statuses.values()) > 200


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_serve_refuses_a_missing_or_corrupt_store(project, tmp_path, damage):
    broken = tmp_path / "project"
    shutil.copytree(project, broken, ignore=shutil.ignore_patterns("serve-*"))
    store = broken / "build" / "store"
    if damage == "missing":
        shutil.rmtree(store)
    else:
        biggest = max(store.glob("*.sst"), key=lambda p: p.stat().st_size)  # a table file, not the LOG
        with biggest.open("r+b") as handle:
            handle.truncate(biggest.stat().st_size // 2)
    started = time.monotonic()
    result = parley("serve", "--port", str(free_port()), cwd=broken, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert elapsed < 15
    assert "Traceback" not in result.stderr
    assert "store" in result.stderr and "parley build" in result.stderr, result.stderr
