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
spec (kind ``nquads``) makes a query process load the same dump. ``remote.RemoteStore``
is the other, over a SPARQL 1.1 server (``store_url``). ``select`` can read a window of the
solutions (``limit`` / ``offset``), and inside ``page_deadline`` the embedded store stops
reading past the page's time limit (``PageTimeout``).

The package: ``interface`` (``Store``, ``PageTimeout``), ``embedded`` (``OxigraphStore``),
``deadline`` (``page_deadline``), ``remote`` (``RemoteStore``), ``query_text`` (what a remote is
sent), ``loading`` (``load_build``); ``open_spec`` and ``open_store`` choose among them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph.errors import ConfigError

from .deadline import page_deadline
from .embedded import OxigraphStore
from .interface import PageTimeout, QueryResult, Store

__all__ = ["OxigraphStore", "PageTimeout", "QueryResult", "Store", "open_spec", "open_store", "page_deadline"]


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
