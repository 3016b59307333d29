"""The files of a release made from its committed text, frozen: derivation version 1.

A release commits its data as text (``parley.nq``: the RDFC-1.0 canonical N-Quads, lines
sorted) and its checksums (``SHA256SUMS``); the downloads are made from that text whenever
they are missing, and must come out byte for byte as they were when the release was made, or
the committed checksums would fail. So this module never changes its output: it reads the
N-Quads lines itself and writes every serialization by rule from the verbatim term text,
with a prefix table of its own, a stable order and gzip with no time or name. It imports
nothing of the project that may change (``graph.dump``'s writers and ``graph.namespaces``'s
prefixes will). A change to any output is a new derivation version: a new function in
``DERIVATIONS``, with this one kept as it is for the releases that name it in
``release.json``.

The one outside dependency is zlib's deflate at level 9, which has given the same bytes for
the same input for decades; if a platform's zlib ever differs, the checksums say so, naming
the file.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

DERIVATION = 1

NQ_GZ = "parley.nq.gz"
TRIG_GZ = "parley.trig.gz"
TTL_GZ = "parley.ttl.gz"
JSONLD_GZ = "parley.jsonld.gz"
ONTOLOGY_TTL = "ontology.ttl"
SHAPES_TTL = "shapes.ttl"

#: what each made file holds: (name, media type, compressed, description); the release's VoID reads it
FILES_V1: tuple[tuple[str, str, bool, str], ...] = (
    (NQ_GZ, "application/n-quads", True, "Every named graph, as N-Quads (the canonical text, gzipped)"),
    (TRIG_GZ, "application/trig", True, "Every named graph, as TriG"),
    (TTL_GZ, "text/turtle", True, "The union of all graphs (distinct triples), as Turtle"),
    (JSONLD_GZ, "application/ld+json", True, "Every named graph, as expanded JSON-LD"),
    (ONTOLOGY_TTL, "text/turtle", False, "The Parley ontology and its code lists, as Turtle"),
    (SHAPES_TTL, "text/turtle", False, "The SHACL shapes the dataset conforms to, as Turtle"),
)

# Frozen copies, not imports: the project's prefix table and graph names may change, these may not.
_PREFIXES_V1 = (
    ("parley", "https://w3id.org/parley/ontology#"),
    ("oa", "http://www.w3.org/ns/oa#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("schema", "https://schema.org/"),
    ("sem", "http://semanticweb.cs.vu.nl/2009/11/sem/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("void", "http://rdfs.org/ns/void#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("vann", "http://purl.org/vocab/vann/"),
)
_ONTOLOGY_GRAPH_V1 = "<https://w3id.org/parley/graph/ontology>"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# A local name written as a prefixed name only when it is plainly one (no escapes, no dots).
_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf\"'\\])")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}

Quad = tuple[str, str, str, str]  # subject, predicate, object, graph ("" for the default graph), as N-Quads text


class NotCanonical(ValueError):
    """A line of the committed text is not an N-Quads statement as RDFC-1.0 writes them."""


def parse_lines(text: bytes) -> list[Quad]:
    """Split canonical N-Quads into quads of verbatim term text; raise NotCanonical naming the line."""
    quads = []
    for number, line in enumerate(text.decode("utf-8").split("\n"), start=1):
        if line == "":
            continue
        try:
            quads.append(_split(line))
        except (ValueError, IndexError):
            raise NotCanonical(f"line {number}: not an N-Quads statement: {line[:80]!r}") from None
    return quads


def _split(line: str) -> Quad:
    if not line.endswith(" ."):
        raise ValueError(line)
    body = line[:-2]
    subject, predicate, rest = body.split(" ", 2)
    if rest.startswith('"'):
        end = _string_end(rest)
        tail = rest[end:]
        cut = tail.find(" ")
        obj, graph = (rest, "") if cut < 0 else (rest[: end + cut], tail[cut + 1 :])
    else:
        obj, _, graph = rest.partition(" ")
    for term in (subject, predicate, obj, graph):
        if " " in term and not term.startswith('"'):
            raise ValueError(line)
    return subject, predicate, obj, graph


def _string_end(text: str) -> int:
    """Index just past the closing quote of the string literal at the start of ``text``."""
    i = 1
    while True:
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i + 1
        else:
            i += 1


def _unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code[0] in "uU" else _SIMPLE[code]

    return _ESCAPE.sub(one, text)


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(data)
    return buffer.getvalue()


# --- Turtle and TriG ----------------------------------------------------------------------------


def _iri(term: str) -> str:
    """An IRI term as a prefixed name when it plainly is one, else as written."""
    if term.startswith("<"):
        iri = term[1:-1]
        for prefix, namespace in _PREFIXES_V1:
            if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
    return term


def _object(term: str) -> str:
    if term.startswith('"'):
        cut = term.rfind('"^^<')
        if cut > 0 and term.endswith(">"):
            return term[: cut + 3] + _iri(term[cut + 3 :])
        return term
    return _iri(term)


def _statements(triples: list[tuple[str, str, str]], indent: str) -> str:
    """Triples grouped by subject (``;``) and predicate (``,``), in code-point order of their text."""
    out = []
    by_subject: dict[str, dict[str, list[str]]] = {}
    for s, p, o in sorted(set(triples)):
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    for subject, predicates in by_subject.items():
        parts = []
        for predicate, objects in predicates.items():
            verb = "a" if predicate == _RDF_TYPE else _iri(predicate)
            parts.append(f"{verb} " + " , ".join(_object(o) for o in objects))
        out.append(f"{indent}{_iri(subject)} " + f" ;\n{indent}    ".join(parts) + " .\n")
    return "".join(out)


def _prefix_lines(prefix: str) -> str:
    return "".join(f"{prefix} {name}: <{namespace}> .\n" for name, namespace in _PREFIXES_V1) + "\n"


def turtle(triples: list[tuple[str, str, str]]) -> bytes:
    """Return Turtle of the distinct ``triples``."""
    return (_prefix_lines("@prefix") + _statements(triples, "")).encode("utf-8")


def trig(quads: list[Quad]) -> bytes:
    """Return TriG: the default graph's triples, then each named graph in a block, in order."""
    graphs: dict[str, list[tuple[str, str, str]]] = {}
    for s, p, o, g in quads:
        graphs.setdefault(g, []).append((s, p, o))
    parts = [_prefix_lines("@prefix")]
    if "" in graphs:
        parts.append(_statements(graphs.pop(""), ""))
    for name in sorted(graphs):
        parts.append(f"{_iri(name)} {{\n" + _statements(graphs[name], "    ") + "}\n\n")
    return "".join(parts).encode("utf-8")


