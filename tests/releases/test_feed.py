"""The change feed and the release signposts through a real ``parley serve`` over the two
releases of ``conftest.released`` (0.1.0, then 0.2.0), with one release a page: a harvester
starts at ``/feed``, follows ``first`` and ``next`` to the end and ``prev`` back, finds each
release once as a Create (the first) or an Update of its dataset IRI with its date and
changelog, and gets 304 for what it already has. The served build equals 0.2.0, so its pages
are cited by their versioned IRIs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import requests

from graph.namespaces import BASE, DATASET
from tests.releases.test_memento import parse_links
from tests.robustness.conftest import start_parley

pytestmark = pytest.mark.integration

AS = "https://www.w3.org/ns/activitystreams"
ACTIVITY_JSON = "application/activity+json"


@pytest.fixture(scope="module")
def live(two_builds, released, tmp_path_factory):
    project = tmp_path_factory.mktemp("live-feed")
    shutil.copytree(two_builds[1], project / "build")
    shutil.copytree(released, project / "releases")
    server = start_parley(
        Path(project), "--workers", "1", "--threads", "4", "--query-processes", "1", env={"PARLEY_FEED_PAGE_ITEMS": "1"}
    )
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def _get(url: str, **headers) -> requests.Response:
    response = requests.get(url, headers=headers, timeout=30)
    assert response.status_code in (200, 304), (url, response.status_code, response.text[:300])
    return response


def _json(url: str) -> dict:
    response = _get(url)
    assert response.headers["Content-Type"].split(";")[0] == ACTIVITY_JSON, url
    body = response.json()
    assert body["@context"] == AS and body["id"] == url, url
    return body


def test_a_harvester_follows_the_feed_through_every_page(live):
    feed = _json(f"{live.url}/feed")
    assert feed["type"] == "OrderedCollection" and feed["totalItems"] == 2
    seen, url, pages = [], feed["first"], []
    while url:
        page = _json(url)
        assert page["type"] == "OrderedCollectionPage" and page["partOf"] == feed["id"]
        assert page["startIndex"] == len(seen)
        seen.extend(page["orderedItems"])
        pages.append(url)
        url = page.get("next")
    assert pages[-1] == feed["last"] and len(pages) == 2
    back, url = [], feed["last"]
    while url:
        back.append(url)
        url = _json(url).get("prev")
    assert back == pages[::-1]
    assert [(a["type"], a["object"]["id"]) for a in seen] == [
        ("Update", str(DATASET) + "/0.2.0"),
        ("Create", str(DATASET) + "/0.1.0"),
    ]
    assert [a["published"] for a in seen] == ["2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z"]
    assert all(a["target"] == str(DATASET) for a in seen)
    assert "claim: 1 changed" in seen[0]["summary"], seen[0]["summary"]
    assert seen[0]["origin"] == str(DATASET) + "/0.1.0" and "origin" not in seen[1]
    for activity in seen:
        changelogs = [link["href"] for link in activity["attachment"] if link["mediaType"] == "text/plain"]
        assert changelogs and all(_get(href).status_code == 200 for href in changelogs)


def test_the_feed_answers_304_to_what_a_harvester_has(live):
    for url in (f"{live.url}/feed", f"{live.url}/feed?page=1", f"{live.url}/feed?page=2"):
        first = _get(url)
        assert first.headers["ETag"]
        again = _get(url, **{"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == first.headers["ETag"]
    one, two = _get(f"{live.url}/feed?page=1"), _get(f"{live.url}/feed?page=2")
    assert one.headers["ETag"] != two.headers["ETag"]


@pytest.mark.parametrize("page", ["3", "0", "x"])
def test_a_page_the_feed_does_not_have_is_an_error(live, page):
    assert (
        requests.get(f"{live.url}/feed?page={page}", timeout=30).status_code
        in {"3": (404,), "0": (400,), "x": (400,)}[page]
    )


def test_the_home_and_release_listing_link_the_feed(live):
    for path in ("/", "/releases/"):
        page = _get(live.url + path)
        assert 'href="/feed"' in page.text, path
        links = parse_links(page.headers["Link"])
        assert (f"{live.url}/feed", {"rel": "alternate", "type": ACTIVITY_JSON}) in links, path


def _cite_as(url: str) -> list[str]:
    links = parse_links(_get(url).headers["Link"])
    return [uri for uri, params in links if params.get("rel") == "cite-as"]


def test_a_build_equal_to_a_release_is_cited_by_its_versioned_iris(live):
    assert _cite_as(f"{live.url}/") == [str(DATASET) + "/0.2.0"]
    assert _cite_as(f"{live.url}/doc/claim/001-prisoners-agreed") == [
        BASE + "releases/0.2.0/id/claim/001-prisoners-agreed"
    ]
    assert _cite_as(f"{live.url}/ontology") == [BASE + "ontology/0.2.0"]


def test_a_release_page_and_its_documents_signpost_the_release(live):
    links = parse_links(_get(f"{live.url}/releases/0.1.0/").headers["Link"])
    rels = {}
    for uri, params in links:
        rels.setdefault(params["rel"], []).append(uri)
    assert rels["cite-as"] == [str(DATASET) + "/0.1.0"]
    assert f"{live.url}/releases/0.1.0/void.ttl" in rels["describedby"]
    assert {uri.rsplit("/", 1)[1] for uri in rels["item"]} >= {"parley.nq.gz"}
    assert all(uri.startswith(f"{live.url}/releases/0.1.0/dumps/") for uri in rels["item"])
    assert rels["license"]
    linkset = requests.get(rels["linkset"][0], headers={"Accept": "application/linkset+json"}, timeout=30).json()
    assert linkset["linkset"][0]["anchor"] == f"{live.url}/releases/0.1.0/"
    assert _cite_as(f"{live.url}/releases/0.1.0/doc/claim/001-prisoners-agreed") == [
        BASE + "releases/0.1.0/id/claim/001-prisoners-agreed"
    ]
