"""Loading a build into a remote store with the SPARQL 1.1 Graph Store Protocol (``load_build``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

import pyoxigraph as ox
import requests

from graph.errors import ConfigError, ParleyError
from graph.namespaces import BASE

from .remote import CONNECT_S, LOAD_TIMEOUT_S, RemoteStore, StoreTimeout, StoreUnavailable

log = logging.getLogger(__name__)


class LoadFailed(ParleyError):
    """Loading a build into a remote store failed part way (see ``load_build``)."""

    exit_code = 1


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
                headers={"Content-Type": ox.RdfFormat.N_TRIPLES.media_type} if body is not None else {},
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
