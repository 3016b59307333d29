"""Fixtures for the SPARQL endpoint tests: the real app over the shared mini build, a live server.

``app`` / ``client`` are per test and ``shared_client`` per module (the endpoint is read-only
and keeps no state between requests), all over the session's ``mini_build``; ``facts`` is what
that build holds, read from its store. ``w3c_build`` holds the W3C Protocol test graphs
``data1-3`` under the IRIs the manifest expects. ``live_server`` runs gunicorn through
``server.serve`` on a free 127.0.0.1 port with ``query_timeout_s=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Dataset

from graph.search_index import SEARCH_INDEX, write_search_index
from tests.sparql.testdata import ROOT, W3C, W3C_GRAPH_IRI, MiniFacts, close_app, free_port, make_app, write_store


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
def live_server(mini_build, tmp_path_factory):
    """A real gunicorn (``python -m server.serve``) on 127.0.0.1 with query_timeout_s=1; yields its URL."""
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
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    log = log_path.open("wb")  # a file, not a pipe: a full pipe would block the server
    process = subprocess.Popen(
        [sys.executable, "-m", "server.serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                output = log_path.read_text(errors="replace")
                pytest.fail(f"gunicorn exited with {process.returncode}:\n{output}")
            try:
                if requests.get(url + "/sparql", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer within 30 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
