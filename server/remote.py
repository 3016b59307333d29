"""A SPARQL 1.1 server as Parley's store: querying it, and loading a build into it.

``RemoteStore`` implements ``server.store.Store`` over any SPARQL 1.1 Protocol endpoint
(Oxigraph server, Virtuoso, Fuseki, GraphDB, QLever): every query is one POST with the query
and the Protocol's dataset parameters, its answer parsed by pyoxigraph's own parsers, chosen by
the answer's media type (SPARQL results JSON or XML for SELECT and ASK, any RDF syntax
pyoxigraph reads for CONSTRUCT and DESCRIBE). The endpoint must use the union of its graphs as
the default graph, as the embedded store does (``oxigraph serve --union-default-graph``;
Virtuoso does by default). Values reach a canned query as a ``VALUES`` block at the start of its
``WHERE`` group, each term written by pyoxigraph, never by formatting user text. Every request
has a deadline (``query_timeout_s``) on the whole exchange, so a slow or silent remote is a
logged ``StoreTimeout`` (504), and one that refuses, fails or cannot be reached is a logged
``StoreUnavailable`` (502); a 400 from the remote for a client's query is its syntax error.

``load_build`` replaces what a remote holds with a build, graph by graph, with the SPARQL 1.1
Graph Store Protocol: see its docstring for what is atomic and what a failed load leaves.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
import requests
import urllib3

from graph.errors import ConfigError, ParleyError
from graph.namespaces import BASE, PREFIXES

from .sparql.lexer import FORMS, LEXEME

log = logging.getLogger(__name__)

POOL_CONNECTIONS = 16  # kept-alive connections to the remote per worker (more are opened, not kept)
CONNECT_S = 5.0  # how long to wait for the remote to accept a connection (within the deadline)
LOAD_TIMEOUT_S = 600.0  # one graph's PUT during a load: big graphs take a while
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
# Asked by the query's form: offered SPARQL results JSON first, Virtuoso answers a CONSTRUCT in
# it too (as rows of ?s ?p ?o), which is no graph.
_ACCEPT_BY_FORM = {
    "SELECT": _RESULTS_ACCEPT,
    "ASK": _RESULTS_ACCEPT,
    "CONSTRUCT": _GRAPH_ACCEPT,
    "DESCRIBE": _GRAPH_ACCEPT,
}
_ACCEPT = f"{_RESULTS_ACCEPT}, application/n-triples;q=0.9, text/turtle;q=0.8"


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


class LoadFailed(ParleyError):
    """Loading a build into a remote store failed part way (see ``load_build``)."""

    exit_code = 1


# --- values into query text, by the engine's own term syntax ------------------------------------


def _sparql_term(value: Any) -> str:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return str(value)  # pyoxigraph writes the N-Triples form, valid SPARQL, escaped
    if isinstance(value, ox.BlankNode):
        raise ValueError("a blank node cannot be sent to a remote store as a value")
    return str(ox.NamedNode(str(value)))  # raises ValueError for a string that is no IRI


def query_form(query: str) -> str | None:
    """Return the query's form (SELECT, ASK, CONSTRUCT, DESCRIBE): its first such keyword outside
    strings, IRIs and comments; None when it has none."""
    for match in LEXEME.finditer(query):
        if match.lastgroup == "name" and match.group().upper() in FORMS:
            return match.group().upper()
    return None


def _where_brace(query: str) -> int:
    """Return the offset just after the ``{`` that opens the query's WHERE group."""
    form = None
    depth = 0
    skip_template = False
    for match in LEXEME.finditer(query):
        kind, text = match.lastgroup, match.group()
        if form is None and kind == "name" and text.upper() in FORMS:
            form = text.upper()
            skip_template = form == "CONSTRUCT"
            continue
        if form is None:
            continue
        if kind == "name" and text.upper() == "WHERE" and depth == 0:
            skip_template = False
        elif kind == "open" and text == "{":
            if depth == 0 and not skip_template:
                return match.end()
            depth += 1
        elif kind == "close" and text == "}":
            depth -= 1
            if depth == 0:
                skip_template = False  # the CONSTRUCT template is over
    raise ValueError("no WHERE group found to bind values in")


def bind(query: str, bindings: Mapping[str, Any] | None) -> str:
    """Return ``query`` with ``bindings`` in it as pyoxigraph's substitutions would put them.

    Inside the WHERE group each bound variable is replaced by its term (so a FILTER or a UNION
    branch sees the value, as with a substitution), and a ``VALUES`` block opening the group
    binds the variables too, so the projection and a CONSTRUCT template still see them.
    """
    if not bindings:
        return query
    terms = {name: _sparql_term(value) for name, value in bindings.items()}
    at = _where_brace(query)
    body, last, depth = [], at, 1
    projection = False  # a subquery's SELECT clause keeps its variables: only patterns get values
    for match in LEXEME.finditer(query, at):
        kind, text = match.lastgroup, match.group()
        if kind == "name" and text.upper() in ("SELECT", "WHERE"):
            projection = text.upper() == "SELECT"
        elif projection and kind in ("var", "open") and text != "(":
            projection = kind == "var"  # the pattern's "{" ends it (WHERE may be left out)
        if kind == "var" and projection:
            continue
        if kind == "open" and text == "{":
            depth += 1
        elif kind == "close" and text == "}":
            depth -= 1
            if depth == 0:  # the WHERE group ends: GROUP BY, ORDER BY and the rest keep variables
                break
        elif kind == "var" and text[1:] in terms:
            body += [query[last : match.start()], terms[match.group()[1:]]]
            last = match.end()
    body.append(query[last:])
    names = " ".join("?" + name for name in terms)
    row = " ".join(terms.values())
    return f"{query[:at]} VALUES ({names}) {{ ({row}) }} {''.join(body)}"


def _prologue(prefixes: Mapping[str, str] | None, base_iri: str | None = None) -> str:
    lines = []
    if base_iri:
        try:
            lines.append(f"BASE {_sparql_term(ox.NamedNode(base_iri))}")
        except ValueError:
            pass  # not an IRI (a strange Host header): the query keeps its own base, if any
    lines += [f"PREFIX {name}: {_sparql_term(ox.NamedNode(ns))}" for name, ns in (prefixes or {}).items()]
    return "".join(line + "\n" for line in lines)


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


class RemoteStore:
    """``Store`` over a SPARQL 1.1 Protocol endpoint at ``query_url``."""

    def __init__(self, query_url: str, timeout_s: float):
        self.query_url = query_url
        self.timeout_s = timeout_s
        self._prefixes = {k: str(v) for k, v in PREFIXES.items()}
        # One pool of kept-alive connections for every request thread (urllib3's is thread-safe;
        # requests' Session costs a millisecond of CPU a query more than urllib3 alone).
        self._pool = urllib3.PoolManager(maxsize=POOL_CONNECTIONS, block=False, retries=False)

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

    def _post(self, text: str, default_graphs=None, named_graphs=None, *, lazy: bool = False):
        """POST one query; return the answer's media type and its body, read within the deadline
        (``lazy``: a reader of it, so a parser reads only what it is asked for)."""
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

    def _run(self, text: str, default_graphs=None, named_graphs=None, *, lazy: bool = False):
        media, body = self._post(text, default_graphs, named_graphs, lazy=lazy)
        results_format = ox.QueryResultsFormat.from_media_type(media)
        rdf_format = None if results_format else ox.RdfFormat.from_media_type(media)
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
        return self._run(_prologue(prefixes, base_iri) + query, default_graphs, named_graphs, lazy=True)

    def named_graphs(self):
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode))

    def spec(self):
        return {"kind": "sparql", "query_url": self.query_url, "timeout_s": self.timeout_s}

    #: the endpoint runs client queries in the request thread: the remote is the process that
    #: does the work, the request's deadline bounds it, and a query process could not reach it
    #: from its empty network namespace
    in_query_processes = False


