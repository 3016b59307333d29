"""The interface every store gives the server: ``Store``, and the errors all stores share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pyoxigraph as ox

from graph.errors import ParleyError


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
