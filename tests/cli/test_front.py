"""``parley serve`` with its default front (granian), through a real server on 127.0.0.1.

Slow and hostile clients (64 connections that send a request line and one header, then
nothing; 64 request bodies sent a byte a second to POST /sparql) do not keep a normal request
from being answered, and the server closes them itself; SIGHUP while a client loops requests
fails none of them; a reload onto a damaged build is refused and the same workers go on; SIGTERM
stops the master, its workers and their query processes (no orphans); ``-q`` prints nothing.
Every wait is a poll with a generous bound, never a sleep, and nothing asserts a duration.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from parley.live import LiveServer, free_port, wait_until
from server.config import load_settings
from server.front import BodyGuard, _environ, granian_options

from .conftest import clean_env
from .test_serve import _truncate_a_table

GENEROUS_S = 60.0  # a bound on waiting for something the server must do, not a speed


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(part) for part in text.split()]


def _tree(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child, *_tree(child)]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _until(predicate, what: str, timeout: float = GENEROUS_S):
    return wait_until(predicate, what, timeout_s=timeout)


class Front(LiveServer):
    """``parley serve`` (the default front, README defaults) as a live server on a free port."""

    def __init__(self, project: Path, cwd: Path, logs: Path, *args: str, quiet: bool = False):
        port = free_port()
        command = [sys.executable, "-m", "parley", *(["-q"] if quiet else []), "serve", "--root", str(project)]
        super().__init__(
            [*command, "--port", str(port), *args],
            port=port,
            logs=logs,
            name="parley-serve",
            cwd=cwd,
            env=clean_env(),
            ready_path="/void.ttl",
        )
        self.spawn()

    def answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"parley serve exited with {self.process.returncode}:\n{self.log()}")
        return self.ready()

    def wait_until_serving(self) -> None:
        self.wait_ready(GENEROUS_S)

    def workers(self) -> set[int]:
        return set(_children(self.process.pid))

    def stop(self) -> tuple[int, str, str]:
        """Stop the master with SIGTERM, as a service manager would; return its status and output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=GENEROUS_S)
        except subprocess.TimeoutExpired:
            super().stop()
        return (self.process.returncode, *self.output())


@pytest.fixture
def front(built_project, elsewhere, tmp_path):
    started: list[Front] = []

    def start(*args: str, project: Path = built_project, quiet: bool = False) -> Front:
        logs = tmp_path / f"front-{len(started)}"
        logs.mkdir()
        server = Front(project, elsewhere, logs, *args, quiet=quiet)
        started.append(server)
        server.wait_until_serving()
        return server

    yield start
    for server in started:
        tree = _tree(server.process.pid)
        server.stop()
        for pid in tree:  # never leave a process behind, whatever the test found
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _open_hostile(port: int, first_bytes: bytes, n: int = 64) -> list[socket.socket]:
    connections = []
    for _ in range(n):
        connection = socket.create_connection(("127.0.0.1", port), timeout=GENEROUS_S)
        connection.sendall(first_bytes)
        connections.append(connection)
    return connections


def _closed_by_server(connection: socket.socket, trickle: bytes = b"") -> bool:
    """Wait (a byte a second of ``trickle``, if any) until the server closes the connection;
    return False when it did not within the generous bound."""
    deadline = time.monotonic() + GENEROUS_S
    connection.settimeout(1.0)
    while time.monotonic() < deadline:
        try:
            if trickle:
                connection.sendall(trickle)
            while connection.recv(4096):  # a response (408) before the close is allowed
                pass
            return True  # recv returned b"": closed
        except TimeoutError:
            continue  # one second went by with nothing from the server
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def _assert_normal_requests_answered(url: str) -> None:
    for path in ("/void.ttl", "/", "/sparql?query=ASK%20%7B%3Fs%20%3Fp%20%3Fo%7D"):
        response = requests.get(url + path, timeout=10)  # a behavioural bound, not a speed
        assert response.status_code == 200, (path, response.status_code, response.text[:300])


