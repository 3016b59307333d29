"""The pages over the real build of the corpus (the session's ``build_dir``): every resource
dereferences and renders, every claim page highlights exactly its quote, the home page's
figures agree with VoID, and every canned query answers."""

from __future__ import annotations

import re
from html import unescape

import pytest
from rdflib import Graph, URIRef

from graph.namespaces import BASE, VOID
from server.data.canned import QUERIES_DIR

_RESOURCES = """SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x }
  FILTER(isIRI(?x) && STRSTARTS(STR(?x), "https://w3id.org/parley/id/") && !CONTAINS(STR(?x), "#")) }"""
_QUOTES = """SELECT ?claim ?exact WHERE { ?claim a parley:Claim ; parley:evidence/oa:hasSelector/oa:exact ?exact }"""


def test_every_resource_dereferences_to_a_page_and_to_turtle(real_app, real_client):
    store = real_app.extensions["parley_site"].store
    resources = [row["x"].value for row in store.select(_RESOURCES)]
    assert len(resources) > 50
    for iri in resources:
        path = iri[len(BASE) - 1 :]
        redirect = real_client.get(path, headers={"Accept": "text/turtle"})
        assert redirect.status_code == 303, path
        turtle = real_client.get(redirect.headers["Location"])
        assert turtle.status_code == 200, path
        graph = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
        assert (URIRef(iri), None, None) in graph or (None, None, URIRef(iri)) in graph, path
        page = real_client.get(path.replace("/id/", "/doc/", 1) + ".html")
        assert page.status_code == 200 and "<h1>" in page.get_data(as_text=True), path


def test_every_claim_page_highlights_its_own_quote(real_app, real_client):
    store = real_app.extensions["parley_site"].store
    rows = store.select(_QUOTES, {})
    assert rows
    for row in rows:
        path = row["claim"].value[len(BASE) - 1 :].replace("/id/", "/doc/", 1) + ".html"
        html = real_client.get(path).get_data(as_text=True)
        current = html[html.index('class="claim current"') :]
        mark = re.search(r"<mark>(.*?)</mark>", current, re.DOTALL)
        assert mark and unescape(mark.group(1)) == row["exact"].value, path


def test_home_figures_agree_with_void(build_dir, real_client):
    void = Graph().parse(build_dir / "void.ttl", format="turtle")
    triples = int(void.value(URIRef(BASE + "dataset"), VOID.triples))
    html = real_client.get("/").get_data(as_text=True)
    assert f'<dt>triples</dt><dd class="num">{triples:,}</dd>' in html  # with thousands separators


def test_person_and_timeline_on_the_real_build(real_client):
    html = real_client.get("/id/person/vladimir-medinsky", follow_redirects=True).get_data(as_text=True)
    assert "<h1>Vladimir Medinsky</h1>" in html
    timeline = real_client.get("/timeline").get_data(as_text=True)
    days = re.findall(r'<p class="when"><time datetime="([0-9-]+)">', timeline)
    assert days and days == sorted(days)


@pytest.mark.parametrize("example", sorted(p.stem for p in QUERIES_DIR.glob("*.rq")))
def test_canned_queries_answer_on_the_real_build(real_app, example):
    store = real_app.extensions["parley_site"].store
    rows = list(store.query((QUERIES_DIR / f"{example}.rq").read_text(encoding="utf-8")))
    assert rows, f"{example} returned no rows on the real build"


def test_a_claim_page_shows_every_speaker_and_a_bounded_date_as_its_range(real_client):
    joint = unescape(
        real_client.get("/id/claim/000-officials-bodies-agreed-total", follow_redirects=True).get_data(as_text=True)
    )
    said_by = re.search(r"<dt>said by</dt><dd>(.*?)</dd>", joint, re.S).group(1)
    assert "Ukraine" in said_by and "Russia" in said_by
    bounded = unescape(
        real_client.get("/id/claim/001-bodies-returned-3600", follow_redirects=True).get_data(as_text=True)
    )
    assert '<dt>as of</dt><dd><span class="date">between 14 and 20 June 2025</span></dd>' in bounded  # in words
    month = unescape(
        real_client.get("/id/claim/003-putin-conditions-abandon-nato", follow_redirects=True).get_data(as_text=True)
    )
    # 'last June': kept to the month, said as a month
    assert '<dt>stated on</dt><dd><time class="date" datetime="2024-06">June 2024</time></dd>' in month
