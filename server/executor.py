"""Run SPARQL queries in separate processes, so that a time limit can really stop one.

pyoxigraph has no query timeout and holds the GIL, so a runaway query cannot be interrupted
inside the server process. Each server worker therefore owns a ``QueryPool`` of a few query
processes; each opens the build's store read-only, runs one query at a time and sends back the response body, fully
serialized. The request thread waits for the answer until the deadline; past it, the process
is killed (its CPU use stops at once) and a replacement is started at once, and the client
gets ``QueryTimeout``. Query processes are started as ``python -m server.executor`` rather than
forked, so a threaded server is never forked and its main module is never re-imported.

Query processes also drop their network: each moves into an empty network namespace when the
kernel allows it, so even a ``SERVICE`` call that slipped past the guard could not connect.

``execute(store, job)`` is what a query process does with one job; it is a plain function, so
it can be tested in-process.
"""

from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
import time
import weakref
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox

from graph.errors import BadQuery, ParleyError, QueryRefused, QueryTimeout

from . import conneg, guard

log = logging.getLogger(__name__)

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
TRIG = "application/trig"
N_QUADS = "application/n-quads"

RESULTS_FORMATS: dict[str, ox.QueryResultsFormat] = {
    SPARQL_JSON: ox.QueryResultsFormat.JSON,
    SPARQL_XML: ox.QueryResultsFormat.XML,
    CSV: ox.QueryResultsFormat.CSV,
    TSV: ox.QueryResultsFormat.TSV,
    # Plain JSON and XML, for clients (curl, fetch) that ask for those rather than the SPARQL
    # media types; offered last so they are never the default.
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    TURTLE: ox.RdfFormat.TURTLE,
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    JSON_LD: ox.RdfFormat.JSON_LD,
    RDF_XML: ox.RdfFormat.RDF_XML,
    TRIG: ox.RdfFormat.TRIG,
    N_QUADS: ox.RdfFormat.N_QUADS,
}
_DATASET_FORMATS = frozenset({TRIG, N_QUADS})
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
STARTUP_S = 30.0  # how long a request waits for a query process that is still starting
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


def offered_for(form: str) -> list[str]:
    """Return the media types offered for a query form, the default first."""
    return list(RESULTS_FORMATS) if form in ("SELECT", "ASK") else list(GRAPH_FORMATS)


# --- what a query process does with one job --------------------------------------------------

def _term_json(term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction is not None:
                out["its:dir"] = str(direction).rsplit(".", 1)[-1].lower()
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _too_many(max_rows: int, what: str) -> QueryRefused:
    return QueryRefused(f"the query returns more than max_rows={max_rows} {what}",
                        hint="add LIMIT (or narrow the query); whole-graph copies are in /dumps/")


def _select_body(solutions: ox.QuerySolutions, media_type: str, max_rows: int) -> bytes:
    variables = list(solutions.variables)
    names = [v.value for v in variables]
    bindings = []
    for solution in solutions:
        if len(bindings) >= max_rows:
            raise _too_many(max_rows, "rows")
        row = {}
        for variable, name in zip(variables, names):
            value = solution[variable]
            if value is not None:
                row[name] = _term_json(value)
        bindings.append(row)
    body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media_type == SPARQL_JSON:
        return body
    # Counting needs the rows in hand; pyoxigraph then writes the other formats from them.
    reread = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return reread.serialize(format=RESULTS_FORMATS[media_type])


def _graph_body(triples: ox.QueryTriples, media_type: str, max_rows: int,
                prefixes: Mapping[str, str]) -> bytes:
    collected = []
    for triple in triples:
        if len(collected) >= max_rows:
            raise _too_many(max_rows, "triples")
        collected.append(triple)
    items = collected
    if media_type in _DATASET_FORMATS:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in collected]
    fmt = GRAPH_FORMATS[media_type]
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return ox.serialize(items, format=fmt)
    return ox.serialize(items, format=fmt, prefixes=dict(prefixes))


# Names some clients (SPARQLWrapper) send as ``format`` beyond the server's common aliases.
_EXTRA_FORMAT_NAMES = {"rdf+xml": RDF_XML, "n-triples": N_TRIPLES, "n-quads": N_QUADS}


