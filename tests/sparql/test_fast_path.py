"""Bounded-shape queries answered in the server worker, and the results cache in front of all.

The fast path must be invisible but for its speed: the same bytes as a query process makes for
the same job, in every format, and the same errors (406, a 400 with the parser's position, the
max_rows refusal). ``bounded.admits`` takes only the shapes its docstring proves bounded;
a resource with 100,000 links is answered (or refused at max_rows) with no query process
started. The cache answers a repeated GET with a strong ETag and a 304, a POST with no
validators, and never keeps an error.
"""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from graph.search_index import SEARCH_INDEX, write_search_index
from server.data.store import open_spec
from server.http.conditional import CACHE_CONTROL
from server.http.representations import GRAPH_RESULTS, RESULTS
from server.problems import BadQuery, NotAcceptable, QueryRefused
from server.sparql import bounded, guard
from server.sparql.execute import Job, execute
from server.sparql.pool import QueryPool
from tests.helpers import assert_error_shape
from tests.sparql.testdata import close_app, make_app, write_store

PREFIXES = {"parley": "https://w3id.org/parley/ontology#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
HUB = "http://example.org/synthetic/hub"
HUB_LINKS = 100_000


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?p ?o WHERE { <http://e/s> ?p ?o }",
        "select * { <http://e/s> ?p ?o . }",
        "PREFIX e: <http://e/> SELECT ?s WHERE { ?s e:p e:o } LIMIT 10",
        "BASE <http://e/> SELECT ?s ?p { ?s ?p <o> }",
        'SELECT ?s { ?s ?p "synthetic"@en }',
        'SELECT ?s { ?s <http://e/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> }',
        "SELECT ?s { ?s ?p 42 }",
        "SELECT ?g ?p ?o { GRAPH ?g { <http://e/s> ?p ?o } }",
        "SELECT ?p ?o { GRAPH <http://e/g> { <http://e/s> ?p ?o . } . }",
        "ASK { <http://e/s> a ?type }",
        "ASK WHERE { ?s ?p <http://e/o> }",
        "CONSTRUCT WHERE { <http://e/s> ?p ?o }",
        "CONSTRUCT { <http://e/s> ?p ?o } WHERE { <http://e/s> ?p ?o } LIMIT 5",
        "DESCRIBE <http://e/s>",
        "SELECT ?p ?o WHERE { <http://e/s> ?p ?o } # a comment\n",
    ],
)
def test_bounded_shapes_are_admitted(query):
    assert bounded.admits(guard.inspect(query))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",  # no constant subject or object
        "SELECT * { ?s <http://e/p> ?o }",
        "SELECT * { <http://e/s> ?p ?p }",  # a repeated variable filters rows
        "SELECT * { GRAPH ?p { <http://e/s> ?p ?o } }",
        "SELECT * { <http://e/s> ?p ?o . <http://e/s> ?q ?r }",  # a join
        "SELECT DISTINCT ?p { <http://e/s> ?p ?o }",
        "SELECT * { <http://e/s> ?p ?o } OFFSET 10",
        "SELECT * { <http://e/s> ?p ?o } ORDER BY ?o",
        "SELECT * { <http://e/s> ?p ?o FILTER(?o != 1) }",
        "SELECT * { <http://e/s> ?p ?o OPTIONAL { ?o ?q ?r } }",
        "SELECT * { <http://e/s> <http://e/p>* ?o }",  # a path
        "SELECT * { <http://e/s> ?p [] }",
        "SELECT * { _:b ?p <http://e/o> }",
        "SELECT * FROM <http://e/g> { <http://e/s> ?p ?o }",
        "SELECT (COUNT(*) AS ?n) { <http://e/s> ?p ?o }",
        "SELECT * { { SELECT * { <http://e/s> ?p ?o } } }",
        "SELECT * { <http://e/s> ?p ?o } VALUES ?o { 1 }",
        "SELECT * { \\u003Chttp://e/s> ?p ?o }",  # escapes: read twice, never fast
        "CONSTRUCT { ?o ?p <http://e/s> } WHERE { <http://e/s> ?p ?o }",  # template is not the pattern
        "DESCRIBE ?s WHERE { ?s ?p <http://e/o> }",
        "SELECT * { <http://e/s> ?p ?o } LIMIT 10 OFFSET 5",
        "SELECT * { SERVICE <http://127.0.0.1:9/> { <http://e/s> ?p ?o } }",
    ],
)
def test_other_shapes_go_to_the_query_processes(query):
    try:
        shape = guard.inspect(query)
    except BadQuery:
        return
    assert not bounded.admits(shape)


