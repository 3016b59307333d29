"""The /sparql endpoint through Flask's test client over the mini build: methods, formats,
negotiation, dataset, refusals, malformed requests, the service description and CORS."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from tests.helpers import assert_error_shape
from tests.sparql.testdata import CONSTRUCT_PEOPLE, PERSON, SELECT_PEOPLE, WORLD, close_app, make_app

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
ASK_PERSON = "ASK { ?p a parley:Person }"
DESCRIBE_PEOPLE = "DESCRIBE ?p WHERE { ?p a parley:Person }"

RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_TYPES = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
]
RESULTS_PARSE = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def _media_type(response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


def _people(body: bytes, media_type: str) -> list[str]:
    if media_type == "text/csv":  # lossy (no term types): pyoxigraph will not parse it
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["person"]
        return [row[0] for row in rows[1:]]
    results = ox.parse_query_results(body, format=RESULTS_PARSE[media_type])
    return [solution["person"].value for solution in results]


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value))


def _graph(body: bytes, media_type: str) -> Graph:
    """Parse a response body with pyoxigraph (rdflib's JSON-LD and TriG parsers warn)."""
    graph = Graph()
    for quad in ox.parse(body, format=ox.RdfFormat.from_media_type(media_type)):
        graph.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    return graph


# --- the three ways to send a query --------------------------------------------------------------


def _send(client, how: str, query: str, **kwargs):
    if how == "get":
        return client.get("/sparql", query_string={"query": query}, **kwargs)
    if how == "post-form":
        return client.post("/sparql", data={"query": query}, **kwargs)
    return client.post("/sparql", data=query.encode(), content_type="application/sparql-query", **kwargs)


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
@pytest.mark.parametrize("media_type", RESULT_TYPES)
def test_select_in_every_results_format_by_every_method(shared_client, facts, how, media_type):
    response = _send(shared_client, how, SELECT_PEOPLE, headers={"Accept": media_type})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _media_type(response) == media_type
    assert response.headers["Vary"] == "Accept"
    assert _people(response.data, media_type) == list(facts.people)


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
@pytest.mark.parametrize("media_type", RESULT_TYPES)
def test_ask_in_every_results_format_by_every_method(shared_client, how, media_type):
    response = _send(shared_client, how, ASK_PERSON, headers={"Accept": media_type})
    assert response.status_code == 200
    assert _media_type(response) == media_type
    if media_type == "text/csv":
        assert response.data.strip() == b"true"
    else:
        assert bool(ox.parse_query_results(response.data, format=RESULTS_PARSE[media_type])) is True


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
@pytest.mark.parametrize("media_type", GRAPH_TYPES)
def test_construct_in_every_rdf_format_by_every_method(shared_client, facts, how, media_type):
    response = _send(shared_client, how, CONSTRUCT_PEOPLE, headers={"Accept": media_type})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _media_type(response) == media_type
    graph = _graph(response.data, media_type)
    assert sorted(str(s) for s in graph.subjects(RDF.type, None)) == list(facts.people)


@pytest.mark.parametrize("media_type", GRAPH_TYPES)
def test_describe_in_every_rdf_format(shared_client, facts, media_type):
    response = _send(shared_client, "get", DESCRIBE_PEOPLE, headers={"Accept": media_type})
    assert response.status_code == 200
    graph = _graph(response.data, media_type)
    for person in facts.people:
        assert (URIRef(person), RDF.type, URIRef(PERSON)) in graph


# --- negotiation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        (SELECT_PEOPLE, "application/sparql-results+json"),
        (ASK_PERSON, "application/sparql-results+json"),
        (CONSTRUCT_PEOPLE, "text/turtle"),
        (DESCRIBE_PEOPLE, "text/turtle"),
    ],
)
@pytest.mark.parametrize("accept", [None, "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"])
def test_defaults_when_anything_goes(shared_client, query, expected, accept):
    headers = {"Accept": accept} if accept else {}
    response = shared_client.get("/sparql", query_string={"query": query}, headers=headers)
    assert response.status_code == 200
    assert _media_type(response) == expected


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/csv, application/sparql-results+xml;q=0.9", "text/csv"),
        ("application/sparql-results+json;q=0.1, text/tab-separated-values;q=0.2", "text/tab-separated-values"),
        ("text/*;q=0.9, application/sparql-results+json;q=0.5", "text/csv"),
    ],
)
def test_q_values_pick_the_select_format(shared_client, accept, expected):
    response = shared_client.get("/sparql", query_string={"query": SELECT_PEOPLE}, headers={"Accept": accept})
    assert _media_type(response) == expected


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/rdf+xml;q=0.4, application/n-triples;q=0.8", "application/n-triples"),
        ("application/ld+json, text/turtle;q=0.9", "application/ld+json"),
        ("application/n-quads;q=1, application/trig;q=0.3", "application/n-quads"),
    ],
)
def test_q_values_pick_the_rdf_format(shared_client, accept, expected):
    response = shared_client.get("/sparql", query_string={"query": CONSTRUCT_PEOPLE}, headers={"Accept": accept})
    assert _media_type(response) == expected


