"""Store access behind one small interface, so the server does not care which store it reads.

``Store`` is what the routes use: ``select``, ``ask`` and ``triples`` (CONSTRUCT/DESCRIBE)
with values passed as bindings, never formatted into the query text. The default
implementation opens the pyoxigraph store of a build read-only, with the union of all named
graphs as the default graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Protocol

import pyoxigraph as ox

from graph.errors import ConfigError
from graph.namespaces import PREFIXES


class Store(Protocol):
    """What the server needs of a store."""

    def select(self, query: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Return SELECT solutions as dicts of variable name -> pyoxigraph term (unbound omitted)."""

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool:
        """Return the answer of an ASK query."""

    def triples(self, query: str, bindings: Mapping[str, Any] | None = None) -> list[ox.Triple]:
        """Return the triples of a CONSTRUCT or DESCRIBE query."""

    def raw(self) -> ox.Store:
        """Return the underlying pyoxigraph store (for the SPARQL endpoint's own execution)."""


def _term(value: Any):
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    text = str(value)
    return ox.NamedNode(text)


class OxigraphStore:
    """A pyoxigraph store opened read-only from a build's ``store/`` directory."""

    def __init__(self, store: ox.Store):
        self._store = store
        self._prefixes = {k: str(v) for k, v in PREFIXES.items()}

    @classmethod
    def open(cls, path: Path) -> "OxigraphStore":
        if not path.is_dir():
            raise ConfigError(f"no store at {path}",
                              hint="run `parley build` first, or set PARLEY_BUILD_DIR to a build directory")
        try:
            return cls(ox.Store.read_only(str(path)))
        except OSError as exc:
            raise ConfigError(f"cannot open the store at {path}: {exc}",
                              hint="rebuild it with `parley build`") from None

    def _query(self, query: str, bindings):
        subs = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items()}
        return self._store.query(query, prefixes=self._prefixes, use_default_graph_as_union=True,
                                 substitutions=subs or None)

    def select(self, query, bindings=None):
        solutions = self._query(query, bindings)
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        return rows

    def ask(self, query, bindings=None):
        return bool(self._query(query, bindings))

    def triples(self, query, bindings=None):
        return list(self._query(query, bindings))

    def raw(self):
        return self._store


def open_store(settings: Mapping[str, Any]) -> Store:
    """Return the store named by the settings (the build's pyoxigraph store, read-only)."""
    return OxigraphStore.open(Path(settings["build_dir"]) / "store")
