"""The VoID/DCAT description of a build: three datasets, each with the dumps that hold it once.

The data (``DATASET``) has one ``void:dataDump``, the N-Quads dump, which holds every named
graph once; a harvester that loads every ``void:dataDump`` loads the data once. The same data
in other syntaxes (TriG, Turtle, JSON-LD) are ``dcat:distribution`` values only, each with its
media type, size and SHA-256. The ontology (``ONTOLOGY``) and the shapes (``SHAPES``) are
datasets of their own with their own dumps, never dumps of the data.

``void:triples`` counts what VoID says it counts: the distinct triples of the dataset, here the
union of its named graphs, so a triple stated in two graphs is counted once. The N-Quads dump
may therefore hold more lines (quads) than ``void:triples``; its description says how many when
it does. Each named graph is a ``void:subset`` with its own count; subsets may overlap, so
their counts need not add up to the dataset's.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from .namespaces import BASE, DATASET, ONTOLOGY, PARLEY, PREFIXES, SHAPES, bind_prefixes

if TYPE_CHECKING:  # graph.dump imports this module; a DumpFile is only ever passed in
    from .dump import DumpFile

SPDX = "http://spdx.org/rdf/terms#"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"
DUMPS_URL = BASE + "dumps/"
#: the dumps that are datasets of their own (the rest are the data's)
OWN_DATASETS = {"ontology.ttl": ONTOLOGY, "shapes.ttl": SHAPES}
_TITLES = {
    ONTOLOGY: "The Parley ontology and its code lists",
    SHAPES: "The SHACL shapes the Parley data conforms to",
}


def void_graph(quads: list[ox.Quad], dumps: list[DumpFile], modified: str) -> Graph:
    """Return the VoID/DCAT description of the data, the ontology and the shapes, and their dumps."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("spdx", SPDX)
    stamp = Literal(modified, datatype=XSD.dateTime)
    triples = {q.triple for q in quads}
    _describe_data(graph, triples, stamp)
    _partitions(graph, triples, quads)
    for dump in dumps:
        owner = OWN_DATASETS.get(dump.name, DATASET)
        url = _distribution(graph, dump, stamp, conforms=owner == DATASET)
        graph.add((owner, DCAT.distribution, url))
        if owner != DATASET:
            _describe_own(graph, owner, url, dump, stamp)
        elif dump.media_type == ox.RdfFormat.N_QUADS.media_type:
            graph.add((DATASET, VOID.dataDump, url))
            if len(quads) != len(triples):
                note = f"{len(quads):,} quads: the dataset's {len(triples):,} distinct triples, some in several graphs"
                graph.add((url, DCTERMS.description, Literal(note, lang="en")))
    return graph


def _describe_data(graph: Graph, triples: set, stamp: Literal) -> None:
    ds = DATASET
    graph.add((ds, RDF.type, VOID.Dataset))
    graph.add((ds, RDF.type, DCAT.Dataset))
    graph.add((ds, DCTERMS.title, Literal("Parley: the 2025 Istanbul talks and exchanges, as reported", lang="en")))
    graph.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "A knowledge graph of news reporting on the 2025 Russia-Ukraine talks in Istanbul and the exchanges of "
                "prisoners of war, soldiers' bodies and deported children that followed. Every figure is a claim attributed "
                "to its speaker and article and anchored to the exact passage that supports it.",
                lang="en",
            ),
        )
    )
    graph.add((ds, DCTERMS.license, LICENSE))
    graph.add(
        (
            ds,
            DCTERMS.rights,
            Literal("The article texts quoted as evidence remain the work of their publishers.", lang="en"),
        )
    )
    graph.add((ds, DCTERMS.modified, stamp))
    graph.add((ds, DCTERMS.conformsTo, SHAPES))
    graph.add((ds, VOID.vocabulary, URIRef(str(PARLEY))))
    graph.add((ds, VOID.sparqlEndpoint, URIRef(BASE + "sparql")))
    graph.add((ds, VOID.uriSpace, Literal(BASE + "id/")))
    graph.add((ds, VOID.rootResource, ONTOLOGY))
    graph.add((ds, VOID.exampleResource, URIRef(BASE + "id/person/vladimir-medinsky")))
    subjects = {t.subject for t in triples}
    objects = {t.object for t in triples}
    graph.add((ds, VOID.triples, _integer(len(triples))))
    graph.add((ds, VOID.distinctSubjects, _integer(len(subjects))))
    graph.add((ds, VOID.distinctObjects, _integer(len(objects))))


