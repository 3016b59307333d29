"""The query pool and its processes, for real: errors sent back whole, a bug in a query process
logged there and a logged 500 here, the time limit, a process killed with SIGKILL mid-query
(503 and a replacement), and the network each process runs without."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading

import pytest

from graph.errors import ConfigError
from server.data.store.remote import StoreUnavailable
from server.problems import BadQuery, NotAcceptable, QueryRefused
from server.sparql.execute import Job
from server.sparql.pool import QueryPool, QueryProcessError
from tests.helpers import assert_error_shape, is_running, wait_until
from tests.sparql.testdata import SLOW, close_app, make_app


@pytest.fixture(scope="module")
def pool(mini_build):
    pool = QueryPool({"kind": "oxigraph", "path": str(mini_build / "store")}, 1)
    yield pool
    pool.close()


@pytest.mark.parametrize(
    "job, error, text",
    [
        (Job("SELECT ?s WHERE { ?s ?p }", max_rows=10), BadQuery, "error at 1:"),
        (Job("SELECT * WHERE " + "{" * 20_000 + "}" * 20_000, max_rows=10), BadQuery, "MAX_DEPTH"),
        (Job("DROP ALL", max_rows=10), QueryRefused, "read-only"),
        (Job("SELECT * { ?s ?p ?o }", max_rows=2), QueryRefused, "max_rows=2"),
        (Job("ASK {}", max_rows=10, accept="image/png"), NotAcceptable, "sparql-results+json"),
    ],
)
def test_a_parley_error_in_the_query_process_is_raised_here_whole(pool, job, error, text):
    with pytest.raises(error) as caught:
        pool.run(job, 20)
    assert type(caught.value) is error
    assert text in caught.value.message
    assert caught.value.hint  # the hint crossed the pipe too


def test_a_store_the_process_cannot_open_is_its_config_error(tmp_path):
    pool = QueryPool({"kind": "oxigraph", "path": str(tmp_path / "no-store")}, 1)
    try:
        with pytest.raises(ConfigError, match="no store at"):
            pool.run(Job("ASK {}", max_rows=1), 20)
    finally:
        pool.close()


def test_an_unexpected_failure_is_logged_in_the_process_and_raised_as_a_bug(mini_build, capfd):
    pool = QueryPool({"kind": "oxigraph", "path": str(mini_build / "store")}, 1)  # its stderr is captured
    try:
        # max_rows must be an int; a str makes the row count comparison fail inside the process
        with pytest.raises(QueryProcessError, match="TypeError") as caught:
            pool.run(Job("SELECT * { ?s ?p ?o } LIMIT 1", max_rows="ten"), 20)
        assert not isinstance(caught.value, (BadQuery, QueryRefused))
        logged = capfd.readouterr().err
        assert "ERROR server.sparql.child: query failed unexpectedly" in logged  # the process's own log
        assert "Traceback" in logged
        assert pool.run(Job("ASK {}", max_rows=1), 20).body  # and the process still answers
    finally:
        pool.close()


def test_an_unexpected_failure_is_a_logged_500_never_a_400(mini_build, caplog):
    app = make_app(mini_build)
    try:
        app.extensions["parley_site"].settings["max_rows"] = "ten"  # a broken setting: a server bug
        with caplog.at_level(logging.ERROR):
            response = app.test_client().get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1"})
        assert_error_shape(response, 500)
        assert any(r.exc_info and r.exc_info[0] is QueryProcessError for r in caplog.records)  # Flask logged it
    finally:
        close_app(app)


def test_a_query_process_killed_mid_query_gives_503_and_is_replaced(mini_build):
    app = make_app(mini_build, query_processes=1)
    endpoint = app.extensions["parley_sparql"]
    try:
        client = app.test_client()
        before = endpoint.pool.probe()["pid"]
        result = {}
        thread = threading.Thread(
            target=lambda: result.update(response=app.test_client().get("/sparql", query_string={"query": SLOW}))
        )
        thread.start()
        wait_until(lambda: is_running(before), "the query process to run the slow query", timeout_s=30)
        os.kill(before, signal.SIGKILL)
        thread.join(30)
        response = result["response"]
        error = assert_error_shape(response, 503)
        assert error["title"] == "Query aborted"
        assert response.headers["Retry-After"] == "1"
        for _ in range(3):  # the pool replaced the process: the next requests are answered
            assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        assert endpoint.pool.probe()["pid"] != before
    finally:
        close_app(app)


def test_a_query_past_the_time_limit_is_stopped_with_503(mini_build):
    app = make_app(mini_build, query_timeout_s=1.0, query_processes=1)
    endpoint = app.extensions["parley_sparql"]
    try:
        client = app.test_client()
        before = endpoint.pool.probe()["pid"]  # a started process: time only the query
        response = client.get("/sparql", query_string={"query": SLOW})  # it would run for hours
        error = assert_error_shape(response, 503)
        assert "query_timeout_s=1" in error["message"]  # reported as the time limit, not as a failure
        assert response.headers["Retry-After"] == "1"
        with pytest.raises(ProcessLookupError):
            os.kill(before, 0)  # the process that ran the slow query is gone: its CPU use stopped
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        assert endpoint.pool.probe()["pid"] != before
    finally:
        close_app(app)


#: an address beyond this machine that is never routed (TEST-NET-1, RFC 5737): outside the
#: sandbox a connection to it would wait out its timeout, inside it fails at once
UNROUTED = "192.0.2.1"


def test_query_processes_have_no_network(capfd):
    """Defence in depth: even a SERVICE call that slipped past the guard could not connect.

    A query process whose store is a remote SPARQL store really connects for every job, so it is
    made to try: to a port this test listens on at 127.0.0.1, and to an address beyond this
    machine. Both fail inside the process at once (its network namespace has no interface up),
    and the listener is never connected to.
    """
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        listener.setblocking(False)
        urls = (f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", f"http://{UNROUTED}:80/sparql")
        for url in urls:
            pool = QueryPool({"kind": "sparql", "query_url": url, "timeout_s": 10.0}, 1)
            try:
                if not pool.probe()["network_isolated"]:
                    pytest.skip("this kernel does not allow a network namespace; the guard alone refuses SERVICE")
                with pytest.raises(StoreUnavailable, match="could not be reached") as caught:
                    pool.run(Job("ASK {}", max_rows=1), 20)  # refused, not a StoreTimeout after 10 s
                assert url in caught.value.message
            finally:
                pool.close()
        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing ever connected to the listening port
    logged = capfd.readouterr().err  # the query processes' own log: the kernel's answer
    assert logged.count("Network is unreachable") == len(urls), logged
