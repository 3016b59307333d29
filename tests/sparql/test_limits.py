"""The endpoint's bounds, through the real app and its query processes: a 20,000-deep query is a
prompt 400 and the endpoint keeps answering; queries at the guard's bounds (MAX_DEPTH nested
levels of each kind, MAX_TERMS terms in long chains) run in a query process without overflowing
its stack; a body over max_request_bytes is 413 whether announced or chunked."""

from __future__ import annotations

import io

import pytest

from server.sparql.guard import MAX_DEPTH, MAX_TERMS
from tests.helpers import assert_error_shape
from tests.sparql.testdata import close_app, make_app

P = "<http://e/p>"
DEEP = 20_000


@pytest.fixture(scope="module")
def limits_app(mini_build):
    """One query process, with time enough that every query at the bounds reaches pyoxigraph."""
    app = make_app(mini_build, query_timeout_s=30.0, query_processes=1, max_request_bytes=200_000)
    yield app
    close_app(app)


@pytest.fixture
def limits_client(limits_app):
    return limits_app.test_client()


def _still_answering(client) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 200 and response.get_json()["boolean"] is True


@pytest.mark.parametrize(
    "how, query",
    [
        ("get", "SELECT * WHERE " + "{" * DEEP + "}" * DEEP),
        ("post-form", "SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }"),
        ("post-direct", "ASK { ?s " + P + " " + "[ " + (P + " [ ") * (DEEP // 2) + "]" * (DEEP // 2 + 1) + " }"),
    ],
)
def test_a_20000_deep_query_is_a_prompt_400_and_the_endpoint_keeps_answering(limits_client, how, query):
    if how == "get":
        response = limits_client.get("/sparql", query_string={"query": query})
    elif how == "post-form":
        response = limits_client.post("/sparql", data={"query": query})
    else:
        response = limits_client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    error = assert_error_shape(response, 400)
    assert f"MAX_DEPTH={MAX_DEPTH}" in error["message"]  # the guard's refusal: no parser or query ran
    _still_answering(limits_client)


# Each construct nested MAX_DEPTH deep, as deep as the guard lets through.
NESTED = {
    "groups": lambda n: "SELECT * WHERE " + "{" * n + "}" * n,
    "parentheses": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * (n - 2) + "?o" + ")" * (n - 2) + ") }",
    "function calls": lambda n: (
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "STR(" * (n - 2) + "?o" + ")" * (n - 2) + ") } LIMIT 1"
    ),
    "blank nodes": lambda n: (
        "SELECT * WHERE { ?s " + P + " " + ("[ " + P + " ") * (n - 1) + "?o" + " ]" * (n - 1) + " }"
    ),
    "collections": lambda n: "SELECT * WHERE { ?s " + P + " " + "( " * (n - 1) + ")" * (n - 1) + " }",
    "subqueries": lambda n: "SELECT * WHERE " + "{ SELECT * WHERE " * (n // 2) + "{}" + "}" * (n // 2),
    "optionals": lambda n: "SELECT * WHERE { " + "OPTIONAL { " * (n - 1) + "}" * (n - 1) + " }",
    "exists": lambda n: "SELECT * WHERE { " + "FILTER EXISTS { " * ((n - 1) // 2) + "}" * ((n - 1) // 2) + " }",
    "paths": lambda n: "SELECT * WHERE { ?s " + "(" * (n - 1) + P + ")" * (n - 1) + " ?o } LIMIT 1",
    "triple terms": lambda n: (
        "SELECT * WHERE { VALUES ?t { "
        + "<<( <http://e/a> <http://e/b> " * (n - 2)
        + "<http://e/c>"
        + " )>>" * (n - 2)
        + " } }"
    ),
}

# Long chains, each just under MAX_TERMS terms (the guard counts every lexeme outside VALUES).
# The unit count of each construct (6 lexemes per BIND ...) leaves a few terms of slack.
WIDE = {
    "binds": lambda t: "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range((t - 20) // 6)) + " }",
    "projections": lambda t: "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range((t - 20) // 5)) + " WHERE { }",
    "unions": lambda t: "SELECT * WHERE { {}" + " UNION {}" * ((t - 20) // 3) + " }",
    "minus": lambda t: "SELECT * WHERE { " + "MINUS {} " * ((t - 20) // 3) + "}",
    "filters": lambda t: "SELECT * WHERE { " + "FILTER(true) " * ((t - 20) // 4) + "}",
    "subtractions": lambda t: "SELECT * WHERE { BIND(1" + " - 1" * ((t - 20) // 2) + " AS ?x) }",
    "alternative paths": lambda t: "SELECT * WHERE { ?s " + P + ("|" + P) * ((t - 20) // 2) + " ?o } LIMIT 1",
}


def _run_in_the_query_process(client, query: str):
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    # pyoxigraph ran it: an answer, its syntax error (it is stricter than the guard) or the row
    # cap. A process that overflowed its stack would be 503 "Query aborted".
    assert response.status_code in (200, 400, 403), response.get_data(as_text=True)[:300]
    if response.status_code == 400:
        assert "SPARQL syntax error" in assert_error_shape(response, 400)["message"]
    elif response.status_code == 403:
        assert "max_rows" in assert_error_shape(response, 403)["message"]
    return response


@pytest.mark.parametrize("kind", sorted(NESTED))
def test_a_query_nested_to_the_limit_runs_without_overflowing_the_stack(limits_client, kind):
    _run_in_the_query_process(limits_client, NESTED[kind](MAX_DEPTH))
    _still_answering(limits_client)


@pytest.mark.parametrize("kind", sorted(WIDE))
def test_a_chain_of_max_terms_runs_without_overflowing_the_stack(limits_client, kind):
    _run_in_the_query_process(limits_client, WIDE[kind](MAX_TERMS))
    _still_answering(limits_client)


def test_one_level_past_the_limit_is_refused(limits_client):
    response = limits_client.get("/sparql", query_string={"query": NESTED["groups"](MAX_DEPTH + 1)})
    assert f"MAX_DEPTH={MAX_DEPTH}" in assert_error_shape(response, 400)["message"]
    binds = WIDE["binds"](MAX_TERMS + 40)
    response = limits_client.post("/sparql", data=binds.encode(), content_type="application/sparql-query")
    assert f"MAX_TERMS={MAX_TERMS}" in assert_error_shape(response, 400)["message"]


def test_a_large_values_block_is_not_held_to_max_terms(limits_client):
    values = " ".join(str(i) for i in range(MAX_TERMS + 1000))
    response = limits_client.post(
        "/sparql",
        data=f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}",
        content_type="application/sparql-query",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["results"]["bindings"][0]["n"]["value"] == str(MAX_TERMS + 1000)


# --- request bodies ----------------------------------------------------------------------------


def test_a_body_announced_over_max_request_bytes_is_413_before_it_is_read(limits_client):
    announced = 50_000_000
    stream = io.BytesIO(b"ASK {}")  # far shorter than announced: reading it would fail
    response = limits_client.post(
        "/sparql",
        input_stream=stream,
        content_type="application/sparql-query",
        environ_overrides={"CONTENT_LENGTH": str(announced)},
    )
    error = assert_error_shape(response, 413)
    assert "max_request_bytes" in error["message"]
    assert stream.tell() == 0  # not a byte was read


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/sparql-query", b"ASK { " + b"?s ?p ?o . " * 30_000 + b"}"),
        ("application/x-www-form-urlencoded", b"query=ASK%7B%7D&pad=" + b"x" * 300_000),
    ],
)
def test_a_chunked_body_is_cut_at_max_request_bytes(limits_client, content_type, body):
    # A chunked request has no Content-Length; gunicorn marks its input as terminated.
    stream = io.BytesIO(body)
    response = limits_client.post(
        "/sparql",
        input_stream=stream,
        content_type=content_type,
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert "max_request_bytes=200000" in assert_error_shape(response, 413)["message"]  # not served cut short
    assert stream.tell() <= 200_001  # read up to the limit, not to the end
    _still_answering(limits_client)


def test_a_chunked_body_under_the_limit_is_read(limits_client):
    response = limits_client.post(
        "/sparql",
        input_stream=io.BytesIO(b"ASK {}"),
        content_type="application/sparql-query",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 200 and response.get_json()["boolean"] is True
