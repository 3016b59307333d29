"""Dereferencing: 303s from /id/ and /graph/, /doc/ negotiation and extensions, Vary, Link,
ETag/Last-Modified with 304s, HEAD, 404s and 406s in the one error shape, host mapping, and
input that tries to break out of a SPARQL IRI."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from werkzeug.http import http_date

from graph.namespaces import BASE
from tests.helpers import assert_error_shape
from tests.pages.conftest import CLAIM, PERSON, build_time

RDF_PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}
MEDIA = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
}


@pytest.mark.parametrize(
    "accept, ext",
    [
        ("text/html", "html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdf"),
        ("application/n-triples", "nt"),
        ("text/turtle;q=0.5, application/ld+json", "jsonld"),
        ("application/rdf+xml, */*;q=0.1", "rdf"),
        ("text/plain, */*;q=0.1", "nt"),
        ("text/n3", "ttl"),
        ("*/*", "html"),
        (None, "html"),
    ],
)
def test_id_answers_303_to_the_typed_document_accept_prefers(client, accept, ext):
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get(f"/id/{PERSON}", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/doc/{PERSON}.{ext}")
    assert "Accept" in response.headers["Vary"]
    assert f'</doc/{PERSON}.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]


def test_named_graph_iri_answers_303_to_its_document(client):
    response = client.get("/graph/world", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/graph/world.ttl")
    page = client.get("/doc/graph/world.html")
    assert page.status_code == 200
    assert "Contents of this graph" in page.get_data(as_text=True)


@pytest.mark.parametrize("ext", list(MEDIA))
def test_every_extension_serves_its_media_type_with_links_to_every_twin(client, mini_build, ext):
    response = client.get(f"/doc/{PERSON}.{ext}")
    assert response.status_code == 200
    assert response.mimetype == MEDIA[ext]
    link = response.headers["Link"]
    for other, media in MEDIA.items():
        assert f'</doc/{PERSON}.{other}>; rel="alternate"; type="{media}"' in link
    # not negotiated on Accept (it does vary on Accept-Datetime: every /doc/ path is a TimeGate)
    assert "accept" not in {v.strip().lower() for v in response.headers.get("Vary", "").split(",")}
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"] == http_date(build_time(mini_build))


# rdflib's own JSON-LD parser builds a ConjunctiveGraph internally and warns about it.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("ext", list(RDF_PARSERS))
def test_rdflib_parses_every_rdf_representation_and_finds_the_html_twin(client, ext):
    response = client.get(f"/doc/{PERSON}.{ext}")
    graph = Graph()
    graph.parse(data=response.get_data(as_text=True), format=RDF_PARSERS[ext])
    person = URIRef(BASE + "id/" + PERSON)
    assert (person, None, None) in graph
    html_twin = URIRef(BASE + "doc/" + PERSON + ".html")
    doc = URIRef(BASE + "doc/" + PERSON)
    assert (doc, URIRef("http://purl.org/dc/terms/hasFormat"), html_twin) in graph
    assert (doc, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), person) in graph
    # the triples pointing at the person are part of its description
    assert (None, None, person) in graph


def test_claim_description_includes_quantity_and_evidence_nodes(client):
    graph = Graph().parse(data=client.get(f"/doc/{CLAIM}.ttl").get_data(as_text=True), format="turtle")
    quantity = URIRef(BASE + "id/" + CLAIM + "#quantity")
    assert (quantity, URIRef("https://w3id.org/parley/ontology#figure"), None) in graph
    quote = URIRef(BASE + "id/evidence/003-bodies-total-to-date#quote")
    position = URIRef(BASE + "id/evidence/003-bodies-total-to-date#position")
    assert (quote, URIRef("http://www.w3.org/ns/oa#exact"), None) in graph
    assert (position, URIRef("http://www.w3.org/ns/oa#start"), None) in graph


def test_html_page_links_its_rdf_twins(client):
    html = client.get(f"/doc/{PERSON}.html").get_data(as_text=True)
    for ext, media in MEDIA.items():
        if ext != "html":
            assert f'<link rel="alternate" type="{media}" href="/doc/{PERSON}.{ext}">' in html


@pytest.mark.parametrize(
    "accept, media",
    [
        ("text/html", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
    ],
)
def test_doc_without_extension_negotiates_and_varies_on_accept(client, accept, media):
    response = client.get(f"/doc/{PERSON}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media
    assert "Accept" in response.headers["Vary"]
    ext = {v: k for k, v in MEDIA.items()}[media]
    assert response.headers["Content-Location"] == f"/doc/{PERSON}.{ext}"


@pytest.mark.parametrize("path", [f"/id/{PERSON}", f"/doc/{PERSON}", "/ontology", "/void"])
def test_unacceptable_accept_is_406_in_the_error_shape(client, path):
    response = client.get(path, headers={"Accept": "image/png"})
    assert_error_shape(response, 406)
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    "path",
    [
        "/id/person/nobody-at-all",
        "/doc/person/nobody-at-all.ttl",
        "/doc/person/nobody-at-all",
        f"/doc/{PERSON}.exe",
        "/graph/nowhere",
        "/id/",
        "/doc/person/Not_A Slug",
        "/id/person/../person/x",
    ],
)
def test_unknown_resources_are_404_in_the_error_shape(client, path):
    assert_error_shape(client.get(path, headers={"Accept": "application/json"}), 404)


def test_404_for_a_browser_is_an_html_page(client):
    response = client.get("/id/person/nobody-at-all", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Not Found" in response.get_data(as_text=True)


def _quads(app) -> int:
    rows = app.extensions["parley_site"].store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0]["n"].value)


INJECTIONS = [
    "> } DROP ALL #",
    "person/x> } DROP ALL #",
    "person/x%3E%20%7D%20DROP%20ALL%20%23",
    "person/x%3E%20%7D%20;%20INSERT%20DATA%20%7B%20%3Ca%3E%20%3Cb%3E%20%3Cc%3E%20%7D%20%23",
    'person/x" . } #',
    "person/x\\u003e",
]


@pytest.mark.parametrize("prefix", ["/id/", "/doc/", "/graph/", "/doc/graph/"])
@pytest.mark.parametrize("payload", INJECTIONS)
def test_iri_injection_is_a_404_and_leaves_the_store_intact(client, app, prefix, payload):
    before = _quads(app)
    response = client.get(prefix + payload, headers={"Accept": "application/json"})
    assert_error_shape(response, 404)
    assert _quads(app) == before
    assert client.get(f"/doc/{PERSON}.ttl").status_code == 200


@pytest.mark.parametrize("payload", ["> } DROP ALL #", "parley:Person> } DROP ALL #", "nope:Thing", "parley:"])
def test_type_list_rejects_injection_and_unknown_curies(client, payload):
    assert_error_shape(client.get("/types/" + payload, headers={"Accept": "application/json"}), 404)


def test_host_is_mapped_to_the_canonical_base(client):
    for host in ("127.0.0.1:8000", "example.org", "parley.local:5000"):
        response = client.get(f"/doc/{PERSON}.ttl", base_url=f"http://{host}")
        graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
        assert (URIRef(BASE + "id/" + PERSON), None, None) in graph
        assert host not in response.get_data(as_text=True)
        redirect = client.get(f"/id/{PERSON}", base_url=f"http://{host}", headers={"Accept": "text/turtle"})
        assert redirect.status_code == 303


@pytest.mark.parametrize(
    "path",
    [
        f"/doc/{PERSON}.html",
        f"/doc/{PERSON}.ttl",
        f"/doc/{PERSON}",
        "/",
        "/timeline",
        "/ontology",
        "/shapes",
        "/void",
        "/validation",
    ],
)
def test_etag_and_last_modified_give_304(client, path):
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    stale = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    older = client.get(path, headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert older.status_code == 200


def test_if_none_match_wins_over_if_modified_since(client):
    first = client.get(f"/doc/{PERSON}.ttl")
    response = client.get(
        f"/doc/{PERSON}.ttl", headers={"If-None-Match": '"other"', "If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert response.status_code == 200


def test_negotiated_304_keeps_vary(client):
    first = client.get(f"/doc/{PERSON}", headers={"Accept": "text/turtle"})
    again = client.get(f"/doc/{PERSON}", headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "Accept" in again.headers["Vary"]


def test_representations_have_distinct_etags(client):
    tags = {client.get(f"/doc/{PERSON}.{ext}").headers["ETag"] for ext in MEDIA}
    assert len(tags) == len(MEDIA)


@pytest.mark.parametrize("path", [f"/doc/{PERSON}.html", f"/doc/{PERSON}.ttl", "/", "/ontology"])
def test_head_has_the_headers_of_get_and_no_body(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == 200
    assert head.get_data() == b""
    for header in ("Content-Type", "ETag", "Last-Modified"):
        assert head.headers[header] == get.headers[header]


def test_head_on_id_is_303(client):
    response = client.head(f"/id/{PERSON}", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(".ttl")
