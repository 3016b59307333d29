"""Serving releases as the graph was: a release's documents, ``/releases/latest``, the "cite
this" block, Memento (RFC 7089) datetime negotiation and TimeMaps, and a release's SPARQL
endpoint, over the two releases of ``conftest.released`` (0.1.0 of the mini build, 0.2.0 with
the claim ``001-prisoners-agreed`` curated from "agreed" to "promised"), served beside the
second build (so the build equals release 0.2.0)."""

from __future__ import annotations

import html
import json
import re
import shutil
from urllib.parse import quote

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from rdflib import Graph, URIRef

from graph.release import release
from server.routes.releases import IMMUTABLE
from tests.helpers import assert_error_shape, close_app, make_app
from tests.releases.conftest import CLAIM

MODALITY = URIRef("https://w3id.org/parley/ontology#modality")
PATH = "id/claim/001-prisoners-agreed"
DOC = "doc/claim/001-prisoners-agreed"
HOST = "http://localhost"
# Release dates (the conftest's): 0.1.0 on 2026-12-01, 0.2.0 on 2026-12-02, both at 00:00 UTC.
FIRST = "Tue, 01 Dec 2026 00:00:00 GMT"
SECOND = "Wed, 02 Dec 2026 00:00:00 GMT"
RFC1123 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$"
)


def parse_links(text: str) -> list[tuple[str, dict[str, str]]]:
    """Parse a Link header or an application/link-format body (RFC 8288 / RFC 6690) strictly:
    ``<uri>; name="value"; ...`` entries separated by commas; anything else fails the test."""
    entry = re.compile(r'\s*<([^>]*)>((?:\s*;\s*[a-z]+="[^"]*")*)\s*(,|$)')
    param = re.compile(r'\s*;\s*([a-z]+)="([^"]*)"')
    links, position = [], 0
    text = text.strip()
    while position < len(text):
        match = entry.match(text, position)
        assert match, f"not link-format at {position}: {text[position : position + 80]!r}"
        links.append((match.group(1), dict(param.findall(match.group(2)))))
        position = match.end()
    return links


def rels(links) -> dict[str, list[str]]:
    """rel value -> the URIs that carry it (a rel attribute may hold several values)."""
    out: dict[str, list[str]] = {}
    for uri, params in links:
        for rel in params.get("rel", "").split():
            out.setdefault(rel, []).append(uri)
    return out


@pytest.fixture
def served(two_builds, released):
    app = make_app(two_builds[1], releases_dir=released)
    yield app.test_client()
    close_app(app)


def modality(client, path: str) -> set[str]:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    return {str(o) for o in graph.objects(URIRef(CLAIM), MODALITY)}


# --- a release's documents ------------------------------------------------------------------


def test_each_release_serves_its_own_documents(served):
    assert modality(served, "/releases/0.1.0/" + DOC) == {"https://w3id.org/parley/id/modality/agreed"}
    assert modality(served, "/releases/0.2.0/" + DOC) == {"https://w3id.org/parley/id/modality/promised"}
    assert modality(served, "/" + DOC) == {"https://w3id.org/parley/id/modality/promised"}


