"""Integration tests against a real gunicorn server (``python -m server.serve``) on 127.0.0.1,
serving the mini build.

SPARQLWrapper reads every result format (DESCRIBE with its ``format=json`` gets JSON-LD); a
SERVICE call is refused and a local listener proves no connection was attempted; a 20,000-deep
query and a chunked body over ``max_request_bytes`` are prompt 4xx answers; a query past
``query_timeout_s=1`` is answered with 503 within the limit plus a second, while cheap requests
are answered promptly.
"""

from __future__ import annotations

import http.client
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from SPARQLWrapper import CSV, JSON, JSONLD, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.helpers import (
    assert_error_shape,
    idle_query_processes,
    is_running,
    query_processes,
    running_query_process,
    wait_until,
)
from tests.sparql.testdata import SLOW

pytestmark = pytest.mark.integration

PARLEY = "PREFIX parley: <https://w3id.org/parley/ontology#> "
SELECT = PARLEY + "SELECT ?person WHERE { ?person a parley:Person } ORDER BY ?person"
CONSTRUCT = PARLEY + "CONSTRUCT { ?p a parley:Person } WHERE { ?p a parley:Person }"
DESCRIBE = PARLEY + "DESCRIBE ?p WHERE { ?p a parley:Person }"
CHEAP = PARLEY + "ASK { ?p a parley:Person }"


def _wrapper(url: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


@pytest.mark.parametrize(
    "fmt, media_type",
    [
        (JSON, "application/sparql-results+json"),
        (XML, "application/sparql-results+xml"),
        (CSV, "text/csv"),
        (TSV, "text/tab-separated-values"),
    ],
)
def test_sparqlwrapper_reads_select_results(live_server, facts, fmt, media_type):
    result = _wrapper(live_server, SELECT, fmt).query()
    assert result.info()["content-type"].startswith(media_type)
    converted = result.convert()
    if fmt == JSON:
        people = [b["person"]["value"] for b in converted["results"]["bindings"]]
    elif fmt == XML:
        people = [n.firstChild.data for n in converted.getElementsByTagName("uri")]
    else:
        lines = converted.decode().splitlines()
        people = [line.strip("<>") for line in lines[1:]]
    assert people == list(facts.people)


@pytest.mark.parametrize(
    "fmt, accept, media_type",
    [
        (TURTLE, None, "text/turtle"),
        (RDFXML, None, "application/rdf+xml"),
        (JSONLD, None, "application/ld+json"),
        (TURTLE, "application/n-triples", "application/n-triples"),  # SPARQLWrapper has no N-Triples constant
    ],
)
def test_sparqlwrapper_reads_construct_results(live_server, facts, fmt, accept, media_type):
    sparql = _wrapper(live_server, CONSTRUCT, fmt)
    if accept:
        sparql.setOnlyConneg(True)
        sparql.addCustomHttpHeader("Accept", accept)
    result = sparql.query()
    assert result.info()["content-type"].startswith(media_type)
    # Parsed with pyoxigraph: rdflib's JSON-LD parser emits a DeprecationWarning.
    body = result.response.read()
    triples = list(ox.parse(body, format=ox.RdfFormat.from_media_type(media_type)))
    assert {t.subject.value for t in triples} == set(facts.people)


def test_sparqlwrapper_gets_json_ld_for_describe_as_json(live_server, facts):
    # SPARQLWrapper sends Accept: */* and format=json for DESCRIBE with JSON (and warns)
    with pytest.warns(RuntimeWarning, match="Accept header"):
        result = _wrapper(live_server, DESCRIBE, JSON).query()
    assert result.info()["content-type"].startswith("application/ld+json")
    triples = list(ox.parse(result.response.read(), format=ox.RdfFormat.JSON_LD))
    assert {t.subject.value for t in triples} >= set(facts.people)


def test_sparqlwrapper_reads_ask(live_server):
    assert _wrapper(live_server, CHEAP, JSON).query().convert()["boolean"] is True


def test_accept_with_a_charset_parameter(live_server):
    response = requests.get(
        live_server + "/sparql",
        params={"query": CHEAP},
        timeout=10,
        headers={"Accept": "application/sparql-results+json; charset=utf-8"},
    )
    assert response.status_code == 200 and response.json()["boolean"] is True


def _still_answering(url: str) -> None:
    response = requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=10)
    assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000,
        "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
    ],
)
def test_a_20000_deep_query_is_a_prompt_400(live_server, query):
    response = requests.post(
        live_server + "/sparql", data=query.encode(), timeout=30, headers={"Content-Type": "application/sparql-query"}
    )
    # the guard's 400, not the time limit's 503: no query process ran it
    assert "MAX_DEPTH" in assert_error_shape(response, 400)["message"]
    _still_answering(live_server)


def test_a_chunked_body_over_max_request_bytes_is_413(live_server):
    """gunicorn passes a chunked body through; the endpoint stops reading it at the limit."""
    chunks = (b"ASK { " + b"?s ?p ?o . " * 1000 for _ in range(20))  # 220 kB against a 100 kB limit
    response = requests.post(
        live_server + "/sparql", data=chunks, timeout=30, headers={"Content-Type": "application/sparql-query"}
    )
    assert "max_request_bytes=100000" in assert_error_shape(response, 413)["message"]
    _still_answering(live_server)


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b'SELECT * WHERE { ?s ?p "\xff\xfe" }', "application/sparql-query"),
        (b"query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%FF%20%7D", "application/x-www-form-urlencoded"),
    ],
)
def test_invalid_utf8_in_a_post_body_is_400(live_server, body, content_type):
    response = requests.post(live_server + "/sparql", data=body, headers={"Content-Type": content_type}, timeout=10)
    assert "UTF-8" in assert_error_shape(response, 400)["message"]