def _choose(form: str, accept: str | None, fmt: str | None) -> str:
    offered = offered_for(form)
    if fmt:
        chosen = conneg.format_override(_EXTRA_FORMAT_NAMES.get(fmt.lower(), fmt), offered)
        if chosen is None:
            raise _NotAcceptable(form, offered, f"format={fmt!r} is not offered for {form} queries")
        return chosen
    chosen = conneg.negotiate(accept, offered, default=offered[0])
    if chosen is None:
        raise _NotAcceptable(form, offered, f"nothing in Accept: {accept} is offered for {form} queries")
    return chosen


class _NotAcceptable(Exception):
    def __init__(self, form: str, offered: list[str], message: str):
        super().__init__(message)
        self.offered = offered
        self.message = message


def execute(store: ox.Store, job: Mapping[str, Any]) -> dict[str, Any]:
    """Run one query job on ``store``; return a result dict (never raises for a bad query).

    The job holds ``query``, ``default_graphs`` and ``named_graphs`` (IRI strings; both None
    for the union default graph), ``base_iri``, ``accept``, ``format``, ``max_rows`` and
    ``prefixes``. The result is ``{"ok": True, "media_type", "body"}`` or ``{"ok": False,
    "error": "BadQuery" | "QueryRefused" | "NotAcceptable", "message", "hint", "offered"}``.
    """
    try:
        return _execute(store, job)
    except (BadQuery, QueryRefused) as exc:
        return {"ok": False, "error": type(exc).__name__, "message": exc.message, "hint": exc.hint}
    except _NotAcceptable as exc:
        return {"ok": False, "error": "NotAcceptable", "message": exc.message, "hint": None,
                "offered": exc.offered}


