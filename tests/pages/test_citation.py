"""The "cite this" block over a release made by ``parley release`` (committed as text, downloads
made from it): the mini build released as 0.1.0 and served, so its pages cite that release in
APA, BibTeX, RIS and CSL-JSON, each read back by its own library; each citation is rendered once
per resource and release, and a page of the same resource later gets the same block."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from graph.release import release
from server.views import citation
from tests.helpers import close_app, make_app

PERSON = "person/rufus-firefly"
VERSIONED = f"https://w3id.org/parley/releases/0.1.0/id/{PERSON}"


@pytest.fixture(scope="module")
def released(mini_build, tmp_path_factory) -> Path:
    releases_dir = tmp_path_factory.mktemp("cited") / "releases"
    release(mini_build, releases_dir, "0.1.0", date="2026-12-01")
    return releases_dir


@pytest.fixture
def served(mini_build, released):
    app = make_app(mini_build, releases_dir=released)
    yield app.test_client()
    close_app(app)


def _block(page: str, cls: str) -> str:
    found = re.search(rf'<pre class="{cls}" id="{cls}"[^>]*>(.*?)</pre>', page, re.S)
    assert found, f"no {cls} block in the page"
    return html.unescape(found.group(1))


def test_a_page_cites_the_release_every_way(served):
    page = served.get(f"/doc/{PERSON}.html").get_data(as_text=True)
    assert "The served build is release" in page
    text = re.search(r'<p class="citation">([^<]*)</p>', page).group(1)
    assert "(2026)" in html.unescape(text) and "Version 0.1.0" in text and VERSIONED in text
    (entry,) = bibtexparser.parse_string(_block(page, "bibtex"), append_middleware=[LatexDecodingMiddleware()]).entries
    assert entry["url"] == VERSIONED and entry["year"] == "2026" and entry["author"] == "The Parley project"
    (record,) = rispy.loads(_block(page, "ris"))
    assert record["urls"] == [VERSIONED] and record["authors"] == ["The Parley project"]
    (item,) = json.loads(_block(page, "csl-json"))
    assert item["URL"] == VERSIONED and item["issued"] == {"date-parts": [[2026, 12, 1]]}
    assert record["title"] == item["title"] == entry["title"] == "Rufus Firefly"


def test_each_citation_is_rendered_once_per_resource_and_release(served):
    citation.rendered.cache_clear()
    first = served.get(f"/doc/{PERSON}.html").get_data(as_text=True)
    served.get(f"/doc/{PERSON}.ttl")  # not a page: nothing rendered
    info = citation.rendered.cache_info()
    assert (info.misses, info.hits) == (1, 0)
    # the page body is cached too, so ask for the block itself again, as another page of it would
    again = citation.cite(
        f"https://w3id.org/parley/id/{PERSON}",
        "Rufus Firefly",
        "0.1.0",
        served.application.extensions["parley_releases_dir"] / "0.1.0",
        "0.1.0",
    )
    assert citation.rendered.cache_info().hits == 1
    assert _block(first, "bibtex") == again["bibtex"]


def test_a_cited_block_is_a_new_dict_each_time(released):
    args = ("https://w3id.org/parley/id/" + PERSON, "Rufus Firefly", "0.1.0", released / "0.1.0", "0.1.0")
    one = citation.cite(*args)
    one["memento"] = True
    assert "memento" not in citation.cite(*args)
