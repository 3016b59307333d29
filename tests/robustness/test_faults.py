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

import pytest
import requests

from tests.helpers import assert_error_shape, free_port, query_processes, running_query_process, wait_until

from .conftest import parley, start_parley

pytestmark = pytest.mark.integration

LONG_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_query_process_killed_mid_query_gives_503_and_is_replaced(server):
    result = {}

    def slow():
        result["response"] = requests.get(server.url + "/sparql", params={"query": LONG_QUERY}, timeout=60)

    thread = threading.Thread(target=slow)
    thread.start()
    busy = running_query_process(server.pid)  # the busy one is the one on a CPU
    os.kill(busy, signal.SIGKILL)
    thread.join(30)
    response = result["response"]
    error = assert_error_shape(response, 503)
    assert response.headers.get("Retry-After")
    assert "query" in error["message"]
    for _ in range(10):  # the pool replaced the process: the next requests are answered
        ok = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
        assert ok.status_code == 200
    assert busy not in query_processes(server.pid)
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

    def answered(self) -> int:
        with self.lock:
            return sum(self.statuses.values())

    def wait_for_answers(self, n: int, timeout_s: float = 120.0) -> None:
        """Wait until ``n`` more requests than now have been answered (or failed)."""
        target = self.answered() + n
        wait_until(lambda: self.answered() >= target, f"{n} more answers under load", timeout_s)

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


def _changed(now: str, before: str) -> str | None:
    return now if now != before else None


def test_new_build_goes_live_on_hup_without_a_failed_request(project, tmp_path):
    """``parley build`` into the served build dir, under load, then ``kill -HUP``: no request
    fails before, during or after, and the new build is served afterwards."""
    served = start_parley(project).wait_ready()
    try:
        before = requests.get(served.url + "/", timeout=10).headers["Last-Modified"]
        with Load(served.url, clients=16) as load:
            load.wait_for_answers(16)  # the load is on before the build starts
            rebuilt = parley("build", "--no-reasoner", cwd=project, env={"SOURCE_DATE_EPOCH": "1893456000"})
            assert rebuilt.returncode == 0, rebuilt.stderr
            load.wait_for_answers(16)  # and still on, over the new files, before the HUP
            os.kill(served.pid, signal.SIGHUP)
            after = wait_until(
                lambda: _changed(requests.get(served.url + "/", timeout=10).headers["Last-Modified"], before),
                "the new build to be served after HUP",
            )
            load.wait_for_answers(16)  # and on after the new build is served
        print("HUP reload under load:", load.figures())
        assert not load.failures, load.failures[:10]
        assert after == "Tue, 01 Jan 2030 00:00:00 GMT"
    finally:
        served.stop()


def test_200_concurrent_clients_get_no_5xx(server):
    # The load lasts until 200 x PARLEY_LOAD_ROUNDS requests are answered, not for a time.
    rounds = int(os.environ.get("PARLEY_LOAD_ROUNDS", "10"))
    with Load(server.url, clients=200) as load:
        load.wait_for_answers(200 * rounds, timeout_s=600)
    print("200 clients,", rounds, "rounds:", load.figures())
    assert not load.failures, load.failures[:10]
    assert sum(load.statuses.values()) >= 200 * rounds


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
    # refused before serving: parley serve exits by itself (a server would outlive the timeout)
    result = parley("serve", "--port", str(free_port()), cwd=broken, timeout=60)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert "store" in result.stderr and "parley build" in result.stderr, result.stderr
