"""The SPARQL hot path answers exactly as the endpoint's view does, or leaves the request to it.

Each request is sent twice to one app: once through the whole WSGI stack (where ``HotPath``
may answer it) and once past the hot path, straight to Flask inside the same protective
middleware. Status, headers (but ``Date``) and body must be the same; the plain cases must be
answered by the hot path (Flask not reached), the others must reach Flask.
"""

from __future__ import annotations

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from server.http.security import _Protect
from server.sparql.hot import HotPath
from tests.helpers import close_app, make_app

FIREFLY = "https://w3id.org/parley/id/person/rufus-firefly"
POINT = f"SELECT ?p ?o WHERE {{ <{FIREFLY}> ?p ?o }}"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def clients(mini_build):
    app = make_app(mini_build, max_rows=5)
    hot_path = app.wsgi_app.app
    assert isinstance(hot_path, HotPath)
    calls = []

    def counted(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return hot_path_inner(environ, start_response)

    hot_path_inner = hot_path.inner
    hot_path.inner = counted
    whole = Client(app.wsgi_app, Response)
    flask_only = Client(_Protect(hot_path_inner), Response)
    yield whole, flask_only, calls
    hot_path.inner = hot_path_inner
    close_app(app)


def _same(clients, method, query_string, headers):
    whole, flask_only, calls = clients
    calls.clear()
    hot = whole.open("/sparql", method=method, query_string=query_string, headers=headers)
    reached_flask = bool(calls)
    cold = flask_only.open("/sparql", method=method, query_string=query_string, headers=headers)
    assert hot.status == cold.status
    assert sorted((k, v) for k, v in hot.headers.items() if k != "Date") == sorted(
        (k, v) for k, v in cold.headers.items() if k != "Date"
    )
    assert hot.data == cold.data
    return hot, reached_flask


SMALL = f"SELECT ?p WHERE {{ <{FIREFLY}> ?p ?o }} LIMIT 3"


@pytest.mark.parametrize(
    "query, accept, fmt",
    [
        (SMALL, JSON, None),
        (SMALL, "application/sparql-results+xml", None),
        (SMALL, "text/csv", None),
        (SMALL, None, "tsv"),
        (f"ASK {{ <{FIREFLY}> ?p ?o }}", JSON, None),
        (f"CONSTRUCT WHERE {{ <{FIREFLY}> ?p ?o }} LIMIT 3", "text/turtle", None),
        (f"CONSTRUCT WHERE {{ <{FIREFLY}> ?p ?o }} LIMIT 3", "application/n-triples", None),
    ],
)
def test_a_bounded_query_is_answered_before_flask_as_flask_would(clients, query, accept, fmt):
    params = {"query": query} | ({"format": fmt} if fmt else {})
    headers = {"Accept": accept} if accept else {}
    for method in ("GET", "HEAD"):
        response, reached_flask = _same(clients, method, params, headers)
        assert response.status_code == 200
        assert not reached_flask, (method, query)


def test_a_repeated_query_and_its_revalidation_never_reach_flask(clients):
    whole, _, calls = clients
    params = {"query": SMALL}
    first, _ = _same(clients, "GET", params, {"Accept": JSON})
    tag = first.headers["ETag"]
    for none_match in (tag, f"W/{tag}", '"other", ' + tag, "*"):
        response, reached_flask = _same(clients, "GET", params, {"Accept": JSON, "If-None-Match": none_match})
        assert response.status_code == 304 and not reached_flask
    response, reached_flask = _same(clients, "GET", params, {"Accept": JSON, "If-None-Match": '"other"'})
    assert response.status_code == 200 and not reached_flask


@pytest.mark.parametrize(
    "params, headers, status",
    [
        ({"query": "SELECT ?x WHERE { ?x ?p }"}, {}, 400),  # a syntax error
        ({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, {}, 403),
        ({"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}, {}, 403),
        ({"query": SMALL}, {"Accept": "image/png"}, 406),
        ({"query": f"SELECT ?p ?o WHERE {{ <{FIREFLY}> ?p ?o }}"}, {}, 403),  # over max_rows=5
        ({"query": "   "}, {}, 400),
        ({"query": [SMALL, SMALL]}, {}, 400),
        ({"query": SMALL, "default-graph-uri": "https://w3id.org/parley/graph/world"}, {}, 200),
        ({"query": SMALL}, {"Range": "bytes=0-10"}, 206),
        ({"query": SMALL}, {"If-Match": '"nothing"'}, 412),
        ({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, {}, 200),  # unbounded: a query process
    ],
)
def test_everything_else_reaches_flask_and_answers_as_before(clients, params, headers, status):
    response, reached_flask = _same(clients, "GET", params, headers)
    assert response.status_code == status, response.data[:300]
    assert reached_flask


def test_other_paths_and_methods_are_left_alone(clients):
    whole, _, calls = clients
    calls.clear()
    assert whole.post("/sparql", data={"query": SMALL}).status_code == 200
    assert whole.get("/sparql").status_code == 200  # the service description
    assert calls == ["/sparql", "/sparql"]


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?p ?o WHERE {{ <{FIREFLY}> ?p ?o }}",
        f"SELECT * WHERE {{ ?s ?p <{FIREFLY}> }}",
        f"SELECT ?g ?p WHERE {{ GRAPH ?g {{ <{FIREFLY}> ?p ?o }} }}  # a comment at the end",
        'SELECT ?s WHERE { ?s ?p "no such text" }',
    ],
)
@pytest.mark.parametrize("max_rows", [3, 10_000])
def test_a_bounded_select_written_by_the_engine_is_the_same_as_ours(mini_build, query, max_rows):
    import pyoxigraph as ox

    from graph.errors import ParleyError
    from server.data.store import OxigraphStore
    from server.http.representations import SPARQL_JSON
    from server.sparql import guard
    from server.sparql.execute import Job, _capped_by_engine, _select_body, execute

    store = OxigraphStore.open(mini_build / "store")
    job = Job(query=query, max_rows=max_rows, accept="application/sparql-results+json")
    shape = guard.check(query)
    assert _capped_by_engine(shape, job)
    raw = ox.Store.read_only(str(mini_build / "store"))
    solutions = raw.query(query, use_default_graph_as_union=True)
    try:
        ours: bytes | ParleyError = _select_body(solutions, SPARQL_JSON, max_rows, None)
    except ParleyError as exc:
        ours = exc
    del solutions
    try:
        engine: bytes | ParleyError = execute(store, job, shape).body
    except ParleyError as exc:
        engine = exc
    if isinstance(ours, ParleyError):
        assert isinstance(engine, ParleyError) and engine.message == ours.message
    else:
        assert engine == ours