# --- JSON-LD (expanded form, every named graph kept) ----------------------------------------------


def _node_id(term: str) -> str:
    return _unescape(term[1:-1]) if term.startswith("<") else term


def _value(term: str) -> dict:
    if not term.startswith('"'):
        return {"@id": _node_id(term)}
    end = _string_end(term)
    value = {"@value": _unescape(term[1 : end - 1])}
    suffix = term[end:]
    if suffix.startswith("@"):
        value["@language"] = suffix[1:]
    elif suffix.startswith("^^") and suffix[3:-1] != _XSD_STRING:
        value["@type"] = _unescape(suffix[3:-1])
    return value


def _nodes(triples: list[tuple[str, str, str]]) -> dict[str, dict]:
    nodes: dict[str, dict] = {}
    for s, p, o in sorted(set(triples)):
        node = nodes.setdefault(_node_id(s), {"@id": _node_id(s)})
        if p == _RDF_TYPE and not o.startswith('"'):
            node.setdefault("@type", []).append(_node_id(o))
        else:
            node.setdefault(_node_id(p), []).append(_value(o))
    return nodes


def jsonld(quads: list[Quad]) -> bytes:
    """Return expanded JSON-LD: default-graph nodes at the top, each named graph as a node's ``@graph``."""
    graphs: dict[str, list[tuple[str, str, str]]] = {}
    for s, p, o, g in quads:
        graphs.setdefault(g, []).append((s, p, o))
    top = _nodes(graphs.pop("", []))
    for name in sorted(graphs):
        key = _node_id(name)
        node = top.setdefault(key, {"@id": key})
        node["@graph"] = [n for _, n in sorted(_nodes(graphs[name]).items())]
    document = [node for _, node in sorted(top.items())]
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


# --- the files of a release -------------------------------------------------------------------


def derive_v1(text: bytes, shapes: bytes) -> dict[str, bytes]:
    """Return every file derivation 1 makes from the canonical N-Quads ``text`` and the shapes."""
    quads = parse_lines(text)
    triples = [(s, p, o) for s, p, o, _ in quads]
    ontology = [(s, p, o) for s, p, o, g in quads if g == _ONTOLOGY_GRAPH_V1]
    return {
        NQ_GZ: _gzip(text),
        TRIG_GZ: _gzip(trig(quads)),
        TTL_GZ: _gzip(turtle(triples)),
        JSONLD_GZ: _gzip(jsonld(quads)),
        ONTOLOGY_TTL: turtle(ontology),
        SHAPES_TTL: shapes,
    }


def counts_v1(text: bytes) -> dict[str, int]:
    """Return how many statements each RDF file of derivation 1 holds (quads, or distinct triples).

    The shapes are not counted here: they are a Turtle file of their own, read as it is.
    """
    quads = parse_lines(text)
    return {
        NQ_GZ: len(quads),
        TRIG_GZ: len(quads),
        JSONLD_GZ: len(quads),
        TTL_GZ: len({q[:3] for q in quads}),
        ONTOLOGY_TTL: len({q[:3] for q in quads if q[3] == _ONTOLOGY_GRAPH_V1}),
    }


@dataclass(frozen=True)
class Derivation:
    """One frozen way of making a release's files from its text."""

    version: int
    make: Callable[[bytes, bytes], dict[str, bytes]]
    files: tuple[tuple[str, str, bool, str], ...]
    counts: Callable[[bytes], dict[str, int]]


#: derivation version -> how it makes a release's files; a release names its own in release.json
DERIVATIONS: dict[int, Derivation] = {1: Derivation(1, derive_v1, FILES_V1, counts_v1)}