@pytest.mark.parametrize(
    "accept, query, expected",
    [
        ("application/sparql-results+json; charset=utf-8", SELECT_PEOPLE, "application/sparql-results+json"),
        ("application/sparql-results+json;charset=UTF-8", ASK_PERSON, "application/sparql-results+json"),
        ("text/csv; charset=utf-8; header=present", SELECT_PEOPLE, "text/csv"),
        ("text/turtle; charset=utf-8", CONSTRUCT_PEOPLE, "text/turtle"),
        (
            'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"',
            CONSTRUCT_PEOPLE,
            "application/ld+json",
        ),
    ],
)
def test_media_type_parameters_do_not_make_a_type_unacceptable(shared_client, accept, query, expected):
    response = shared_client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _media_type(response) == expected


def test_a_charset_other_than_utf8_is_not_acceptable(shared_client):
    response = shared_client.get(
        "/sparql",
        query_string={"query": SELECT_PEOPLE},
        headers={"Accept": "application/sparql-results+json; charset=iso-8859-1"},
    )
    assert_error_shape(response, 406)


@pytest.mark.parametrize(
    "query, fmt, expected",
    [
        (SELECT_PEOPLE, "json", "application/sparql-results+json"),
        (SELECT_PEOPLE, "xml", "application/sparql-results+xml"),
        (SELECT_PEOPLE, "csv", "text/csv"),
        (SELECT_PEOPLE, "tsv", "text/tab-separated-values"),
        (SELECT_PEOPLE, "text/csv", "text/csv"),
        (ASK_PERSON, "xml", "application/sparql-results+xml"),
        (CONSTRUCT_PEOPLE, "ttl", "text/turtle"),
        (CONSTRUCT_PEOPLE, "nt", "application/n-triples"),
        (CONSTRUCT_PEOPLE, "jsonld", "application/ld+json"),
        (CONSTRUCT_PEOPLE, "rdf", "application/rdf+xml"),
        (CONSTRUCT_PEOPLE, "trig", "application/trig"),
        (CONSTRUCT_PEOPLE, "nq", "application/n-quads"),
        # what SPARQLWrapper sends: format=json (and xml, turtle) whatever the query form
        (CONSTRUCT_PEOPLE, "json", "application/ld+json"),
        (DESCRIBE_PEOPLE, "json", "application/ld+json"),
        (DESCRIBE_PEOPLE, "xml", "application/rdf+xml"),
        (DESCRIBE_PEOPLE, "turtle", "text/turtle"),
        (DESCRIBE_PEOPLE, "rdf+xml", "application/rdf+xml"),
        (DESCRIBE_PEOPLE, "json-ld", "application/ld+json"),
    ],
)
@pytest.mark.parametrize("how", ["get", "post-form"])
def test_format_parameter_overrides_accept(shared_client, query, fmt, expected, how):
    headers = {"Accept": "application/sparql-results+json, text/turtle"}
    if how == "get":
        response = shared_client.get("/sparql", query_string={"query": query, "format": fmt}, headers=headers)
    else:
        response = shared_client.post("/sparql", data={"query": query, "format": fmt}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _media_type(response) == expected


def test_describe_with_format_json_answers_json_ld(shared_client, facts):
    response = shared_client.get("/sparql", query_string={"query": DESCRIBE_PEOPLE, "format": "json"})
    assert response.status_code == 200
    nodes = json.loads(response.data)
    assert {node["@id"] for node in nodes} >= set(facts.people)


@pytest.mark.parametrize(
    "query, accept, offered",
    [
        (SELECT_PEOPLE, "image/png", RESULT_TYPES),
        (SELECT_PEOPLE, "text/turtle", RESULT_TYPES),
        (CONSTRUCT_PEOPLE, "application/sparql-results+json", GRAPH_TYPES),
        (ASK_PERSON, "application/n-triples", RESULT_TYPES),
    ],
)
def test_406_lists_what_is_offered(shared_client, query, accept, offered):
    response = shared_client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    error = assert_error_shape(response, 406)
    for media_type in offered:
        assert media_type in error["message"]


def test_406_for_a_format_parameter_the_form_does_not_offer(shared_client):
    response = shared_client.get("/sparql", query_string={"query": CONSTRUCT_PEOPLE, "format": "csv"})
    error = assert_error_shape(response, 406)
    assert "text/turtle" in error["message"] and "format='csv'" in error["message"]


def test_plain_json_accept_gets_sparql_json_results(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert response.get_json() == {"head": {}, "boolean": True}


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
def test_syntax_error_is_400_with_the_parsers_message(shared_client, how):
    response = _send(shared_client, how, "SELECT ?s WHERE { ?s ?p }")
    error = assert_error_shape(response, 400)
    assert "error at 1:" in error["message"]  # pyoxigraph's position


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
@pytest.mark.parametrize("query", ["", "   \n\t", "# only a comment", "PREFIX e: <http://e/>"])
def test_an_empty_query_is_400_not_403(shared_client, how, query):
    error = assert_error_shape(_send(shared_client, how, query), 400)
    assert "read-only" not in error["message"]


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/s> <http://e/p> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "CREATE GRAPH <http://e/g>",
        "DROP ALL",
        "PREFIX e: <http://e/> WITH <http://e/g> DELETE { ?s e:p ?o } WHERE { ?s e:p ?o }",
    ],
)
@pytest.mark.parametrize("how", ["update-form", "update-direct", "update-get", "as-query"])
def test_updates_are_refused_as_read_only(shared_client, update, how):
    if how == "update-form":
        response = shared_client.post("/sparql", data={"update": update})
    elif how == "update-direct":
        response = shared_client.post("/sparql", data=update.encode(), content_type="application/sparql-update")
    elif how == "update-get":
        response = shared_client.get("/sparql", query_string={"update": update})
    else:
        response = shared_client.get("/sparql", query_string={"query": update})
    error = assert_error_shape(response, 403)
    assert "read-only" in error["message"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o OPTIONAL { SERVICE ?endpoint { ?s ?q ?r } } VALUES ?endpoint { <http://127.0.0.1:9/> } }",
        "PREFIX e: <http://e/>\nASK {\n  # a comment\n  SERVICE\n<http://127.0.0.1:9/> { ?s e:p ?o } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    ],
)
def test_service_is_refused_before_execution(shared_client, query):
    response = shared_client.get("/sparql", query_string={"query": query})
    error = assert_error_shape(response, 403)
    assert "SERVICE" in error["message"]


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" } LIMIT 1',
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "PREFIX SERVICE: <http://e/> SELECT * WHERE { ?s SERVICE:p ?o } LIMIT 1",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <http://127.0.0.1:9/>",
    ],
)
def test_the_word_service_elsewhere_is_not_refused(shared_client, query):
    response = shared_client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_too_many_rows_is_an_error_naming_the_setting(mini_build):
    app = make_app(mini_build, max_rows=10)
    try:
        response = app.test_client().get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
        error = assert_error_shape(response, 403)
        assert "max_rows=10" in error["message"]
        response = app.test_client().get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert "max_rows=10" in assert_error_shape(response, 403)["message"]
        ok = app.test_client().get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 10"})
        assert ok.status_code == 200
    finally:
        close_app(app)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "query=ASK%20%7B%7D"},  # form body, no media type
        {"data": "ASK {}", "content_type": "text/plain"},
        {"data": "ASK {}".encode("utf-16"), "content_type": "application/sparql-query; charset=UTF-16"},
    ],
)
def test_post_with_the_wrong_media_type_is_415(shared_client, kwargs):
    assert_error_shape(shared_client.post("/sparql", **kwargs), 415)


