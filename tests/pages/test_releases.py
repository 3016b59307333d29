"""The releases as served: the listing (HTML and JSON, newest first), one release's page, and its
files byte for byte with immutable caching, over two real releases made by
``graph.release.release`` (the mini build, then the same with one curated change); an old
release keeps answering after a newer one is published; unknown versions and path tricks are
404 in the one error shape."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from graph.release import release
from server.routes.releases import FILES, IMMUTABLE
from tests.helpers import assert_error_shape, close_app, make_app
from tests.mini import build_mini, make_project
from tests.pages.conftest import fetch
from tests.pages.test_http import _Markup
from tests.pages.test_readme_routes import _section
from tests.releases.conftest import CLAIM, change_modality

VERSIONS = ("0.1.0", "0.2.0")


@pytest.fixture(scope="module")
def released(mini_build, tmp_path_factory) -> Path:
    """A releases directory: 0.1.0 of the mini build, 0.2.0 of it with one curated change
    (tests/releases/conftest.py's). Read only."""
    base = tmp_path_factory.mktemp("served-releases")
    project = make_project(base / "project")
    change_modality(project)
    changed = build_mini(base / "build", project)
    releases_dir = base / "releases"
    release(mini_build, releases_dir, "0.1.0", date="2026-12-01")
    release(changed, releases_dir, "0.2.0", date="2026-12-02")
    return releases_dir


@pytest.fixture
def served(mini_build, released):
    app = make_app(mini_build, releases_dir=released)
    yield app.test_client()
    close_app(app)


def _manifest(released: Path, version: str) -> dict:
    return json.loads((released / version / "release.json").read_text(encoding="utf-8"))


def _sums(directory: Path) -> dict[str, str]:
    lines = (directory / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines)}


