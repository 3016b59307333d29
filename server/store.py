"""Store access behind one small interface, so the server does not care which store it reads.

``Store`` is all the routes, the SPARQL endpoint and its query processes use: ``select``,
``ask`` and ``triples`` for the site's canned queries (values passed as bindings, never
formatted into the query text), ``objects`` for a point lookup (an IRI's label), ``query`` for a
client's SPARQL with the Protocol's dataset options, ``named_graphs``, and ``spec`` /
``open_spec`` so a query process can open the same store again. Results are pyoxigraph's own
result objects, the common currency a remote SPARQL store can produce too (by parsing its SPARQL
results). The default implementation opens the pyoxigraph store of a build read-only, with the
union of all named graphs as the default graph; ``OxigraphStore.from_dump`` loads a release's
N-Quads dump into an in-memory store instead (a release holds its dumps, not a store), and its
spec (kind ``nquads``) makes a query process load the same dump. ``server.remote.RemoteStore``
is the other, over a SPARQL 1.1 server (``store_url``). ``select`` can read a window of the
solutions (``limit`` / ``offset``), and inside ``page_deadline`` the embedded store stops
reading past the page's time limit (``PageTimeout``).
"""

from __future__ import annotations

import contextlib
import contextvars
import gzip
import itertools
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from graph.errors import ConfigError, ParleyError
from graph.namespaces import PREFIXES

log = logging.getLogger(__name__)


class PageTimeout(ParleyError):
    """A page's store queries ran past the time limit (``page_deadline``)."""

    exit_code = 1
    status = 503
    title = "Page timed out"
    retry_after_s = 1


QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Store(Protocol):
    """What the server needs of a store."""

    def select(
        self, query: str, bindings: Mapping[str, Any] | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Return SELECT solutions as dicts of variable name -> pyoxigraph term (unbound omitted);
        with ``limit`` / ``offset``, only that window of them (for a query without its own
        LIMIT), read so that the engine stops after the window."""

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool:
        """Return the answer of an ASK query."""

    def triples(self, query: str, bindings: Mapping[str, Any] | None = None) -> list[ox.Triple]:
        """Return the triples of a CONSTRUCT or DESCRIBE query."""

    def objects(self, subject: str, predicate: str) -> list[Any]:
        """Return the objects of ``subject``'s ``predicate`` (IRIs) in any graph: a point lookup,
        what a page needs per IRI (its label, an article's text) without parsing a query."""

    def query(
        self,
        query: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        union_default_graph: bool = True,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        """Run a client's query. With ``default_graphs`` / ``named_graphs`` (IRIs) as the dataset,
        else the query's own ``FROM``, else (``union_default_graph``) the union of all graphs.
        Raises SyntaxError for a query that does not parse."""

    def named_graphs(self) -> list[str]:
        """Return the IRIs of the named graphs, sorted."""

    def spec(self) -> dict[str, Any]:
        """Return what ``open_spec`` needs to open this store again in another process."""

    #: whether the endpoint runs client queries in killable query processes (the embedded
    #: store) or in the request thread under the store's own deadline (a remote store)
    in_query_processes: bool


def _term(value: Any):
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    return ox.NamedNode(str(value))


# The deadline of the page being made (``page_deadline``): pyoxigraph evaluates as results are
# read, so a page query that yields many rows is stopped between them once it is past.
_DEADLINE: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("page_deadline", default=None)
_CHECK_EVERY = 64  # rows between two looks at the clock


@contextlib.contextmanager
def page_deadline(timeout_s: float):
    """Bound the store reads made inside the block to ``timeout_s`` seconds of wall clock."""
    token = _DEADLINE.set((time.monotonic() + timeout_s, timeout_s))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _within_deadline(items):
    deadline = _DEADLINE.get()
    if deadline is None:
        yield from items
        return
    for number, item in enumerate(items, 1):
        if number % _CHECK_EVERY == 0 and time.monotonic() > deadline[0]:
            log.warning("a page query was stopped after %.1f s: %d rows read", deadline[1], number)
            raise PageTimeout(
                f"this page's queries ran past query_timeout_s={deadline[1]:g} s and were stopped",
                hint="retry later; a page with very many links shows them a page at a time (?page=2)",
            )
        yield item


class OxigraphStore:
    """A pyoxigraph store opened read-only from a build's ``store/`` directory."""

    def __init__(self, store: ox.Store, path: Path, kind: str = "oxigraph"):
        self._store = store
        self._path = Path(path).absolute()
        self._kind = kind
        self._prefixes = {k: str(v) for k, v in PREFIXES.items()}

    @classmethod
    def open(cls, path: Path) -> OxigraphStore:
        """Open the store at ``path`` read-only; ConfigError naming the path when it cannot."""
        path = Path(path)
        fix = "run `parley build` to make it (or give --build-dir / PARLEY_BUILD_DIR a build directory)"
        if not path.is_dir():
            raise ConfigError(f"no store at {path}", hint=fix)
        try:
            store = ox.Store.read_only(str(path))
            next(iter(store.quads_for_pattern(None, None, None)), None)  # a corrupt store fails here
            store.named_graphs()
        except (OSError, RuntimeError) as exc:  # pyoxigraph raises RuntimeError for a damaged store
            raise ConfigError(
                f"cannot open the store at {path}: {str(exc).splitlines()[0]}",
                hint="the store is missing files or damaged; " + fix,
            ) from None
        return cls(store, path)

    @classmethod
    def from_dump(cls, path: Path) -> OxigraphStore:
        """Load a gzipped N-Quads dump (a release's ``parley.nq.gz``) into an in-memory store.

        Raises ConfigError naming the file when it is missing or does not parse.
        """
        path = Path(path)
        try:
            data = gzip.decompress(path.read_bytes())
            store = ox.Store()
            store.load(data, format=ox.RdfFormat.N_QUADS)
        except (OSError, EOFError, SyntaxError, ValueError) as exc:
            raise ConfigError(
                f"cannot load the dump {path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                hint="the release is damaged; check it with `sha256sum -c SHA256SUMS` in its dumps/",
            ) from None
        return cls(store, path, kind="nquads")

    def _query(self, query: str, bindings):
        subs = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items()}
        return self._store.query(
            query, prefixes=self._prefixes, use_default_graph_as_union=True, substitutions=subs or None
        )

    def select(self, query, bindings=None, *, limit=None, offset=0):
        solutions = self._query(query, bindings)
        try:
            names = [v.value for v in solutions.variables]
            rows = []
            window = itertools.islice(solutions, offset, None if limit is None else offset + limit)
            for solution in _within_deadline(window):  # evaluated as read: the rest never is
                rows.append({name: solution[name] for name in names if solution[name] is not None})
            return rows
        finally:
            # pyoxigraph's result objects must be freed on the thread that made them; never let
            # one outlive this call (in a frame kept by a traceback, say) to be collected elsewhere
            del solutions, window

    def ask(self, query, bindings=None):
        return bool(self._query(query, bindings))

    def triples(self, query, bindings=None):
        return list(_within_deadline(self._query(query, bindings)))

    def objects(self, subject, predicate):
        # a pattern read is microseconds; a SPARQL query for the same is a parse and a plan
        return [
            q.object for q in self._store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
        ]

    def query(
        self, query, *, default_graphs=None, named_graphs=None, union_default_graph=True, base_iri=None, prefixes=None
    ):
        options: dict[str, Any] = {"base_iri": base_iri, "prefixes": dict(prefixes or {})}
        if default_graphs is not None or named_graphs is not None:
            # A protocol dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol 2.1.4).
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        elif union_default_graph:
            options["use_default_graph_as_union"] = True
        return self._store.query(query, **options)

    def named_graphs(self):
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def spec(self):
        return {"kind": self._kind, "path": str(self._path)}

    #: client queries run in killable query processes: pyoxigraph cannot stop a query itself
    in_query_processes = True


def open_spec(spec: Mapping[str, Any]) -> Store:
    """Open the store a ``Store.spec()`` describes (in a query process, say)."""
    if spec.get("kind") == "oxigraph":
        return OxigraphStore.open(Path(spec["path"]))
    if spec.get("kind") == "nquads":
        return OxigraphStore.from_dump(Path(spec["path"]))
    if spec.get("kind") == "sparql":
        from .remote import RemoteStore

        return RemoteStore(spec["query_url"], spec["timeout_s"])
    raise ConfigError(
        f"unknown store kind {spec.get('kind')!r}", hint="the known kinds are 'oxigraph', 'nquads' and 'sparql'"
    )


def open_store(settings: Mapping[str, Any]) -> Store:
    """Return the store named by the settings: the remote one at ``store_url`` when it is set,
    else the build's pyoxigraph store, read-only."""
    if settings.get("store_url"):
        from .remote import RemoteStore

        return RemoteStore.open(settings["store_url"], settings["query_timeout_s"])
    return OxigraphStore.open(Path(settings["build_dir"]).absolute() / "store")
