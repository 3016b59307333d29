"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: read-only, time-limited, row-capped.

Queries arrive by GET ``?query=``, POST form-encoded or POST ``application/sparql-query``; the
dataset is ``default-graph-uri`` / ``named-graph-uri`` when given (they replace any ``FROM`` in
the query, as the Protocol says), else the union of all named graphs. Each query runs in a
query process (``server.executor``) that refuses updates and ``SERVICE``, negotiates the result
format from Accept (or a ``format`` parameter) and serializes the whole body before a byte is
sent. GET with no query answers the SPARQL Service Description, or the query page when the
client prefers HTML. Reads are open to every origin (CORS).
"""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import UnsupportedMediaType

from graph.errors import BadQuery, QueryRefused
from graph.namespaces import PREFIXES

from . import conneg, executor
from .errors import error_response

log = logging.getLogger(__name__)

bp = Blueprint("sparql", __name__)

QUERY_MEDIA_TYPE = "application/sparql-query"
UPDATE_MEDIA_TYPE = "application/sparql-update"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
HTML = "text/html"

SD_FORMATS = {
    executor.TURTLE: "turtle",
    executor.RDF_XML: "xml",
    executor.JSON_LD: "json-ld",
    executor.N_TRIPLES: "nt",
}
# W3C's IRIs for the formats, for sd:resultFormat.
FORMAT_IRIS = {
    executor.SPARQL_JSON: "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    executor.SPARQL_XML: "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    executor.CSV: "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    executor.TSV: "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    executor.TURTLE: "http://www.w3.org/ns/formats/Turtle",
    executor.N_TRIPLES: "http://www.w3.org/ns/formats/N-Triples",
    executor.JSON_LD: "http://www.w3.org/ns/formats/JSON-LD",
    executor.RDF_XML: "http://www.w3.org/ns/formats/RDF_XML",
    executor.TRIG: "http://www.w3.org/ns/formats/TriG",
    executor.N_QUADS: "http://www.w3.org/ns/formats/N-Quads",
}
VOID_FIGURES = ("triples", "entities", "classes", "properties", "distinctSubjects",
                "distinctObjects", "documents")


class Endpoint:
    """Per-app state of the endpoint: settings, the dataset's figures, the query pool."""

    def __init__(self, settings: Mapping[str, Any], store):
        self.settings = settings
        self.store_path = Path(settings["build_dir"]) / "store"
        self.figures = read_void_figures(Path(settings["build_dir"]) / "void.ttl")
        self.named_graphs = tuple(sorted(g.value for g in store.raw().named_graphs()
                                         if isinstance(g, ox.NamedNode)))
        self._pool: executor.QueryPool | None = None
        self._lock = threading.Lock()

    @property
    def pool(self) -> executor.QueryPool:
        # Made on first use, so that it belongs to the process (gunicorn worker) that uses it.
        with self._lock:
            if self._pool is None:
                self._pool = executor.QueryPool(self.store_path, self.settings["query_processes"])
            return self._pool

    def close(self) -> None:
        """Stop the query processes (tests call this; a worker's exit does it too)."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


def read_void_figures(path: Path) -> tuple[tuple[str, int], ...]:
    """Return the dataset's VoID counts (``triples`` ...) from ``void.ttl``; empty if absent.

    The dataset is ``{base}dataset`` when described, else the void:Dataset with most triples.
    """
    if not path.is_file():
        return ()
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import VOID

    from graph.namespaces import DATASET

    graph = Graph()
    graph.parse(path, format="turtle")
    candidates = [s for s in set(graph.subjects(VOID.triples, None)) if isinstance(s, URIRef)]
    if not candidates:
        return ()
    if DATASET in candidates:
        subject = DATASET
    else:
        subject = max(candidates, key=lambda s: int(graph.value(s, VOID.triples).toPython()))
    figures = []
    for name in VOID_FIGURES:
        value = graph.value(subject, VOID[name])
        if isinstance(value, Literal) and isinstance(value.toPython(), int):
            figures.append((name, int(value.toPython())))
    return tuple(figures)


def _endpoint() -> Endpoint:
    return current_app.extensions["parley_sparql"]


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadQuery(f"the request has {len(values)} '{name}' parameters; the SPARQL Protocol allows one",
                       hint=f"send exactly one {name}")
    return values[0] if values else None


def _iris(values: list[str], name: str) -> list[str]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise BadQuery(f"{name}={value!r} is not an absolute IRI",
                           hint=f"give {name} as a full IRI such as https://w3id.org/parley/graph/world") from None
    return values


def _refuse_update() -> None:
    raise QueryRefused("this SPARQL endpoint is read-only: updates are refused",
                       hint="download a dump from /dumps/ and load it into a store of your own")


def _read_request() -> tuple[str | None, list[str], list[str]]:
    """Return (query or None, default graphs, named graphs) from a Protocol request."""
    args = request.args
    if "update" in args:
        _refuse_update()
    graph_source = [args]
    if request.method == "GET":
        query = _single(args.getlist("query"), "query")
    else:
        media_type = request.mimetype
        charset = request.mimetype_params.get("charset")
        if media_type == UPDATE_MEDIA_TYPE:
            _refuse_update()
        if charset and charset.lower().replace("-", "") != "utf8":
            raise UnsupportedMediaType(f"charset={charset} is not supported; send the query in UTF-8")
        if media_type == FORM_MEDIA_TYPE:
            form = request.form
            if "update" in form:
                _refuse_update()
            query = _single(form.getlist("query") + args.getlist("query"), "query")
            if query is None:
                raise BadQuery("the form has no 'query' parameter", hint="send query=... in the body")
            graph_source.append(form)
        elif media_type == QUERY_MEDIA_TYPE:
            if "query" in args:
                raise BadQuery("a direct POST carries the query in its body, not in a 'query' parameter",
                               hint="drop the query parameter from the URL")
            try:
                query = request.get_data(cache=True).decode("utf-8")
            except UnicodeDecodeError:
                raise BadQuery("the query body is not valid UTF-8", hint="send the query in UTF-8") from None
        else:
            raise UnsupportedMediaType(
                f"a POST to /sparql must be {FORM_MEDIA_TYPE} or {QUERY_MEDIA_TYPE}, not "
                f"{media_type or 'untyped'}")
    defaults = [v for source in graph_source for v in source.getlist("default-graph-uri")]
    named = [v for source in graph_source for v in source.getlist("named-graph-uri")]
    return query, _iris(defaults, "default-graph-uri"), _iris(named, "named-graph-uri")


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer a SPARQL Protocol query, or describe the service when there is no query."""
    query, defaults, named = _read_request()
    if query is None:
        return _service_description()
    endpoint = _endpoint()
    settings = endpoint.settings
    job = {
        "kind": "query",
        "query": query,
        "default_graphs": defaults if (defaults or named) else None,
        "named_graphs": named if (defaults or named) else None,
        "base_iri": request.base_url,
        "accept": request.headers.get("Accept"),
        "format": request.values.get("format"),
        "max_rows": settings["max_rows"],
        "prefixes": {k: str(v) for k, v in PREFIXES.items()},
    }
    result = endpoint.pool.run(job, settings["query_timeout_s"])
    if not result["ok"]:
        return _failure(result)
    response = Response(result["body"], status=200, mimetype=result["media_type"])
    response.headers["Vary"] = "Accept"
    return response


