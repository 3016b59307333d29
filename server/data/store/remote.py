"""A SPARQL 1.1 server as Parley's store: querying it, and loading a build into it.

``RemoteStore`` implements ``store.Store`` over any SPARQL 1.1 Protocol endpoint
(Oxigraph server, Virtuoso, Fuseki, GraphDB, QLever): every query is one POST with the query
and the Protocol's dataset parameters, its answer parsed by pyoxigraph's own parsers, chosen by
the answer's media type (SPARQL results JSON or XML for SELECT and ASK, any RDF syntax
pyoxigraph reads for CONSTRUCT and DESCRIBE). The endpoint must use the union of its graphs as
the default graph, as the embedded store does (``oxigraph serve --union-default-graph``;
Virtuoso does by default, its own system graphs included, so a query to it is scoped to
Parley's graphs: ``RemoteStore._scope``, with the other ways it differs handled beside it and
listed in docs/deploying.md). Values reach a canned query as a ``VALUES`` block at the start of its
``WHERE`` group, each term written by pyoxigraph, never by formatting user text. Every request
has a deadline (``query_timeout_s``) on the whole exchange, so a slow or silent remote is a
logged ``StoreTimeout`` (504), and one that refuses, fails or cannot be reached is a logged
``StoreUnavailable`` (502); a 400 from the remote for a client's query is its syntax error, and
an answer the remote cut at its own row cap is refused, never passed on cut.

``loading.load_build`` replaces what a remote holds with a build, graph by graph, with the SPARQL
1.1 Graph Store Protocol: see its docstring for what is atomic and what a failed load leaves;
``query_text`` writes what is sent.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from urllib.parse import urlencode

import pyoxigraph as ox
import urllib3

from graph.errors import ConfigError, ParleyError
from graph.namespaces import BASE, PREFIXES

from ...problems import QueryRefused
from .query_text import _prologue, ask_as_select, bind, names_a_dataset, query_form

log = logging.getLogger(__name__)

POOL_CONNECTIONS = 16  # kept-alive connections to the remote per worker (more are opened, not kept)
CONNECT_S = 5.0  # how long to wait for the remote to accept a connection (within the deadline)
LOAD_TIMEOUT_S = 600.0  # one graph's PUT during a load: big graphs take a while
_RESULTS_ACCEPT = f"{ox.QueryResultsFormat.JSON.media_type}, {ox.QueryResultsFormat.XML.media_type};q=0.9"
_GRAPH_ACCEPT = f"{ox.RdfFormat.N_TRIPLES.media_type}, {ox.RdfFormat.TURTLE.media_type};q=0.9"
# Asked by the query's form: offered SPARQL results JSON first, Virtuoso answers a CONSTRUCT in
# it too (as rows of ?s ?p ?o), which is no graph.
_ACCEPT_BY_FORM = {
    "SELECT": _RESULTS_ACCEPT,
    "ASK": _RESULTS_ACCEPT,
    "CONSTRUCT": _GRAPH_ACCEPT,
    "DESCRIBE": _GRAPH_ACCEPT,
}
# Virtuoso sends at most ResultSetMaxRows rows, and says it cut an answer only by this header.
_CUT_HEADER = "X-SPARQL-MaxRows"
_ACCEPT = f"{_RESULTS_ACCEPT}, {ox.RdfFormat.N_TRIPLES.media_type};q=0.9, {ox.RdfFormat.TURTLE.media_type};q=0.8"


class StoreUnavailable(ParleyError):
    """The remote SPARQL store refused, failed or could not be reached."""

    exit_code = 1
    status = 502
    title = "Store unavailable"
    retry_after_s = 5


class StoreTimeout(ParleyError):
    """The remote SPARQL store did not answer within the time limit."""

    exit_code = 1
    status = 504
    title = "Store timed out"
    retry_after_s = 5


# --- the store -----------------------------------------------------------------------------------


class _Answer(io.RawIOBase):
    """The body of a remote's answer, read within the request's deadline; closing it closes the
    response (a parser that stops early, at the row cap, leaves it to be closed when dropped)."""

    def __init__(self, response: urllib3.BaseHTTPResponse, deadline: float, store: RemoteStore):
        self._response = response
        self._deadline = deadline
        self._store = store

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if time.monotonic() > self._deadline:
            raise self._store._timeout()
        try:
            data = self._response.read(len(buffer), decode_content=True)
        except urllib3.exceptions.ReadTimeoutError:
            raise self._store._timeout() from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._store._unreachable(exc) from None
        buffer[: len(data)] = data
        self._finished = not data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            if not getattr(self, "_finished", False):
                # read only in part (the row cap stopped it): the connection holds the rest
                # of the answer and cannot be reused
                self._response.close()
            self._response.release_conn()
        super().close()


# Virtuoso writes a blank node in SPARQL results JSON as {"type": "bnode", "value": "nodeID://b1"},
# a label no parser takes; its N-Triples say _:b1. (Quotes inside a JSON string are escaped, so
# this matches no literal.)
_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')


#: the scope of a Virtuoso that holds no graph of Parley's yet: a graph IRI that no build has
_NO_GRAPH = BASE + "graph/"


def _virtuoso_blank_nodes(body: bytes) -> bytes:
    """Virtuoso's SPARQL results JSON with its blank node labels as the N-Triples it writes has them."""
    return _VIRTUOSO_BNODE.sub(rb"\1", body) if b'"bnode"' in body else body