# --- byte-identical to the pool -------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(mini_build):
    return open_spec({"kind": "oxigraph", "path": str(mini_build / "store")})


@pytest.fixture(scope="module")
def pool(mini_build):
    pool = QueryPool({"kind": "oxigraph", "path": str(mini_build / "store")}, 1)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def person(facts) -> str:
    return facts.person


def _outcome(run):
    try:
        answer = run()
    except (BadQuery, QueryRefused, NotAcceptable) as exc:
        return type(exc).__name__, exc.message, exc.hint
    return answer.key, answer.body


def _pairs():
    for rep in RESULTS:
        yield "SELECT ?p ?o WHERE { <PERSON> ?p ?o }", rep.key
        yield "SELECT ?g ?p ?o WHERE { GRAPH ?g { <PERSON> ?p ?o } }", rep.key
        yield "SELECT ?s ?p WHERE { ?s ?p <PERSON> } LIMIT 3", rep.key
        yield "ASK { <PERSON> a parley:Person }", rep.key
    for rep in GRAPH_RESULTS:
        yield "CONSTRUCT WHERE { <PERSON> ?p ?o }", rep.key
        yield "CONSTRUCT { <PERSON> ?p ?o } WHERE { GRAPH ?g { <PERSON> ?p ?o } }", rep.key
        yield "DESCRIBE <PERSON>", rep.key


@pytest.mark.parametrize("query, fmt", list(_pairs()))
def test_the_fast_path_answers_the_bytes_a_query_process_answers(store, pool, person, query, fmt):
    query = query.replace("PERSON", person)
    job = Job(query=query, max_rows=1000, format=fmt, prefixes=PREFIXES, base_iri="http://localhost/sparql")
    assert bounded.admits(guard.check(query))
    fast = _outcome(lambda: execute(store, job))
    assert fast[0] == fmt
    assert fast == _outcome(lambda: pool.run(job, 20.0))


@pytest.mark.parametrize(
    "query, job_args, error",
    [
        ("SELECT ?p ?o WHERE { <PERSON> ?p ?o }", {"accept": "image/png"}, "NotAcceptable"),
        ("CONSTRUCT WHERE { <PERSON> ?p ?o }", {"format": "csv"}, "NotAcceptable"),
        ("SELECT ?p ?o WHERE { <PERSON> ?p nope:o }", {}, "BadQuery"),
        ("SELECT ?p ?o WHERE { <PERSON> ?p ?o }", {"max_rows": 2}, "QueryRefused"),
        ("CONSTRUCT WHERE { <PERSON> ?p ?o }", {"max_rows": 2}, "QueryRefused"),
    ],
)
def test_the_fast_path_fails_as_a_query_process_fails(store, pool, person, query, job_args, error):
    query = query.replace("PERSON", person)
    job = Job(query=query, prefixes=PREFIXES, **{"max_rows": 1000, **job_args})
    assert bounded.admits(guard.check(query))
    fast = _outcome(lambda: execute(store, job))
    assert fast[0] == error
    assert fast == _outcome(lambda: pool.run(job, 20.0))
    if error == "BadQuery":
        assert "1:" in fast[1]  # the parser's line and column


# --- a resource with 100,000 links ----------------------------------------------------------------


