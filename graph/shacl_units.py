"""SHACL Core validation in units of bounded size, read from the pyoxigraph store.

Validating the union of every graph at once holds an rdflib copy of the whole dataset: memory
grows with the archive. Here the focus nodes of the dataset's quads (``QuadIndex``) are split into units (the nodes only one article's
graph describes, one unit per article; every other node in chunks of ``CHUNK`` nodes), and each
unit is validated over the part of the quads its nodes' validation can read (handed to pyshacl-turbo as
N-Triples text):

- every triple whose subject is a unit node, whatever its graph;
- the triples that reach a unit node by a predicate the shapes walk backwards
  (``sh:inversePath``) or target by (``sh:targetObjectsOf``);
- the types of the value nodes of those, and their triples by the predicates of the property
  shapes nested in a property shape (inside ``sh:or``, a qualified value shape and the like:
  ``value_predicates``), with the types of those values;
- the ontology graph's ``rdfs:subClassOf`` triples (for ``sh:class`` and ``sh:targetClass``).

The shapes look no deeper than that (no ``sh:node``, paths of one step or an inverse step), so a
unit node's results are those a validation of the union gives it. The validator is asked about
the unit's own nodes only (``focus_nodes``; every node when one is blank), and any result for
the other nodes of a unit's data (its values, validated in their own unit) is dropped. ``validate_units``
merges what the units report into one report, as one validation of the union would write it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS, SH

from .build_cache import UnitCache
from .dump import from_ox
from .namespaces import GRAPH, ONTOLOGY_GRAPH

CHUNK = 5000  # focus nodes of a unit that no single article describes
_ARTICLE_GRAPH = str(GRAPH["article/"])
_TYPE = ox.NamedNode(str(RDF.type))


class QuadIndex:
    """The dataset's quads by subject, and by object for the backward predicates.

    Built from the quads as ingested, not from a pyoxigraph store: the store keeps a derived
    integer type (``xsd:nonNegativeInteger``) as ``xsd:integer``, and ``sh:datatype`` would see that.
    """

    def __init__(self, quads: list[ox.Quad], backward: set[ox.NamedNode]):
        self.quads = quads
        self.by_subject: dict = {}
        self.by_object: dict = {}
        ontology = ox.NamedNode(str(ONTOLOGY_GRAPH))
        sub_class = ox.NamedNode(str(RDFS.subClassOf))
        self.ontology = [q.triple for q in quads if q.graph_name == ontology and q.predicate == sub_class]
        for i, quad in enumerate(quads):
            self.by_subject.setdefault(quad.subject, []).append(i)
            if quad.predicate in backward:
                self.by_object.setdefault(quad.object, []).append(i)

    def about(self, subject, predicate=None) -> Iterator[ox.Quad]:
        for i in self.by_subject.get(subject, ()):
            quad = self.quads[i]
            if predicate is None or quad.predicate == predicate:
                yield quad

    def towards(self, node) -> Iterator[ox.Quad]:
        for i in self.by_object.get(node, ()):
            yield self.quads[i]


@dataclass(frozen=True)
class Unit:
    """A set of focus nodes validated together: ``name`` is the article graph's IRI, or ``shared-N``."""

    name: str
    nodes: frozenset


def backward_predicates(shapes: Graph) -> set[ox.NamedNode]:
    """The predicates the shapes follow from object to subject (inverse paths, objects-of targets)."""
    found = set(shapes.objects(None, SH.targetObjectsOf))
    found |= set(shapes.objects(None, SH.inversePath))
    return {ox.NamedNode(str(p)) for p in found}


_NESTED = (SH["or"], SH["and"], SH.xone, SH["not"], SH.qualifiedValueShape, SH.node, SH.property)


def value_predicates(shapes: Graph) -> set[ox.NamedNode] | None:
    """The predicates the shapes read of a value node (property shapes nested in a property
    shape's ``sh:or``, ``sh:qualifiedValueShape`` and the like), or None when one is not a plain
    predicate (then every triple of a value node is read)."""
    found: set[ox.NamedNode] = set()
    starts = [s for s in shapes.subjects(SH.path, None) if shapes.value(s, SH.path) is not None]
    seen = set()
    todo = [child for start in starts for child in _children(shapes, start)]
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        path = shapes.value(shape, SH.path)
        if path is not None:
            if isinstance(path, BNode):
                return None
            found.add(ox.NamedNode(str(path)))
        todo += list(_children(shapes, shape))
    return found


def _children(shapes: Graph, shape) -> Iterator:
    from rdflib.collection import Collection

    for predicate in _NESTED:
        for value in shapes.objects(shape, predicate):
            if predicate in (SH["or"], SH["and"], SH.xone):
                yield from Collection(shapes, value)
            else:
                yield value