@pytest.mark.parametrize(
    "query_string",
    [
        [("query", "ASK {}"), ("query", "SELECT * {}")],
        [("query", "ASK {}"), ("default-graph-uri", "not an iri")],
        [("query", "ASK {}"), ("named-graph-uri", "> } DROP ALL #")],
    ],
)
def test_bad_protocol_parameters_are_400(shared_client, query_string):
    assert_error_shape(shared_client.get("/sparql", query_string=query_string), 400)


def test_query_both_in_url_and_direct_body_is_400(shared_client):
    response = shared_client.post("/sparql?query=ASK%7B%7D", data=b"ASK {}", content_type="application/sparql-query")
    assert_error_shape(response, 400)


@pytest.mark.parametrize(
    "raw",
    [
        "query=ASK%20%7B%zz%7D",  # not two hex digits
        "query=ASK%20%7B%7D%",  # a bare % at the end
        "query=ASK%7B%7D&format=%E",  # a cut-off escape in another parameter
    ],
)
def test_malformed_percent_encoding_in_the_url_is_400(shared_client, raw):
    error = assert_error_shape(shared_client.get("/sparql?" + raw), 400)
    assert "percent" in error["message"]


@pytest.mark.parametrize("raw", ["query=ASK%20%7B%zz%7D", "query=ASK%7B%7D%"])
def test_malformed_percent_encoding_in_a_form_is_400(shared_client, raw):
    response = shared_client.post("/sparql", data=raw.encode(), content_type="application/x-www-form-urlencoded")
    assert "percent" in assert_error_shape(response, 400)["message"]