def _failure(result: Mapping[str, Any]) -> Response:
    if result["error"] == "NotAcceptable":
        offered = ", ".join(result["offered"])
        return error_response(406, "Not Acceptable", f"{result['message']}; offered: {offered}",
                              hint="send one of the offered media types in Accept, or a format parameter")
    if result["error"] == "QueryRefused":
        raise QueryRefused(result["message"], hint=result.get("hint"))
    raise BadQuery(result["message"], hint=result.get("hint"))


def _service_description() -> Response:
    offered = list(SD_FORMATS) + [HTML]
    chosen = conneg.format_override(request.args.get("format"), offered)
    if chosen is None and request.args.get("format"):
        return error_response(406, "Not Acceptable",
                              f"format={request.args['format']!r} is not offered for the service description; "
                              f"offered: {', '.join(offered)}")
    if chosen is None:
        chosen = conneg.negotiate(request.headers.get("Accept"), offered, default=executor.TURTLE)
    if chosen is None:
        return error_response(406, "Not Acceptable",
                              f"nothing in Accept: {request.headers.get('Accept')} is offered for the "
                              f"service description; offered: {', '.join(offered)}")
    if chosen == HTML:
        view = current_app.view_functions.get("published.query_page")
        response = current_app.make_response(view()) if view else Response(_PLAIN_PAGE, mimetype=HTML)
    else:
        endpoint = _endpoint()
        body = service_description(request.base_url, chosen, endpoint.figures, endpoint.named_graphs)
        response = Response(body, mimetype=chosen)
    response.headers["Vary"] = "Accept"
    return response


_PLAIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SPARQL endpoint · Parley</title></head>
<body><main><h1>Parley SPARQL endpoint</h1>
<form method="get" action="/sparql"><p><label for="query">Query</label></p>
<p><textarea id="query" name="query" rows="12" cols="80">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea></p>
<p><button type="submit">Run</button></p></form>
<p>The service description is at <a href="/sparql?format=ttl">/sparql?format=ttl</a>.</p>
</main></body></html>
"""


@functools.lru_cache(maxsize=32)
def service_description(endpoint_url: str, media_type: str, figures: tuple[tuple[str, int], ...],
                        named_graphs: tuple[str, ...]) -> bytes:
    """Return the SPARQL Service Description of the endpoint at ``endpoint_url``, serialized."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, VOID, XSD

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("void", VOID)
    service = URIRef(endpoint_url)
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, service))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    graph.add((service, sd.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for iri in FORMAT_IRIS.values():
        graph.add((service, sd.resultFormat, URIRef(iri)))
    dataset, default_graph = BNode("dataset"), BNode("defaultGraph")
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, sd.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, sd.Graph))
    for name, value in figures:
        graph.add((dataset, VOID[name], Literal(value, datatype=XSD.integer)))
        if name == "triples":
            graph.add((default_graph, VOID.triples, Literal(value, datatype=XSD.integer)))
    for iri in named_graphs:
        node = BNode()
        graph.add((dataset, sd.namedGraph, node))
        graph.add((node, RDF.type, sd.NamedGraph))
        graph.add((node, sd.name, URIRef(iri)))
    return graph.serialize(format=SD_FORMATS[media_type], encoding="utf-8")


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept, Content-Type")
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


bp.after_request(_cors)


def register(app: Flask) -> None:
    """Mount /sparql on the app, with its per-app state in ``app.extensions["parley_sparql"]``."""
    app.extensions["parley_sparql"] = Endpoint(app.config["PARLEY"], app.extensions["parley_store"])
    app.register_blueprint(bp)