# --- loading a build ----------------------------------------------------------------------------


def _graph_param(graph) -> dict[str, str]:
    return {"default": ""} if isinstance(graph, ox.DefaultGraph) else {"graph": graph.value}


def load_build(
    build_dir: Path, gsp_url: str, query_url: str, *, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Replace what the store at ``gsp_url`` holds of Parley with the build in ``build_dir``.

    Each graph of the build (named graphs, and the default graph when it has triples) is sent
    with one Graph Store Protocol ``PUT`` (N-Triples), which replaces that graph whole; then
    every named graph under Parley's base IRI that the build does not have is deleted (graphs
    of other datasets are never touched); then the triple count of each graph is read back
    through ``query_url`` and compared. Each PUT is atomic on the server (one transaction per
    request in Oxigraph and Virtuoso); the load as a whole is not: while it runs, readers see
    some graphs old and some new. A failed load raises ``LoadFailed`` naming the graph and what
    the server said, and leaves the graphs already sent replaced and the rest as they were;
    running it again is safe and finishes the job (every step replaces, none appends). For a
    switch with no mixed moment, load into a second store and point PARLEY_STORE_URL at it.
    Returns the number of graphs and triples sent.
    """
    path = Path(build_dir) / "store"
    try:
        local = ox.Store.read_only(str(path))
    except OSError as exc:
        raise ConfigError(f"cannot open the store at {path}: {exc}", hint="run `parley build` first") from None
    session = requests.Session()
    say = progress or (lambda _text: None)

    def call(method: str, params: Mapping[str, str], what: str, body: bytes | None = None):
        try:
            response = session.request(
                method,
                gsp_url,
                params=params,
                data=body,
                headers={"Content-Type": "application/n-triples"} if body is not None else {},
                timeout=(CONNECT_S, LOAD_TIMEOUT_S),
            )
        except requests.RequestException as exc:
            raise LoadFailed(
                f"{method} {what} to {gsp_url} failed: {exc}",
                hint="check that the store is running and the URL is its Graph Store Protocol endpoint; "
                "the graphs already sent are replaced, run the load again to finish",
            ) from None
        if response.status_code not in (200, 201, 204) and not (method == "DELETE" and response.status_code == 404):
            raise LoadFailed(
                f"{method} {what} to {gsp_url} answered {response.status_code}: {response.text.strip()[:300]}",
                hint="the graphs already sent are replaced; fix the cause and run the load again",
            )

    graphs: list = sorted(local.named_graphs(), key=lambda g: g.value)
    if next(iter(local.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        graphs.insert(0, ox.DefaultGraph())
    expected: dict[str, int] = {}
    total = 0
    for number, graph in enumerate(graphs, 1):
        quads = list(local.quads_for_pattern(None, None, None, graph))
        body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
        name = "the default graph" if isinstance(graph, ox.DefaultGraph) else f"<{graph.value}>"
        call("PUT", _graph_param(graph), name, body)
        if not isinstance(graph, ox.DefaultGraph):
            expected[graph.value] = len(quads)
        total += len(quads)
        if number % 500 == 0:
            say(f"load: {number}/{len(graphs)} graphs sent")
    remote = RemoteStore(query_url, LOAD_TIMEOUT_S)
    try:
        present = remote.named_graphs()
        for iri in present:
            if iri.startswith(BASE) and iri not in expected:
                call("DELETE", {"graph": iri}, f"<{iri}>")
        counted = {
            row["g"].value: int(row["n"].value)
            for row in remote.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        }
    except (StoreUnavailable, StoreTimeout) as exc:
        raise LoadFailed(
            f"the graphs were sent but the store at {query_url} could not be read back: {exc.message}",
            hint="check the query URL (--store-url); run the load again to check it",
        ) from None
    wrong = [iri for iri, n in expected.items() if counted.get(iri) != n]
    if wrong:
        raise LoadFailed(
            f"{len(wrong)} graph(s) hold other triples than the build after the load, e.g. <{wrong[0]}> "
            f"({counted.get(wrong[0], 0)} triples, the build has {expected[wrong[0]]})",
            hint="the store may rewrite literals or blank nodes, or another writer changed it; run the load again",
        )
    say(f"load: {len(graphs)} graphs, {total} triples in {gsp_url}")
    return {"graphs": len(graphs), "triples": total}
