"""Every page bounded: a resource linked from 20,000 others renders one page of links at a time.

The fixture is the mini build with 20,000 extra links to one person, written by the build's own
store writer (``graph.dump.write_store``) over the build's quads; a page shows ``page_links``
of them, says how many there are, and links the next and previous pages; a page past the last
is a 404 and a page that is no number a 400, both in the error shape.
"""

from __future__ import annotations

import logging
import re
import shutil

import pyoxigraph as ox
import pytest

from graph.dump import write_store
from graph.namespaces import BASE
from tests.helpers import assert_error_shape, close_app, make_app

PERSON = "person/rufus-firefly"
LINKS = 20_000
SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")


@pytest.fixture(scope="module")
def linked_build(mini_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("paging") / "build"
    shutil.copytree(mini_build, out, ignore=shutil.ignore_patterns("store"))
    quads = list(ox.Store.read_only(str(mini_build / "store")).quads_for_pattern(None, None, None))
    graph = ox.NamedNode(BASE + "graph/links")
    target = ox.NamedNode(BASE + "id/" + PERSON)
    quads += [ox.Quad(ox.NamedNode(f"{BASE}id/note/n{i:05d}"), SEE_ALSO, target, graph) for i in range(LINKS)]
    write_store(quads, out / "store")
    return out


@pytest.fixture(scope="module")
def app(linked_build):
    app = make_app(linked_build)
    yield app
    close_app(app)


def _notes(body: str) -> set[str]:
    return set(re.findall(r'href="/id/note/(n\d{5})"', body))


def test_the_first_page_shows_one_page_of_links_and_says_how_many(app):
    response = app.test_client().get(f"/doc/{PERSON}.html")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    shown = _notes(body)
    assert 0 < len(shown) <= 200
    total = re.search(r"([\d,]+) links in; this page shows 1–200", body)
    assert total, "the page does not say how many links in there are"
    assert int(total.group(1).replace(",", "")) >= LINKS
    assert f'rel="next" href="/doc/{PERSON}.html?page=2"' in body
    assert 'rel="prev"' not in body


def test_the_next_page_shows_other_links_and_links_back(app):
    client = app.test_client()
    first = client.get(f"/doc/{PERSON}.html")
    second = client.get(f"/doc/{PERSON}.html?page=2")
    assert second.status_code == 200
    body = second.get_data(as_text=True)
    assert "this page shows 201–400" in body
    assert f'rel="prev" href="/doc/{PERSON}.html"' in body
    assert _notes(body) and not _notes(body) & _notes(first.get_data(as_text=True))
    assert first.headers["ETag"] != second.headers["ETag"]


def test_rdf_documents_are_paged_too(app):
    client = app.test_client()
    graph = ox.parse(client.get(f"/doc/{PERSON}.nt").get_data(), format=ox.RdfFormat.N_TRIPLES)
    assert 0 < sum(1 for t in graph if t.predicate == SEE_ALSO) <= 200
    last = -(-(LINKS + 200) // 200)  # at most this many pages hold the links in
    beyond = client.get(f"/doc/{PERSON}.nt?page={last + 1}")
    assert "no page" in assert_error_shape(beyond, 404)["message"]


@pytest.mark.parametrize("page", ["0", "abc", "-1", "1e3", "99999999999"])
def test_a_page_that_is_no_page_number_is_a_400(app, page):
    assert_error_shape(app.test_client().get(f"/doc/{PERSON}.html", query_string={"page": page}), 400)


def test_the_page_size_is_a_setting(linked_build):
    app = make_app(linked_build, page_links=50)
    try:
        body = app.test_client().get(f"/doc/{PERSON}.html").get_data(as_text=True)
        assert "this page shows 1–50" in body and len(_notes(body)) <= 50
    finally:
        close_app(app)


def test_a_resource_with_few_links_shows_no_pager(app):
    body = app.test_client().get("/doc/round/2000-06-02-port-marvin.html").get_data(as_text=True)
    assert 'class="pager"' not in body


def test_a_page_past_the_time_limit_is_a_503_with_retry_after(linked_build, caplog):
    # a limit no query can meet, and pages large enough that the clock is read while they are
    app = make_app(linked_build, page_links=5000, query_timeout_s=1e-9)
    try:
        with caplog.at_level(logging.WARNING):  # whatever level an earlier `parley -q` left the root at
            response = app.test_client().get(f"/doc/{PERSON}.html")
        error = assert_error_shape(response, 503)
        assert "query_timeout_s" in error["message"] and response.headers["Retry-After"] == "1"
        assert "a page query was stopped" in caplog.text
        # a page whose queries read few rows is unaffected by the clock
        assert app.test_client().get("/doc/round/2000-06-02-port-marvin.ttl").status_code == 200
    finally:
        close_app(app)
