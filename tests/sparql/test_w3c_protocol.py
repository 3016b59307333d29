"""W3C SPARQL 1.1 Protocol and Service Description conformance, driven by the W3C manifests.

Each ``mf:ProtocolTest`` of ``w3c/protocol-manifest.ttl`` is read with rdflib: its HTTP
requests (method, path, headers, body in its declared encoding) are replayed through Flask's
test client against a store holding ``data1-3.nt`` under the graph IRIs the manifest expects,
and each response is checked against the expected status class, result format and boolean.
Update tests cannot pass by design (the endpoint is read-only): they are asserted as refusals
in the one error shape. Files under ``w3c/`` are the W3C's, unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from tests.helpers import assert_error_shape

W3C = Path(__file__).resolve().parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

STATUS_CLASSES = {
    HTS.StatusCode2xx: range(200, 300),
    HTS.StatusCode3xx: range(300, 400),
    HTS.StatusCode4xx: range(400, 500),
    HTS.StatusCode5xx: range(500, 600),
}
FORMATS = {
    "boolean": {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    },
    "tabular": {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/csv": ox.QueryResultsFormat.CSV,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    },
    "RDF": {
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
    },
}
# Tests the endpoint does not pass, with why; each is xfail(strict=True) so a fix is noticed.
KNOWN_GAPS: dict[str, str] = {}


def _requests(graph: Graph, test) -> list[dict]:
    action = graph.value(test, MF.action)
    requests = []
    for node in Collection(graph, graph.value(action, HT.requests)):
        body = graph.value(node, HT.body)
        headers_node = graph.value(node, HT.headers)
        headers = {}
        if headers_node is not None:
            for header in Collection(graph, headers_node):
                headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
        data = None
        if body is not None:
            encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(graph.value(body, CNT.chars)).encode(encoding.lower())
        resp = graph.value(node, HT.resp)
        boolean = graph.value(resp, MF.expectedBoolean)
        requests.append(
            {
                "method": str(graph.value(node, HT.methodName)),
                "path": str(graph.value(node, HT.absolutePath)),
                "headers": headers,
                "data": data,
                "statuses": [STATUS_CLASSES[s] for s in graph.objects(resp, MF.expectedStatus)],
                "format": str(graph.value(resp, MF.expectedFormat) or "") or None,
                "boolean": None if boolean is None else boolean.toPython(),
            }
        )
    return requests


def _manifest_tests():
    graph = Graph().parse(W3C / "protocol-manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        name = str(test).rsplit("#", 1)[-1]
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[name])] if name in KNOWN_GAPS else []
        tests.append(pytest.param(name, str(graph.value(test, MF.name)), _requests(graph, test), id=name, marks=marks))
    return tests


def _replay(client, request: dict):
    # "A program using this manifest ... must replace [/sparql/] with whatever path prefix is
    # appropriate for the endpoint being tested": ours is /sparql.
    path = "/sparql" + request["path"][len("/sparql/") :]
    if path.startswith("/sparql") and path[len("/sparql") :][:1] not in ("", "?"):
        raise AssertionError(f"unexpected path {request['path']}")
    headers = dict(request["headers"])
    content_type = headers.pop("content-type", None)
    kwargs = {"method": request["method"], "headers": headers}
    if request["data"] is not None:
        kwargs["data"] = request["data"]
    if content_type is not None:
        kwargs["content_type"] = content_type
    return client.open(path, **kwargs)


def _check(response, request: dict, label: str) -> None:
    status = response.status_code
    assert any(status in r for r in request["statuses"]), (
        f"{label}: status {status}, expected {request['statuses']}: {response.get_data(as_text=True)[:300]}"
    )
    if request["format"] is None:
        return
    media_type = response.headers["Content-Type"].split(";")[0].strip()
    offered = FORMATS[request["format"]]
    assert media_type in offered, f"{label}: {media_type} is not a {request['format']} format"
    if request["format"] == "RDF":
        list(ox.parse(response.data, format=offered[media_type]))
    elif request["boolean"] is not None:
        result = ox.parse_query_results(response.data, format=offered[media_type])
        assert bool(result) is request["boolean"], f"{label}: expected {request['boolean']}"


@pytest.mark.parametrize("name, label, requests", _manifest_tests())
def test_w3c_protocol(w3c_client, name, label, requests):
    if name.startswith("update_"):
        # Read-only by design: the update must be refused, in the one error shape.
        response = _replay(w3c_client, requests[0])
        error = assert_error_shape(response, 403)
        assert "read-only" in error["message"]
        return
    for request in requests:
        _check(_replay(w3c_client, request), request, label)


# --- service description manifest -----------------------------------------------------------

# Terms of the SPARQL 1.1 Service Description vocabulary (W3C Recommendation, section 3).
SD_TERMS = {
    "Service",
    "Feature",
    "Language",
    "Function",
    "Aggregate",
    "EntailmentRegime",
    "EntailmentProfile",
    "GraphCollection",
    "Dataset",
    "Graph",
    "NamedGraph",
    "endpoint",
    "feature",
    "defaultEntailmentRegime",
    "entailmentRegime",
    "defaultSupportedEntailmentProfile",
    "supportedEntailmentProfile",
    "extensionFunction",
    "extensionAggregate",
    "languageExtension",
    "supportedLanguage",
    "propertyFeature",
    "defaultDataset",
    "availableGraphs",
    "resultFormat",
    "inputFormat",
    "defaultGraph",
    "namedGraph",
    "name",
    "graph",
    "SPARQL10Query",
    "SPARQL11Query",
    "SPARQL11Update",
    "DereferencesURIs",
    "UnionDefaultGraph",
    "RequiresDataset",
    "EmptyGraphs",
    "BasicFederatedQuery",
}


def _description(w3c_client) -> Graph:
    response = w3c_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.data, format="turtle")


def test_w3c_sd_returns_rdf(w3c_client):
    response = w3c_client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.data, format="turtle")) > 0


def test_w3c_sd_has_endpoint_triple(w3c_client):
    graph = _description(w3c_client)
    service = next(graph.subjects(RDF.type, SD.Service))
    assert (service, SD.endpoint, URIRef("http://localhost/sparql")) in graph


def test_w3c_sd_conforms_to_schema(w3c_client):
    graph = _description(w3c_client)
    used = {
        str(term)[len(str(SD)) :]
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(SD))
    }
    assert used <= SD_TERMS, used - SD_TERMS
    service = next(graph.subjects(RDF.type, SD.Service))
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    named = {str(graph.value(n, SD.name)) for n in graph.objects(dataset, SD.namedGraph)}
    assert named == {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)}
