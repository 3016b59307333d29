"""The endpoint over the real build (the session's ``build_dir``): its service description
carries the build's VoID figures and the union default graph holds every triple once (docs/data-model.md)."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef

from server.sparql.description import read_void_figures
from tests.sparql.testdata import close_app, make_app

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


@pytest.fixture
def real_client(build_dir):
    app = make_app(build_dir, max_rows=10000)
    yield app.test_client()
    close_app(app)


def test_service_description_carries_the_builds_void_figures(real_client, build_dir):
    figures = dict(read_void_figures(build_dir / "void.ttl"))
    assert figures.get("triples", 0) > 0, "void.ttl gives no void:triples for the dataset"
    graph = Graph().parse(data=real_client.get("/sparql").data, format="turtle")
    service = URIRef("http://localhost/sparql")
    dataset = graph.value(service, URIRef(SD + "defaultDataset"))
    assert graph.value(dataset, URIRef(VOID + "triples")).toPython() == figures["triples"]


def test_union_default_graph_matches_the_store(real_client, build_dir):
    response = real_client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    union = int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])
    # void:triples counts distinct triples; every triple is in exactly one named graph
    assert union == dict(read_void_figures(build_dir / "void.ttl"))["triples"]


def test_a_person_is_found_by_label(real_client):
    query = (
        "SELECT ?person WHERE { ?person a parley:Person ; rdfs:label ?label . "
        'FILTER(CONTAINS(STR(?label), "Medinsky")) }'
    )
    response = real_client.get("/sparql", query_string={"query": query})
    people = [b["person"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert "https://w3id.org/parley/id/person/vladimir-medinsky" in people