@pytest.mark.parametrize(
    "how, body",
    [
        ("url", None),
        ("form-escaped", b"query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%FF%20%7D"),
        ("form-raw", b'query=SELECT * WHERE { ?s ?p "\xff\xfe" }'),
        ("direct", b'SELECT * WHERE { ?s ?p "\xff\xfe" }'),
    ],
)
def test_invalid_utf8_is_400(shared_client, how, body):
    if how == "url":
        response = shared_client.get("/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22%C3%28%22%20%7D")
    elif how == "direct":
        response = shared_client.post("/sparql", data=body, content_type="application/sparql-query")
    else:
        response = shared_client.post("/sparql", data=body, content_type="application/x-www-form-urlencoded")
    assert "UTF-8" in assert_error_shape(response, 400)["message"]


def test_utf8_text_in_every_method_is_read_as_utf8(shared_client):
    query = 'SELECT ?x WHERE { BIND("Zürich ✓" AS ?x) }'
    for how in ("get", "post-form", "post-direct"):
        response = _send(shared_client, how, query)
        assert response.get_json()["results"]["bindings"][0]["x"]["value"] == "Zürich ✓"
    raw = shared_client.post(
        "/sparql", data=("query=" + query).encode("utf-8"), content_type="application/x-www-form-urlencoded"
    )
    assert raw.get_json()["results"]["bindings"][0]["x"]["value"] == "Zürich ✓"


def test_put_is_405_in_the_error_shape(shared_client):
    response = shared_client.put("/sparql", query_string={"query": "ASK {}"})
    assert_error_shape(response, 405)
    assert "GET" in response.headers["Allow"]


# --- dataset ------------------------------------------------------------------------------------

COUNT_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"
COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _count(client, query, params=()) -> int:
    response = client.get("/sparql", query_string=[("query", query), *params])
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


def test_the_default_graph_is_the_union_of_all_graphs(shared_client, facts):
    assert _count(shared_client, COUNT_SUBJECTS) == facts.union_subjects


def test_default_graph_uri_selects_the_default_graph(shared_client, facts):
    article = facts.articles[0]
    assert _count(shared_client, COUNT_SUBJECTS, [("default-graph-uri", WORLD)]) == facts.subjects[WORLD]
    both = _count(shared_client, COUNT_SUBJECTS, [("default-graph-uri", WORLD), ("default-graph-uri", article)])
    assert max(facts.subjects[WORLD], facts.subjects[article]) <= both
    assert both <= facts.subjects[WORLD] + facts.subjects[article]


def test_named_graph_uri_limits_the_named_graphs(shared_client, facts):
    assert _count(shared_client, COUNT_GRAPHS) == len(facts.graphs)
    assert _count(shared_client, COUNT_GRAPHS, [("named-graph-uri", WORLD)]) == 1
    # with only named graphs given, the default graph is empty
    assert _count(shared_client, COUNT_SUBJECTS, [("named-graph-uri", WORLD)]) == 0


def test_from_in_the_query_is_honoured_without_protocol_dataset(shared_client, facts):
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) FROM <{WORLD}> WHERE {{ ?s ?p ?o }}"
    assert _count(shared_client, query) == facts.subjects[WORLD]


