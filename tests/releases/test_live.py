"""The releases through a real ``parley serve`` (gunicorn on a free port of 127.0.0.1): datetime
negotiation followed by a real HTTP client, the TimeMap, ``/releases/latest`` and a release's
SPARQL endpoint answered by its query process, which loads the release's N-Quads dump itself.
Release 0.1.0 is served from its committed text alone (its dumps/ deleted, as in a fresh
checkout): ``parley serve`` makes its downloads before it starts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef

from parley.live import free_port
from tests.releases.conftest import CLAIM
from tests.releases.test_memento import ASK_PROMISED, DOC, MODALITY, PATH, parse_links, rels
from tests.robustness.conftest import parley, start_parley

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def live(two_builds, released, tmp_path_factory):
    project = tmp_path_factory.mktemp("live-releases")
    shutil.copytree(two_builds[1], project / "build")
    shutil.copytree(released, project / "releases")
    shutil.rmtree(project / "releases" / "0.1.0" / "dumps")  # a fresh checkout has only the committed text
    server = start_parley(Path(project), "--workers", "1", "--threads", "4", "--query-processes", "1")
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def test_accept_datetime_followed_by_a_real_client_gives_the_old_fact(live):
    headers = {"Accept": "text/turtle", "Accept-Datetime": "Tue, 01 Dec 2026 12:00:00 GMT"}
    gate = requests.get(f"{live.url}/{PATH}", headers=headers, allow_redirects=False, timeout=30)
    assert gate.status_code == 302 and gate.headers["Location"] == f"{live.url}/releases/0.1.0/{PATH}"
    assert rels(parse_links(gate.headers["Link"]))["timemap"] == [f"{live.url}/timemap/{PATH}"]
    final = requests.get(f"{live.url}/{PATH}", headers=headers, timeout=30)  # 302, 303, then 200
    assert final.status_code == 200 and final.url == f"{live.url}/releases/0.1.0/{DOC}.ttl"
    assert final.headers["Memento-Datetime"] == "Tue, 01 Dec 2026 00:00:00 GMT"
    graph = Graph().parse(data=final.text, format="turtle")
    assert set(graph.objects(URIRef(CLAIM), MODALITY)) == {URIRef("https://w3id.org/parley/id/modality/agreed")}


def test_the_timemap_and_latest_over_http(live):
    timemap = requests.get(f"{live.url}/timemap/{DOC}", timeout=30)
    assert timemap.headers["Content-Type"].split(";")[0] == "application/link-format"
    assert len(rels(parse_links(timemap.text))["memento"]) == 2
    latest = requests.get(f"{live.url}/releases/latest/{DOC}.ttl", allow_redirects=False, timeout=30)
    assert latest.status_code == 302 and latest.headers["Location"].endswith(f"/releases/0.2.0/{DOC}.ttl")


@pytest.mark.parametrize(("version", "answer"), [("0.1.0", False), ("0.2.0", True)])
def test_release_sparql_over_http(live, version, answer):
    response = requests.post(
        f"{live.url}/releases/{version}/sparql",
        data={"query": ASK_PROMISED},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text[:300]
    assert response.json()["boolean"] is answer


@pytest.mark.parametrize("name", ["parley.nq.gz", "parley.trig.gz", "parley.jsonld.gz", "SHA256SUMS"])
def test_the_made_downloads_are_served_as_released(live, released, name):
    response = requests.get(f"{live.url}/releases/0.1.0/dumps/{name}", timeout=30)
    assert response.status_code == 200
    assert response.content == (released / "0.1.0" / "dumps" / name).read_bytes()


def test_serve_refuses_a_release_whose_committed_text_changed(two_builds, released, tmp_path):
    shutil.copytree(two_builds[1], tmp_path / "build")
    shutil.copytree(released, tmp_path / "releases")
    changed = tmp_path / "releases" / "0.2.0" / "void.ttl"
    changed.write_text(changed.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result = parley("serve", "--port", str(free_port()), cwd=tmp_path, timeout=60)
    assert result.returncode == 2, str(result)
    assert result.stderr.startswith(f"Error: {changed}: changed since the release"), str(result)
    assert "git checkout -- " in result.stderr and "Traceback" not in result.stderr, str(result)
