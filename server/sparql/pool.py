"""The query pool: a few query processes per server worker, so a time limit can really stop a query.

pyoxigraph has no query timeout and holds the GIL, so a runaway query cannot be interrupted
inside the server process. Each worker therefore owns a ``QueryPool`` of ``size`` query
processes (``server.sparql.child``), each opening the same store with ``store.open_spec`` and
running one job at a time. The request thread sends the job and waits on the pipe, holding
neither a lock nor the GIL, until the deadline; past it the process is killed (its CPU use
stops at once), a replacement is started at once and the client gets ``QueryTimeout``. A
process that dies during a query (killed, out of memory) gives ``QueryAborted`` (503) and is
replaced the same way. A ParleyError raised in the process comes back whole and is raised
here; an unexpected failure there comes back as its traceback and is raised as
``QueryProcessError``, which Flask logs and answers with 500. Processes are started as
``python -m server.sparql.child`` rather than forked, so a threaded server is never forked and
its main module is never re-imported.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph.errors import ParleyError

from ..problems import QueryAborted, QueryTimeout
from .child import PROBE
from .execute import Answer, Job

log = logging.getLogger(__name__)

STARTUP_S = 30.0  # how long a request waits for a query process that is still starting
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class QueryProcessError(RuntimeError):
    """An unexpected failure inside a query process (a bug): a logged 500, never a 400."""


class _Child:
    """One query process and the parent's end of its pipe."""

    def __init__(self, spec: Mapping[str, Any]):
        self.conn, child_conn = multiprocessing.Pipe()
        fd = child_conn.fileno()
        env = dict(os.environ)
        # The child must import this checkout's server package, whatever the server's cwd.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        # Ctrl-C reaches the whole process group. The process starts with SIGINT blocked (a
        # thread's signal mask is kept across fork and exec) and ignores it once it runs
        # (``child.main``), so it is stopped by this worker only, never mid-import with a
        # KeyboardInterrupt traceback.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server.sparql.child", str(fd), str(os.getpid())],
                pass_fds=(fd,),
                env=env,
                stdin=subprocess.DEVNULL,
                close_fds=True,
            )
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        child_conn.close()
        self.conn.send(dict(spec))
        self.info: dict | None = None
        self.failure: ParleyError | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def check_ready(self, timeout_s: float) -> bool:
        """Return whether the process has said it is ready, waiting up to ``timeout_s``.

        Raises the process's ParleyError if it could not open the store, and EOFError or
        OSError if it died while starting.
        """
        if self.failure is not None:
            raise self.failure
        if self.info is None and self.conn.poll(timeout_s):
            kind, value = self.conn.recv()
            if kind == "error":
                self.failure = value
                raise value
            self.info = value
        return self.info is not None

    def end(self) -> str:
        """Return how the process ended (``signal SIGKILL``, ``exit 1``), waiting briefly."""
        try:
            code = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return "still running"
        if code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"exit {code}"

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            self.conn.close()


def _close_children(children: list) -> None:
    for child in list(children):
        child.kill()
    children.clear()


