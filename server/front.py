"""Serve the app with granian (a Rust HTTP server for Python): the default front.

``serve(settings, quiet=...)`` runs granian's master in this process, after ``server.serve.run``
has checked the build and the address. Connections, HTTP parsing, keep-alive, header and body
reading are granian's (Rust, hyper); only the app runs in Python. The master binds
``host:port`` once and starts ``workers`` processes that share the socket; each one builds its
own app with ``server.create_app(settings)`` (``load_app``, called in the worker, never in the
master), starts its query processes and compiles its templates before it accepts a connection.
The app is served through granian's RSGI interface by ``BodyGuard``, which reads a request's
body on the event loop with a deadline and only then runs the WSGI app on one of ``threads``
threads: granian's own WSGI interface reads the body on the app's thread with no time limit.
``kill -HUP`` of the master is a rolling reload with the build checked first
(``ParleyGranian``): for each worker in turn a new one is started, the old one serves on for
``RESPAWN_S``, answers with ``Connection: close`` for ``DRAIN_S``, then finishes its requests
and exits; a damaged build at that moment is logged and nothing is replaced. A client that does
not finish its headers (or its body) within ``header_timeout_s`` is disconnected.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from granian.constants import Interfaces
from granian.errors import ConfigurationError
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server import Server

from graph.errors import ConfigError, ParleyError

from .data.integrity import check_build

log = logging.getLogger(__name__)

# How long a reload gives each new worker to open the build and start its query processes
# before the old worker it replaces is drained. A worker accepts nothing until its app is
# loaded; were it slower than this, connections would wait in the shared socket's backlog
# (delayed, not refused) or go to the other workers.
RESPAWN_S = 5.0
# How long an old worker answers with ``Connection: close`` before it is stopped (see
# ``ParleyGranian._respawn_workers``).
DRAIN_S = 2.0
# An answer longer than this is sent chunk by chunk as the app makes it, a shorter one whole.
STREAM_BYTES = 1 << 20

# granian's own log on stderr and the access log on stdout, as under gunicorn (its defaults
# put both on stdout).
LOG_CONFIG = {
    "handlers": {
        "console": {"formatter": "generic", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
        "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
    },
}


def granian_options(settings: Mapping[str, Any], *, quiet: bool = False) -> dict[str, Any]:
    """Return granian's keyword arguments for the settings (``quiet``: errors only, no access log)."""
    return {
        "address": settings["host"],
        "port": settings["port"],
        # RSGI, not granian's WSGI: its WSGI interface reads a body on the app's thread, with no
        # time limit, so a few clients sending a byte a second would hold every thread.
        # ``BodyGuard`` reads it on the event loop first, then runs the WSGI app on a thread.
        "interface": Interfaces.RSGI,
        "workers": settings["workers"],
        # Requests a worker holds at once (reading a body, in the app, or queued for one of its
        # ``threads``): granian's default, 1024 / workers, so that slow clients cannot fill it.
        "http1_settings": HTTP1Settings(header_read_timeout=int(settings["header_timeout_s"] * 1000)),
        # A worker told to stop finishes its requests; past this it is killed.
        "workers_kill_timeout": int(settings["query_timeout_s"]) + 5,
        "respawn_interval": RESPAWN_S,
        "log_enabled": True,
        "log_dictconfig": LOG_CONFIG,
        "log_level": LogLevels.error if quiet else LogLevels.info,
        "log_access": not quiet,
    }


def load_app(settings: Mapping[str, Any]):
    """Build the app in a granian worker, with its query processes started and its templates
    compiled before the worker accepts its first connection."""
    from . import create_app, warm

    # Ctrl-C reaches the whole process group: the master stops the workers (SIGTERM, each one
    # finishing its requests); a worker stopping on the key by itself would be logged as a
    # crash, or print a KeyboardInterrupt traceback while it loads the app.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        app = create_app(settings)
    except ParleyError as exc:
        log.error("Error: %s%s", exc.message, f"\n  fix: {exc.hint}" if exc.hint else "")
        raise SystemExit(3) from None
    warm(app)
    return BodyGuard(app, settings)