def _read_all(reader) -> bytes:
    with reader:
        return reader.read()


class RemoteStore:
    """``Store`` over a SPARQL 1.1 Protocol endpoint at ``query_url``."""

    def __init__(self, query_url: str, timeout_s: float):
        self.query_url = query_url
        self.timeout_s = timeout_s
        self._prefixes = {k: str(v) for k, v in PREFIXES.items()}
        # One pool of kept-alive connections for every request thread (urllib3's is thread-safe;
        # requests' Session costs a millisecond of CPU a query more than urllib3 alone).
        self._pool = urllib3.PoolManager(maxsize=POOL_CONNECTIONS, block=False, retries=False)
        self._server = ""  # the remote's Server header, as last seen
        self._virtuoso: bool | None = None  # whether the endpoint is Virtuoso, found on first use
        self._graph_scope: tuple[str, ...] = ()  # see ``_scope``
        self._engine_lock = threading.Lock()

    @classmethod
    def open(cls, query_url: str, timeout_s: float) -> RemoteStore:
        """Return the store at ``query_url`` after an ``ASK {}``; ConfigError when it does not answer."""
        store = cls(query_url, timeout_s)
        try:
            store.ask("ASK {}")
        except (StoreUnavailable, StoreTimeout) as exc:
            raise ConfigError(
                f"the SPARQL store at {query_url} does not answer: {exc.message}",
                hint="start it, or fix PARLEY_STORE_URL / --store-url (its SPARQL query endpoint)",
            ) from None
        return store

    def _timeout(self) -> StoreTimeout:
        log.warning("the SPARQL store at %s did not answer within %.1f s", self.query_url, self.timeout_s)
        return StoreTimeout(
            f"the SPARQL store at {self.query_url} did not answer within query_timeout_s={self.timeout_s:g} s",
            hint="retry later; narrow the query or add LIMIT",
        )

    def _unreachable(self, exc: BaseException) -> StoreUnavailable:
        log.warning("the SPARQL store at %s failed: %s", self.query_url, exc)
        return StoreUnavailable(
            f"the SPARQL store at {self.query_url} could not be reached ({type(exc).__name__})",
            hint="retry later; the operator should check that the store is running",
        )

    def _cut(self, cap: str, client: bool) -> ParleyError:
        """The error for an answer the remote cut at its own row cap (``cap`` rows)."""
        where = f"the SPARQL store at {self.query_url}"
        if client:
            return QueryRefused(
                f"the query returns more than the {cap} rows {where} sends (its own row cap)",
                hint="add LIMIT (or narrow the query); whole-graph copies are in /dumps/",
            )
        log.warning("%s cut an answer of the site's own at %s rows", where, cap)
        return StoreUnavailable(
            f"{where} cut an answer at {cap} rows",
            hint="the operator should raise the store's row cap (Virtuoso: ResultSetMaxRows) above PARLEY_MAX_ROWS",
        )

    def _post(self, text: str, default_graphs=None, named_graphs=None, *, lazy: bool = False, client: bool = False):
        """POST one query; return the answer's media type and its body, read within the deadline
        (``lazy``: a reader of it, so a parser reads only what it is asked for). An answer the
        remote cut at its own row cap is an error (``client``: a client's query, refused)."""
        data = [("query", text)]
        data += [("default-graph-uri", g) for g in default_graphs or ()]
        data += [("named-graph-uri", g) for g in named_graphs or ()]
        deadline = time.monotonic() + self.timeout_s
        try:
            response = self._pool.request(
                "POST",
                self.query_url,
                body=urlencode(data),
                headers={
                    "Accept": _ACCEPT_BY_FORM.get(query_form(text) or "", _ACCEPT),
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                timeout=urllib3.Timeout(connect=min(CONNECT_S, self.timeout_s), read=self.timeout_s),
                preload_content=False,
                redirect=False,
            )
        except urllib3.exceptions.NewConnectionError as exc:  # a subclass of ConnectTimeoutError
            raise self._unreachable(exc) from None
        except (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.ReadTimeoutError):
            raise self._timeout() from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unreachable(exc) from None
        self._server = response.headers.get("Server", self._server)
        cut = response.headers.get(_CUT_HEADER)
        if response.status == 200 and cut is not None:
            response.close()
            response.release_conn()
            raise self._cut(cut, client)
        reader = _Answer(response, deadline, self)
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if response.status == 200 and lazy:
            return media, io.BufferedReader(reader, 65536)
        with reader:
            body = reader.readall()
        where = f"the SPARQL store at {self.query_url}"
        if response.status == 400:
            # the remote's parser refused the query: for a client's query that is a 400 of ours
            raise SyntaxError(body.decode("utf-8", "replace").strip()[:500] or "the store refused the query")
        if response.status != 200:
            shown = body.decode("utf-8", "replace").strip().splitlines()[:1]
            log.warning("%s answered %s: %s", where, response.status, shown)
            raise StoreUnavailable(
                f"{where} answered {response.status}" + (f": {shown[0][:200]}" if shown else ""),
                hint="retry later; the operator should see the store's log",
            )
        return media, body

    def _scope(self) -> tuple[str, ...]:
        """The graphs every query is scoped to, for the engine behind the endpoint (found on first use).

        Virtuoso's default graph is the union of all its graphs, its own system graphs too
        (``virtrdf#`` and others, some thousands of triples), which would show in Parley's
        counts and type lists, and ``GRAPH ?g`` finds them too: a query to it that names no
        dataset of its own is sent with Parley's graphs (those under its base IRI, as found
        then) as the Protocol's ``default-graph-uri`` and ``named-graph-uri``. (Virtuoso's
        ``define input:default-graph-exclude`` pragma would be shorter, but in 7.2 it makes
        ``GRAPH <g> { ?s a ?t }`` count one row.) While it holds none of Parley's graphs the
        scope is one graph that no build has (an empty dataset, as Parley's is then), and it is
        looked for again at each query; once found it is kept: reload the instances after a load
        that adds graphs (a rollout does). Other engines are sent the query as it is.
        """
        with self._engine_lock:
            if self._virtuoso is None:
                self._post("ASK {}")
                self._virtuoso = self._is_virtuoso()
            if not self._virtuoso:
                return ()
            if not self._graph_scope:  # found again while there is none (before the first load)
                self._graph_scope = tuple(self._own(self._graphs()))
            return self._graph_scope or (_NO_GRAPH,)

    def _is_virtuoso(self) -> bool:
        return self._server.startswith("Virtuoso")

    def _graphs(self) -> list[str]:
        """Every named graph the endpoint holds, as its own query answers them (no scope)."""
        # Virtuoso answers ``GRAPH ?g { }`` with one empty row: a graph is found by a triple in it
        pattern = "{ ?s ?p ?o }" if self._is_virtuoso() else "{ }"
        media, body = self._post(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} }}")
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.from_media_type(media))
        return sorted(s["g"].value for s in solutions if isinstance(s["g"], ox.NamedNode))

    @staticmethod
    def _own(graphs: list[str]) -> list[str]:
        return [g for g in graphs if g.startswith(BASE)]

    def _run(self, text: str, default_graphs=None, named_graphs=None, *, lazy: bool = False, client: bool = False):
        scope = self._scope()
        if scope and not default_graphs and not named_graphs and not names_a_dataset(text):
            default_graphs = named_graphs = scope
        media, body = self._post(text, default_graphs, named_graphs, lazy=lazy, client=client)
        results_format = ox.QueryResultsFormat.from_media_type(media)
        rdf_format = None if results_format else ox.RdfFormat.from_media_type(media)
        if results_format == ox.QueryResultsFormat.JSON and self._is_virtuoso():
            body = _virtuoso_blank_nodes(body if isinstance(body, bytes) else _read_all(body))
        try:
            if results_format is not None:
                return ox.parse_query_results(body, format=results_format)
            if rdf_format is not None:
                quads = ox.parse(body, format=rdf_format)
                if lazy:
                    return (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
                return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        except SyntaxError as exc:
            log.warning("the SPARQL store at %s sent an unreadable %s answer: %s", self.query_url, media, exc)
            raise StoreUnavailable(
                f"the SPARQL store at {self.query_url} sent an unreadable {media} answer",
                hint="the operator should see the store's log",
            ) from None
        if lazy:
            body.close()
        log.warning("the SPARQL store at %s answered in an unexpected format %r", self.query_url, media)
        raise StoreUnavailable(
            f"the SPARQL store at {self.query_url} answered in {media or 'no media type'}, not SPARQL results or RDF",
            hint="PARLEY_STORE_URL must name the store's SPARQL query endpoint",
        )

    def _canned(self, query: str, bindings):
        try:
            return self._run(_prologue(self._prefixes) + bind(query, bindings))
        except SyntaxError as exc:  # the site's own query: a bug, never a client's 400
            raise RuntimeError(f"the SPARQL store refused a canned query: {exc}") from None

    def select(self, query, bindings=None, *, limit=None, offset=0):
        if limit is not None or offset:
            # integers of ours, never a client's text: the window as the engine's own modifiers
            query += f"\nOFFSET {int(offset)}" + ("" if limit is None else f" LIMIT {int(limit)}")
        solutions = self._canned(query, bindings)
        names = [v.value for v in solutions.variables]
        return [{name: s[name] for name in names if s[name] is not None} for s in solutions]

    def ask(self, query, bindings=None):
        if self._scope() and self._is_virtuoso():
            return bool(list(self._canned(ask_as_select(query), bindings)))
        return bool(self._canned(query, bindings))

    def triples(self, query, bindings=None):
        return list(self._canned(query, bindings))

    def objects(self, subject, predicate):
        bindings = {"s": ox.NamedNode(subject), "p": ox.NamedNode(predicate)}
        return [row["o"] for row in self.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", bindings)]

    def query(
        self, query, *, default_graphs=None, named_graphs=None, union_default_graph=True, base_iri=None, prefixes=None
    ):
        # union_default_graph is the remote's own setting (see the module docstring). The answer
        # is parsed as it is read, so the endpoint's row cap stops reading a large one early.
        return self._run(_prologue(prefixes, base_iri) + query, default_graphs, named_graphs, lazy=True, client=True)

    def named_graphs(self):
        return self._own(self._graphs()) if self._scope() else self._graphs()

    def spec(self):
        return {"kind": "sparql", "query_url": self.query_url, "timeout_s": self.timeout_s}

    #: the endpoint runs client queries in the request thread: the remote is the process that
    #: does the work, the request's deadline bounds it, and a query process could not reach it
    #: from its empty network namespace
    in_query_processes = False