def test_the_listing_as_json_shows_both_releases_newest_first_with_their_hashes(served, released):
    response = fetch(served, "/releases/", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    rows = response.get_json()["releases"]
    assert [r["version"] for r in rows] == ["0.2.0", "0.1.0"]
    assert rows[0]["canonical_sha256"] != rows[1]["canonical_sha256"]  # the curated change
    assert rows[0]["previous"] == "0.1.0" and rows[1]["previous"] is None
    for row in rows:
        manifest = _manifest(released, row["version"])
        assert row["canonical_sha256"] == manifest["canonical_hash"]["sha256"]
        assert row["issued"] == manifest["issued"]
        assert row["triples"] == manifest["build"]["triples"] > 0
        assert row["changelog"] == f"/releases/{row['version']}/changelog.txt"
    assert "Accept" in response.headers["Vary"] and response.headers["ETag"]


def test_the_listing_as_html_shows_both_releases_newest_first(served, released):
    response = fetch(served, "/releases/", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert page.index('href="/releases/0.2.0/"') < page.index('href="/releases/0.1.0/"')
    for version in VERSIONS:
        assert _manifest(released, version)["canonical_hash"]["sha256"] in page
        assert f'href="/releases/{version}/changelog.txt"' in page


@pytest.mark.parametrize("layout", ["missing", "empty", "no-manifest"])
def test_the_listing_is_empty_without_a_complete_release(mini_build, tmp_path, layout):
    releases_dir = tmp_path / "releases"
    if layout != "missing":
        releases_dir.mkdir()
    if layout == "no-manifest":  # a release being written, or a stray directory
        (releases_dir / "0.1.0" / "dumps").mkdir(parents=True)
    app = make_app(mini_build, releases_dir=releases_dir)
    try:
        client = app.test_client()
        assert fetch(client, "/releases/", headers={"Accept": "application/json"}).get_json() == {"releases": []}
        assert "No release has been published yet" in fetch(client, "/releases/").get_data(as_text=True)
        assert_error_shape(fetch(client, "/releases/0.1.0/", headers={"Accept": "application/json"}), 404)
    finally:
        close_app(app)


def test_a_release_page_shows_its_metadata_dumps_citation_and_changelog(served, released):
    page = fetch(served, "/releases/0.2.0/").get_data(as_text=True)
    manifest = _manifest(released, "0.2.0")
    assert manifest["dataset"] in page and manifest["dataset"].endswith("/0.2.0")
    assert manifest["canonical_hash"]["sha256"] in page and "2026-12-02" in page
    for name, digest in _sums(released / "0.2.0" / "dumps").items():
        assert f'href="/releases/0.2.0/dumps/{name}"' in page and digest in page
    citation = (released / "0.2.0" / "CITATION.cff").read_text(encoding="utf-8")
    assert "version: 0.2.0" in citation and str(escape(citation)) in page
    changelog = (released / "0.2.0" / "changelog.txt").read_text(encoding="utf-8")
    assert f"changed claim <{CLAIM}>" in changelog and str(escape(changelog)) in page
    assert 'href="/releases/0.1.0/"' in page  # the release it revises


def test_a_release_page_as_json(served):
    body = fetch(served, "/releases/0.1.0/", headers={"Accept": "application/json"}).get_json()
    assert body["version"] == "0.1.0" and body["previous"] is None
    assert {d["name"] for d in body["dumps"]} >= {"parley.nq.gz", "parley.ttl.gz"}


def test_every_release_file_downloads_byte_for_byte_with_the_immutable_header(served, released):
    for version in VERSIONS:
        directory = released / version
        sums = _sums(directory / "dumps")
        paths = [f"dumps/{name}" for name in sums] + ["dumps/SHA256SUMS"] + sorted(FILES)
        for relative in paths:
            response = fetch(served, f"/releases/{version}/{relative}")
            assert response.status_code == 200, (relative, response.get_data(as_text=True)[:300])
            body = response.get_data()
            assert body == (directory / relative).read_bytes(), relative
            digest = hashlib.sha256(body).hexdigest()
            name = relative.removeprefix("dumps/")
            if relative.startswith("dumps/") and name in sums:
                assert digest == sums[name], relative
            assert response.headers["Cache-Control"] == IMMUTABLE, relative
            assert response.headers["ETag"] == f'"{digest[:32]}"', relative
            assert "Content-Encoding" not in response.headers, relative
        gz = fetch(served, f"/releases/{version}/dumps/parley.nq.gz")
        assert gz.mimetype == "application/gzip"


def test_a_release_file_answers_a_conditional_get_with_304(served):
    first = fetch(served, "/releases/0.1.0/dumps/parley.nq.gz")
    again = fetch(served, "/releases/0.1.0/dumps/parley.nq.gz", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == IMMUTABLE


def test_an_old_release_still_answers_after_a_newer_one_is_published(mini_build, released, tmp_path):
    releases_dir = tmp_path / "releases"
    shutil.copytree(released / "0.1.0", releases_dir / "0.1.0")
    app = make_app(mini_build, releases_dir=releases_dir)
    try:
        client = app.test_client()
        before = fetch(client, "/releases/0.1.0/dumps/parley.nq.gz")
        release(mini_build, releases_dir, "0.3.0", date="2026-12-03")  # while the app runs
        rows = fetch(client, "/releases/", headers={"Accept": "application/json"}).get_json()["releases"]
        assert [r["version"] for r in rows] == ["0.3.0", "0.1.0"]
        after = fetch(client, "/releases/0.1.0/dumps/parley.nq.gz")
        assert after.status_code == 200 and after.get_data() == before.get_data()
        assert after.headers["ETag"] == before.headers["ETag"]
        assert fetch(client, "/releases/0.1.0/").status_code == 200
        assert fetch(client, "/releases/0.3.0/void.ttl").status_code == 200
    finally:
        close_app(app)


@pytest.mark.parametrize(
    "path",
    [
        "/releases/../build.json",
        "/releases/0.1.0/../../x",
        "/releases/%2e%2e/build.json",
        "/releases/0.1.0/%2e%2e/build.json",
        "/releases/0.1.0/%2e%2e%2fbuild.json",
        "/releases/0.1.0/dumps/%2e%2e%2fbuild.json",
        "/releases/0.1.0/dumps/..%2f..%2f0.2.0%2frelease.json",
        "/releases/0.1.0/build.json",  # in the release, but not a file it serves
        "/releases/0.1.0/dumps/nothing.gz",
        "/releases/0.1.0/nothing.txt",
        "/releases/9.9.9/",
        "/releases/9.9.9/void.ttl",
        "/releases/01.0.0/",
        "/releases/0.1/",
        "/releases/%3E%20%7D%20DROP%20ALL%20%23/",
    ],
)
def test_traversal_and_unknown_versions_are_404_in_the_error_shape(served, path):
    assert_error_shape(fetch(served, path, headers={"Accept": "application/json"}), 404)


def test_the_release_pages_pass_the_content_security_policy(served):
    for path in ("/releases/", "/releases/0.1.0/", "/releases/0.2.0/"):
        response = fetch(served, path, headers={"Accept": "text/html"})
        assert response.status_code == 200 and "Content-Security-Policy" in response.headers, path
        markup = _Markup()
        markup.feed(response.get_data(as_text=True))
        assert markup.problems == [], (path, markup.problems)


def test_every_release_page_links_the_listing_from_the_nav(served):
    assert 'href="/releases/"' in fetch(served, "/").get_data(as_text=True)


def test_every_release_route_is_in_the_readme(served):
    section = _section()
    names = {"<version>": "{version}", "<name>": "{file}", "<path:rest>": "{path}", "<path:path>": "{path}"}
    rules = [r for r in served.application.url_map.iter_rules() if r.rule.startswith("/releases/")]
    assert len(rules) == 11  # listing, page, file, dump, latest (3), id, graph, doc, sparql
    for rule in rules:
        documented = rule.rule
        for name, shown in names.items():
            documented = documented.replace(name, shown)
        assert f"`{documented}`" in section, f"route {rule.rule} is not in the README's pages section"
