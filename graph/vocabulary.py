"""What the ontology and its code lists allow, read from ``ontology/``.

The curation loader checks every class, property and concept a curation file names against
this index, so that a typo is an error naming the file and line rather than a silent new
term in the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .errors import ConfigError
from .namespaces import ID, PARLEY

ONTOLOGY_FILES = ("parley.ttl", "codelists.ttl")


@dataclass
class Vocabulary:
    """Classes, properties (with kind and range) and code-list concepts of the ontology."""

    graph: Graph
    classes: set[str] = field(default_factory=set)
    object_properties: dict[str, URIRef | None] = field(default_factory=dict)
    datatype_properties: dict[str, URIRef | None] = field(default_factory=dict)
    schemes: dict[str, set[str]] = field(default_factory=dict)

    def concept(self, scheme: str, slug: str) -> URIRef | None:
        """Return the concept IRI if ``slug`` is in ``scheme``, else None."""
        if slug in self.schemes.get(scheme, ()):
            return ID[f"{scheme}/{slug}"]
        return None

    def measure_kind(self, measure: URIRef) -> str | None:
        """Return the slug of a measure's kind (per-event, cumulative, level), or None."""
        kind = self.graph.value(measure, PARLEY.measureKind)
        return str(kind).rsplit("/", 1)[-1] if kind is not None else None

    def label(self, iri: URIRef) -> str | None:
        for predicate in (RDFS.label, SKOS.prefLabel):
            for value in self.graph.objects(iri, predicate):
                if isinstance(value, Literal):
                    return str(value)
        return None


def load_ontology_graph(ontology_dir: Path) -> Graph:
    """Return the ontology and code lists as one rdflib Graph; ConfigError if unreadable."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        path = ontology_dir / name
        if not path.is_file():
            raise ConfigError(f"{path}: ontology file missing", hint="restore it from git")
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types on bad Turtle
            raise ConfigError(f"{path}: not valid Turtle: {exc}", hint="fix the syntax error it names") from None
    return graph


def load_vocabulary(ontology_dir: Path) -> Vocabulary:
    """Return the index of ``ontology/parley.ttl`` and ``ontology/codelists.ttl``."""
    graph = load_ontology_graph(ontology_dir)
    vocab = Vocabulary(graph=graph)
    ns = str(PARLEY)
    for cls in graph.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(ns):
            vocab.classes.add(str(cls)[len(ns) :])
    for kind, target in (
        (OWL.ObjectProperty, vocab.object_properties),
        (OWL.DatatypeProperty, vocab.datatype_properties),
    ):
        for prop in graph.subjects(RDF.type, kind):
            if isinstance(prop, URIRef) and str(prop).startswith(ns):
                rng = graph.value(prop, RDFS.range)
                target[str(prop)[len(ns) :]] = rng if isinstance(rng, URIRef) else None
    scheme_prefix = str(ID["scheme/"])
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        scheme_name = str(scheme)[len(scheme_prefix) :]
        prefix = str(ID[f"{scheme_name}/"])
        if str(concept).startswith(prefix):
            vocab.schemes.setdefault(scheme_name, set()).add(str(concept)[len(prefix) :])
    return vocab