@pytest.fixture(scope="module")
def hub_build(tmp_path_factory):
    """A synthetic build: one resource with HUB_LINKS outgoing links (example.org IRIs)."""
    out = tmp_path_factory.mktemp("hub-build") / "build"
    out.mkdir()
    hub, link = ox.NamedNode(HUB), ox.NamedNode("http://example.org/synthetic/link")
    triples = [(hub, link, ox.NamedNode(f"http://example.org/synthetic/n{i}")) for i in range(HUB_LINKS)]
    write_store(out / "store", {"http://example.org/synthetic/graph": triples})
    write_search_index(Dataset(), out / SEARCH_INDEX)
    return out


@pytest.fixture
def hub_app(hub_build):
    app = make_app(hub_build, max_rows=1000)
    yield app
    close_app(app)


def _get(client, query: str, **headers):
    return client.get("/sparql?query=" + urllib.parse.quote(query), headers=headers)


def test_a_resource_with_many_links_is_refused_at_max_rows_without_a_query_process(hub_app):
    client = hub_app.test_client()
    response = _get(client, f"SELECT ?p ?o WHERE {{ <{HUB}> ?p ?o }}")
    body = assert_error_shape(response, 403)
    assert "max_rows=1000" in body["message"]
    assert _get(client, f"SELECT ?o WHERE {{ <{HUB}> ?p ?o }} LIMIT 10").status_code == 200
    assert _get(client, f"ASK {{ <{HUB}> ?p ?o }}").data == b'{"head":{},"boolean":true}'
    assert _get(client, f"CONSTRUCT WHERE {{ <{HUB}> ?p ?o }}").status_code == 403
    assert _get(client, f"DESCRIBE <{HUB}>").status_code == 403
    assert hub_app.extensions["parley_sparql"]._pool is None  # never needed, never started


