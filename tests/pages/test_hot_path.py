"""What a document request costs the store: a body already made, or a validator the server
issued, is answered without a single store call (the entity tag is the build's content id and
the representation's name, known before any query); a first page looks up only what it shows
(labels per IRI), never the whole graph's labels."""

from __future__ import annotations

import pytest

from tests.helpers import close_app, make_app

PAGES = ["/doc/person/rufus-firefly.ttl", "/doc/person/rufus-firefly.html", "/doc/round/2000-06-02-port-marvin.jsonld"]


class CountingStore:
    """The real store, with every call to it recorded as (method, first argument); and the
    SPARQL of each call made without bindings (``unbound``)."""

    def __init__(self, store):
        self._store = store
        self.calls: list[tuple[str, object]] = []
        self.unbound: list[str] = []

    def __getattr__(self, name):
        found = getattr(self._store, name)
        if not callable(found):
            return found

        def counted(*args, **kwargs):
            self.calls.append((name, args[0] if args else None))
            if name in ("select", "ask", "triples") and len(args) < 2 and not kwargs.get("bindings"):
                self.unbound.append(args[0])
            return found(*args, **kwargs)

        return counted


@pytest.fixture
def counted(mini_build):
    app = make_app(mini_build)
    store = CountingStore(app.extensions["parley_site"].store)
    app.extensions["parley_site"].store = store
    yield app, store
    close_app(app)


@pytest.mark.parametrize("path", PAGES)
def test_a_cached_document_runs_no_query(counted, path):
    app, store = counted
    client = app.test_client()
    first = client.get(path)
    assert first.status_code == 200 and store.calls, "the first request makes the document"
    store.calls.clear()
    again = client.get(path)
    assert again.status_code == 200 and again.data == first.data
    assert store.calls == []


@pytest.mark.parametrize("path", PAGES)
def test_a_revalidation_runs_no_query_even_in_a_fresh_worker(counted, mini_build, path):
    app, store = counted
    etag = app.test_client().get(path).headers["ETag"]
    fresh = make_app(mini_build)  # another worker: nothing cached, the same validators
    try:
        fresh_store = CountingStore(fresh.extensions["parley_site"].store)
        fresh.extensions["parley_site"].store = fresh_store
        answer = fresh.test_client().get(path, headers={"If-None-Match": etag})
        assert answer.status_code == 304 and answer.headers["ETag"] == etag
        assert fresh_store.calls == []
    finally:
        close_app(fresh)


def test_a_first_page_reads_labels_per_iri_not_the_whole_graph(counted):
    from server.data.canned import query

    app, store = counted
    assert app.test_client().get("/doc/person/rufus-firefly.html").status_code == 200
    whole = {query("labels"), query("derived-labels"), query("article-texts"), query("comparisons")}
    assert not whole & set(store.unbound), "a page made a whole-graph lookup"
    assert ("objects", "https://w3id.org/parley/id/person/rufus-firefly") in store.calls


def test_a_303_asks_only_whether_the_resource_exists(counted):
    from server.data.canned import query

    app, store = counted
    assert app.test_client().get("/id/person/rufus-firefly").status_code == 303
    assert [method for method, _ in store.calls] == ["ask"] and store.calls[0][1] == query("known")
    store.calls.clear()
    assert app.test_client().get("/id/person/rufus-firefly").status_code == 303
    assert store.calls == []  # remembered
