"""The embedded store: a build's pyoxigraph store opened read-only, or a release's dump loaded in memory."""

from __future__ import annotations

import gzip
import itertools
import logging
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import ConfigError
from graph.namespaces import PREFIXES

from .deadline import _within_deadline

log = logging.getLogger(__name__)


def _term(value: Any):
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    return ox.NamedNode(str(value))


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
