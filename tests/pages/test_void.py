"""The VoID/DCAT description holds what a harvester reads in it: over the mini build's own files,
the data's ``void:dataDump`` values together hold the data once, its ``void:triples`` is the
number of distinct triples in them (loaded with pyoxigraph), every other serialization is a
``dcat:Distribution`` whose size and SHA-256 are the file's, the ontology and the shapes are
datasets of their own, and the JSON-LD dump keeps every named graph."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from graph.namespaces import DATASET, ONTOLOGY, SHAPES
from graph.void import DUMPS_URL, SPDX

FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}


@pytest.fixture(scope="module")
def void(mini_build) -> Graph:
    return Graph().parse(mini_build / "void.ttl", format="turtle")


def _file(build: Path, url) -> Path:
    assert str(url).startswith(DUMPS_URL), url
    return build / "dumps" / str(url)[len(DUMPS_URL) :]


def _quads(path: Path) -> set[ox.Quad]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    ext = path.name.removesuffix(".gz").rsplit(".", 1)[1]
    return set(ox.parse(data, format=FORMATS[ext]))


def _distinct_triples(quads) -> set[ox.Triple]:
    return {q.triple for q in quads}


def test_the_data_has_one_data_dump_and_it_holds_every_graph(void, mini_build):
    dumps = sorted(void.objects(DATASET, VOID.dataDump))
    assert dumps == [URIRef(DUMPS_URL + "parley.nq.gz")], "one dump, so a harvester loads the data once"
    quads = _quads(_file(mini_build, dumps[0]))
    assert {q.graph_name for q in quads} >= {ox.NamedNode(str(g)) for g in void.objects(DATASET, VOID.subset)}


def test_void_triples_is_the_distinct_triples_of_the_data_dumps(void, mini_build):
    loaded: set[ox.Quad] = set()
    for dump in void.objects(DATASET, VOID.dataDump):
        loaded |= _quads(_file(mini_build, dump))
    assert int(void.value(DATASET, VOID.triples)) == len(_distinct_triples(loaded))


def test_every_graph_subset_counts_its_own_triples(void, mini_build):
    quads = _quads(mini_build / "dumps" / "parley.nq.gz")
    for graph in void.objects(DATASET, VOID.subset):
        name = ox.NamedNode(str(graph))
        assert int(void.value(graph, VOID.triples)) == sum(1 for q in quads if q.graph_name == name), graph


def test_every_distribution_says_its_media_type_size_and_checksum(void, mini_build):
    described = set()
    for owner in (DATASET, ONTOLOGY, SHAPES):
        for url in void.objects(owner, DCAT.distribution):
            path = _file(mini_build, url)
            data = path.read_bytes()
            assert (url, RDF.type, DCAT.Distribution) in void
            assert void.value(url, DCAT.mediaType) is not None, url
            assert int(void.value(url, DCAT.byteSize)) == len(data), url
            checksum = void.value(url, URIRef(SPDX + "checksum"))
            assert str(void.value(checksum, URIRef(SPDX + "checksumValue"))) == hashlib.sha256(data).hexdigest()
            described.add(path.name)
    on_disk = {p.name for p in (mini_build / "dumps").iterdir() if p.name != "SHA256SUMS"}
    assert described == on_disk, "every dump is described, once"


def test_every_data_distribution_holds_the_same_data(void, mini_build):
    reference = _quads(mini_build / "dumps" / "parley.nq.gz")
    for url in void.objects(DATASET, DCAT.distribution):
        found = _quads(_file(mini_build, url))
        if url.endswith(".ttl.gz"):  # Turtle holds no graph names: the union of the graphs
            assert _distinct_triples(found) == _distinct_triples(reference), url
        else:
            assert found == reference, url


@pytest.mark.parametrize(("iri", "name"), [(ONTOLOGY, "ontology.ttl"), (SHAPES, "shapes.ttl")])
def test_the_ontology_and_the_shapes_are_datasets_of_their_own(void, mini_build, iri, name):
    assert {VOID.Dataset, DCAT.Dataset} <= set(void.objects(iri, RDF.type))
    dumps = list(void.objects(iri, VOID.dataDump))
    assert dumps == [URIRef(DUMPS_URL + name)]
    assert URIRef(DUMPS_URL + name) not in set(void.objects(DATASET, DCAT.distribution))
    triples = Graph().parse(_file(mini_build, dumps[0]), format="turtle")
    assert int(void.value(iri, VOID.triples)) == len(triples)
    assert void.value(iri, URIRef("http://purl.org/dc/terms/license")) is not None


def test_the_json_ld_dump_keeps_every_named_graph(mini_build):
    jsonld = _quads(mini_build / "dumps" / "parley.jsonld.gz")
    nquads = _quads(mini_build / "dumps" / "parley.nq.gz")
    assert len({q.graph_name for q in nquads}) > 1
    assert jsonld == nquads, f"{len(jsonld ^ nquads)} quads differ between the JSON-LD and the N-Quads dumps"