class _Raw:
    """A response read with http.client, for assert_error_shape (requests would re-quote the URL)."""

    def __init__(self, response):
        self.status_code, self.headers, self.text = response.status, response.headers, response.read().decode()


def test_malformed_percent_encoding_is_400(live_server):
    connection = http.client.HTTPConnection("127.0.0.1", int(live_server.rsplit(":", 1)[1]), timeout=10)
    try:
        connection.request("GET", "/sparql?query=ASK%20%7B%zz%7D")
        response = _Raw(connection.getresponse())
    finally:
        connection.close()
    assert "percent" in assert_error_shape(response, 400)["message"]


def test_an_empty_query_is_400(live_server):
    assert_error_shape(requests.get(live_server + "/sparql", params={"query": ""}, timeout=10), 400)


def test_service_is_refused_and_no_connection_is_made(live_server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    try:
        for query in (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
            f"select * {{ ?s ?p ?o . service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?q ?r }} }}",
        ):
            response = requests.get(live_server + "/sparql", params={"query": query}, timeout=10)
            assert "SERVICE" in assert_error_shape(response, 403)["message"]
        with pytest.raises(BlockingIOError):
            listener.accept()  # the answers came back, and nothing had connected
    finally:
        listener.close()


def test_pyoxigraph_would_connect_so_the_guard_must_refuse():
    """Documents why SERVICE is refused before execution: this pyoxigraph has an HTTP client."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(5)
    port = listener.getsockname()[1]
    hits = []

    def accept():
        try:
            connection, _ = listener.accept()
            hits.append(1)
            connection.close()
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        with pytest.raises(OSError):
            list(ox.Store().query(f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"))
    finally:
        thread.join()
        listener.close()
    assert hits == [1]


def test_a_slow_query_is_stopped_at_the_limit_and_its_process_replaced(live_gunicorn):
    before = set(_warm_pool(live_gunicorn))
    response = requests.get(live_gunicorn.url + "/sparql", params={"query": SLOW}, timeout=30)  # runs for hours
    error = assert_error_shape(response, 503)
    assert "query_timeout_s=1" in error["message"]  # reported as the time limit
    # the process that ran it was ended (its CPU use stopped) and a new one took its place
    after = set(_warm_pool(live_gunicorn))
    assert len(before - after) == 1 and len(after) == len(before)


def _warm_pool(server) -> list[int]:
    """Wait until the server's two query processes (PARLEY_QUERY_PROCESSES=2) are idle with the
    store open: a process killed at the limit is replaced at once, but the replacement needs a
    moment to import and open the store, and what these tests look at is a warm pool."""
    return idle_query_processes(server.pid, 2, Path(server.env["PARLEY_BUILD_DIR"]) / "store")


def test_cheap_requests_are_answered_while_a_slow_query_runs(live_gunicorn):
    live_server = live_gunicorn.url
    _warm_pool(live_gunicorn)
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(requests.get, live_server + "/sparql", params={"query": SLOW}, timeout=30)
        running_query_process(live_gunicorn.pid)  # the slow query has started
        answered_meanwhile = 0
        while not slow.done():
            response = requests.get(
                live_server + "/sparql",
                params={"query": CHEAP},
                headers={"Accept": "application/sparql-results+json"},
                timeout=10,
            )
            assert response.status_code == 200, response.text
            assert response.json()["boolean"] is True
            description = requests.get(live_server + "/sparql", timeout=10)
            assert description.status_code == 200
            answered_meanwhile += not slow.done()  # answered before the slow query ended
        assert slow.result().status_code == 503
    assert answered_meanwhile, "no cheap request was answered while the slow query ran"


def test_every_query_process_busy_still_leaves_other_routes_answering(live_gunicorn):
    live_server = live_gunicorn.url
    _warm_pool(live_gunicorn)
    with ThreadPoolExecutor(max_workers=2) as pool:
        slow = [
            pool.submit(requests.get, live_server + "/sparql", params={"query": SLOW}, timeout=30) for _ in range(2)
        ]
        wait_until(
            lambda: sum(map(is_running, query_processes(live_gunicorn.pid))) == 2, "both query processes busy", 30
        )
        assert requests.get(live_server + "/sparql", headers={"Accept": "text/turtle"}, timeout=10).status_code == 200
        assert not any(f.done() for f in slow), "the service description waited for a query process"
        assert [f.result().status_code for f in slow] == [503, 503]


def test_serve_configures_gunicorn_gthread_workers():
    from server.config import load_settings
    from server.serve import gunicorn_options

    options = gunicorn_options(load_settings({"port": 8123, "workers": 3, "threads": 4}, environ={}))
    assert options["bind"] == "127.0.0.1:8123"
    assert (options["worker_class"], options["workers"], options["threads"]) == ("gthread", 3, 4)
    assert options["preload_app"] is False  # each worker opens the store and starts its own query processes