def test_a_release_document_is_negotiated_and_cached_as_immutable(served):
    response = served.get("/releases/0.1.0/" + DOC, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.mimetype == "application/n-triples"
    assert response.headers["Content-Location"] == "/releases/0.1.0/" + DOC + ".nt"
    assert response.headers["Cache-Control"] == IMMUTABLE
    again = served.get("/releases/0.1.0/" + DOC + ".nt", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code in (200, 304)  # a typed path has its own tag
    typed = served.get("/releases/0.1.0/" + DOC + ".nt")
    assert (
        served.get("/releases/0.1.0/" + DOC + ".nt", headers={"If-None-Match": typed.headers["ETag"]}).status_code
        == 304
    )


def test_a_release_identifier_redirects_to_the_release_document(served):
    response = served.get("/releases/0.1.0/" + PATH, headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/releases/0.1.0/" + DOC + ".ttl")
    assert response.headers["Memento-Datetime"] == FIRST


def test_a_release_page_links_within_the_release(served):
    page = served.get("/releases/0.1.0/" + DOC + ".html").get_data(as_text=True)
    assert 'href="/releases/0.1.0/id/' in page
    assert 'href="/id/' not in page


@pytest.mark.parametrize(
    "path",
    [
        "/releases/9.9.9/" + DOC,
        "/releases/0.1.0/doc/claim/nothing-here",
        "/releases/0.1.0/id/%3E%20%7D%20DROP%20ALL%20%23",
    ],
)
def test_unknown_releases_and_resources_are_404(served, path):
    assert_error_shape(served.get(path, headers={"Accept": "application/json"}), 404)


def test_a_release_without_a_store_is_loaded_from_its_dump(released):
    assert not (released / "0.1.0" / "store").exists()  # releases hold dumps only


# --- /releases/latest -----------------------------------------------------------------------


@pytest.mark.parametrize("rest", ["", "void.ttl", DOC, "sparql"])
def test_latest_is_a_302_to_the_newest_release_not_cached(served, rest):
    response = served.get("/releases/latest/" + rest)
    assert response.status_code == 302, response.get_data(as_text=True)[:200]
    assert response.headers["Location"] == "/releases/0.2.0/" + rest
    assert response.headers["Cache-Control"] == "no-cache"


def test_latest_keeps_the_query_string(served):
    response = served.get("/releases/latest/sparql?query=ASK%20%7B%7D")
    assert response.headers["Location"] == "/releases/0.2.0/sparql?query=ASK%20%7B%7D"


def test_before_the_first_release_latest_is_the_build(mini_build, tmp_path):
    app = make_app(mini_build, releases_dir=tmp_path / "none")
    try:
        client = app.test_client()
        assert client.get("/releases/latest/" + DOC).headers["Location"] == "/" + DOC
        assert_error_shape(client.get("/releases/latest/void.ttl", headers={"Accept": "application/json"}), 404)
    finally:
        close_app(app)


# --- "cite this" -----------------------------------------------------------------------------


def _block(page: str, cls: str) -> str:
    found = re.search(rf'<pre class="{cls}" id="{cls}"[^>]*>(.*?)</pre>', page, re.S)
    assert found, f"no {cls} block in the page"
    return html.unescape(found.group(1))


def test_a_page_of_the_build_says_it_equals_the_release_and_cites_it(served):
    page = served.get("/" + DOC + ".html").get_data(as_text=True)
    assert "The served build is release" in page and 'href="/releases/0.2.0/"' in page
    versioned = "https://w3id.org/parley/releases/0.2.0/" + PATH
    assert f"<code>{versioned}</code>" in page
    assert re.search(
        r'<p class="citation">[^<]*\(2026\)\. [^<]*\[Dataset\]\. In [^<]*\(Version 0.2.0\)\. ' + re.escape(versioned),
        page,
    )


def test_the_citation_reads_back_in_bibtex_ris_and_csl_json(served):
    page = served.get("/" + DOC + ".html").get_data(as_text=True)
    versioned = "https://w3id.org/parley/releases/0.2.0/" + PATH
    bib = bibtexparser.parse_string(_block(page, "bibtex"), append_middleware=[LatexDecodingMiddleware()])
    (entry,) = bib.entries
    assert entry.key == "parley-0-2-0-001-prisoners-agreed" and entry.entry_type == "misc"
    assert entry["url"] == versioned and entry["version"] == "0.2.0" and entry["year"] == "2026"
    (record,) = rispy.loads(_block(page, "ris"))
    assert record["type_of_reference"] == "DATA" and record["urls"] == [versioned] and record["edition"] == "0.2.0"
    (item,) = json.loads(_block(page, "csl-json"))
    assert item["type"] == "dataset" and item["URL"] == versioned and item["version"] == "0.2.0"
    assert item["issued"]["date-parts"][0][0] == 2026
    assert record["title"] == item["title"] == entry["title"]


def test_citation_meta_tags_name_the_title_author_date_and_versioned_page(served):
    page = served.get("/" + DOC + ".html").get_data(as_text=True)
    head = page[: page.index("</head>")]
    meta = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', head)
    names = [name for name, _ in meta]
    for name in ("citation_title", "citation_author", "citation_publication_date", "citation_fulltext_html_url"):
        assert name in names, f"no {name} in {meta}"
    assert dict(meta)["citation_fulltext_html_url"] == "https://w3id.org/parley/releases/0.2.0/" + PATH
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", dict(meta)["citation_publication_date"])


def test_a_page_of_an_unreleased_build_says_which_release_it_follows(two_builds, released, tmp_path):
    releases_dir = tmp_path / "releases"
    shutil.copytree(released / "0.1.0", releases_dir / "0.1.0")
    app = make_app(two_builds[1], releases_dir=releases_dir)  # the changed build, only 0.1.0 released
    try:
        page = app.test_client().get("/" + DOC + ".html").get_data(as_text=True)
        assert "The served build is unreleased: it has changed since release" in page
        assert 'href="/releases/0.1.0/"' in page
        release(two_builds[1], releases_dir, "0.2.0", date="2026-12-02")  # published while it runs
        page = app.test_client().get("/" + DOC + ".html").get_data(as_text=True)
        assert "The served build is release" in page and "releases/0.2.0/" + PATH in page
    finally:
        close_app(app)


def test_a_release_page_says_it_shows_that_release(served):
    page = served.get("/releases/0.1.0/" + DOC + ".html").get_data(as_text=True)
    assert "This page shows release" in page
    assert "https://w3id.org/parley/releases/0.1.0/" + PATH in page


# --- Memento ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "version"),
    [
        ("Tue, 01 Dec 2026 12:00:00 GMT", "0.1.0"),
        (FIRST, "0.1.0"),
        (SECOND, "0.2.0"),
        ("Fri, 01 Jan 2027 00:00:00 GMT", "0.2.0"),
        ("Mon, 01 Jan 1990 00:00:00 GMT", "0.1.0"),  # before the first release: the first Memento
    ],
)
@pytest.mark.parametrize("original", [PATH, DOC, DOC + ".ttl"])
def test_accept_datetime_redirects_to_the_memento_in_force(served, original, when, version):
    response = served.get("/" + original, headers={"Accept-Datetime": when})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{HOST}/releases/{version}/{original}"
    assert "accept-datetime" in response.headers["Vary"].lower()
    links = rels(parse_links(response.headers["Link"]))
    assert links["original"] == links["timegate"] == [f"{HOST}/{original}"]
    assert links["timemap"] == [f"{HOST}/timemap/{original}"]


def test_the_memento_answers_with_its_datetime_and_links(served):
    response = served.get("/releases/0.1.0/" + DOC + ".ttl")
    assert response.headers["Memento-Datetime"] == FIRST and RFC1123.match(response.headers["Memento-Datetime"])
    links = parse_links(response.headers["Link"])
    by_rel = rels(links)
    assert by_rel["original"] == by_rel["timegate"] == [f"{HOST}/{DOC}.ttl"]
    assert by_rel["timemap"] == [f"{HOST}/timemap/{DOC}.ttl"]
    assert dict(links)[f"{HOST}/timemap/{DOC}.ttl"]["type"] == "application/link-format"


def test_following_the_timegate_gives_the_old_fact(served):
    response = served.get("/" + DOC + ".ttl", headers={"Accept-Datetime": "Tue, 01 Dec 2026 12:00:00 GMT"})
    target = response.headers["Location"].removeprefix(HOST)
    assert modality(served, target) == {"https://w3id.org/parley/id/modality/agreed"}


def test_current_documents_link_their_timegate_and_timemap_and_vary(served):
    for path in ("/" + DOC + ".ttl", "/" + DOC):
        response = served.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200 and "Memento-Datetime" not in response.headers
        original = path.lstrip("/")
        by_rel = rels(parse_links(response.headers["Link"]))
        assert by_rel["timegate"] == [f"{HOST}/{original}"] and by_rel["timemap"] == [f"{HOST}/timemap/{original}"]
        assert "alternate" in by_rel
        assert "accept-datetime" in response.headers["Vary"].lower()
    see_other = served.get("/" + PATH, headers={"Accept": "text/turtle"})
    assert see_other.status_code == 303 and "accept-datetime" in see_other.headers["Vary"].lower()
    assert rels(parse_links(see_other.headers["Link"]))["timemap"] == [f"{HOST}/timemap/{PATH}"]


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-12-01", "Tue, 01 Dec 2026 00:00:00", "Tue, 41 Dec 2026 00:00:00 GMT", ""]
)
def test_a_bad_accept_datetime_is_a_400_in_the_error_shape(served, value):
    error = assert_error_shape(
        served.get("/" + PATH, headers={"Accept-Datetime": value, "Accept": "application/json"}), 400
    )
    assert "Accept-Datetime" in error["message"] and "RFC 1123" in error["hint"]


def test_a_resource_no_release_holds_has_no_memento(served):
    assert_error_shape(
        served.get("/id/claim/nothing", headers={"Accept-Datetime": FIRST, "Accept": "application/json"}), 404
    )


def test_the_timemap_lists_every_release_in_link_format(served):
    response = served.get("/timemap/" + PATH)
    assert response.status_code == 200 and response.mimetype == "application/link-format"
    links = parse_links(response.get_data(as_text=True))
    by_rel = rels(links)
    params = dict(links)
    assert by_rel["original"] == by_rel["timegate"] == [f"{HOST}/{PATH}"]
    assert by_rel["self"] == [f"{HOST}/timemap/{PATH}"]
    assert params[f"{HOST}/timemap/{PATH}"] == {
        "rel": "self",
        "type": "application/link-format",
        "from": FIRST,
        "until": SECOND,
    }
    assert by_rel["memento"] == [f"{HOST}/releases/0.1.0/{PATH}", f"{HOST}/releases/0.2.0/{PATH}"]
    assert by_rel["first"] == [f"{HOST}/releases/0.1.0/{PATH}"] and by_rel["last"] == [f"{HOST}/releases/0.2.0/{PATH}"]
    for uri in by_rel["memento"]:
        assert RFC1123.match(params[uri]["datetime"])
    assert [params[u]["datetime"] for u in by_rel["memento"]] == [FIRST, SECOND]


def test_the_timemap_of_an_unknown_resource_is_404(served):
    assert_error_shape(served.get("/timemap/id/claim/nothing", headers={"Accept": "application/json"}), 404)
    assert_error_shape(served.get("/timemap/etc/passwd", headers={"Accept": "application/json"}), 404)


def test_an_old_release_keeps_answering_after_a_newer_one(two_builds, released, tmp_path):
    releases_dir = tmp_path / "releases"
    shutil.copytree(released / "0.1.0", releases_dir / "0.1.0")
    app = make_app(two_builds[1], releases_dir=releases_dir)
    try:
        client = app.test_client()
        before = client.get("/releases/0.1.0/" + DOC + ".ttl")
        release(two_builds[1], releases_dir, "0.2.0", date="2026-12-02")
        after = client.get("/releases/0.1.0/" + DOC + ".ttl")
        assert after.status_code == 200 and after.get_data() == before.get_data()
        assert after.headers["ETag"] == before.headers["ETag"]
        timemap = rels(parse_links(client.get("/timemap/" + DOC + ".ttl").get_data(as_text=True)))
        assert len(timemap["memento"]) == 2
    finally:
        close_app(app)


# --- a release's SPARQL endpoint ---------------------------------------------------------------

ASK_PROMISED = f"ASK {{ <{CLAIM}> <{MODALITY}> <https://w3id.org/parley/id/modality/promised> }}"


@pytest.mark.parametrize(("version", "answer"), [("0.1.0", False), ("0.2.0", True)])
def test_release_sparql_answers_against_that_release(served, version, answer):
    response = served.get(
        f"/releases/{version}/sparql?query={quote(ASK_PROMISED)}", headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["boolean"] is answer
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    posted = served.post(
        f"/releases/{version}/sparql", data={"query": ASK_PROMISED}, headers={"Accept": "application/json"}
    )
    assert posted.get_json()["boolean"] is answer


def test_release_sparql_refuses_what_sparql_refuses(served):
    response = served.get("/releases/0.1.0/sparql?query=" + quote("DROP ALL"), headers={"Accept": "application/json"})
    assert_error_shape(response, 403)
    response = served.get(
        "/releases/0.1.0/sparql?query=" + quote("SELECT * WHERE {"), headers={"Accept": "application/json"}
    )
    assert_error_shape(response, 400)
    assert_error_shape(
        served.get("/releases/9.9.9/sparql?query=ASK%7B%7D", headers={"Accept": "application/json"}), 404
    )


def test_release_sparql_describes_the_release(served):
    response = served.get("/releases/0.1.0/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    endpoint = URIRef(f"{HOST}/releases/0.1.0/sparql")
    assert (None, URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"), endpoint) in graph


def test_the_query_page_shares_a_query_pinned_to_a_release(served):
    page = served.get("/query?release=0.1.0&query=" + quote(ASK_PROMISED)).get_data(as_text=True)
    assert 'action="/releases/0.1.0/sparql"' in page
    assert "ASK {" in page and "Pinned to release 0.1.0" in page
    assert f'href="/query?release=0.1.0&amp;query={quote(ASK_PROMISED, safe="")}"' in page
    assert_error_shape(served.get("/query?release=9.9.9", headers={"Accept": "application/json"}), 404)


@pytest.mark.parametrize(
    "path",
    ["/" + DOC + ".html", "/releases/0.1.0/" + DOC + ".html", "/query?release=0.1.0&query=ASK%20%7B%7D", "/query"],
)
def test_the_new_pages_pass_the_content_security_policy(served, path):
    from tests.pages.test_http import _Markup

    response = served.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and "Content-Security-Policy" in response.headers
    markup = _Markup()
    markup.feed(response.get_data(as_text=True))
    assert markup.problems == [], markup.problems
