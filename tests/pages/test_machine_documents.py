"""Machine documents that read well, and the small page fixes of issue 10 (part 6), against the
real app over the mini build: Turtle grouped by subject with only the prefixes it uses and no
escaped slashes, the same graph as the N-Triples document; JSON-LD compacted against the
published /context.jsonld, which expands (rdflib, and pyld, a JSON-LD processor) to that graph
again (each document carries the part of the context it uses); the context itself; the favicon; HTML error pages with the site's navigation; thousands
separators; CURIEs only where they are valid prefixed names; the query page's permalinks."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from server.views.context import CONTEXT_IRI
from server.views.terms import curie, thousands
from tests.pages.conftest import ARTICLE, CLAIM, DELEGATION, PERSON, fetch

pytestmark = [
    # rdflib 7.6's own JSON-LD parser builds a ConjunctiveGraph internally and warns about it
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

DOCS = [PERSON, CLAIM, ARTICLE, DELEGATION, "graph/world"]


def _nt_graph(client, doc: str) -> Graph:
    response = fetch(client, f"/doc/{doc}.nt")
    assert response.status_code == 200
    return Graph().parse(data=response.get_data(as_text=True), format="nt")


def _context(client) -> dict:
    response = fetch(client, "/context.jsonld")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


@pytest.mark.parametrize("doc", DOCS)
def test_turtle_is_the_same_graph_grouped_by_subject_with_only_the_prefixes_it_uses(client, doc):
    response = fetch(client, f"/doc/{doc}.ttl")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    text = response.get_data(as_text=True)
    assert "\\/" not in text  # no escaped slash anywhere (pid:person\/... was what pyoxigraph wrote)
    graph = Graph().parse(data=text, format="turtle")
    assert isomorphic(graph, _nt_graph(client, doc))
    declared = re.findall(r"^@prefix (\w*): <[^>]+> \.$", text, re.M)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    for prefix in declared:
        assert re.search(rf"(?<![\w<\"]){prefix}:", body), f"@prefix {prefix}: is declared but not used"
    # every subject starts one block (blocks are separated by a blank line), once
    starts = [block.split(None, 1)[0] for block in body.strip().split("\n\n")]
    assert len(starts) == len(set(starts)), "a subject is written in more than one place"
    assert len(set(starts)) == len({s for s in graph.subjects()})


@pytest.mark.parametrize("doc", DOCS)
def test_jsonld_is_compacted_against_the_published_context_and_expands_to_the_same_graph(client, doc):
    response = fetch(client, f"/doc/{doc}.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/ld+json"
    document = json.loads(response.get_data(as_text=True))
    published = _context(client)["@context"]
    embedded = document["@context"]
    # the part of the published context the document uses, no more, nothing else
    assert embedded and all(published[name] == value for name, value in embedded.items())
    assert set(published) - set(embedded), "the whole context was embedded"
    body = json.dumps({k: v for k, v in document.items() if k != "@context"})
    assert "https://w3id.org/parley/ontology#" not in body  # every Parley property is a term or parley:...
    graph = Graph().parse(data=response.get_data(as_text=True), format="json-ld")
    assert isomorphic(graph, _nt_graph(client, doc))


def test_pyld_reads_a_claim_document_through_the_published_context_by_its_iri(client):
    pyld = pytest.importorskip("pyld")
    from pyld import jsonld

    context = _context(client)

    def loader(url, options=None):
        assert url == CONTEXT_IRI, url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    document = json.loads(fetch(client, f"/doc/{CLAIM}.jsonld").get_data(as_text=True))
    assert "possiblyConflictsWith" in json.dumps(document)  # compacted: the ontology's own term names
    # read through the published context by its IRI, as a processor that is handed the
    # document's graph and the site's context would (the loader serves it from this app)
    document["@context"] = CONTEXT_IRI
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    assert pyld is not None
    graph = Graph().parse(data=nquads, format="nt")
    assert isomorphic(graph, _nt_graph(client, CLAIM))


def test_the_context_is_derived_from_the_ontology_and_served_with_validators(client):
    response = fetch(client, "/context.jsonld")
    assert response.headers["Content-Type"] == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    terms = json.loads(response.get_data(as_text=True))["@context"]
    assert terms["parley"] == "https://w3id.org/parley/ontology#"
    assert terms["headedBy"] == {"@id": "parley:headedBy", "@type": "@id"}  # an object property
    assert terms["startDate"] == {"@id": "parley:startDate", "@type": "xsd:date"}  # a datatype property
    for name in ("asOf", "date"):  # a day, a month or a year: each value says its own type
        assert terms[name] == f"parley:{name}"
    assert "pid" in terms and "foaf" in terms
    etag = response.headers["ETag"]
    again = fetch(client, "/context.jsonld", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_favicon_is_an_svg_linked_from_every_page_and_favicon_ico_points_at_it(client):
    icon = fetch(client, "/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/svg+xml")
    assert icon.get_data(as_text=True).startswith("<svg ")
    legacy = fetch(client, "/favicon.ico")
    assert legacy.status_code == 301 and legacy.headers["Location"].endswith("/static/favicon.svg")
    for path in ("/", "/query", f"/doc/{PERSON}.html"):
        assert 'rel="icon" href="/static/favicon.svg"' in fetch(client, path).get_data(as_text=True)


def test_an_html_error_page_has_the_site_navigation_and_json_stays_the_error_shape(client):
    response = fetch(client, "/id/person/nobody-at-all", headers={"Accept": "text/html"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<nav aria-label="Site">' in html
    for href in ('href="/"', 'href="/query"', 'href="/types"', 'href="/timeline"'):
        assert href in html
    assert "404 Not Found" in html and "no resource" in html
    plain = fetch(client, "/id/person/nobody-at-all", headers={"Accept": "application/json"})
    assert plain.status_code == 404 and json.loads(plain.get_data(as_text=True))["error"]["status"] == 404


def test_numbers_on_pages_have_thousands_separators(client):
    assert thousands(1012) == "1,012" and thousands("2185") == "2,185" and thousands("1,012") == "1,012"
    assert thousands(7) == "7" and thousands("more than") == "more than" and thousands(None) is None
    home = fetch(client, "/").get_data(as_text=True)
    triples = re.search(r"<dt>triples</dt><dd[^>]*>([^<]+)</dd>", home).group(1)
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", triples), triples  # the mini build has over 1,000


def test_curies_are_only_written_where_they_are_valid_prefixed_names():
    assert curie("https://w3id.org/parley/ontology#Claim") == "parley:Claim"
    assert curie("http://www.w3.org/2001/XMLSchema#date") == "xsd:date"
    # a "/" in the local part is not a prefixed name in Turtle or SPARQL: the IRI in full
    assert curie("https://w3id.org/parley/id/person/rufus-firefly") == "https://w3id.org/parley/id/person/rufus-firefly"
    assert curie("https://w3id.org/parley/id/thing.") == "https://w3id.org/parley/id/thing."


def test_no_page_shows_a_pid_curie_with_a_slash(client):
    for path in ("/", "/types", "/types/parley:Person", "/timeline", f"/doc/{PERSON}.html", f"/doc/{CLAIM}.html"):
        html = fetch(client, path).get_data(as_text=True)
        assert not re.search(r">pid:[\w-]+/", html), path


def test_query_permalink_opens_the_query_to_run_and_the_policy_exception_is_on_query_only(client):
    text = "SELECT ?s WHERE { ?s a parley:Person } LIMIT 3"
    response = fetch(client, "/query?query=" + quote(text))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-run="true"' in html
    assert "SELECT ?s WHERE { ?s a parley:Person } LIMIT 3</textarea>" in html
    assert f'href="/query?query={quote(text, safe="")}"' in html
    assert "'sha256-" in response.headers["Content-Security-Policy"]
    plain = fetch(client, "/query")
    assert 'data-run="true"' not in plain.get_data(as_text=True)
    assert "'sha256-" not in fetch(client, "/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_a_server_error_is_a_logged_500_with_the_site_navigation(app, caplog):
    def broken():
        raise ZeroDivisionError("a bug")

    app.add_url_rule("/broken-for-this-test", view_func=broken)
    response = fetch(app.test_client(), "/broken-for-this-test", headers={"Accept": "text/html"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "500 Internal Server Error" in html and '<nav aria-label="Site">' in html
    assert "a bug" not in html  # the page names no internals
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)  # logged


def test_construct_results_in_turtle_have_no_escaped_slashes_and_only_the_prefixes_used(client):
    construct = "CONSTRUCT { ?p a parley:Person ; rdfs:label ?name } WHERE { ?p a parley:Person ; rdfs:label ?name }"
    answers = {
        fmt: fetch(client, "/sparql?" + f"query={quote(construct)}&format={fmt}").get_data(as_text=True)
        for fmt in ("ttl", "nt")
    }
    turtle = answers["ttl"]
    assert "\\/" not in turtle and "<https://w3id.org/parley/id/person/rufus-firefly>" in turtle
    assert set(re.findall(r"^@prefix (\w*):", turtle, re.M)) == {"parley", "rdfs"}  # used, and no pid:
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(graph) >= 4 and isomorphic(graph, Graph().parse(data=answers["nt"], format="nt"))
