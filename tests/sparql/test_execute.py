"""``execute(store, job)`` in-process, over the mini build's store: the pure function a query
process runs, with its negotiation, row cap and errors (raised, not turned into results)."""

from __future__ import annotations

import json
import pickle

import pyoxigraph as ox
import pytest

from server.data.store import open_spec
from server.problems import BadQuery, NotAcceptable, QueryRefused
from server.sparql.execute import Answer, Job, execute
from tests.sparql.testdata import CONSTRUCT_PEOPLE, SELECT_PEOPLE

PREFIXES = {"parley": "https://w3id.org/parley/ontology#"}


@pytest.fixture(scope="module")
def store(mini_build):
    return open_spec({"kind": "oxigraph", "path": str(mini_build / "store")})


def _job(query: str, **kwargs) -> Job:
    return Job(query=query, max_rows=kwargs.pop("max_rows", 1000), prefixes=PREFIXES, **kwargs)


def test_a_select_answer_is_serialized_whole(store, facts):
    answer = execute(store, _job(SELECT_PEOPLE))
    assert answer.representation.media_type == "application/sparql-results+json"
    people = [b["person"]["value"] for b in json.loads(answer.body)["results"]["bindings"]]
    assert people == list(facts.people)


def test_jobs_and_answers_pickle(store):
    job = _job("ASK {}", accept="text/csv")
    assert pickle.loads(pickle.dumps(job)) == job
    answer = execute(store, job)
    assert pickle.loads(pickle.dumps(answer)) == answer == Answer("csv", b"true")


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json; charset=utf-8",
        "application/sparql-results+json;charset=UTF8;q=0.9, text/csv;q=0.1",
    ],
)
def test_a_charset_parameter_in_accept_is_accepted(store, accept):
    assert execute(store, _job("ASK {}", accept=accept)).key == "json"


@pytest.mark.parametrize("query", ["DESCRIBE ?p WHERE { ?p a parley:Person }", CONSTRUCT_PEOPLE])
def test_format_json_for_a_graph_result_is_json_ld(store, facts, query):
    answer = execute(store, _job(query, format="json", accept="application/sparql-results+json,application/json;q=0.9"))
    assert answer.representation.media_type == "application/ld+json"
    assert {quad.subject.value for quad in ox.parse(answer.body, format=ox.RdfFormat.JSON_LD)} >= set(facts.people)


def test_a_format_that_names_nothing_offered_is_not_acceptable(store):
    with pytest.raises(NotAcceptable, match="format='csv'") as caught:
        execute(store, _job(CONSTRUCT_PEOPLE, format="csv"))
    assert "text/turtle" in caught.value.message


def test_the_row_cap_raises_rather_than_truncates(store):
    with pytest.raises(QueryRefused, match="max_rows=3 rows"):
        execute(store, _job("SELECT * { ?s ?p ?o }", max_rows=3))
    with pytest.raises(QueryRefused, match="max_rows=3 triples"):
        execute(store, _job("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=3))
    assert execute(store, _job("SELECT * { ?s ?p ?o } LIMIT 3", max_rows=3)).key == "json"


def test_a_syntax_error_is_a_bad_query_with_the_position(store):
    with pytest.raises(BadQuery, match="error at 1:"):
        execute(store, _job("SELECT ?s WHERE { ?s ?p }"))


def test_refusals_happen_before_the_store_is_asked(store):
    with pytest.raises(QueryRefused, match="SERVICE"):
        execute(store, _job("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))
    with pytest.raises(BadQuery, match="MAX_DEPTH"):
        execute(store, _job("SELECT * WHERE " + "{" * 20_000 + "}" * 20_000))
