"""The guard that decides, before a query runs, what the public endpoint refuses."""

from __future__ import annotations

import pytest

from graph.errors import QueryRefused
from server import guard


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SERVICE SILENT ?x { ?s ?p ?o } }",
    "ask{service<http://127.0.0.1:9/>{?s ?p ?o}}",
    "PREFIX e: <http://e/> SELECT * { ?s e:p ?o MINUS { SERVICE <http://127.0.0.1:9/> { ?s e:q ?o } } }",
    # rdflib cannot parse RDF 1.2 triple terms, so here only the lexer sees SERVICE
    "SELECT * { VALUES ?t { <<( <http://e/a> <http://e/b> <http://e/c> )>> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_service_is_refused(query):
    with pytest.raises(QueryRefused, match="SERVICE"):
        guard.check(query)


@pytest.mark.parametrize("query", [
    'SELECT * { ?s ?p "SERVICE <http://x/>" }',
    "SELECT * { ?s ?p '''a\nSERVICE'''@en }",
    'SELECT * { ?s ?p "x"@service }',
    "SELECT ?service { ?service ?p ?o }",
    "PREFIX service: <http://e/> SELECT * { ?s service:SERVICE ?o }",
    "SELECT * { <http://e/SERVICE> ?p ?o } # SERVICE <http://x/>",
])
def test_the_word_service_elsewhere_passes(query):
    assert guard.check(query).uses_service is False


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://e/s> <http://e/p> 1 }",
    "PREFIX e: <http://e/> DELETE WHERE { ?s e:p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR SILENT GRAPH <http://e/g>",
    "DROP ALL",
    "create graph <http://e/g>",
    "COPY DEFAULT TO <http://e/g>",
])
def test_updates_are_refused(update):
    with pytest.raises(QueryRefused, match="read-only"):
        guard.check(update)


@pytest.mark.parametrize("query, form, dataset", [
    ("SELECT * { ?s ?p ?o }", "SELECT", False),
    ("PREFIX e: <http://e/> ASK FROM <http://e/g> { ?s ?p ?o }", "ASK", True),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
    ("BASE <http://e/> DESCRIBE <x>", "DESCRIBE", False),
    ("SELECT * FROM NAMED <http://e/g> { GRAPH ?g { ?s ?p ?o } }", "SELECT", True),
    ('SELECT * { ?s ?p "FROM <x>" }', "SELECT", False),
])
def test_shape(query, form, dataset):
    shape = guard.inspect(query)
    assert (shape.form, shape.has_dataset_clause) == (form, dataset)
