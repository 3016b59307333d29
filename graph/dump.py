"""Write the published files of a build: the pyoxigraph store with the size and SHA-256 of
each of its files, the dumps with their checksums, and the VoID/DCAT description.

Quads are sorted before they are written and gzip headers carry no time or name, so the same
dataset always gives the same dump bytes. The store's own files are not reproducible (RocksDB
writes ids and times into them), which is why their checksums go to ``store.json`` beside the
store rather than into ``build.json``: the rest of the build stays byte-identical.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from .namespaces import BASE, DATASET, ONTOLOGY, ONTOLOGY_GRAPH, PARLEY, PREFIXES, SHAPES, bind_prefixes

SPDX = "http://spdx.org/rdf/terms#"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"
DUMPS_URL = BASE + "dumps/"


@dataclass(frozen=True)
class DumpFile:
    name: str
    media_type: str
    compressed: bool
    triples: int
    size: int
    sha256: str
    description: str


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Return the pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


def from_ox(term):
    """Return the rdflib term for a pyoxigraph term, its lexical form kept as stored ("1012.0"
    stays "1012.0": rdflib would otherwise normalise it, and documents would disagree)."""
    from rdflib import BNode
    from rdflib.namespace import XSD as _XSD

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(_XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    return BNode(term.value)


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """Return the dataset's quads as pyoxigraph quads in a stable order."""
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in dataset.quads((None, None, None, None))]
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    return quads


STORE_MANIFEST = "store.json"
# RocksDB's info log and lock file: written whenever a store is opened for writing, never
# data, so a check that the store is intact must not look at them.
_NOT_STORE_DATA = re.compile(r"^(LOCK|LOG(\.old\..*)?)$")


def write_store(quads: list[ox.Quad], path: Path) -> dict:
    """Create the on-disk pyoxigraph store the server opens read-only; return its manifest.

    The manifest (``store_manifest``) is taken once the store is closed, so it describes the
    files exactly as the server will find them.
    """
    store = ox.Store(str(path))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    del store
    return store_manifest(path)