def _partitions(graph: Graph, triples: set, quads: list[ox.Quad]) -> None:
    """The class, property and named-graph partitions of the data, each with its count."""
    ds = DATASET
    properties = Counter(t.predicate.value for t in triples)
    rdf_type = ox.NamedNode(str(RDF.type))
    classes = Counter(t.object.value for t in triples if t.predicate == rdf_type and isinstance(t.object, ox.NamedNode))
    graph.add((ds, VOID.properties, _integer(len(properties))))
    graph.add((ds, VOID.classes, _integer(len(classes))))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{ds}#class-{_local(cls)}")
        graph.add((ds, VOID.classPartition, part))
        graph.add((part, VOID["class"], URIRef(cls)))
        graph.add((part, VOID.entities, _integer(count)))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{ds}#property-{_local(prop)}")
        graph.add((ds, VOID.propertyPartition, part))
        graph.add((part, VOID.property, URIRef(prop)))
        graph.add((part, VOID.triples, _integer(count)))
    per_graph = Counter(str(q.graph_name.value) for q in quads if isinstance(q.graph_name, ox.NamedNode))
    for name, count in sorted(per_graph.items()):
        graph.add((ds, VOID.subset, URIRef(name)))
        graph.add((URIRef(name), RDF.type, VOID.Dataset))
        graph.add((URIRef(name), VOID.triples, _integer(count)))


def _describe_own(graph: Graph, iri: URIRef, url: URIRef, dump: DumpFile, stamp: Literal) -> None:
    """The ontology or the shapes as a dataset of its own, its one file its dump."""
    graph.add((iri, RDF.type, VOID.Dataset))
    graph.add((iri, RDF.type, DCAT.Dataset))
    graph.add((iri, DCTERMS.title, Literal(_TITLES[iri], lang="en")))
    graph.add((iri, DCTERMS.license, LICENSE))
    graph.add((iri, DCTERMS.modified, stamp))
    graph.add((iri, VOID.dataDump, url))
    graph.add((iri, VOID.triples, _integer(dump.triples)))


def file_distribution(
    graph: Graph, url: URIRef, *, name: str, description: str, media_type: str, compressed: bool, size: int, sha256: str
) -> None:
    """A downloadable file as a dcat:Distribution: its name, syntax, compression, size and SHA-256
    (a build's dump here, a release's download in ``graph.release_metadata``)."""
    checksum = URIRef(f"{url}#sha256")
    graph.add((url, RDF.type, DCAT.Distribution))
    graph.add((url, DCTERMS.title, Literal(name)))
    graph.add((url, DCTERMS.description, Literal(description, lang="en")))
    graph.add((url, DCAT.downloadURL, url))
    graph.add((url, DCAT.mediaType, URIRef(IANA + media_type)))
    if compressed:
        graph.add((url, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    graph.add((url, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    graph.add((url, URIRef(SPDX + "checksum"), checksum))
    graph.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
    graph.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
    graph.add((checksum, URIRef(SPDX + "checksumValue"), Literal(sha256, datatype=XSD.hexBinary)))


def _distribution(graph: Graph, dump: DumpFile, stamp: Literal, conforms: bool) -> URIRef:
    """A dump as a dcat:Distribution: where, what syntax, how big, its SHA-256."""
    url = URIRef(DUMPS_URL + dump.name)
    file_distribution(
        graph,
        url,
        name=dump.name,
        description=dump.description,
        media_type=dump.media_type,
        compressed=dump.compressed,
        size=dump.size,
        sha256=dump.sha256,
    )
    graph.add((url, DCTERMS.license, LICENSE))
    graph.add((url, DCTERMS.modified, stamp))
    if conforms:
        graph.add((url, DCTERMS.conformsTo, SHAPES))
    return url


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                prefix = next((k for k, v in PREFIXES.items() if iri.startswith(str(v))), "x")
                return f"{prefix}-{tail}"
    return hashlib.sha256(iri.encode()).hexdigest()[:12]
