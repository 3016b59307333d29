"""Every IRI Parley mints or reuses, in one place.

This is the only module that spells out the canonical base IRI. Things live under
``{base}id/{kind}/{slug}``, documents about them under ``{base}doc/...``, named graphs under
``{base}graph/...``; the ontology is ``{base}ontology`` with terms in ``{base}ontology#``.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

BASE = "https://w3id.org/parley/"

PARLEY = Namespace(BASE + "ontology#")
ONTOLOGY = URIRef(BASE + "ontology")
SHAPES = URIRef(BASE + "shapes")
ID = Namespace(BASE + "id/")
DOC = Namespace(BASE + "doc/")
GRAPH = Namespace(BASE + "graph/")
DATASET = URIRef(BASE + "dataset")

OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
VANN = Namespace("http://purl.org/vocab/vann/")

WORLD_GRAPH = GRAPH["world"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
PROVENANCE_GRAPH = GRAPH["provenance"]

PREFIXES = {
    "parley": PARLEY,
    "pid": ID,
    "oa": OA,
    "org": ORG,
    "schema": SCHEMA,
    "sem": SEM,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "vann": VANN,
}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = (
    "state",
    "org",
    "person",
    "delegation",
    "post",
    "place",
    "event",
    "process",
    "round",
    "agreement",
    "provision",
    "proposal",
    "exchange",
    "source",
)


def article_graph(article_slug: str) -> URIRef:
    """Return the IRI of the named graph that holds what one article says."""
    return GRAPH[f"article/{article_slug}"]


def thing(ref: str) -> URIRef:
    """Return the IRI for a curated reference ``kind/slug`` (``person/vladimir-medinsky``)."""
    return ID[ref]


def concept(scheme: str, slug: str) -> URIRef:
    """Return the IRI of a code-list concept (``measure``, ``bodies-received-by-ukraine``)."""
    return ID[f"{scheme}/{slug}"]


def scheme_iri(scheme: str) -> URIRef:
    """Return the IRI of a code-list concept scheme."""
    return ID[f"scheme/{scheme}"]


def bind_prefixes(graph) -> None:
    """Bind Parley's preferred prefixes on an rdflib graph or dataset (replacing defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


#: The datatype of every whole number the ingest writes (counts, offsets, ordinals). The store (pyoxigraph) keeps the types
#: derived from xsd:integer (nonNegativeInteger, positiveInteger ...) as xsd:integer, so a value
#: written as one of them would read one way in the dumps and another in every document, SPARQL
#: answer and release made from the store; xsd:integer reads the same everywhere, and its values
#: are in the ranges the ontology gives (a count from 0, an ordinal from 1; the shapes check them).
WHOLE = XSD.integer
