"""The published artefacts: ontology (negotiated, versioned, anchored), shapes, VoID, the
validation report, the dumps (listing, checksums, gzip handling, ranges, ETags) and the query
page with its canned queries."""

from __future__ import annotations

import gzip
import hashlib
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from graph.namespaces import BASE, PARLEY, PREFIXES
from server.data.canned import QUERIES_DIR, load_examples
from tests.helpers import assert_error_shape
from tests.pages.conftest import CLAIM, canned_query_text, fetch

ONTOLOGY_MEDIA = {
    "ttl": ("text/turtle", "turtle"),
    "rdf": ("application/rdf+xml", "xml"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
}


# rdflib's own JSON-LD parser builds a ConjunctiveGraph internally and warns about it.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("ext", list(ONTOLOGY_MEDIA))
def test_ontology_in_every_rdf_syntax_by_accept_and_extension(client, ext):
    media, parser = ONTOLOGY_MEDIA[ext]
    for response in (client.get("/ontology", headers={"Accept": media}), client.get(f"/ontology.{ext}")):
        assert response.status_code == 200 and response.mimetype == media
        graph = Graph().parse(data=response.get_data(as_text=True), format=parser)
        assert (URIRef(BASE + "ontology"), RDF.type, OWL.Ontology) in graph
        assert (PARLEY.Claim, RDF.type, OWL.Class) in graph
    negotiated = client.get("/ontology", headers={"Accept": media})
    assert "Accept" in negotiated.headers["Vary"]


def test_ontology_html_documents_every_term_with_an_anchor(client):
    response = client.get("/ontology", headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    ids = set(re.findall(r'id="([^"]+)"', html))
    graph = Graph().parse(data=client.get("/ontology.ttl").get_data(as_text=True), format="turtle")
    ns = str(PARLEY)
    terms = {str(s)[len(ns) :] for s in graph.subjects(RDF.type, None) if str(s).startswith(ns)}
    assert terms and terms <= ids, sorted(terms - ids)
    assert "One transfer of prisoners of war" in html  # a definition
    assert 'href="#Claim"' in html  # domains and ranges link within the page
    assert "scheme-measure" in ids and "bodies received by Ukraine" in html
    assert "https://w3id.org/parley/ontology/0.1.0" in html


def test_resource_pages_link_types_to_ontology_anchors(client):
    html = client.get(f"/doc/{CLAIM}.html").get_data(as_text=True)
    assert 'href="/ontology#Claim"' in html and 'href="/ontology#figure"' in html


def test_ontology_version_iri_path(client):
    response = client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert (URIRef(BASE + "ontology"), OWL.versionIRI, URIRef(BASE + "ontology/0.1.0")) in Graph().parse(
        data=response.get_data(as_text=True), format="turtle"
    )
    assert client.get("/ontology/0.1.0.ttl").mimetype == "text/turtle"
    assert client.get("/ontology/0.1.0", headers={"Accept": "text/html"}).mimetype == "text/html"
    assert_error_shape(client.get("/ontology/9.9.9", headers={"Accept": "application/json"}), 404)
    assert_error_shape(client.get("/ontology.exe", headers={"Accept": "application/json"}), 404)


def test_shapes_as_turtle_and_html(client):
    ttl = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert ttl.mimetype == "text/turtle"
    assert "Accept" in ttl.headers["Vary"]
    graph = Graph().parse(data=ttl.get_data(as_text=True), format="turtle")
    assert len(graph) > 0
    html = client.get("/shapes", headers={"Accept": "text/html"}).get_data(as_text=True)
    # a shape by its name (shapes/parley.ttl gives shapes no label), its anchor and a property
    # constraint's message
    assert "<h2>ClaimShape</h2>" in html and 'id="ClaimShape"' in html
    assert "A claim is reported in exactly one parley:Article" in html


@pytest.mark.parametrize("path", ["/.well-known/void", "/void"])
def test_void_as_turtle_and_html(client, path):
    ttl = client.get(path, headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and ttl.mimetype == "text/turtle"
    graph = Graph().parse(data=ttl.get_data(as_text=True), format="turtle")
    assert (URIRef(BASE + "dataset"), None, None) in graph
    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Dataset description" in html and ">triples</a>" not in html or "triples" in html


def test_dataset_iri_redirects_to_void(client):
    response = client.get("/dataset")
    assert response.status_code == 303 and response.headers["Location"].endswith("/void")


def test_validation_report_summary_and_turtle(client):
    html = client.get("/validation", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "The data conforms" in html
    assert "1 result: 1 Warning" in html
    assert "An exchange round has no date, start date or end date" in html
    assert 'href="/id/exchange/2000-05-05-bodies"' in html  # the mini fixture's one undated exchange
    ttl = client.get("/validation.ttl")
    assert ttl.mimetype == "text/turtle"
    Graph().parse(data=ttl.get_data(as_text=True), format="turtle")


def test_missing_build_file_is_a_404(app, client, tmp_path):
    site = app.extensions["parley_site"]
    site.build_dir = tmp_path  # a build directory without void.ttl, validation.ttl or dumps
    for path in ("/void", "/validation", "/shapes", "/dumps/"):
        assert_error_shape(client.get(path, headers={"Accept": "application/json, text/turtle;q=0.5"}), 404)


# ---------------------------------------------------------------------------------------
# Dumps


def _sums(mini_build):
    return dict(reversed(line.split("  ")) for line in (mini_build / "dumps" / "SHA256SUMS").read_text().splitlines())


def test_dump_listing_shows_sizes_and_checksums(client, mini_build):
    html = fetch(client, "/dumps/", headers={"Accept": "text/html"}).get_data(as_text=True)
    for name, digest in _sums(mini_build).items():
        assert f'href="/dumps/{name}"' in html
        assert digest in html
        size = (mini_build / "dumps" / name).stat().st_size
        assert f"{size:,}" in html
    text = fetch(client, "/dumps/", headers={"Accept": "text/plain"})
    assert (
        text.mimetype == "text/plain"
        and text.get_data(as_text=True) == (mini_build / "dumps" / "SHA256SUMS").read_text()
    )


@pytest.mark.parametrize("name", ["parley.nq.gz", "parley.trig.gz", "parley.ttl.gz", "parley.jsonld.gz"])
def test_gzipped_dumps_are_served_byte_for_byte_as_application_gzip(client, mini_build, name):
    response = fetch(client, f"/dumps/{name}")
    assert response.status_code == 200
    assert response.mimetype == "application/gzip"
    assert "Content-Encoding" not in response.headers
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert hashlib.sha256(body).hexdigest() == _sums(mini_build)[name]
    assert gzip.decompress(body)
    assert response.headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    "name, media, parser",
    [
        ("parley.ttl", "text/turtle", ox.RdfFormat.TURTLE),
        ("parley.nq", "application/n-quads", ox.RdfFormat.N_QUADS),
        ("parley.trig", "application/trig", ox.RdfFormat.TRIG),
        ("parley.jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_dump_without_gz_is_served_decompressed_with_its_rdf_type(client, mini_build, name, media, parser):
    response = fetch(client, f"/dumps/{name}")
    assert response.status_code == 200 and response.mimetype == media
    body = response.get_data()
    assert body == gzip.decompress((mini_build / "dumps" / f"{name}.gz").read_bytes())
    assert list(ox.parse(body, format=parser))
    again = fetch(client, f"/dumps/{name}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_plain_files_have_their_types(client):
    assert fetch(client, "/dumps/ontology.ttl").mimetype == "text/turtle"
    assert fetch(client, "/dumps/shapes.ttl").mimetype == "text/turtle"
    assert fetch(client, "/dumps/SHA256SUMS").mimetype == "text/plain"


def test_dump_range_requests_and_etags(client, mini_build):
    full = (mini_build / "dumps" / "parley.nq.gz").read_bytes()
    part = fetch(client, "/dumps/parley.nq.gz", headers={"Range": "bytes=10-99"})
    assert part.status_code == 206
    assert part.get_data() == full[10:100]
    assert part.headers["Content-Range"] == f"bytes 10-99/{len(full)}"
    first = fetch(client, "/dumps/parley.nq.gz")
    assert fetch(client, "/dumps/parley.nq.gz", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    head = fetch(client, "/dumps/parley.nq.gz", method="HEAD")
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(full)


@pytest.mark.parametrize("name", ["nothing.ttl.gz", "..%2Fvoid.ttl", "../void.ttl", ".hidden", "parley.exe"])
def test_unknown_or_escaping_dump_names_are_404(client, name):
    response = fetch(client, f"/dumps/{name}", headers={"Accept": "application/json"})
    assert response.status_code == 404
    if response.mimetype == "application/json":
        assert_error_shape(response, 404)


# ---------------------------------------------------------------------------------------
# Query page


def test_query_page_is_the_endpoint_query_page(app, client):
    assert "query_page.query_page" in app.view_functions
    html = client.get("/query").get_data(as_text=True)
    assert '<form id="query-form" method="get" action="/sparql"' in html
    assert '<textarea id="query" name="query"' in html
    for prefix, ns in PREFIXES.items():
        assert f"PREFIX {prefix}: &lt;{ns}&gt;" in html


def test_sparql_shows_the_query_page_to_a_browser_without_a_query(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert 'id="query-form"' in response.get_data(as_text=True)


def test_query_page_lists_examples_and_prefills_one_without_javascript(client):
    html = client.get("/query").get_data(as_text=True)
    examples = load_examples()
    assert len(examples) >= 5
    for example in examples:
        assert f'href="/query?example={example["name"]}"' in html
    chosen = client.get("/query?example=01-delegation-heads").get_data(as_text=True)
    assert "parley:headedBy" in chosen
    assert_error_shape(client.get("/query?example=../../etc", headers={"Accept": "application/json"}), 404)


@pytest.mark.parametrize("example", sorted(p.stem for p in QUERIES_DIR.glob("*.rq")))
def test_canned_queries_run_and_answer_on_the_mini_build(app, example):
    text = canned_query_text(QUERIES_DIR / f"{example}.rq")
    rows = list(app.extensions["parley_site"].store.query(text))
    assert rows, f"{example} returned no rows on the mini build"


def test_plain_form_query_reaches_the_endpoint(client):
    """What the no-JavaScript form sends: GET /sparql?query=...&format=json."""
    query = load_examples()[0]["text"]
    response = client.get("/sparql", query_string={"query": query, "format": "json"})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert response.get_json()["results"]["bindings"]
