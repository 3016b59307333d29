"""The SPARQL Service Description of the endpoint (W3C SPARQL 1.1 Service Description).

``GET /sparql`` without a query answers it: ``sd:endpoint``, ``sd:supportedLanguage
sd:SPARQL11Query``, ``sd:feature sd:UnionDefaultGraph``, an ``sd:resultFormat`` for every
representation the endpoint offers (the W3C format IRIs of the ``RESULTS`` and
``GRAPH_RESULTS`` groups of the representations table, so the description cannot drift from
what is served), and an ``sd:defaultDataset`` carrying the build's VoID figures (from
``void.ttl``) and every named graph of the store. It is built with pyoxigraph and serialized in
one of the ``SERVICE_DESCRIPTION`` representations.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import DATASET

from ..http.representations import GRAPH_RESULTS, RESULTS, Representation

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_SIMPLE_ENTAILMENT = ox.NamedNode("http://www.w3.org/ns/entailment/Simple")
#: the VoID figures of the dataset that the description repeats
VOID_FIGURES = ("triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects", "documents")
PREFIXES = {"sd": SD, "void": VOID}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _void(name: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + name)


def read_void_figures(path: Path) -> tuple[tuple[str, int], ...]:
    """Return the dataset's VoID counts (``("triples", 1490)`` ...) from ``void.ttl``; () if absent.

    The dataset is ``{base}dataset`` when described, else the void:Dataset with most triples.
    """
    if not Path(path).is_file():
        return ()
    counts: dict[str, dict[str, int]] = {}
    names = {VOID + name: name for name in VOID_FIGURES}
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        name = names.get(triple.predicate.value)
        if name is None or not isinstance(triple.subject, ox.NamedNode) or not isinstance(triple.object, ox.Literal):
            continue
        try:
            value = int(triple.object.value)
        except ValueError:
            continue
        counts.setdefault(triple.subject.value, {})[name] = value
    candidates = [s for s, figures in counts.items() if "triples" in figures]
    if not candidates:
        return ()
    subject = str(DATASET) if str(DATASET) in candidates else max(candidates, key=lambda s: counts[s]["triples"])
    return tuple((name, counts[subject][name]) for name in VOID_FIGURES if name in counts[subject])


def result_format_iris() -> list[str]:
    """Return the W3C format IRIs of every result representation the endpoint offers."""
    return [rep.iri for rep in (*RESULTS, *GRAPH_RESULTS) if rep.iri]


def service_description(
    endpoint_url: str, rep: Representation, figures: Sequence[tuple[str, int]], named_graphs: Sequence[str]
) -> bytes:
    """Return the Service Description of the endpoint at ``endpoint_url``, serialized as ``rep``."""
    service = ox.NamedNode(endpoint_url)
    dataset, default_graph = ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, _RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultEntailmentRegime"), _SIMPLE_ENTAILMENT),
    ]
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(iri)) for iri in result_format_iris()]
    triples += [
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _RDF_TYPE, _void("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _RDF_TYPE, _sd("Graph")),
    ]
    for name, value in figures:
        count = ox.Literal(str(value), datatype=_INTEGER)
        triples.append(ox.Triple(dataset, _void(name), count))
        if name == "triples":  # the default graph is the union: it holds every triple
            triples.append(ox.Triple(default_graph, _void("triples"), count))
    for index, iri in enumerate(named_graphs):
        node = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), node),
            ox.Triple(node, _RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(node, _sd("name"), ox.NamedNode(iri)),
        ]
    if rep.rdf_format == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=rep.rdf_format)
    return ox.serialize(triples, format=rep.rdf_format, prefixes=PREFIXES)