def store_manifest(path: Path) -> dict:
    """Return ``{"files": {name: {"bytes": size, "sha256": hex}}}`` for the store's data files."""
    files = {}
    for file in sorted(Path(path).iterdir()):
        if file.is_file() and not _NOT_STORE_DATA.match(file.name):
            files[file.name] = {"bytes": file.stat().st_size, "sha256": file_sha256(file)}
    return {"files": files}


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in blocks (store files can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(data)
    return buffer.getvalue()


def _prefixes() -> dict[str, str]:
    # `pid:` is left out of serializations: its local names hold slashes, which Turtle must
    # escape (pid:claim\/001-...), and full IRIs read better than that.
    return {k: str(v) for k, v in PREFIXES.items() if k != "pid"}


def write_dumps(quads: list[ox.Quad], shapes_path: Path, out: Path) -> list[DumpFile]:
    """Write every dump and SHA256SUMS into ``out``; return what was written."""
    out.mkdir(parents=True, exist_ok=True)
    triples = [q.triple for q in quads]
    ontology = [q.triple for q in quads if q.graph_name == ox.NamedNode(str(ONTOLOGY_GRAPH))]
    prefixes = _prefixes()
    files: list[tuple[str, bytes, str, bool, int, str]] = [
        (
            "parley.nq.gz",
            ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
            "application/n-quads",
            True,
            len(quads),
            "Every named graph, as N-Quads",
        ),
        (
            "parley.trig.gz",
            ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes),
            "application/trig",
            True,
            len(quads),
            "Every named graph, as TriG",
        ),
        (
            "parley.ttl.gz",
            ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
            "text/turtle",
            True,
            len(triples),
            "The union of all graphs, as Turtle",
        ),
        (
            "parley.jsonld.gz",
            ox.serialize(triples, format=ox.RdfFormat.JSON_LD),
            "application/ld+json",
            True,
            len(triples),
            "The union of all graphs, as JSON-LD",
        ),
        (
            "ontology.ttl",
            ox.serialize(ontology, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
            "text/turtle",
            False,
            len(ontology),
            "The Parley ontology and its code lists, as Turtle",
        ),
    ]
    shapes_bytes = shapes_path.read_bytes()
    shapes_graph = Graph().parse(data=shapes_bytes, format="turtle")
    files.append(
        (
            "shapes.ttl",
            shapes_bytes,
            "text/turtle",
            False,
            len(shapes_graph),
            "The SHACL shapes the dataset conforms to, as Turtle",
        )
    )
    written = []
    for name, data, media_type, compressed, count, description in files:
        payload = _gzip(data) if compressed else data
        (out / name).write_bytes(payload)
        written.append(
            DumpFile(
                name, media_type, compressed, count, len(payload), hashlib.sha256(payload).hexdigest(), description
            )
        )
    sums = "".join(f"{f.sha256}  {f.name}\n" for f in written)
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return written


def void_graph(quads: list[ox.Quad], dumps: list[DumpFile], modified: str) -> Graph:
    """Return the VoID/DCAT description of the dataset and its dumps."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("spdx", SPDX)
    ds = DATASET
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    subjects = {t[0] for t in triples}
    objects = {t[2] for t in triples}
    properties = Counter(str(t[1].value) for t in triples)
    rdf_type = ox.NamedNode(str(RDF.type))
    classes = Counter(str(t[2].value) for t in triples if t[1] == rdf_type and isinstance(t[2], ox.NamedNode))
    stamp = Literal(modified, datatype=XSD.dateTime)

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
    graph.add((ds, VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    graph.add((ds, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
    graph.add((ds, VOID.distinctObjects, Literal(len(objects), datatype=XSD.integer)))
    graph.add((ds, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    graph.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    graph.add((ds, VOID.rootResource, ONTOLOGY))
    graph.add((ds, VOID.exampleResource, URIRef(BASE + "id/person/vladimir-medinsky")))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{ds}#class-{_local(cls)}")
        graph.add((ds, VOID.classPartition, part))
        graph.add((part, VOID["class"], URIRef(cls)))
        graph.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{ds}#property-{_local(prop)}")
        graph.add((ds, VOID.propertyPartition, part))
        graph.add((part, VOID.property, URIRef(prop)))
        graph.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    per_graph = Counter(str(q.graph_name.value) for q in quads if isinstance(q.graph_name, ox.NamedNode))
    for name, count in sorted(per_graph.items()):
        graph.add((ds, VOID.subset, URIRef(name)))
        graph.add((URIRef(name), RDF.type, VOID.Dataset))
        graph.add((URIRef(name), VOID.triples, Literal(count, datatype=XSD.integer)))
    for dump in dumps:
        url = URIRef(DUMPS_URL + dump.name)
        checksum = URIRef(f"{url}#sha256")
        graph.add((ds, VOID.dataDump, url))
        graph.add((ds, DCAT.distribution, url))
        graph.add((url, RDF.type, DCAT.Distribution))
        graph.add((url, DCTERMS.title, Literal(dump.name)))
        graph.add((url, DCTERMS.description, Literal(dump.description, lang="en")))
        graph.add((url, DCAT.downloadURL, url))
        graph.add((url, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        if dump.compressed:
            graph.add((url, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        graph.add((url, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        graph.add((url, VOID.triples, Literal(dump.triples, datatype=XSD.integer)))
        graph.add((url, DCTERMS.license, LICENSE))
        graph.add((url, DCTERMS.modified, stamp))
        if dump.name != "shapes.ttl":
            graph.add((url, DCTERMS.conformsTo, SHAPES))
        graph.add((url, URIRef(SPDX + "checksum"), checksum))
        graph.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
        graph.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        graph.add((checksum, URIRef(SPDX + "checksumValue"), Literal(dump.sha256, datatype=XSD.hexBinary)))
    return graph


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                prefix = next((k for k, v in PREFIXES.items() if iri.startswith(str(v))), "x")
                return f"{prefix}-{tail}"
    return hashlib.sha256(iri.encode()).hexdigest()[:12]


def serialize_sorted(graph: Graph) -> bytes:
    """Serialize a small rdflib graph as Turtle in a stable order (via pyoxigraph)."""
    from rdflib.compare import to_canonical_graph

    data = to_canonical_graph(graph).serialize(format="nt", encoding="utf-8")
    triples = sorted(
        ox.parse(data, format=ox.RdfFormat.N_TRIPLES), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
    )
    prefixes = _prefixes()
    prefixes["spdx"] = SPDX
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
