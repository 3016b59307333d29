"""SHACL in units (graph.shacl_units) reports what one validation of the union reports: on the
shapes fixtures' miniature build and on each violating fixture added to it, the same results
(focus node, path, severity, shape, component, constraint, value, message) and the same verdict."""

from __future__ import annotations

import pytest
from pyshacl_turbo import compile_shapes
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from graph.dump import sorted_quads
from graph.shacl_units import validate_units
from graph.validate import core_shapes, load_shapes, union_graph
from tests.shapes.shapes_support import BASE, FIXTURES, ROOT, load_dataset

pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

FIXTURE_FILES = [None, *sorted((FIXTURES / "shacl").glob("*.violates.trig"))]


@pytest.fixture(scope="module")
def program():
    core = core_shapes(load_shapes(ROOT / "shapes"))
    return core, compile_shapes(core, advanced=True)


def results(report: Graph) -> list[tuple[str, ...]]:
    def show(term) -> str:
        return "" if term is None else "_" if isinstance(term, BNode) else term.n3()

    fields = (
        SH.focusNode,
        SH.resultPath,
        SH.resultSeverity,
        SH.sourceShape,
        SH.sourceConstraintComponent,
        SH.sourceConstraint,
        SH.value,
        SH.resultMessage,
    )
    return sorted(
        tuple(show(report.value(r, f)) for f in fields) for r in report.subjects(RDF.type, SH.ValidationResult)
    )


def verdict(report: Graph) -> bool:
    return bool(next(report.objects(None, SH.conforms)).toPython())


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: "base" if p is None else p.name)
def test_units_report_what_the_union_reports(program, fixture):
    core, compiled = program
    dataset = load_dataset(BASE) if fixture is None else load_dataset(BASE, fixture)
    whole = compiled.validate(union_graph(dataset), allow_warnings=True)[1]
    units = validate_units(
        sorted_quads(dataset),
        core,
        lambda data, focus: compiled.validate(data, allow_warnings=True, focus_nodes=focus)[1],
    )
    assert results(units) == results(whole)
    assert verdict(units) == verdict(whole)


def test_a_unit_with_a_blank_node_reports_what_the_union_reports(program):
    """A unit's data goes to the validator as N-Triples text and its focus nodes by IRI, or all of
    them when one is blank: a blank claim with nothing said of it is reported as one validation
    of the union reports it."""
    from rdflib import URIRef

    from graph.namespaces import PARLEY

    core, compiled = program
    dataset = load_dataset(BASE)
    graph = next(iter(g for g in dataset.graphs() if "article/" in str(g.identifier)))
    blank = BNode()
    graph.add((blank, RDF.type, PARLEY.Claim))
    graph.add((URIRef(str(graph.identifier)), PARLEY.note, blank))
    whole = compiled.validate(union_graph(dataset), allow_warnings=True)[1]
    units = validate_units(
        sorted_quads(dataset),
        core,
        lambda data, focus: compiled.validate(data, allow_warnings=True, focus_nodes=focus)[1],
    )
    assert any(r[0] == "_" for r in results(whole))
    assert results(units) == results(whole)
    assert not verdict(units)
