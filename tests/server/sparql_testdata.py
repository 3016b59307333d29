"""Data and small factories shared by the SPARQL endpoint tests and their fixtures."""

from __future__ import annotations

import socket
from pathlib import Path

import pyoxigraph as ox

from server import create_app

ROOT = Path(__file__).resolve().parents[2]
W3C = Path(__file__).resolve().parent / "w3c"
BASE = "https://w3id.org/parley/"
GRAPH = BASE + "graph/"
FILLER_TRIPLES = 3000
W3C_GRAPH_IRI = "http://kasei.us/2009/09/sparql/data/{name}.rdf"

SMALL_TTL = """
@prefix parley: <https://w3id.org/parley/ontology#> .
@base <https://w3id.org/parley/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
WORLD = SMALL_TTL + """
<person/rustem-umerov> a parley:Person ; rdfs:label "Rustem Umerov"@en .
<person/vladimir-medinsky> a parley:Person ; rdfs:label "Vladimir Medinsky"@en .
<round/2025-06-02-istanbul> a parley:NegotiationRound ; rdfs:label "Istanbul, 2 June 2025"@en ;
    parley:date "2025-06-02"^^xsd:date .
"""
ARTICLE = SMALL_TTL + """
<claim/000-bodies-received-june-13> a parley:Claim ; rdfs:label "1,200 bodies received"@en ;
    parley:statedValue "1,200" ; parley:asOf "2025-06-13"^^xsd:date .
"""
VOID_TTL = """@prefix void: <http://rdfs.org/ns/void#> .
<https://w3id.org/parley/dataset> a void:Dataset ; void:triples 3011 ; void:entities 4 ;
    void:distinctSubjects 3004 ; void:properties 5 .
"""


def write_store(store_dir: Path, graphs: dict[str, str | list]) -> None:
    """Write a pyoxigraph store with each graph IRI -> Turtle text (or a list of triples)."""
    store = ox.Store(str(store_dir))
    for iri, content in graphs.items():
        if isinstance(content, str):
            store.load(content.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iri))
        else:
            store.extend(ox.Quad(s, p, o, ox.NamedNode(iri)) for s, p, o in content)
    store.flush()
    del store


def make_app(build: Path, **settings):
    """Return an app over ``build`` with test settings (close its endpoint when done)."""
    app = create_app({"build_dir": build, "query_timeout_s": 20.0, "max_rows": 1000, **settings})
    app.config["TESTING"] = True
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
