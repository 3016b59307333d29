"""Fixtures for the SPARQL endpoint tests: the real app over the shared mini build, a live server.

``app`` / ``client`` are per test and ``shared_client`` per module (the endpoint is read-only
and keeps no state between requests), all over the session's ``mini_build``; ``facts`` is what
that build holds, read from its store. ``w3c_build`` holds the W3C Protocol test graphs
``data1-3`` under the IRIs the manifest expects. ``live_gunicorn`` runs gunicorn through
``server.serve`` on a free 127.0.0.1 port with ``query_timeout_s=1``; ``live_server`` is its URL.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from graph.search_index import SEARCH_INDEX, write_search_index
from parley.live import LiveServer, free_port
from tests.sparql.testdata import ROOT, W3C, W3C_GRAPH_IRI, MiniFacts, close_app, make_app, write_store


@pytest.fixture(scope="session")
def facts(mini_build) -> MiniFacts:
    return MiniFacts.read(mini_build)


@pytest.fixture(scope="session")
def w3c_build(tmp_path_factory) -> Path:
    """A build holding data1-3.nt of the W3C Protocol tests as their named graphs."""
    out = tmp_path_factory.mktemp("w3c-build") / "build"
    out.mkdir()
    graphs = {}
    for name in ("data1", "data2", "data3"):
        triples = [
            (q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(W3C / f"{name}.nt"), format=ox.RdfFormat.N_TRIPLES)
        ]
        graphs[W3C_GRAPH_IRI.format(name=name)] = triples
    write_store(out / "store", graphs)
    write_search_index(Dataset(), out / SEARCH_INDEX)  # the server opens one; these graphs have no labels
    return out


@pytest.fixture(scope="module")
def shared_client(mini_build):
    """One app for a module's stateless protocol matrix."""
    app = make_app(mini_build)
    yield app.test_client()
    close_app(app)


@pytest.fixture(scope="module")
def w3c_client(w3c_build):
    """One app for the W3C tests of a module."""
    app = make_app(w3c_build)
    yield app.test_client()
    close_app(app)


@pytest.fixture(scope="module")
def live_gunicorn(mini_build, tmp_path_factory) -> LiveServer:
    """A real gunicorn (``python -m server.serve``) on 127.0.0.1 with query_timeout_s=1, one
    worker with two query processes (``parley.live.LiveServer``)."""
    port = free_port()
    env = dict(
        os.environ,
        PARLEY_BUILD_DIR=str(mini_build),
        PARLEY_HOST="127.0.0.1",
        PARLEY_PORT=str(port),
        PARLEY_WORKERS="1",
        PARLEY_THREADS="8",
        PARLEY_QUERY_TIMEOUT_S="1",
        PARLEY_MAX_ROWS="1000",
        PARLEY_QUERY_PROCESSES="2",
        PARLEY_MAX_REQUEST_BYTES="100000",
        PYTHONPATH=str(ROOT),
    )
    server = LiveServer(
        [sys.executable, "-m", "server.serve"],
        port=port,
        logs=tmp_path_factory.mktemp("gunicorn"),
        name="gunicorn",
        cwd=ROOT,
        env=env,
        ready_path="/sparql",
    )
    with server.start(timeout_s=30):
        yield server


@pytest.fixture(scope="module")
def live_server(live_gunicorn) -> str:
    """The base URL of ``live_gunicorn``."""
    return live_gunicorn.url
