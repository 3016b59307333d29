"""The landing page describes the dataset as a schema.org ``Dataset`` in JSON-LD, read here by
extruct as a dataset search engine reads it: only what the build states before any release,
and the version, issued date and downloads of the release once the build equals one. The
script is a data block, which the strict Content-Security-Policy (``script-src 'self'``) does
not govern: no inline executable script, nothing weakened."""

from __future__ import annotations

import json
import re
from pathlib import Path

import extruct
import pytest

from graph.release import release
from server.http.security import CONTENT_SECURITY_POLICY
from tests.helpers import close_app, make_app
from tests.pages.test_http import _Markup


@pytest.fixture(scope="module")
def released(mini_build, tmp_path_factory) -> Path:
    releases_dir = tmp_path_factory.mktemp("landing") / "releases"
    release(mini_build, releases_dir, "0.1.0", date="2026-12-01")
    return releases_dir


def landing(build: Path, releases_dir: Path) -> tuple[str, dict, dict]:
    app = make_app(build, releases_dir=releases_dir)
    try:
        response = app.test_client().get("/")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        headers = dict(response.headers)
    finally:
        close_app(app)
    (dataset,) = [d for d in extruct.extract(page, syntaxes=["json-ld"])["json-ld"] if d.get("@type") == "Dataset"]
    return page, dataset, headers


def test_the_landing_page_is_a_schema_org_dataset_of_the_release(mini_build, released):
    page, dataset, _ = landing(mini_build, released)
    assert dataset["@context"].rstrip("/") == "https://schema.org"
    assert dataset["version"] == "0.1.0" and dataset["datePublished"] == "2026-12-01"
    assert dataset["identifier"] == "https://w3id.org/parley/dataset" == dataset["@id"]
    assert dataset["name"].startswith("Parley") and len(dataset["description"]) >= 50
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["creator"] == ["The Parley project"]  # as the ontology states it, no type guessed
    assert dataset["isAccessibleForFree"] is True and dataset["url"] == "https://w3id.org/parley/"
    downloads = {d["contentUrl"]: d["encodingFormat"] for d in dataset["distribution"]}
    assert all(d["@type"] == "DataDownload" for d in dataset["distribution"])
    base = "https://w3id.org/parley/releases/0.1.0/dumps/"
    assert downloads == {
        base + "parley.nq.gz": "application/n-quads",
        base + "parley.trig.gz": "application/trig",
        base + "parley.ttl.gz": "text/turtle",
        base + "parley.jsonld.gz": "application/ld+json",
    }
    # every download it names is one the release has
    names = {line.split("  ")[1] for line in (released / "0.1.0" / "SHA256SUMS").read_text().splitlines()}
    assert {"dumps/" + url.rsplit("/", 1)[1] for url in downloads} <= names


def test_an_unreleased_build_states_no_version_or_date(mini_build, tmp_path):
    _, dataset, _ = landing(mini_build, tmp_path / "no-releases")
    assert "version" not in dataset and "datePublished" not in dataset
    assert dataset["name"].startswith("Parley") and dataset["license"]
    assert {d["contentUrl"].rsplit("/", 1)[1] for d in dataset["distribution"]} >= {"parley.nq.gz", "parley.trig.gz"}


def test_the_json_ld_is_a_data_block_the_csp_allows(mini_build, released):
    page, _, headers = landing(mini_build, released)
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    assert json.loads(blocks[0])["@type"] == "Dataset"  # valid JSON as written, not only as extruct repairs it
    assert "<" not in blocks[0]  # nothing in it can close the element early
    markup = _Markup()
    markup.feed(page)
    assert markup.problems == []