def _assert_all_closed(connections: list[socket.socket], trickle: bytes = b"") -> None:
    results: dict[int, bool] = {}

    def watch(i: int, connection: socket.socket) -> None:
        results[i] = _closed_by_server(connection, trickle)

    threads = [threading.Thread(target=watch, args=(i, c)) for i, c in enumerate(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for connection in connections:
        connection.close()
    assert sorted(results) == list(range(len(connections)))
    assert all(results.values()), f"{list(results.values()).count(False)} hostile connections left open"


@pytest.mark.integration
def test_clients_that_never_finish_their_headers_delay_no_one_and_are_closed(front):
    server = front()
    hostile = _open_hostile(server.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    try:
        _assert_normal_requests_answered(server.url)
    finally:
        _assert_all_closed(hostile)
    _assert_normal_requests_answered(server.url)


@pytest.mark.integration
def test_bodies_sent_a_byte_a_second_delay_no_one_and_are_closed(front):
    server = front()
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 1000\r\n\r\nA"
    )
    hostile = _open_hostile(server.port, head)
    try:
        _assert_normal_requests_answered(server.url)
        answer = requests.post(
            server.url + "/sparql",
            data=b"ASK { ?s ?p ?o }",
            headers={"Content-Type": "application/sparql-query"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text[:300]
    finally:
        _assert_all_closed(hostile, trickle=b"S")


@pytest.mark.integration
def test_sighup_under_load_fails_no_request_and_replaces_every_worker(front):
    server = front()
    before = server.workers()
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()

    def loop() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                try:
                    response = session.get(server.url + "/void.ttl", timeout=30)
                    if response.status_code != 200:
                        failures.append(f"status {response.status_code}")
                    answered[0] += 1
                except requests.RequestException as exc:
                    failures.append(repr(exc))

    clients = [threading.Thread(target=loop) for _ in range(4)]
    for client in clients:
        client.start()
    try:
        _until(lambda: answered[0] > 20, "the clients' first answers")
        server.process.send_signal(signal.SIGHUP)
        _until(lambda: before.isdisjoint(server.workers()) and len(server.workers()) == 2, "every worker replaced")
        seen = answered[0]
        _until(lambda: answered[0] > seen + 20, "answers from the new workers")
    finally:
        stop.set()
        for client in clients:
            client.join()
    assert failures == []


@pytest.mark.integration
def test_a_reload_onto_a_damaged_build_is_refused_and_the_old_workers_serve_on(front, project):
    server = front(project=project)
    # Both workers done loading (each has started its two query processes, the last step before it
    # accepts): a worker still opening the store when it is damaged cannot open it and exits,
    # which is the damage, not the reload (tests/scaleout/test_reload.py covers the master then).
    _until(
        lambda: len(server.workers()) == 2 and all(len(_children(w)) >= 2 for w in server.workers()),
        "both workers loaded",
    )
    before = server.workers()
    _truncate_a_table(project / "build")
    server.process.send_signal(signal.SIGHUP)
    _until(lambda: "not reloading: the store at" in server.output()[1], "the refusal logged")
    assert server.answers()
    assert server.workers() == before, "a refused reload replaced or lost a worker"


@pytest.mark.integration
def test_sigterm_stops_the_master_its_workers_and_their_query_processes(front):
    server = front()
    tree = _tree(server.process.pid)
    assert len(tree) >= 2 * 2, f"expected 2 workers with 2 query processes each: {tree}"
    code, _, err = server.stop()
    assert code == 0, err
    _until(lambda: not any(_alive(pid) for pid in tree), "every worker and query process gone")


@pytest.mark.integration
def test_ctrl_c_stops_the_whole_group_quietly(front):
    server = front(quiet=True)
    assert requests.get(server.url + "/sparql?query=ASK%7B%7D", timeout=10).status_code == 200
    tree = _tree(server.process.pid)
    os.killpg(server.process.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
    code, out, err = server.stop()
    assert code == 0, err
    _until(lambda: not any(_alive(pid) for pid in tree), "every worker and query process gone")
    assert (out, err) == ("", ""), f"Ctrl-C under -q printed:\n--- stdout\n{out}--- stderr\n{err}"


@pytest.mark.integration
def test_quiet_prints_nothing_and_the_default_front_logs_its_requests(front):
    quiet = front(quiet=True)
    assert requests.get(quiet.url + "/", timeout=10).status_code == 200
    code, out, err = quiet.stop()
    assert code == 0, err
    assert (out, err) == ("", ""), f"-q printed more than errors:\n--- stdout\n{out}--- stderr\n{err}"

    loud = front()
    assert requests.get(loud.url + "/void.ttl", timeout=10).status_code == 200
    code, out, err = loud.stop()
    assert code == 0, err
    assert "with granian" in err and f"Listening at: http://127.0.0.1:{loud.port}" in err, err
    assert '"GET /void.ttl HTTP/1.1" 200' in out, out


@pytest.mark.integration
def test_gunicorn_is_still_a_front_to_choose(front):
    server = front("--front", "gunicorn")
    assert requests.get(server.url + "/void.ttl", timeout=10).status_code == 200
    code, out, err = server.stop()
    assert code == 0, err
    assert "with gunicorn" in err and "Using worker: gthread" in err, err
    assert '"GET /void.ttl HTTP/1.1" 200' in out, out


def test_the_settings_map_onto_granian():
    settings = load_settings(
        {"port": 8123, "workers": 3, "threads": 4, "header_timeout_s": 2.5, "query_timeout_s": 7}, environ={}
    )
    options = granian_options(settings)
    assert (options["address"], options["port"], options["workers"]) == ("127.0.0.1", 8123, 3)
    assert options["http1_settings"].header_read_timeout == 2500
    assert options["workers_kill_timeout"] == 12
    assert options["log_access"] is True and granian_options(settings, quiet=True)["log_access"] is False


class _Headers:
    def __init__(self, items):
        self._items = items

    def items(self):
        return list(self._items)

    def get(self, key, default=None):
        return next((v for k, v in self._items if k == key), default)

    def __contains__(self, key):
        return any(k == key for k, _ in self._items)


class _Scope:
    """An RSGI scope as granian gives it (fiction for the test: no server runs)."""

    method, path, query_string, scheme, http_version = "POST", "/id/é x", "q=%C3%A9", "http", "1.1"
    server, client = "127.0.0.1:8000", "[::1]:40000"
    headers = _Headers(
        [
            ("host", "example.test"),
            ("content-type", "application/sparql-query"),
            ("content-length", "3"),
            ("accept", "text/turtle"),
            ("accept", "application/json"),
        ]
    )


def test_the_wsgi_environ_is_made_as_wsgi_wants_it():
    environ = _environ(_Scope(), b"ASK")
    assert environ["PATH_INFO"] == "/id/é x".encode().decode("latin-1")  # UTF-8 bytes as latin-1
    assert (environ["QUERY_STRING"], environ["REQUEST_METHOD"]) == ("q=%C3%A9", "POST")
    assert (environ["CONTENT_TYPE"], environ["CONTENT_LENGTH"]) == ("application/sparql-query", "3")
    assert environ["HTTP_ACCEPT"] == "text/turtle, application/json"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"], environ["REMOTE_ADDR"]) == ("127.0.0.1", "8000", "::1")
    assert environ["wsgi.input"].read() == b"ASK" and environ["wsgi.input_terminated"] is True


def test_a_long_answer_is_streamed_a_short_one_sent_whole_each_closed_once():
    closed = []

    class Answer:
        def __iter__(self):
            yield b""
            yield b"one"
            yield b"two"

        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response("200 OK", [("content-type", "text/plain")])
        return Answer()

    guard = BodyGuard(app, load_settings({}, environ={}))
    try:
        status, headers, whole, rest = guard._call(_environ(_Scope(), b""))
        assert (status, headers, whole, rest) == (200, [("content-type", "text/plain")], b"onetwo", None)
        assert closed == [True]  # a short answer is sent whole, closed in the thread that made it
        guard.stream_bytes = 3
        status, headers, first, rest = guard._call(_environ(_Scope(), b""))
        assert (status, first) == (200, b"one")
        assert list(rest) == [b"two"]
        rest.close()
        assert closed == [True, True]
    finally:
        guard.threads.shutdown()