def units(index: QuadIndex, shapes: Graph) -> list[Unit]:
    """Split the store's focus nodes: one unit per article graph for the subjects only it describes
    (with any description in a graph no article owns), the others in chunks of ``CHUNK``."""
    homes: dict = {}
    for quad in index.quads:
        graph = quad.graph_name
        article = graph.value if isinstance(graph, ox.NamedNode) and graph.value.startswith(_ARTICLE_GRAPH) else None
        seen = homes.get(quad.subject)
        if seen is None:
            homes[quad.subject] = {article}
        elif article not in seen and len(seen) < 3:
            seen.add(article)
    for node in index.by_object:
        if not isinstance(node, ox.Literal):
            homes.setdefault(node, {None, "object"})
    for node in shapes.objects(None, SH.targetNode):
        homes.setdefault(_to_ox(node), {None, "node"})
    per_article: dict[str, set] = {}
    shared = []
    for node, seen in homes.items():
        articles = seen - {None}
        if len(articles) == 1 and next(iter(articles)) not in ("object", "node"):
            per_article.setdefault(next(iter(articles)), set()).add(node)
        else:
            shared.append(node)
    result = [Unit(name, frozenset(nodes)) for name, nodes in sorted(per_article.items())]
    shared.sort(key=str)
    for start in range(0, len(shared), CHUNK):
        result.append(Unit(f"shared-{start // CHUNK}", frozenset(shared[start : start + CHUNK])))
    return result


def _to_ox(term):
    from .dump import to_ox

    return to_ox(term)


def unit_triples(index: QuadIndex, unit: Unit, read: set[ox.NamedNode] | None) -> Iterator[ox.Triple]:
    """Yield (with repeats) the triples a validation of ``unit``'s nodes can read (see the module)."""
    yield from index.ontology
    values = set()
    for node in unit.nodes:
        for quad in index.about(node):
            yield quad.triple
            if not isinstance(quad.object, ox.Literal):
                values.add(quad.object)
        for quad in index.towards(node):
            yield quad.triple
            values.add(quad.subject)
    predicates = [None] if read is None else [_TYPE, *sorted(read, key=str)]
    for value in values:
        for predicate in predicates:
            for quad in index.about(value, predicate):
                yield quad.triple
                if predicate is not _TYPE and not isinstance(quad.object, ox.Literal):
                    for typed in index.about(quad.object, _TYPE):
                        yield typed.triple


def validate_units(
    quads: list[ox.Quad],
    core: Graph,
    run: Callable[[Graph, list[str] | None], Graph],
    namespaces: Graph | None = None,
    cache: UnitCache | None = None,
) -> Graph:
    """Validate every unit with ``run`` (a data graph and the IRIs of the focus nodes to report
    on, or None for all, to its report); return the merged report.

    With a ``cache`` (``graph.build_cache``), a unit whose triples passed before is not run again,
    and each unit that passes now is recorded.

    The merged report has one ``sh:ValidationReport`` node, ``sh:conforms`` false when a unit
    reported a violation (not a warning) for one of its own nodes, and the results with what they point to (the
    property shapes and paths they name), as a validation of the union would give them.
    """
    index = QuadIndex(quads, backward_predicates(core))
    read = value_predicates(core)
    merged = Graph()
    violations = 0
    for unit in units(index, core):
        triples = set(unit_triples(index, unit, read))
        key = cache.key(unit.nodes, triples) if cache is not None else ""
        if cache is not None and cache.passed(key):
            continue
        report = run(_data(triples), _focus(unit))
        own = {from_ox(node) for node in unit.nodes}
        found = 0
        for result in set(report.subjects(RDF.type, SH.ValidationResult)):
            if report.value(result, SH.focusNode) in own:
                _copy_closure(report, result, merged)
                found += 1
                violations += report.value(result, SH.resultSeverity) in (SH.Violation, None)
        if cache is not None and not found:
            cache.record(key)
    if cache is not None:
        cache.prune()
    node = BNode()
    merged.add((node, RDF.type, SH.ValidationReport))
    merged.add((node, SH.conforms, Literal(violations == 0)))  # a warning alone conforms, as pySHACL says
    for result in merged.subjects(RDF.type, SH.ValidationResult):
        merged.add((node, SH.result, result))
    if namespaces is not None:
        for prefix, namespace in namespaces.namespaces():
            merged.bind(prefix, namespace)
    return merged


def _focus(unit: Unit) -> list[str] | None:
    """The unit's nodes as the IRIs the validator is to report on, or None (every node of the
    data) when one is a blank node, which an IRI list cannot name."""
    if all(isinstance(node, ox.NamedNode) for node in unit.nodes):
        return sorted(node.value for node in unit.nodes)
    return None


def _data(triples: set[ox.Triple]):
    """The unit's data for pyshacl-turbo as N-Triples text, which it parses natively (an rdflib
    graph of each unit was most of the time of a large build's SHACL); a blank node keeps its
    label, so the report names it as ``from_ox`` does."""
    from pyshacl_turbo.rdf import Input  # what its own readers hand the validator (pinned: <0.7)

    return Input("\n".join(f"{t} ." for t in sorted(triples, key=str)), "nt", None, {})


def _copy_closure(source: Graph, start, target: Graph) -> None:
    """Copy ``start``'s triples and those of every blank node they reach."""
    todo, seen = [start], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for _s, p, o in source.triples((subject, None, None)):
            target.add((subject, p, o))
            if isinstance(o, BNode):
                todo.append(o)