def test_a_query_the_fast_path_does_not_admit_runs_in_a_query_process(hub_app):
    client = hub_app.test_client()
    response = _get(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert response.status_code == 200 and str(HUB_LINKS).encode() in response.data
    assert hub_app.extensions["parley_sparql"]._pool is not None


# --- the results cache ----------------------------------------------------------------------------


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_a_repeated_get_is_answered_from_the_cache_with_a_strong_etag(hub_app):
    client = hub_app.test_client()
    first = _get(client, COUNT)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and not tag.startswith("W/")
    assert first.headers["Cache-Control"] == CACHE_CONTROL and "Accept" in first.headers["Vary"]
    hub_app.extensions["parley_sparql"].pool.close()  # from now on, running any query fails
    again = _get(client, COUNT)
    assert (again.status_code, again.data, again.headers["ETag"]) == (200, first.data, tag)
    not_modified = _get(client, COUNT, **{"If-None-Match": tag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == tag
    assert _get(client, COUNT + " # another text").status_code == 500  # not cached: it would run


def test_each_representation_and_dataset_has_its_own_tag(hub_app):
    client = hub_app.test_client()
    tags = {
        _get(client, COUNT).headers["ETag"],
        _get(client, COUNT, Accept="text/csv").headers["ETag"],
        client.get(
            "/sparql?query="
            + urllib.parse.quote(COUNT)
            + "&default-graph-uri=http%3A%2F%2Fexample.org%2Fsynthetic%2Fgraph"
        ).headers["ETag"],
    }
    assert len(tags) == 3


def test_a_post_answer_carries_no_validators(hub_app):
    client = hub_app.test_client()
    for _ in range(2):  # the second from the cache
        response = client.post("/sparql", data={"query": COUNT})
        assert response.status_code == 200 and str(HUB_LINKS).encode() in response.data
        assert "ETag" not in response.headers and "Cache-Control" not in response.headers
    assert client.post("/sparql", data={"query": COUNT}, headers={"If-None-Match": "*"}).status_code == 200


def test_errors_are_never_cached(hub_app):
    client = hub_app.test_client()
    cache = hub_app.extensions["parley_sparql"].cache
    for _ in range(2):
        assert _get(client, f"SELECT ?p ?o WHERE {{ <{HUB}> ?p ?o }}").status_code == 403
        assert _get(client, "SELECT ?p ?o WHERE { <http://e/s> ?p nope:o }").status_code == 400
        assert _get(client, f"SELECT ?o WHERE {{ <{HUB}> ?p ?o }}", Accept="image/png").status_code == 406
    assert len(cache) == 0


def test_the_cache_is_bounded_by_bytes():
    from server.sparql.cache import ResultCache

    cache = ResultCache(1000)
    for i in range(20):
        cache.put(f"t{i}", b"x" * 200)
    assert cache.size <= 1000 and cache.get("t19") is not None and cache.get("t0") is None
    cache.put("big", b"x" * 251)  # over a quarter: not kept
    assert cache.get("big") is None


# --- pyoxigraph's serializers under a LIMIT ---------------------------------------------------------


@pytest.mark.parametrize(
    "query, bound",
    [
        ("SELECT * { ?s ?p ?o } LIMIT 10", 10),
        ("select * { ?s ?p ?o } limit 10 offset 5", 10),
        ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 10 } }", None),  # the sub-select's, not the answer's
        ("SELECT * { ?s ?p ?o } LIMIT 10 VALUES ?s { <http://e/s> }", None),
        ("SELECT * { ?s ?p ?o }", None),
        ("SELECT * { ?s ?p ?o } # LIMIT 10", None),
    ],
)
def test_the_row_bound_is_an_outermost_limit(query, bound):
    assert bounded.row_bound(guard.inspect(query)) == bound


@pytest.fixture(scope="module")
def odd_terms():
    """A store of synthetic terms that are hard to write: quotes, controls, tags, blank nodes."""
    store = ox.Store()
    s = ox.NamedNode("http://example.org/synthetic/s")
    objects = [
        ox.Literal('plain "quoted" \\ back\nline é 😀 \u2028 / </'),
        ox.Literal("hello", language="en-GB"),
        ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.BlankNode("b1"),
        ox.NamedNode("http://example.org/synthetic/o?x=1&y=é"),
        ox.Literal("\x01\x1f\x7f controls"),
    ]
    for i, o in enumerate(objects):
        store.add(ox.Quad(s, ox.NamedNode(f"http://example.org/synthetic/p{i}"), o, ox.DefaultGraph()))
    from server.data.store import OxigraphStore

    return OxigraphStore(store, "/nonexistent")


@pytest.mark.parametrize("fmt", [rep.key for rep in RESULTS])
def test_pyoxigraphs_serializer_under_a_limit_writes_the_bytes_the_counted_path_writes(odd_terms, fmt):
    query = "SELECT ?p ?o ?unbound WHERE { <http://example.org/synthetic/s> ?p ?o }"
    counted = execute(odd_terms, Job(query=query, max_rows=100, format=fmt))
    limited = execute(odd_terms, Job(query=query + " LIMIT 100", max_rows=100, format=fmt))
    assert counted == limited


def test_a_limit_over_max_rows_is_still_counted(hub_app):
    response = _get(hub_app.test_client(), f"SELECT ?o WHERE {{ <{HUB}> ?p ?o }} LIMIT 5000")
    assert response.status_code == 403


def test_a_head_request_gets_the_get_answers_validators(hub_app):
    client = hub_app.test_client()
    url = "/sparql?query=" + urllib.parse.quote(COUNT)
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"] and head.headers["Cache-Control"] == CACHE_CONTROL


def test_the_base_iri_is_in_the_tag_only_when_a_relative_iri_needs_it(hub_app):
    client = hub_app.test_client()

    def tag(query, host):
        return _get(client, query, Host=host).headers["ETag"]

    assert tag(COUNT, "a.example") == tag(COUNT, "b.example")
    relative = "SELECT ?o WHERE { <hub> ?p ?o } LIMIT 1"
    assert tag(relative, "a.example") != tag(relative, "b.example")