class QueryPool:
    """``size`` query processes over the store a ``Store.spec()`` names, each replaced when it ends."""

    def __init__(self, spec: Mapping[str, Any], size: int):
        self._spec = dict(spec)
        self._size = size
        self._idle: list[_Child] = []
        self._all: list[_Child] = []
        self._cond = threading.Condition()
        self._closed = False
        self._finalizer = weakref.finalize(self, _close_children, self._all)
        # All processes start now, in the background: a request never waits for a cold start
        # while a sibling process is busy.
        for _ in range(size):
            child = _Child(self._spec)
            self._all.append(child)
            self._idle.append(child)

    def _acquire(self, deadline: float, timeout_s: float) -> _Child:
        with self._cond:
            while True:
                if self._closed:
                    raise ParleyError("the query pool is shut down", hint="restart the server")
                if self._idle:
                    # A warm process first: a replacement may still be starting.
                    for child in reversed(self._idle):
                        try:
                            ready = child.check_ready(0)
                        except (ParleyError, EOFError, OSError):
                            ready = True  # failed: handing it out makes run() report or replace it
                        if ready:
                            self._idle.remove(child)
                            return child
                    return self._idle.pop()
                if len(self._all) < self._size:
                    child = _Child(self._spec)
                    self._all.append(child)
                    return child
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise QueryTimeout(
                        f"all {self._size} query processes stayed busy for query_timeout_s={timeout_s:g} s",
                        hint="retry later; long queries are stopped at the time limit",
                    )
                self._cond.wait(remaining)

    def _release(self, child: _Child, healthy: bool) -> None:
        with self._cond:
            if healthy and not self._closed:
                self._idle.append(child)
            else:
                if child in self._all:
                    self._all.remove(child)
                child.kill()
                if not self._closed:  # warm a replacement now, not on the next request
                    replacement = _Child(self._spec)
                    self._all.append(replacement)
                    self._idle.append(replacement)
            self._cond.notify()

    def _start(self, child: _Child) -> None:
        if not child.check_ready(STARTUP_S):
            raise ParleyError(
                f"a query process did not start within {STARTUP_S:g} s",
                hint="check the server log and the store directory",
            )

    def _call(self, message: Any, timeout_s: float) -> Any:
        """Send ``message`` to a free process and return what it answers; see ``run``."""
        wait_deadline = time.monotonic() + timeout_s
        for attempt in (1, 2):
            child = self._acquire(wait_deadline, timeout_s)
            healthy = False
            try:
                try:
                    self._start(child)
                    deadline = time.monotonic() + timeout_s
                    child.conn.send(message)
                except (EOFError, BrokenPipeError, OSError):
                    if attempt == 1:  # an idle process that died: replace it and try once more
                        log.warning("query process %s had ended (%s); replaced", child.pid, child.end())
                        continue
                    raise ParleyError(
                        "could not hand the query to a query process", hint="retry; if it persists, see the server log"
                    ) from None
                if not child.conn.poll(max(0.0, deadline - time.monotonic())):
                    log.warning("query stopped after %.1f s (pid %s)", timeout_s, child.pid)
                    raise QueryTimeout(
                        f"the query ran past query_timeout_s={timeout_s:g} s and was stopped",
                        hint="narrow the query or add LIMIT; whole-graph copies are in /dumps/",
                    )
                try:
                    kind, value = child.conn.recv()
                except (EOFError, OSError):
                    log.warning("query process %s ended during a query (%s); replaced", child.pid, child.end())
                    raise QueryAborted(
                        "the query process running this query stopped (killed, or out of memory) and has been replaced",
                        hint="retry; if the same query is stopped again, narrow it",
                    ) from None
                healthy = True
            finally:
                self._release(child, healthy)
            if kind == "error":
                raise value
            if kind == "bug":
                raise QueryProcessError(f"query process {child.pid} failed:\n{value}")
            return value
        raise AssertionError("unreachable")

    def run(self, job: Job, timeout_s: float) -> Answer:
        """Return the job's answer from a query process.

        The limit applies twice, each time in full: to waiting for a free process and to the
        query itself; a process still starting (after a kill) is waited for up to ``STARTUP_S``
        more. Raises QueryTimeout past the limit (the process is killed and replaced),
        QueryAborted when the process dies during the query (replaced too), the ParleyError the
        query raised (BadQuery, QueryRefused, NotAcceptable ...), and QueryProcessError for an
        unexpected failure in the process.
        """
        return self._call((job, timeout_s), timeout_s)

    def probe(self, timeout_s: float = 10.0) -> dict[str, Any]:
        """Return a query process's pid and whether its network is isolated."""
        return self._call(PROBE, timeout_s)

    def pids(self) -> list[int]:
        """Return the pids of the pool's processes (the busy ones included)."""
        with self._cond:
            return [child.pid for child in self._all]

    def close(self) -> None:
        """Kill every query process; later ``run`` calls raise."""
        with self._cond:
            self._closed = True
            self._idle.clear()
            _close_children(self._all)
            self._cond.notify_all()