class BodyGuard:
    """The WSGI app behind granian's RSGI interface, so that no thread waits for a client.

    On the event loop (Rust I/O underneath) the request body is read whole, with a deadline of
    ``header_timeout_s`` for the whole body and at most ``max_request_bytes`` + 1 bytes of it
    (the app refuses a longer one with 413; a longer Content-Length is passed on unread, for the
    app to refuse at once). A client too slow gets 408 and its connection closed. Only then is the
    WSGI app called, on one of ``threads`` threads, with the body as ``wsgi.input``; its answer is
    sent whole when it is shorter than ``STREAM_BYTES``, else chunk by chunk, each chunk made on
    the same threads.
    """

    def __init__(self, app, settings: Mapping[str, Any]):
        self.app = app
        self.body_timeout_s = float(settings["header_timeout_s"])
        self.max_body = int(settings["max_request_bytes"]) + 1
        self.threads = ThreadPoolExecutor(settings["threads"], thread_name_prefix="parley-request")
        self.draining = False
        self.stream_bytes = STREAM_BYTES

    def __rsgi_init__(self, loop) -> None:
        # SIGUSR1 from the master (``ParleyGranian``): this worker is about to be replaced.
        loop.add_signal_handler(signal.SIGUSR1, self.drain)
        # granian's worker stops on SIGINT as on SIGTERM; here only the master's SIGTERM stops it.
        loop.remove_signal_handler(signal.SIGINT)
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def drain(self) -> None:
        """Answer every request from now on with ``Connection: close``, so that each client
        learns from a response, not from a closed connection, that it must connect again."""
        self.draining = True

    def __rsgi_del__(self, loop) -> None:
        """The worker stops: its query processes are stopped with it, even one still starting
        (which would otherwise find its pipe closed and print a traceback)."""
        self.threads.shutdown(wait=False, cancel_futures=True)
        endpoint = getattr(self.app, "extensions", {}).get("parley_sparql")
        if endpoint is not None:
            endpoint.close()

    async def __rsgi__(self, scope, protocol) -> None:
        headers = scope.headers
        body = b""
        length = headers.get("content-length")
        if scope.method not in ("GET", "HEAD") or length or "transfer-encoding" in headers:
            if not (length and length.isdigit() and int(length) >= self.max_body):
                try:
                    body = await asyncio.wait_for(self._read(protocol), self.body_timeout_s)
                except TimeoutError:
                    protocol.response_bytes(
                        408, [("content-type", "text/plain; charset=utf-8"), ("connection", "close")], TOO_SLOW
                    )
                    return
        loop = asyncio.get_running_loop()
        status, response_headers, first, rest = await loop.run_in_executor(
            self.threads, self._call, _environ(scope, body)
        )
        if self.draining:
            response_headers = [*response_headers, ("connection", "close")]
        if rest is None:
            protocol.response_bytes(status, response_headers, first)
            return
        transport = protocol.response_stream(status, response_headers)
        try:
            if first:
                await transport.send_bytes(first)
            while (chunk := await loop.run_in_executor(self.threads, _next_chunk, rest)) is not None:
                await transport.send_bytes(chunk)
        finally:
            await loop.run_in_executor(self.threads, _close, rest)

    async def _read(self, protocol) -> bytes:
        data = bytearray()
        async for chunk in protocol:
            data += chunk
            if len(data) >= self.max_body:
                break
        return bytes(data)

    def _call(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes, Iterator[bytes] | None]:
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
            started[:] = [int(status.split(" ", 1)[0]), headers]
            return _no_write

        result = self.app(environ, start_response)
        if isinstance(result, list):
            return started[0], started[1], b"".join(result), None
        # Most answers are one page or document (werkzeug's iterator of one chunk): read up to
        # ``stream_bytes`` of it here, so that those go back in one piece, with no further trip
        # to a thread; only a longer answer (a dump) is sent on chunk by chunk.
        chunks = iter(result)
        buffered: list[bytes] = []
        size = 0
        for chunk in chunks:
            buffered.append(chunk)
            size += len(chunk)
            if size >= self.stream_bytes:  # start_response has been called by now
                return started[0], started[1], b"".join(buffered), _Closing(chunks, result)
        _close(result)
        return started[0], started[1], b"".join(buffered), None


TOO_SLOW = b"the request body did not arrive within PARLEY_HEADER_TIMEOUT_S; send it at once\n"


def _no_write(data: bytes) -> None:
    raise NotImplementedError("the app must return its body, not write it")


class _Closing:
    """A WSGI answer's iterator with the answer's own ``close`` (WSGI: called once, at the end)."""

    def __init__(self, chunks: Iterator[bytes], result: Any):
        self.chunks, self.result = chunks, result

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks

    def close(self) -> None:
        _close(self.result)


