"""Fixtures for the SPARQL endpoint tests: small builds made here, apps per test, a live server.

``sparql_build`` is a build directory with a small pyoxigraph store (a few Parley-shaped triples
in named graphs under ``https://w3id.org/parley/graph/``, plus a filler graph big enough for a
cross join to run for minutes) and a ``void.ttl``; ``w3c_build`` holds the W3C Protocol test
graphs ``data1-3`` under the IRIs the manifest expects. ``live_server`` runs gunicorn through
``server.serve.run`` on a free 127.0.0.1 port with ``query_timeout_s=1``.
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

from tests.server.sparql_testdata import (BASE, FILLER_TRIPLES, GRAPH, ROOT, VOID_TTL, W3C, W3C_GRAPH_IRI,
                             WORLD, ARTICLE, free_port, make_app, write_store)


@pytest.fixture(scope="session")
def sparql_build(tmp_path_factory) -> Path:
    """A small build: world and one article graph, a filler graph, and void.ttl."""
    out = tmp_path_factory.mktemp("sparql-build") / "build"
    out.mkdir()
    filler_p = ox.NamedNode(BASE + "ontology#fillerIndex")
    filler = [(ox.NamedNode(f"{BASE}id/filler/{i}"), filler_p, ox.Literal(str(i), datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))) for i in range(FILLER_TRIPLES)]
    write_store(out / "store", {GRAPH + "world": WORLD,
                                GRAPH + "article/000-36ce8dffabdc45fd": ARTICLE,
                                GRAPH + "filler": filler})
    (out / "void.ttl").write_text(VOID_TTL, encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def w3c_build(tmp_path_factory) -> Path:
    """A build holding data1-3.nt of the W3C Protocol tests as their named graphs."""
    out = tmp_path_factory.mktemp("w3c-build") / "build"
    out.mkdir()
    graphs = {}
    for name in ("data1", "data2", "data3"):
        triples = [(q.subject, q.predicate, q.object)
                   for q in ox.parse(path=str(W3C / f"{name}.nt"), format=ox.RdfFormat.N_TRIPLES)]
        graphs[W3C_GRAPH_IRI.format(name=name)] = triples
    write_store(out / "store", graphs)
    return out


@pytest.fixture
def app(sparql_build):
    app = make_app(sparql_build)
    yield app
    app.extensions["parley_sparql"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def w3c_client(w3c_build):
    """One app for the W3C tests of a module: the endpoint is read-only and keeps no state."""
    app = make_app(w3c_build)
    yield app.test_client()
    app.extensions["parley_sparql"].close()


@pytest.fixture(scope="module")
def live_server(sparql_build, tmp_path_factory):
    """A real gunicorn (server.serve.run) on 127.0.0.1 with query_timeout_s=1; yields its URL."""
    port = free_port()
    env = dict(os.environ, PARLEY_BUILD_DIR=str(sparql_build), PARLEY_HOST="127.0.0.1",
               PARLEY_PORT=str(port), PARLEY_WORKERS="1", PARLEY_THREADS="8",
               PARLEY_QUERY_TIMEOUT_S="1", PARLEY_MAX_ROWS="1000", PARLEY_QUERY_PROCESSES="2",
               PYTHONPATH=str(ROOT))
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    log = log_path.open("wb")  # a file, not a pipe: a full pipe would block the server
    process = subprocess.Popen([sys.executable, "-m", "server.serve"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
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
