"""A query process: ``python -m server.sparql.child FD PARENT_PID``, started by the pool.

It reads the store's spec from the pipe on ``FD``, opens the store with ``store.open_spec``,
says it is ready, then answers one job at a time until the pipe closes: ``("ok", Answer)``, or
``("error", ParleyError)`` sent whole (pickled) for the request thread to raise, or ``("bug",
traceback)`` for anything unexpected, logged here first. Queries run on a thread with a large
stack (``STACK_BYTES``): pyoxigraph recurses once per level of a query's algebra and has no
guard of its own, and the guard's bounds are sized against this stack, not the main thread's
8 MB. The process also moves into an empty network namespace where the kernel allows it, so
even a ``SERVICE`` call that slipped past the guard could not connect, exits when its parent
does, and lets the kernel end it (SIGXCPU) when a job has used its time limit in CPU plus 2 s.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection

from graph.errors import ParleyError

log = logging.getLogger(__name__)

#: stack of the thread that runs queries; only the pages a query touches are ever resident.
#: Measured, a query at the guard's bounds needs at most about 50 MB of it (5,000 path steps of
#: ~9 kB each; MAX_DEPTH nested lists ~3 MB): tests/sparql/test_limits.py runs such queries.
STACK_BYTES = 256 * 1024 * 1024
PROBE = "probe"
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def _isolate_network() -> bool:
    """Move this process into an empty network namespace; return whether that worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


def _die_with_parent(parent: int) -> None:
    """Exit when the parent goes (checked at start and every second).

    PR_SET_PDEATHSIG is not used: it fires when the *thread* that started the process ends,
    and a threaded server starts replacements from short-lived request threads.
    """
    if os.getppid() != parent:
        os._exit(0)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _limit_cpu(timeout_s: float | None) -> None:
    """Backstop for an orphaned process: the kernel ends it (SIGXCPU) once this job has used
    ``timeout_s`` + 2 s of CPU, even if no parent is left to kill it."""
    if not timeout_s:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(usage.ru_utime + usage.ru_stime + timeout_s) + 2
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _answer(store, job, timeout_s: float | None) -> tuple[str, object]:
    from .execute import execute

    _limit_cpu(timeout_s)
    try:
        return "ok", execute(store, job)
    except ParleyError as exc:
        return "error", exc
    except Exception:  # a bug: logged here with its traceback, a 500 in the server
        log.exception("query failed unexpectedly: %.300r", getattr(job, "query", job))
        return "bug", traceback.format_exc()


def serve(conn: Connection, store, info: dict) -> None:
    """Answer jobs from ``conn`` until it closes: ``(job, timeout_s)`` or ``PROBE``."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message == PROBE:
            reply: tuple[str, object] = ("ok", info)
        else:
            job, timeout_s = message
            reply = _answer(store, job, timeout_s)
        try:
            conn.send(reply)
        except OSError:
            return


def main(fd: int, parent: int) -> None:
    """Open the store named by the spec the pool sends, then serve jobs on a large stack."""
    # Ctrl-C reaches the whole process group; this process is stopped by its worker (or goes
    # with it), never by the key itself, which would print a KeyboardInterrupt traceback. The
    # pool starts it with SIGINT blocked, so that one sent while it was importing is dropped here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_parent(parent)
    isolated = _isolate_network()
    conn = Connection(fd)
    try:
        from ..data.store import open_spec
        from . import guard

        spec = conn.recv()
        store = open_spec(spec)
        guard.warm_up()
    except ParleyError as exc:  # a missing or unreadable store: the server says so
        conn.send(("error", exc))
        return
    info = {"pid": os.getpid(), "network_isolated": isolated}
    conn.send(("ready", info))
    threading.stack_size(STACK_BYTES)
    worker = threading.Thread(target=serve, args=(conn, store, info), name="queries")
    worker.start()
    worker.join()


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s [query process %(process)d] %(levelname)s %(name)s: %(message)s",
    )
    # Run as the package's module, not as __main__, so its log records name server.sparql.child.
    from server.sparql import child

    child.main(int(sys.argv[1]), int(sys.argv[2]))
