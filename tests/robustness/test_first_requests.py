"""A freshly started ``parley serve`` answers its first concurrent page requests: no worker
makes anything for the whole graph on its first page (labels are looked up per IRI), so eight
pages asked at once, for eight different resources, right after the server answers, all come
back whole."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph

from graph.namespaces import BASE

from .conftest import start_parley

pytestmark = pytest.mark.integration

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _resources(build, count: int) -> list[str]:
    """``count`` paths below /doc/ of typed resources of the build, of as many kinds as there are."""
    store = ox.Store.read_only(str(build / "store"))
    by_kind: dict[str, list[str]] = {}
    for quad in store.quads_for_pattern(None, RDF_TYPE, None, None):
        iri = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
        if iri.startswith(BASE + "id/") and "#" not in iri:
            path = iri[len(BASE + "id/") :]
            by_kind.setdefault(path.split("/", 1)[0], []).append(path)
    del store
    lists = [sorted(set(paths)) for _, paths in sorted(by_kind.items())]
    picked: list[str] = []
    while len(picked) < count and any(lists):
        for paths in lists:
            if paths and len(picked) < count:
                picked.append(paths.pop(0))
    assert len(picked) == count, f"the build has only {len(picked)} typed resources"
    return picked


def test_a_fresh_server_answers_eight_concurrent_pages_whole(project):
    paths = _resources(project / "build", 8)
    running = start_parley(project).wait_ready()
    try:
        urls = [f"{running.url}/doc/{path}.{'html' if i % 2 == 0 else 'ttl'}" for i, path in enumerate(paths)]
        with ThreadPoolExecutor(len(urls)) as pool:
            answers = list(pool.map(lambda url: requests.get(url, timeout=60), urls))
        for url, answer in zip(urls, answers, strict=True):
            assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
            subject = BASE + "id/" + url.rsplit("/doc/", 1)[1].rsplit(".", 1)[0]
            if url.endswith(".html"):
                assert answer.text.rstrip().endswith("</html>"), url
                assert subject in answer.text, url
            else:
                graph = Graph().parse(data=answer.text, format="turtle")
                assert any(str(s) == subject for s in graph.subjects()), url
    finally:
        running.stop()