def _next_chunk(chunks) -> bytes | None:
    for chunk in chunks:
        if chunk:
            return chunk
    return None


def _close(result: Any) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _split_address(address: str) -> tuple[str, str]:
    host, _, port = address.rpartition(":")
    return host.strip("[]"), port


def _environ(scope, body: bytes) -> dict[str, Any]:
    """The WSGI environ of an RSGI request, as granian's own WSGI interface makes it."""
    server_name, server_port = _split_address(scope.server)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        # RSGI gives the path percent-decoded as UTF-8; WSGI wants those bytes as latin-1.
        "PATH_INFO": scope.path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server_name,
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "SERVER_SOFTWARE": "Granian",
        "REMOTE_ADDR": _split_address(scope.client)[0],
        "GATEWAY_INTERFACE": "CGI/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope.headers.items():
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        if key in environ:
            environ[key] += ("; " if key == "HTTP_COOKIE" else ", ") + value
        else:
            environ[key] = value
    if "transfer-encoding" in scope.headers:
        environ.pop("CONTENT_LENGTH", None)
    return environ


class ParleyGranian(Server):
    """granian's master, with the build checked before a reload replaces the workers."""

    def __init__(self, settings: Mapping[str, Any], **options: Any):
        self.settings = dict(settings)
        super().__init__("parley", **options)

    def _reload(self, spawn_target, target_loader):
        try:
            check_build(self.settings["build_dir"])
        except ConfigError as exc:
            # New workers could not open a damaged build; the old ones go on serving theirs.
            self.reload_signal = False
            self.main_loop_interrupt.clear()
            if self.interrupt_children or self.interrupt_signal:
                # A worker exited (or a stop came) while the build was checked: its wake-up of
                # the main loop must not be lost, or the master would serve on with a worker
                # fewer and never stop. (A worker still loading the app when the build was
                # damaged under it cannot open the store and exits.) The watcher records the
                # exit before it wakes the loop, so looking after clearing misses none.
                self.main_loop_interrupt.set()
            log.error("not reloading: %s; %s", exc.message, exc.hint)
            return None
        return super()._reload(spawn_target, target_loader)

    def _stop_workers(self) -> None:
        super()._stop_workers()
        if self.interrupt_signal:
            # Ctrl-C reaches the workers as well as the master: a worker that stopped on it
            # before the master stopped it did what it was told, not a failure (exit 0, not 1).
            self.interrupt_children.clear()

    def _respawn_workers(self, workers, spawn_target, target_loader, delay: float = 0) -> None:
        """granian 2.8's rolling respawn, with one step more: before the old worker is stopped it
        is told to drain (SIGUSR1, ``BodyGuard.drain``) and given ``DRAIN_S`` to close its
        kept-alive connections after a response. Stopped at once instead, it would close them
        under a client that is just sending its next request on one (a failed request)."""
        for idx in workers:
            self.respawned_wrks[idx] = time.monotonic()
            log.info("respawning worker-%d", idx + 1)
            old = self.wrks.pop(idx)
            new = self._spawn_worker(idx=idx, target=spawn_target, callback_loader=target_loader)
            new.start()
            self.wrks.insert(idx, new)
            time.sleep(delay)
            if delay and old.is_alive():
                os.kill(old.inner.pid, signal.SIGUSR1)
                time.sleep(DRAIN_S)
            old.terminate()
            old.join(self.workers_kill_timeout)
            if old.is_alive():
                log.warning("killing old worker-%d after it refused to stop", idx + 1)
                old.kill()
                old.join()
        self._metrics.incr_spawn(len(workers))


def serve(settings: Mapping[str, Any], *, quiet: bool = False) -> None:
    """Run granian until SIGTERM or SIGINT; raise ConfigError when its workers could not start."""
    server = ParleyGranian(settings, **granian_options(settings, quiet=quiet))
    try:
        server.serve(target_loader=partial(load_app, dict(settings)), wrap_loader=False)
    except ConfigurationError as exc:
        raise ConfigError(
            f"granian refused its configuration: {exc}", hint="check the settings of `parley serve --help`"
        ) from None
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise ConfigError(
                f"granian stopped with status {exc.code}: the server could not start its workers",
                hint="the log above says why; fix that, then run `parley serve` again",
            ) from None
