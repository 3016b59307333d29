"""Horizontal scale: several ``parley serve`` instances over one build answer as one.

Two real servers (gunicorn, started as the README starts them) over the same build on two
ports, and a third over the same build loaded into a real ``oxigraph serve``, must give the
same status, body and ETag for every URL of a set of pages, documents and queries: ETags come
from the build's content, never from the process, the port or the time, so a load balancer may
send each request (and each revalidation) to any instance.
"""

from __future__ import annotations

import urllib.parse

import pytest
import requests

from parley.live import LiveServer
from tests.conftest import require_or_skip
from tests.remote.conftest import oxigraph_command, start_oxigraph
from tests.robustness.conftest import start_parley

URLS = [
    "/",
    "/types",
    "/timeline",
    "/doc/person/rufus-firefly.html",
    "/doc/person/rufus-firefly.ttl",
    "/doc/claim/003-bodies-total-to-date.html",
    "/doc/article/003-00ee33ff00ee33ff.jsonld",
    "/doc/round/2000-06-02-port-marvin.nt",
    "/doc/nobody/here.ttl",
    "/dumps/SHA256SUMS",
    "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s ?l"}),
    "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s a parley:Claim }", "format": "xml"}),
]
SMALL = ("--workers", "1", "--query-processes", "1")  # the machine is shared: one of each is enough


def _answers(server: LiveServer) -> dict:
    out = {}
    for url in URLS:
        response = requests.get(server.url + url, timeout=30, allow_redirects=False)
        out[url] = (response.status_code, response.headers.get("ETag"), response.content)
    return out


@pytest.mark.integration
def test_two_instances_over_one_build_answer_alike(project):
    first = start_parley(project, *SMALL)
    second = start_parley(project, *SMALL)
    try:
        first.wait_ready()
        second.wait_ready()
        a, b = _answers(first), _answers(second)
        assert a.keys() == b.keys()
        assert [u for u in URLS if a[u] != b[u]] == []
        pages = [u for u in URLS if a[u][0] == 200 and not u.startswith("/sparql")]
        assert all(a[u][1] for u in pages), "every page and document carries an ETag"
        # a validator issued by one instance is honoured by the other
        etag = a["/doc/person/rufus-firefly.ttl"][1]
        again = requests.get(second.url + "/doc/person/rufus-firefly.ttl", headers={"If-None-Match": etag}, timeout=30)
        assert again.status_code == 304
    finally:
        first.stop()
        second.stop()


@pytest.mark.integration
def test_an_instance_over_a_remote_store_answers_like_one_over_the_build(project, tmp_path):
    require_or_skip(
        oxigraph_command() is not None, "the oxigraph CLI (pip install oxigraph)", "PARLEY_REQUIRE_OXIGRAPH"
    )
    from server.data.store.loading import load_build

    store = start_oxigraph(tmp_path)
    local = start_parley(project, *SMALL)
    remote = start_parley(project, *SMALL, "--store-url", store.query_url)
    try:
        load_build(project / "build", store.gsp_url, store.query_url)
        local.wait_ready()
        remote.wait_ready()
        a, b = _answers(local), _answers(remote)
        assert [u for u in URLS if a[u] != b[u]] == []
    finally:
        local.stop()
        remote.stop()
        store.stop()
