"""FAIR Signposting over the mini build: every landing page's ``Link`` header, parsed strictly
(RFC 8288), carries cite-as, describedby with media types, type, license and linkset (and item
for a dataset, collection for what belongs to it); each linkset, fetched over real HTTP with
requests, holds the same links with their anchor (and a resource's schema.org class), as RFC 9264 lays out ``application/linkset``
and ``application/linkset+json``. Release pages and versioned cite-as: tests/releases/test_feed.py."""

from __future__ import annotations

import json

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from graph.namespaces import BASE, DATASET
from parley.live import serve_app
from tests.pages.conftest import PERSON, fetch
from tests.releases.test_memento import parse_links

HOST = "http://localhost"
#: landing page -> (the IRI it is cited as, schema.org types it has)
LANDING = {
    "/": (str(DATASET), {"https://schema.org/Dataset"}),
    "/void": (str(DATASET), {"https://schema.org/Dataset"}),
    "/shapes": (BASE + "shapes", {"https://schema.org/Dataset"}),
    f"/doc/{PERSON}": (BASE + f"id/{PERSON}", {"https://schema.org/AboutPage"}),
    f"/doc/{PERSON}.ttl": (BASE + f"id/{PERSON}", {"https://schema.org/AboutPage"}),
}
#: what a linkset adds to its page's header: the schema.org type of the resource's class, which
#: the header leaves out so that a revalidation runs no store query (tests/pages/test_hot_path.py)
LINKSET_ONLY = {f"/doc/{PERSON}": {("https://schema.org/Person", "type", None)}}


def by_rel(links) -> dict[str, list[tuple[str, dict]]]:
    out: dict[str, list[tuple[str, dict]]] = {}
    for uri, params in links:
        for rel in params.get("rel", "").split():
            out.setdefault(rel, []).append((uri, params))
    return out


def stated_licence(mini_build) -> str:
    void = Graph().parse(mini_build / "void.ttl", format="turtle")
    return str(void.value(DATASET, DCTERMS.license))


@pytest.mark.parametrize("path", sorted(LANDING))
def test_every_landing_page_signposts_level_one(client, mini_build, path):
    response = fetch(client, path)
    assert response.status_code == 200
    links = by_rel(parse_links(response.headers["Link"]))
    cite, types = LANDING[path]
    assert [uri for uri, _ in links["cite-as"]] == [cite]
    assert {uri for uri, _ in links["type"]} == types
    assert [uri for uri, _ in links["license"]] == [stated_licence(mini_build)]
    described = {params["type"] for _, params in links["describedby"]}
    assert "text/turtle" in described and all(uri.startswith(HOST + "/") for uri, _ in links["describedby"])
    assert {params["type"] for _, params in links["linkset"]} == {"application/linkset", "application/linkset+json"}
    if path in ("/", "/void"):
        items = {uri.rsplit("/", 1)[1] for uri, _ in links["item"]}
        assert items == {"parley.nq.gz", "parley.trig.gz", "parley.ttl.gz", "parley.jsonld.gz"}
    else:
        assert [uri for uri, _ in links["collection"]] == [HOST + "/dataset"]


def test_the_ontology_is_cited_by_its_version_iri(client):
    response = fetch(client, "/ontology")
    (cite,) = by_rel(parse_links(response.headers["Link"]))["cite-as"]
    ontology = Graph().parse(data=fetch(client, "/ontology.ttl").get_data(as_text=True), format="turtle")
    assert cite[0] == str(ontology.value(URIRef(BASE + "ontology"), URIRef("http://www.w3.org/2002/07/owl#versionIRI")))


def test_the_dataset_iri_signposts_on_its_303(client):
    response = fetch(client, "/dataset")
    assert response.status_code == 303
    assert by_rel(parse_links(response.headers["Link"]))["cite-as"][0][0] == str(DATASET)


def test_the_header_stays_small_and_names_no_link_twice(client):
    for path in LANDING:
        links = parse_links(fetch(client, path).headers["Link"])
        assert len(fetch(client, path).headers["Link"]) < 4096, path
        assert len(links) == len({(uri, p.get("rel"), p.get("type")) for uri, p in links}), path


def _linkset_json(body: dict, anchor: str) -> dict:
    """Check RFC 9264 section 4.2's shape: one member ``linkset``, an array of context objects
    each with an ``anchor`` and arrays of target objects that each have an ``href``."""
    assert set(body) == {"linkset"} and isinstance(body["linkset"], list)
    (context,) = body["linkset"]
    assert context["anchor"] == anchor
    for rel, targets in context.items():
        if rel == "anchor":
            continue
        assert isinstance(targets, list) and targets, rel
        for target in targets:
            assert isinstance(target, dict) and isinstance(target["href"], str), (rel, target)
            assert set(target) <= {"href", "type", "title", "hreflang", "media"}, target
    return context


@pytest.fixture(scope="module")
def served(mini_build):
    from tests.helpers import close_app, make_app

    app = make_app(mini_build)
    try:
        with serve_app(app) as url:
            yield url
    finally:
        close_app(app)


@pytest.mark.parametrize("path", ["/", "/void", "/ontology", "/shapes", f"/doc/{PERSON}"])
def test_each_linkset_over_http_holds_the_header_links(served, path):
    page = requests.get(served + path, timeout=30)
    header = [(uri, p) for uri, p in parse_links(page.headers["Link"]) if p["rel"] not in ("alternate", "linkset")]
    header = [(uri, p) for uri, p in header if "timegate" not in p["rel"] and p["rel"] != "timemap"]
    (linkset_url,) = {uri for uri, p in parse_links(page.headers["Link"]) if p["rel"] == "linkset"}
    anchor = served + path.removesuffix(".ttl")

    as_json = requests.get(linkset_url, headers={"Accept": "application/linkset+json"}, timeout=30)
    assert as_json.status_code == 200 and as_json.headers["Content-Type"].startswith("application/linkset+json")
    context = _linkset_json(json.loads(as_json.text), anchor)
    from_json = {(t["href"], rel, t.get("type")) for rel, ts in context.items() if rel != "anchor" for t in ts}
    assert from_json == {(uri, p["rel"], p.get("type")) for uri, p in header} | LINKSET_ONLY.get(path, set())

    as_text = requests.get(linkset_url, headers={"Accept": "application/linkset"}, timeout=30)
    assert as_text.headers["Content-Type"].startswith("application/linkset")
    from_text = parse_links(as_text.text)
    assert all(p["anchor"] == anchor for _, p in from_text)
    assert {(uri, p["rel"], p.get("type")) for uri, p in from_text} == from_json

    headers = {"Accept": "application/linkset+json", "If-None-Match": as_json.headers["ETag"]}
    assert requests.get(linkset_url, headers=headers, timeout=30).status_code == 304


def test_a_linkset_of_no_landing_page_is_a_404(client):
    for path in ("/linkset/nothing", f"/linkset/doc/{PERSON}-missing", "/linkset/releases/9.9.9/"):
        assert fetch(client, path, headers={"Accept": "application/linkset"}).status_code == 404, path