def _execute(store: ox.Store, job: Mapping[str, Any]) -> dict[str, Any]:
    query = job["query"]
    shape = guard.check(query)  # refuses updates and SERVICE before anything runs
    default_graphs, named_graphs = job.get("default_graphs"), job.get("named_graphs")
    options: dict[str, Any] = {"base_iri": job.get("base_iri"), "prefixes": dict(job.get("prefixes") or {})}
    if default_graphs is not None or named_graphs is not None:
        # A protocol dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol 2.1.4).
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
    elif not shape.has_dataset_clause:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(query, **options)
    except SyntaxError as exc:
        raise BadQuery(f"SPARQL syntax error: {exc}", hint="fix the query text at the position given") from None
    if isinstance(result, ox.QueryBoolean):
        media_type = _choose("ASK", job.get("accept"), job.get("format"))
        body = result.serialize(format=RESULTS_FORMATS[media_type])
    elif isinstance(result, ox.QuerySolutions):
        media_type = _choose("SELECT", job.get("accept"), job.get("format"))
        body = _select_body(result, media_type, job["max_rows"])
    else:
        media_type = _choose("CONSTRUCT", job.get("accept"), job.get("format"))
        body = _graph_body(result, media_type, job["max_rows"], job.get("prefixes") or {})
    return {"ok": True, "media_type": media_type, "body": body}


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
    """Exit when the parent goes (checked between jobs and every second while idle).

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


def child_main(fd: int, store_path: str, parent: int) -> None:
    """A query process: open the store read-only, then answer jobs until the pipe closes."""
    _die_with_parent(parent)
    isolated = _isolate_network()
    conn = Connection(fd)
    store = ox.Store.read_only(store_path)
    guard.warm_up()
    conn.send({"ready": True, "pid": os.getpid(), "network_isolated": isolated})
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job.get("kind") == "probe":
            result = {"ok": True, "pid": os.getpid(), "network_isolated": isolated}
        else:
            _limit_cpu(job.get("timeout_s"))
            result = execute(store, job)
        try:
            conn.send(result)
        except OSError:
            return


# --- the pool the request threads use ---------------------------------------------------------

class _Child:
    """One query process, started with ``python -m server.executor`` (no fork of a threaded
    server, no re-import of the server's main module)."""

    def __init__(self, store_path: Path):
        self.conn, child_conn = multiprocessing.Pipe()
        fd = child_conn.fileno()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.executor", str(fd), str(store_path), str(os.getpid())],
            pass_fds=(fd,), env=env, stdin=subprocess.DEVNULL, close_fds=True)
        child_conn.close()
        self.ready = False

    def check_ready(self, timeout_s: float) -> bool:
        """Return whether the process has said it is ready, waiting up to ``timeout_s``.

        Raises EOFError or OSError if it died while starting.
        """
        if not self.ready and self.conn.poll(timeout_s):
            self.conn.recv()
            self.ready = True
        return self.ready

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
    """``size`` query processes over the store at ``store_path``, each replaced when killed."""

    def __init__(self, store_path: Path, size: int):
        self._store_path = Path(store_path)
        self._size = size
        self._idle: list[_Child] = []
        self._all: list[_Child] = []
        self._cond = threading.Condition()
        self._closed = False
        self._finalizer = weakref.finalize(self, _close_children, self._all)
        # All processes start now, in the background: a request never waits for a cold start
        # while a sibling process is busy.
        for _ in range(size):
            child = _Child(self._store_path)
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
                        except (EOFError, OSError):
                            ready = True  # dead: handing it out makes run() replace it
                        if ready:
                            self._idle.remove(child)
                            return child
                    return self._idle.pop()
                if len(self._all) < self._size:
                    child = _Child(self._store_path)
                    self._all.append(child)
                    return child
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise QueryTimeout(f"all {self._size} query processes stayed busy for "
                                       f"query_timeout_s={timeout_s:g} s",
                                       hint="retry later; long queries are stopped at the time limit")
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
                    replacement = _Child(self._store_path)
                    self._all.append(replacement)
                    self._idle.append(replacement)
            self._cond.notify()

    def run(self, job: Mapping[str, Any], timeout_s: float) -> dict[str, Any]:
        """Return the job's result from a query process, or raise QueryTimeout past ``timeout_s``.

        The limit applies twice, each time in full: to waiting for a free process and to the
        query itself; a process still starting (after a kill) is waited for up to ``STARTUP_S``
        more. A process that passes the deadline is killed and a replacement started; one that
        dies on its own raises ParleyError (500).
        """
        wait_deadline = time.monotonic() + timeout_s
        for attempt in (1, 2):
            child = self._acquire(wait_deadline, timeout_s)
            healthy = False
            try:
                try:
                    if not child.check_ready(STARTUP_S):
                        raise ParleyError(f"a query process did not start within {STARTUP_S:g} s",
                                          hint="check the server log and the store directory")
                    deadline = time.monotonic() + timeout_s
                    child.conn.send({**job, "timeout_s": timeout_s})
                except (EOFError, BrokenPipeError, OSError):
                    if attempt == 1:  # an idle process that died: replace it and try once more
                        continue
                    raise ParleyError("could not hand the query to a query process",
                                      hint="retry; if it persists, restart the server") from None
                if not child.conn.poll(max(0.0, deadline - time.monotonic())):
                    log.warning("query stopped after %.1f s (pid %s)", timeout_s, child.process.pid)
                    raise QueryTimeout(f"the query ran past query_timeout_s={timeout_s:g} s and was stopped",
                                       hint="narrow the query or add LIMIT; whole-graph copies are in /dumps/")
                try:
                    result = child.conn.recv()
                except (EOFError, OSError):
                    raise ParleyError("the query process stopped unexpectedly (out of memory?)",
                                      hint="narrow the query; if it persists, report it") from None
                healthy = True
                return result
            finally:
                self._release(child, healthy)
        raise AssertionError("unreachable")

    def probe(self, timeout_s: float = 10.0) -> dict[str, Any]:
        """Return a query process's pid and whether its network is isolated."""
        return self.run({"kind": "probe"}, timeout_s)

    def close(self) -> None:
        """Kill every query process; later ``run`` calls raise."""
        with self._cond:
            self._closed = True
            self._idle.clear()
            _close_children(self._all)
            self._cond.notify_all()


if __name__ == "__main__":  # a query process, started by _Child
    child_main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
