"""The shapes' SHACL-SPARQL constraints, run by pyoxigraph over the store: ``add_sparql_results``
adds their results to a SHACL report, as pySHACL would write them."""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .dump import from_ox


def add_sparql_results(report: Graph, store: ox.Store, shapes: Graph) -> int:
    """Evaluate the shapes' SHACL-SPARQL constraints with pyoxigraph; add their results to the report.

    pyshacl evaluates ``sh:sparql`` constraints with rdflib's SPARQL engine once per focus
    node, which takes minutes on this dataset; pyoxigraph runs each constraint once over all
    nodes with ``$this`` unbound and keeps the rows whose ``$this`` is a target of the shape,
    which gives the same results for these constraints (none nests ``$this`` in a subquery).
    Returns the number of results added.
    """
    added = 0
    for shape in sorted(set(shapes.subjects(SH.sparql, None)), key=str):
        targets = _targets(store, shapes, shape)
        for constraint in sorted(shapes.objects(shape, SH.sparql), key=str):
            if shapes.value(constraint, SH.deactivated) == Literal(True):
                continue
            prefixes = _declared_prefixes(shapes, constraint)
            select = str(shapes.value(constraint, SH.select))
            message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
            solutions = store.query(select, prefixes=prefixes, use_default_graph_as_union=True)
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                row = {n: solution[n] for n in names if solution[n] is not None}
                focus = row.get("this")
                if focus is None or focus.value not in targets:
                    continue
                result = BNode()
                report.add((result, RDF.type, SH.ValidationResult))
                report.add((result, SH.focusNode, URIRef(focus.value)))
                report.add((result, SH.resultSeverity, SH.Violation))
                report.add((result, SH.sourceShape, shape))
                report.add((result, SH.sourceConstraint, constraint))
                report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
                if "value" in row:
                    report.add((result, SH.value, from_ox(row["value"])))
                if "path" in row and isinstance(row["path"], ox.NamedNode):
                    report.add((result, SH.resultPath, URIRef(row["path"].value)))
                if message is not None:
                    text = re.sub(r"\{[$?](\w+)\}", lambda m, row=row: _show(row.get(m.group(1))), str(message))
                    report.add((result, SH.resultMessage, Literal(text, lang=getattr(message, "language", None))))
                added += 1
    if added:
        for node in list(report.subjects(RDF.type, SH.ValidationReport)):
            report.set((node, SH.conforms, Literal(False)))
    for node in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.subjects(RDF.type, SH.ValidationResult):
            report.add((node, SH.result, result))
    return added


def _targets(store: ox.Store, shapes: Graph, shape) -> set[str]:
    """Return the IRIs (as strings) of the focus nodes of a node shape."""
    queries = (
        (SH.targetClass, "SELECT ?x ?v WHERE { ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?v }"),
        (SH.targetSubjectsOf, "SELECT DISTINCT ?x ?v WHERE { ?x ?v ?o }"),
        (SH.targetObjectsOf, "SELECT DISTINCT ?x ?v WHERE { ?s ?v ?x }"),
    )
    found = {str(node) for node in shapes.objects(shape, SH.targetNode)}
    for target, query in queries:
        for value in shapes.objects(shape, target):
            solutions = store.query(
                query, use_default_graph_as_union=True, substitutions={ox.Variable("v"): ox.NamedNode(str(value))}
            )
            found |= {solution["x"].value for solution in solutions}
    return found


def _declared_prefixes(shapes: Graph, constraint) -> dict[str, str]:
    prefixes = {}
    for source in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes[str(prefix)] = str(namespace)
    return prefixes


def _show(term) -> str:
    if term is None:
        return "?"
    return term.value if hasattr(term, "value") else str(term)
