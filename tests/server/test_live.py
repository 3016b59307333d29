"""Integration tests against a real gunicorn server (server.serve.run) on 127.0.0.1.

SPARQLWrapper reads every result format; a SERVICE call is refused and a local listener proves
no connection was attempted; a query past ``query_timeout_s=1`` is answered with 503 within the
limit plus a second, while cheap requests are answered promptly.
"""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest
import requests
from SPARQLWrapper import CSV, JSON, JSONLD, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.server.helpers import assert_error_shape
from tests.server.sparql_testdata import BASE

pytestmark = pytest.mark.integration

UMEROV = BASE + "id/person/rustem-umerov"
SELECT = ("PREFIX parley: <https://w3id.org/parley/ontology#> "
          "SELECT ?person WHERE { ?person a parley:Person } ORDER BY ?person")
CONSTRUCT = ("PREFIX parley: <https://w3id.org/parley/ontology#> "
             "CONSTRUCT { ?p a parley:Person } WHERE { ?p a parley:Person }")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = f"ASK {{ <{UMEROV}> ?p ?o }}"


def _wrapper(url: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


@pytest.mark.parametrize("fmt, media_type", [
    (JSON, "application/sparql-results+json"),
    (XML, "application/sparql-results+xml"),
    (CSV, "text/csv"),
    (TSV, "text/tab-separated-values"),
])
def test_sparqlwrapper_reads_select_results(live_server, fmt, media_type):
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
    assert people == [UMEROV, BASE + "id/person/vladimir-medinsky"]


@pytest.mark.parametrize("fmt, accept, media_type", [
    (TURTLE, None, "text/turtle"),
    (RDFXML, None, "application/rdf+xml"),
    (JSONLD, None, "application/ld+json"),
    (TURTLE, "application/n-triples", "application/n-triples"),  # SPARQLWrapper has no N-Triples constant
])
def test_sparqlwrapper_reads_construct_results(live_server, fmt, accept, media_type):
    sparql = _wrapper(live_server, CONSTRUCT, fmt)
    if accept:
        sparql.setOnlyConneg(True)
        sparql.addCustomHttpHeader("Accept", accept)
    result = sparql.query()
    assert result.info()["content-type"].startswith(media_type)
    # Parsed with pyoxigraph: rdflib's JSON-LD parser emits a DeprecationWarning.
    body = result.response.read()
    triples = list(ox.parse(body, format=ox.RdfFormat.from_media_type(media_type)))
    assert {t.subject.value for t in triples} == {UMEROV, BASE + "id/person/vladimir-medinsky"}


def test_sparqlwrapper_reads_ask(live_server):
    assert _wrapper(live_server, CHEAP, JSON).query().convert()["boolean"] is True


def test_service_is_refused_and_no_connection_is_made(live_server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                      f"select * {{ ?s ?p ?o . service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?q ?r }} }}"):
            response = requests.get(live_server + "/sparql", params={"query": query}, timeout=10)
            assert "SERVICE" in assert_error_shape(response, 403)["message"]
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_query_processes_have_no_network(sparql_build):
    """Defence in depth: even a SERVICE call that slipped past the guard could not connect."""
    from server.executor import QueryPool

    pool = QueryPool(sparql_build / "store", 1)
    try:
        if not pool.probe()["network_isolated"]:
            pytest.skip("this kernel does not allow a network namespace; the guard alone refuses SERVICE")
    finally:
        pool.close()


def test_pyoxigraph_would_connect_so_the_guard_must_refuse(sparql_build):
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


def test_a_slow_query_is_stopped_within_the_limit_plus_a_second(live_server):
    started = time.monotonic()
    response = requests.get(live_server + "/sparql", params={"query": SLOW}, timeout=30)
    elapsed = time.monotonic() - started
    error = assert_error_shape(response, 503)
    assert "query_timeout_s=1" in error["message"]
    assert elapsed < 2.0, elapsed


def _let_replacements_start() -> None:
    # A process killed at the limit is replaced at once, but the replacement needs about a
    # second to import and open the store (more while another process burns a CPU); what is
    # measured here is a warm pool.
    time.sleep(2.5)


def test_cheap_requests_are_answered_while_a_slow_query_runs(live_server):
    _let_replacements_start()
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(requests.get, live_server + "/sparql", params={"query": SLOW}, timeout=30)
        time.sleep(0.2)  # let the slow query start
        latencies = []
        while not slow.done():
            started = time.monotonic()
            response = requests.get(live_server + "/sparql", params={"query": CHEAP},
                                    headers={"Accept": "application/sparql-results+json"}, timeout=10)
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200, response.text
            assert response.json()["boolean"] is True
            description = requests.get(live_server + "/sparql", timeout=10)
            assert description.status_code == 200
            time.sleep(0.05)
        assert slow.result().status_code == 503
    assert latencies, "the slow query ended before any cheap one was sent"
    assert max(latencies) < 0.5, latencies


def test_every_query_process_busy_still_leaves_other_routes_answering(live_server):
    _let_replacements_start()
    with ThreadPoolExecutor(max_workers=2) as pool:
        slow = [pool.submit(requests.get, live_server + "/sparql", params={"query": SLOW}, timeout=30)
                for _ in range(2)]
        time.sleep(0.2)
        started = time.monotonic()
        assert requests.get(live_server + "/sparql", headers={"Accept": "text/turtle"}, timeout=10).status_code == 200
        assert time.monotonic() - started < 0.5
        assert [f.result().status_code for f in slow] == [503, 503]


def test_serve_configures_gunicorn_gthread_workers():
    from server.config import load_settings
    from server.serve import gunicorn_options

    options = gunicorn_options(load_settings({"port": 8123, "workers": 3, "threads": 4}, environ={}))
    assert options["bind"] == "127.0.0.1:8123"
    assert (options["worker_class"], options["workers"], options["threads"]) == ("gthread", 3, 4)
    assert options["preload_app"] is False  # each worker opens the store and starts its own query processes
