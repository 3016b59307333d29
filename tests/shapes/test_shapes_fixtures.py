"""The shapes against their fixtures: the miniature build in fixtures/base.trig conforms, and each
fixtures/shacl/NAME.violates.trig, added to it, breaks exactly the rule NAME (a node shape, with
any of its property shapes, or a named SHACL-SPARQL constraint) and reports that rule's message.

A violating fixture may be named NAME--variant to test one rule several ways, and may declare
further rules it is bound to break in a header line ``# also: OTHER``."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .shapes_support import BASE, FIXTURES, load_dataset

pytestmark = [
    # rdflib 7.6 warns about its own internals: the TriG parser builds a ConjunctiveGraph and
    # Dataset.triples reads Dataset.default_context.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

SHAPES_NS = "https://w3id.org/parley/shapes#"
VIOLATING = sorted((FIXTURES / "shacl").glob("*.violates.trig"))


def copy(graph: Graph) -> Graph:
    result = Graph()
    result += graph
    return result


def validate(dataset, shapes_graph, ontology_graph) -> tuple[bool, Graph, str]:
    # Copies: pySHACL adds RDFS/OWL axioms to the shapes graph it is given.
    conforms, report, text = pyshacl.validate(
        dataset,
        shacl_graph=copy(shapes_graph),
        ont_graph=copy(ontology_graph),
        inference="none",
        advanced=True,
    )
    return conforms, report, text


def local(term) -> str:
    return str(term).removeprefix(SHAPES_NS)


def node_shapes(shapes_graph: Graph) -> set[URIRef]:
    return {s for s in shapes_graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}


def sparql_constraints(shapes_graph: Graph) -> set[URIRef]:
    return {c for c in shapes_graph.objects(None, SH.sparql) if isinstance(c, URIRef)}


# Predicates of a node shape that select or describe, as opposed to constrain.
NOT_CONSTRAINTS = {
    RDF.type,
    RDFS.comment,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.sparql,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.deactivated,
}


def rules(shapes_graph: Graph) -> set[URIRef]:
    """Every unit a violating fixture targets: the named SPARQL constraints, and the node
    shapes with constraints of their own (a shape that only carries SPARQL constraints is
    tested through them)."""
    constraining = {
        shape for shape in node_shapes(shapes_graph) if set(shapes_graph.predicates(shape, None)) - NOT_CONSTRAINTS
    }
    return constraining | sparql_constraints(shapes_graph)


def fixture_rule(path: Path) -> str:
    return path.name.removesuffix(".violates.trig").split("--")[0]


def also_rules(path: Path) -> set[str]:
    return {
        match.group(1)
        for line in path.read_text(encoding="utf-8").splitlines()
        if (match := re.match(r"^#\s*also:\s*(\S+)\s*$", line))
    }


def result_rule(shapes_graph: Graph, source_shape, source_constraint) -> str:
    """The rule a validation result belongs to, as a local name of the shapes namespace."""
    if source_constraint is not None and (source_constraint, RDF.type, SH.SPARQLConstraint) in shapes_graph:
        return local(source_constraint)
    if (source_shape, RDF.type, SH.NodeShape) in shapes_graph:
        return local(source_shape)
    owners = set(shapes_graph.subjects(SH.property, source_shape))
    assert len(owners) == 1, f"property shape {source_shape} belongs to {owners}"
    return local(owners.pop())


def message_pattern(template: str) -> re.Pattern:
    """A regex for a message whose {$this} and {?var} placeholders pySHACL fills in."""
    parts = re.split(r"\{[$?]\w+\}", template)
    return re.compile("^" + ".+".join(re.escape(part) for part in parts) + "$", re.DOTALL)


def test_base_fixture_conforms(shapes_graph, ontology_graph):
    conforms, _, text = validate(load_dataset(BASE), shapes_graph, ontology_graph)
    assert conforms, f"fixtures/base.trig must conform to shapes/parley.ttl:\n{text}"


def test_base_fixture_has_a_focus_node_for_every_node_shape(shapes_graph, ontology_graph):
    """So that base.trig is the conforming fixture of every node shape, not only of some."""
    union = Graph()
    for quad_graph in load_dataset(BASE).graphs():
        union += quad_graph
    union += ontology_graph

    def has_focus_node(shape) -> bool:
        for cls in shapes_graph.objects(shape, SH.targetClass):
            if union.query(
                "ASK { ?node a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }",
                initBindings={"class": cls},
            ).askAnswer:
                return True
        return any(
            (None, prop, None) in union
            for target in (SH.targetSubjectsOf, SH.targetObjectsOf)
            for prop in shapes_graph.objects(shape, target)
        )

    untested = sorted(local(shape) for shape in node_shapes(shapes_graph) if not has_focus_node(shape))
    assert not untested, f"add instances for these shapes to fixtures/base.trig: {untested}"


def test_every_rule_has_a_violating_fixture(shapes_graph):
    names = {local(rule) for rule in rules(shapes_graph)}
    covered = {fixture_rule(path) for path in VIOLATING}
    missing = sorted(names - covered)
    stale = sorted(covered - names)
    assert not missing, f"add tests/shapes/fixtures/shacl/NAME.violates.trig for: {missing}"
    assert not stale, f"violating fixtures name no shape or SPARQL constraint: {stale}"


@pytest.mark.parametrize("path", VIOLATING, ids=lambda path: path.name.removesuffix(".violates.trig"))
def test_violating_fixture_breaks_its_rule(path, shapes_graph, ontology_graph):
    conforms, report, text = validate(load_dataset(BASE, path), shapes_graph, ontology_graph)
    assert not conforms, f"{path.name} should violate {fixture_rule(path)} but conforms"

    broken = set()
    for result in report.objects(None, SH.result):
        source_shape = report.value(result, SH.sourceShape)
        source_constraint = report.value(result, SH.sourceConstraint)
        rule = result_rule(shapes_graph, source_shape, source_constraint)
        broken.add(rule)

        owner = source_constraint if rule == local(source_constraint) else source_shape
        severity = shapes_graph.value(source_shape, SH.severity) or SH.Violation
        assert report.value(result, SH.resultSeverity) == severity, f"{local(owner)}: wrong severity"
        template = shapes_graph.value(owner, SH.message)
        message = report.value(result, SH.resultMessage)
        assert template is not None, f"{local(owner)} has no sh:message"
        assert message is not None and message_pattern(str(template)).match(str(message)), (
            f"{path.name}: result of {local(owner)} reports {message!r}, not its sh:message"
        )

    expected = {fixture_rule(path)} | also_rules(path)
    assert broken == expected, f"{path.name} should break exactly {sorted(expected)}:\n{text}"
