"""The defaults a new user gets, against a real ``parley serve``: every route answers the same
with the default relative build dir as with an absolute one (dump downloads included), and
every HTML page carries the protective headers."""

from __future__ import annotations

import pytest
import requests

from .conftest import start_parley

pytestmark = pytest.mark.integration

ROUTES = [
    "/",
    "/types",
    "/types/parley:Person",
    "/timeline",
    "/query",
    "/ontology",
    "/ontology.ttl",
    "/ontology/0.1.0",
    "/shapes",
    "/shapes.ttl",
    "/void",
    "/void.ttl",
    "/.well-known/void",
    "/validation",
    "/validation.ttl",
    "/dumps/",
    "/dumps/SHA256SUMS",
    "/dumps/parley.nq.gz",
    "/dumps/parley.trig.gz",
    "/dumps/parley.ttl.gz",
    "/dumps/parley.jsonld.gz",
    "/dumps/parley.ttl",
    "/dumps/ontology.ttl",
    "/dumps/shapes.ttl",
    "/id/person/rufus-firefly",
    "/doc/person/rufus-firefly",
    "/doc/person/rufus-firefly.ttl",
    "/doc/person/rufus-firefly.jsonld",
    "/doc/graph/world.html",
    "/graph/world",
    "/dataset",
    "/sparql",
    "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205",
    "/id/person/nobody",
    "/dumps/nothing.gz",
]
HEADERS = ("Content-Type", "ETag", "Last-Modified", "Content-Length", "Location", "Link", "Vary")


@pytest.fixture(scope="module")
def absolute_server(project):
    running = start_parley(project, "--build-dir", str((project / "build").resolve())).wait_ready()
    yield running
    running.stop()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("accept", [None, "text/html", "text/turtle"])
def test_relative_and_absolute_build_dir_answer_the_same(server, absolute_server, route, accept):
    headers = {"Accept": accept} if accept else {}
    relative = requests.get(server.url + route, headers=headers, allow_redirects=False, timeout=30)
    absolute = requests.get(absolute_server.url + route, headers=headers, allow_redirects=False, timeout=30)
    assert relative.status_code < 500, relative.text[:500]
    # the service description names the endpoint it was asked at, which differs by port only
    same_host = absolute.content.replace(absolute_server.url.encode(), server.url.encode())
    assert (relative.status_code, relative.content) == (absolute.status_code, same_host)
    for name in HEADERS:
        if route == "/sparql" and name in ("ETag", "Content-Length"):
            continue  # validators of a body that names its own endpoint URL
        # Memento links are absolute URLs of the server asked, which differ by port only
        theirs = absolute.headers.get(name)
        theirs = theirs.replace(absolute_server.url, server.url) if theirs else theirs
        assert relative.headers.get(name) == theirs, name


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.startswith("/dumps/parley")])
def test_every_html_page_carries_nosniff_csp_and_a_framing_policy(server, route):
    response = requests.get(server.url + route, headers={"Accept": "text/html"}, timeout=30)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if response.headers.get("Content-Type", "").startswith("text/html"):
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
        assert response.headers["X-Frame-Options"] == "DENY"
