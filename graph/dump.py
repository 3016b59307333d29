"""Write the published files of a build: the pyoxigraph store with the size and SHA-256 of
each of its files, and the dumps with their checksums (their VoID/DCAT description is
``graph.void``'s, re-exported here).

Quads are sorted before they are written and gzip headers carry no time or name, so the same
dataset always gives the same dump bytes. The store's own files are not reproducible (RocksDB
writes ids and times into them), which is why their checksums go to ``store.json`` beside the
store rather than into ``build.json``: the rest of the build stays byte-identical.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import ONTOLOGY_GRAPH, PREFIXES
from .void import DUMPS_URL, SPDX, void_graph  # noqa: F401 - the build and the release import them from here


@dataclass(frozen=True)
class DumpFile:
    name: str
    media_type: str
    compressed: bool
    triples: int
    size: int
    sha256: str
    description: str


#: the media types of the dumps of the whole dataset, from pyoxigraph's own format table
DUMP_MEDIA_TYPES = tuple(
    f.media_type for f in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD)
)


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


_XSD_STRING = str(XSD.string)


def from_ox(term):
    """Return the rdflib term for a pyoxigraph term, its lexical form kept as stored ("1012.0"
    stays "1012.0": rdflib would otherwise normalise it, and documents would disagree)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    return BNode(term.value)


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """Return the dataset's quads as pyoxigraph quads in a stable order: by graph, subject,
    predicate and object, each as N-Quads writes it.

    Sorted one graph at a time by the quad's N-Quads line: within a graph that is the order of
    (subject, predicate, object), as a subject or predicate holds no space and the space that
    follows a term sorts before anything that could lengthen it. One string a quad, held for
    the largest graph only: four, for the whole dataset beside it, were half a GB at 1M.
    """
    nodes: dict = {}  # subjects and predicates repeat: each made once

    def node(term):
        made = nodes.get(term)
        if made is None:
            made = nodes[term] = to_ox(term)
        return made

    default = dataset.default_graph.identifier
    contexts = {(ox.DefaultGraph() if c.identifier == default else to_ox(c.identifier)): c for c in dataset.graphs()}
    quads: list[ox.Quad] = []
    for name in sorted(contexts, key=str):
        context = contexts.pop(name)
        part = [ox.Quad(node(s), node(p), to_ox(o), name) for s, p, o in context]
        part.sort(key=str)
        quads += part
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


def _prefixes() -> dict[str, str]:
    # `pid:` is left out of serializations: its local names hold slashes, which Turtle must
    # escape (pid:claim\/001-...), and full IRIs read better than that.
    return {k: str(v) for k, v in PREFIXES.items() if k != "pid"}


def write_dumps(quads: list[ox.Quad], shapes_path: Path, out: Path) -> list[DumpFile]:
    """Write every dump and SHA256SUMS into ``out``; return what was written.

    Each dump is serialized straight into its (gzip) file, one after the other, so no dump is
    held whole in memory, let alone all of them at once.
    """
    out.mkdir(parents=True, exist_ok=True)
    ontology_graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    ontology = [q.triple for q in quads if q.graph_name == ontology_graph]
    prefixes = _prefixes()
    dumps = [
        ("parley.nq.gz", quads, ox.RdfFormat.N_QUADS, None, len(quads), "Every named graph, as N-Quads"),
        ("parley.trig.gz", quads, ox.RdfFormat.TRIG, prefixes, len(quads), "Every named graph, as TriG"),
        (
            "parley.ttl.gz",
            (q.triple for q in quads),
            ox.RdfFormat.TURTLE,
            prefixes,
            len(quads),
            "The union of all graphs, as Turtle",
        ),
        # JSON-LD 1.1: each named graph an @graph
        ("parley.jsonld.gz", quads, ox.RdfFormat.JSON_LD, None, len(quads), "Every named graph, as JSON-LD"),
        (
            "ontology.ttl",
            ontology,
            ox.RdfFormat.TURTLE,
            prefixes,
            len(ontology),
            "The Parley ontology and its code lists, as Turtle",
        ),
    ]
    written = []
    for name, statements, rdf_format, names, count, description in dumps:
        path, compressed = out / name, name.endswith(".gz")
        with open(path, "wb") as raw:
            if compressed:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as handle:
                    ox.serialize(statements, _Unflushed(handle), format=rdf_format, prefixes=names)
            else:
                ox.serialize(statements, raw, format=rdf_format, prefixes=names)
        written.append(_described(path, rdf_format.media_type, compressed, count, description))
    shapes_bytes = shapes_path.read_bytes()
    shapes_graph = Graph().parse(data=shapes_bytes, format="turtle")
    (out / "shapes.ttl").write_bytes(shapes_bytes)
    written.append(
        _described(
            out / "shapes.ttl",
            ox.RdfFormat.TURTLE.media_type,
            False,
            len(shapes_graph),
            "The SHACL shapes the dataset conforms to, as Turtle",
        )
    )
    sums = "".join(f"{f.sha256}  {f.name}\n" for f in written)
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return written


class _Unflushed:
    """A file that takes writes but not flushes: pyoxigraph flushes its output when it is done,
    and a flush of a GzipFile ends a deflate block, which would change the dump's bytes."""

    def __init__(self, handle):
        self.write = handle.write

    def flush(self) -> None:
        pass


def _described(path: Path, media_type: str, compressed: bool, count: int, description: str) -> DumpFile:
    return DumpFile(path.name, media_type, compressed, count, path.stat().st_size, file_sha256(path), description)


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
