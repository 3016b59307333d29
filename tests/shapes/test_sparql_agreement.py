"""The build's own SHACL-SPARQL evaluation agrees with pySHACL's.

``graph.shacl_sparql.add_sparql_results`` runs each ``sh:sparql`` constraint once on pyoxigraph with
``$this`` unbound and keeps the rows whose ``$this`` is a target of the shape, instead of letting
pySHACL run it once per focus node with rdflib (minutes on the real build). That shortcut is
only right while it finds what pySHACL finds. On base.trig and on every fixture of
fixtures/shacl, added to it as the shapes tests do, both must report the same focus nodes, with
the same severity, for each shape and constraint."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from graph.dump import sorted_quads, to_ox
from graph.namespaces import ONTOLOGY_GRAPH
from graph.shacl_sparql import add_sparql_results
from graph.validate import union_graph

from .shapes_support import BASE, FIXTURES, load_dataset

pytestmark = [
    # rdflib 7.6 warns about its own internals: the TriG parser builds a ConjunctiveGraph and
    # Dataset.triples reads Dataset.default_context.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

FIXTURE_FILES = [BASE] + sorted((FIXTURES / "shacl").glob("*.trig"))
# What a node shape needs to select its focus nodes and report a SPARQL result; its core
# constraints are left out so that pySHACL reports SPARQL results only (and runs faster).
KEPT = {
    RDF.type,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.sparql,
    SH.message,
    SH.severity,
    SH.deactivated,
}

Results = dict[tuple[str, str], set[tuple[str, str]]]


@pytest.fixture(scope="module")
def sparql_shapes(shapes_graph) -> Graph:
    """The shapes graph reduced to the node shapes that carry ``sh:sparql`` constraints."""
    owners = set(shapes_graph.subjects(SH.sparql, None))
    shapes = set(shapes_graph.subjects(RDF.type, SH.NodeShape)) | set(shapes_graph.subjects(RDF.type, SH.PropertyShape))
    reduced = Graph()
    for prefix, namespace in shapes_graph.namespaces():
        reduced.bind(prefix, namespace)
    for s, p, o in shapes_graph:
        if s not in shapes or (s in owners and p in KEPT):
            reduced.add((s, p, o))
    assert owners, "shapes/parley.ttl has no SHACL-SPARQL constraints: nothing to compare"
    return reduced


def _key(shape, constraint) -> tuple[str, str]:
    return (str(shape), str(constraint) if isinstance(constraint, URIRef) else "(anonymous constraint)")


def pyshacl_results(union: Graph, shapes: Graph, ontology: Graph) -> Results:
    copy = Graph()
    copy += shapes  # pySHACL adds to the shapes graph it is given
    _conforms, report, _text = pyshacl.validate(
        union, shacl_graph=copy, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True
    )
    return _grouped(report)


def build_results(dataset, shapes: Graph, ontology: Graph) -> Results:
    # The store as the build makes it: the dataset's quads, the ontology in its own graph.
    store = ox.Store()
    store.extend(sorted_quads(dataset))
    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in ontology)
    report = Graph()
    report_node = URIRef("urn:x-test:report")
    report.add((report_node, RDF.type, SH.ValidationReport))
    report.add((report_node, SH.conforms, Literal(True)))
    add_sparql_results(report, store, shapes)
    return _grouped(report)


def _grouped(report: Graph) -> Results:
    found: Results = defaultdict(set)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.sourceConstraintComponent) != SH.SPARQLConstraintComponent:
            continue
        key = _key(report.value(result, SH.sourceShape), report.value(result, SH.sourceConstraint))
        found[key].add((str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultSeverity))))
    return dict(found)


def _show(results: Results) -> str:
    return "\n".join(
        f"  {shape} / {constraint}: {sorted(nodes)}" for (shape, constraint), nodes in sorted(results.items())
    )


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.name.removesuffix(".trig"))
def test_pyoxigraph_and_pyshacl_find_the_same_focus_nodes(path: Path, sparql_shapes, ontology_graph):
    dataset = load_dataset(BASE) if path == BASE else load_dataset(BASE, path)
    expected = pyshacl_results(union_graph(dataset), sparql_shapes, ontology_graph)
    actual = build_results(dataset, sparql_shapes, ontology_graph)
    assert actual == expected, (
        f"{path.name}: the build's SHACL-SPARQL results differ from pySHACL's\n"
        f"pySHACL:\n{_show(expected)}\nbuild (graph.shacl_sparql.add_sparql_results):\n{_show(actual)}"
    )


def test_the_comparison_sees_sparql_results(sparql_shapes, ontology_graph):
    # Two empty result sets agree too: a fixture of a SPARQL constraint must give results in both.
    path = FIXTURES / "shacl" / "ConflictingClaimsShareSubject.violates.trig"
    dataset = load_dataset(BASE, path)
    expected = pyshacl_results(union_graph(dataset), sparql_shapes, ontology_graph)
    assert any(constraint.endswith("#ConflictingClaimsShareSubject") for _, constraint in expected), _show(expected)
