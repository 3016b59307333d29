"""A real server on 127.0.0.1 for the tests and the benchmarks: the one way both start one.

``free_port()`` names a port free now; ``LiveServer`` runs a server command (``parley serve``,
``python -m server.serve``, ``oxigraph serve``, ``python -m http.server`` ...) in its own session
with its output in files (a full pipe would block the server), waits until an HTTP GET of its
``ready_path`` answers ``ready_status`` by polling with a deadline (never a fixed sleep), stops
the whole process group (SIGTERM, then SIGKILL), and puts the server's log in the error when it
exits or does not answer in time; ``parley_serve(...)`` is ``LiveServer`` for ``python -m parley
serve``. ``serving(server)`` runs an in-process server (werkzeug's ``make_server`` for an app,
``http.server`` for a stub) on one thread and yields its URL; ``serve_app(app)`` is that for a
WSGI app. ``wait_until(condition, what)`` is the one polling loop the others use. Nothing here
listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from graph.errors import ParleyError

HOST = "127.0.0.1"
#: between two looks at a condition; each look is itself bounded by its own timeout
POLL_S = 0.1
T = TypeVar("T")


class ServerDidNotStart(ParleyError):
    """A live server exited, or did not answer its readiness probe before the deadline."""

    exit_code = 2
    title = "Server did not start"


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], T], what: str, timeout_s: float = 60.0, poll_s: float = POLL_S) -> T:
    """Return the first true value of ``condition()``, looked at every ``poll_s`` until
    ``timeout_s``; raise TimeoutError naming ``what`` when it never came."""
    deadline = time.monotonic() + timeout_s
    pause = threading.Event()  # never set: its wait is the pause between two looks
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout_s:g} s")
        pause.wait(poll_s)


def http_status(url: str, timeout_s: float = 5.0) -> int | None:
    """Return the status of a GET of ``url``, or None when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:  # not listening yet, reset, or too slow on a loaded machine
        return None


class LiveServer:
    """``command`` as a server process on ``port`` of 127.0.0.1; see the module docstring.

    ``url`` is its base URL, ``pid`` its process (the root of its process group); ``output()``
    is its (stdout, stderr) so far, ``log()`` both as one text for a failure message.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        port: int,
        logs: Path,
        name: str = "server",
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        ready_path: str = "/",
        ready_status: int | None = 200,
    ):
        self.command = [str(part) for part in command]
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.name = name
        self.cwd, self.env = cwd, dict(env) if env is not None else None
        self.ready_path, self.ready_status = ready_path, ready_status
        logs.mkdir(parents=True, exist_ok=True)
        self.out_path, self.err_path = logs / f"{name}-{port}.out", logs / f"{name}-{port}.err"
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise ServerDidNotStart(f"{self.name} was never started", hint="call start() first")
        return self.process.pid

    def start(self, timeout_s: float = 60.0) -> LiveServer:
        """Start the process and wait until it is ready; return self."""
        return self.spawn().wait_ready(timeout_s)

    def spawn(self) -> LiveServer:
        """Start the process without waiting (``wait_ready`` waits); return self."""
        with self.out_path.open("ab") as out, self.err_path.open("ab") as err:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,  # its own process group: stop() ends its children too
            )
        return self

    def ready(self) -> bool:
        """Whether a GET of ``ready_path`` answers ``ready_status`` (any status under 500 if None)."""
        status = http_status(self.url + self.ready_path)
        if status is None:
            return False
        return status == self.ready_status if self.ready_status is not None else status < 500

    def wait_ready(self, timeout_s: float = 60.0) -> LiveServer:
        """Poll until ready; on exit or deadline stop the server and raise ServerDidNotStart with its log."""
        deadline = time.monotonic() + timeout_s
        while not self.ready():
            try:
                code = self.process.wait(POLL_S)  # the pause between probes, which also sees an exit
            except subprocess.TimeoutExpired:
                code = None
            if code is not None:
                raise self._failed(f"{self.name} exited with status {code} before it answered")
            if time.monotonic() > deadline:
                self.stop()  # never leave a server behind a failed start
                raise self._failed(f"{self.name} did not answer {self.ready_path} within {timeout_s:g} s")
        return self

    def _failed(self, message: str) -> ServerDidNotStart:
        return ServerDidNotStart(
            f"{message} ({' '.join(self.command)}); its log:\n{self.log()}",
            hint="read the server's log above; it is kept in " + str(self.err_path.parent),
        )

    def output(self) -> tuple[str, str]:
        return self.out_path.read_text(errors="replace"), self.err_path.read_text(errors="replace")

    def log(self) -> str:
        out, err = self.output()
        return f"--- stdout\n{out}--- stderr\n{err}"

    def stop(self, timeout_s: float = 30.0) -> int | None:
        """End the whole process group (SIGTERM, SIGKILL after ``timeout_s``); return the exit status."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                process.wait(10)
        self._signal(signal.SIGKILL)  # children left behind by a server that exited first
        return process.returncode

    def _signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)

    def __enter__(self) -> LiveServer:
        return self if self.process is not None else self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def parley_serve(
    *args: str,
    logs: Path,
    port: int | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
    ready_path: str = "/sparql?query=ASK%7B%7D",
    name: str = "parley-serve",
) -> LiveServer:
    """``python -m parley [OPTIONS] serve --port PORT ARGS`` as a LiveServer (not yet started).

    Ready when the endpoint answers an ``ASK {}``: a worker and one of its query processes are up.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "parley", *options, "serve", "--port", str(port), *args]
    return LiveServer(command, port=port, logs=logs, name=name, cwd=cwd, env=env, ready_path=ready_path)


@contextlib.contextmanager
def serving(server: Any) -> Iterator[str]:
    """Run an in-process server (``serve_forever`` / ``shutdown`` / ``server_close``, bound to
    127.0.0.1) on one thread; yield its base URL, then stop it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextlib.contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve the WSGI ``app`` with werkzeug on a free port of 127.0.0.1; yield its base URL.

    One serving thread, as ``parley preview`` serves the app.
    """
    from werkzeug.serving import make_server

    with serving(make_server(HOST, 0, app, threaded=False)) as url:
        yield url