def test_protocol_dataset_wins_over_from(shared_client, facts):
    article = facts.articles[0]
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) FROM <{WORLD}> WHERE {{ ?s ?p ?o }}"
    assert _count(shared_client, query, [("default-graph-uri", article)]) == facts.subjects[article]


def test_dataset_parameters_of_a_form_post(shared_client, facts):
    response = shared_client.post("/sparql", data={"query": COUNT_SUBJECTS, "default-graph-uri": WORLD})
    assert json.loads(response.data)["results"]["bindings"][0]["n"]["value"] == str(facts.subjects[WORLD])


def test_dataset_parameters_of_a_direct_post(shared_client, facts):
    response = shared_client.post(
        "/sparql",
        query_string={"default-graph-uri": WORLD},
        data=COUNT_SUBJECTS.encode(),
        content_type="application/sparql-query",
    )
    assert json.loads(response.data)["results"]["bindings"][0]["n"]["value"] == str(facts.subjects[WORLD])


def test_parley_prefixes_are_predeclared(shared_client, facts):
    response = shared_client.get("/sparql", query_string={"query": "SELECT ?p WHERE { ?p a parley:Person }"})
    assert response.status_code == 200
    assert len(json.loads(response.data)["results"]["bindings"]) == len(facts.people)


def test_csv_has_a_header_row(shared_client, facts):
    response = shared_client.get("/sparql", query_string={"query": SELECT_PEOPLE, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["person"], *[[p] for p in facts.people]]


# --- service description ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept, media_type",
    [
        (None, "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml;q=0.5, application/n-triples;q=0.9", "application/n-triples"),
    ],
)
def test_service_description_is_negotiated(shared_client, mini_build, facts, accept, media_type):
    from server.sparql.description import read_void_figures

    headers = {"Accept": accept} if accept else {}
    response = shared_client.get("/sparql", headers=headers)
    assert response.status_code == 200
    assert _media_type(response) == media_type
    assert response.headers["Vary"] == "Accept"
    graph = _graph(response.data, media_type)
    service = URIRef("http://localhost/sparql")
    assert (service, URIRef(SD + "endpoint"), service) in graph
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph
    assert (service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in graph
    formats = {str(o) for o in graph.objects(service, URIRef(SD + "resultFormat"))}
    assert len(formats) == len(RESULT_TYPES) + len(GRAPH_TYPES)
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/JSON-LD" in formats
    dataset = graph.value(service, URIRef(SD + "defaultDataset"))
    triples = dict(read_void_figures(mini_build / "void.ttl"))["triples"]
    assert graph.value(dataset, URIRef(VOID + "triples")).toPython() == triples
    names = {str(graph.value(n, URIRef(SD + "name"))) for n in graph.objects(dataset, URIRef(SD + "namedGraph"))}
    assert names == set(facts.graphs)


def test_service_description_is_conditional(shared_client):
    first = shared_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = shared_client.get("/sparql", headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = shared_client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert other.headers["ETag"] != first.headers["ETag"]


def test_service_description_406(shared_client):
    assert_error_shape(shared_client.get("/sparql", headers={"Accept": "image/png"}), 406)
    assert_error_shape(shared_client.get("/sparql?format=csv"), 406)


def test_a_browser_gets_the_query_page(shared_client):
    response = shared_client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert _media_type(response) == "text/html"
    assert b"<form" in response.data


def test_without_a_query_page_a_plain_page_is_served(mini_build):
    from server.sparql.protocol import QUERY_PAGE_ENDPOINT

    app = make_app(mini_build)
    try:
        assert QUERY_PAGE_ENDPOINT in app.view_functions
        app.view_functions.pop(QUERY_PAGE_ENDPOINT)
        response = app.test_client().get("/sparql", headers={"Accept": "text/html"})
        assert response.status_code == 200 and b"<textarea" in response.data
    finally:
        close_app(app)


# --- CORS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_cors_on_reads_and_errors(shared_client, method):
    if method == "get":
        ok = shared_client.get("/sparql", query_string={"query": ASK_PERSON}, headers={"Origin": "https://e.org"})
    else:
        ok = shared_client.post("/sparql", data={"query": ASK_PERSON}, headers={"Origin": "https://e.org"})
    assert ok.headers["Access-Control-Allow-Origin"] == "*"
    bad = shared_client.get("/sparql", query_string={"query": "ASK {"})
    assert bad.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(shared_client):
    response = shared_client.options(
        "/sparql",
        headers={
            "Origin": "https://e.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
