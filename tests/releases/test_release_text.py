"""A release committed as text: its downloads made again from the text byte for byte, the
canonical hash recomputed from it, a changed committed file refused by name, the frozen
derivation's output pinned, and a build of the same sources seen as equal to the release."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyld.jsonld
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.release import canonical_hash, read_quads, release
from graph.release_derive import derive_v1
from graph.release_text import COMMITTED, restore
from parley.cli import cli
from tests.helpers import close_app, make_app
from tests.mini import ROOT, build_mini, make_project
from tests.pages.conftest import fetch
from tests.releases.test_memento import DOC, PATH

VERSIONS = ("0.1.0", "0.2.0")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def made_files(release_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((release_dir / "dumps").iterdir())}


def test_the_committed_part_is_text_and_the_rest_is_made(released):
    for version in VERSIONS:
        directory = released / version
        committed = sorted(p.name for p in directory.iterdir() if p.is_file())
        assert set(committed) <= {*COMMITTED, "SHA256SUMS"}
        assert "parley.nq" in committed and "shapes.ttl" in committed
        for name in committed:
            (directory / name).read_bytes().decode("utf-8")  # text, not gzip
        lines = (directory / "parley.nq").read_text(encoding="utf-8").splitlines(keepends=True)
        assert lines == sorted(lines) and all(line.endswith(" .\n") for line in lines)
        listed = [line.split("  ", 1)[1] for line in (directory / "SHA256SUMS").read_text().splitlines()]
        assert "dumps/parley.trig.gz" in listed and "parley.nq" in listed and "SHA256SUMS" not in listed


@pytest.mark.parametrize("version", VERSIONS)
def test_the_canonical_hash_recomputed_from_the_text_is_release_json_s(released, version):
    directory = released / version
    manifest = json.loads((directory / "release.json").read_text())
    recorded = manifest["canonical_hash"]["sha256"]
    text = (directory / "parley.nq").read_bytes()
    assert canonical_hash(ox.parse(text, format=ox.RdfFormat.N_QUADS)) == recorded
    assert hashlib.sha256(text).hexdigest() == recorded  # the text is the canonical form itself
    assert manifest["derivation"]["version"] == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_every_download_holds_the_dataset_of_the_text(released, version):
    directory = released / version
    recorded = json.loads((directory / "release.json").read_text())["canonical_hash"]["sha256"]
    for name in ("parley.nq.gz", "parley.trig.gz", "parley.jsonld.gz"):
        assert canonical_hash(read_quads(directory / "dumps" / name)) == recorded, name
    # JSON-LD read by a second processor (pyld's toRdf) too: the named graphs are kept
    document = json.loads(gzip.decompress((directory / "dumps" / "parley.jsonld.gz").read_bytes()))
    nquads = pyld.jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert canonical_hash(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)) == recorded
    triples = {q.triple for q in read_quads(directory / "parley.nq")}
    turtle = gzip.decompress((directory / "dumps" / "parley.ttl.gz").read_bytes())
    assert {q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)} == triples


def test_deleted_downloads_are_made_again_byte_for_byte(releases_copy):
    before = {v: made_files(releases_copy / v) for v in VERSIONS}
    for version in VERSIONS:
        shutil.rmtree(releases_copy / version / "dumps")
    result = run("release-files", "--releases-dir", str(releases_copy))
    assert result.exit_code == 0, result.output
    assert "made dumps/SHA256SUMS, dumps/ontology.ttl, dumps/parley.jsonld.gz" in result.output
    for version in VERSIONS:
        assert made_files(releases_copy / version) == before[version]
        if shutil.which("sha256sum"):
            subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=releases_copy / version, check=True)
            subprocess.run(
                ["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=releases_copy / version / "dumps", check=True
            )
    again = run("release-files", "0.1.0", "--releases-dir", str(releases_copy))
    assert again.exit_code == 0 and "0.1.0: complete; every file checked" in again.output, again.output


def test_a_damaged_download_is_made_again(releases_copy):
    path = releases_copy / "0.2.0" / "dumps" / "parley.trig.gz"
    good = path.read_bytes()
    path.write_bytes(good[:100])
    assert restore(releases_copy / "0.2.0") == ["dumps/parley.trig.gz"]
    assert path.read_bytes() == good


@pytest.mark.parametrize("name", ["changelog.txt", "parley.nq", "CITATION.cff"])
def test_a_changed_committed_file_is_refused_naming_it(releases_copy, name):
    path = releases_copy / "0.1.0" / name
    path.write_bytes(path.read_bytes().replace(b"0", b"1", 1))
    result = run("release-files", "--releases-dir", str(releases_copy))
    assert result.exit_code == 2, result.output
    assert f"{path}: changed since the release" in result.output
    assert "git checkout -- " in result.output


def test_changed_text_with_matching_sums_is_refused_by_the_canonical_hash(releases_copy):
    directory = releases_copy / "0.1.0"
    text = (directory / "parley.nq").read_bytes()
    changed = text.replace(b"Freedonia", b"Frodonia", 1)
    (directory / "parley.nq").write_bytes(changed)
    sums = (directory / "SHA256SUMS").read_text()
    old, new = hashlib.sha256(text).hexdigest(), hashlib.sha256(changed).hexdigest()
    (directory / "SHA256SUMS").write_text(sums.replace(f"{old}  parley.nq", f"{new}  parley.nq"))
    result = run("release-files", "0.1.0", "--releases-dir", str(releases_copy))
    assert result.exit_code == 2, result.output
    assert f"{directory / 'parley.nq'}: its SHA-256 is not the canonical hash" in result.output


def test_a_release_of_an_unknown_derivation_is_refused(releases_copy):
    directory = releases_copy / "0.1.0"
    shutil.rmtree(directory / "dumps")
    manifest = (directory / "release.json").read_text()
    changed = manifest.replace('"version": 1', '"version": 99')
    assert changed != manifest
    (directory / "release.json").write_text(changed)
    sums = (directory / "SHA256SUMS").read_text()
    old = hashlib.sha256(manifest.encode()).hexdigest()
    (directory / "SHA256SUMS").write_text(sums.replace(old, hashlib.sha256(changed.encode()).hexdigest()))
    result = run("release-files", "0.1.0", "--releases-dir", str(releases_copy))
    assert result.exit_code == 2, result.output
    assert "derivation version 99 is not one this Parley knows" in result.output


def test_the_served_release_serves_the_made_files(served_copy, releases_copy):
    client, _ = served_copy
    for name in ("parley.nq.gz", "parley.trig.gz", "parley.jsonld.gz", "SHA256SUMS"):
        response = fetch(client, f"/releases/0.2.0/dumps/{name}")
        assert response.status_code == 200, name
        assert response.data == (releases_copy / "0.2.0" / "dumps" / name).read_bytes()
    response = fetch(client, "/releases/0.2.0/dumps/parley.nq.gz")
    assert gzip.decompress(response.data) == (releases_copy / "0.2.0" / "parley.nq").read_bytes()


COMMITTED_TEXT = {"parley.nq": "application/n-quads", "shapes.ttl": "text/turtle", "SHA256SUMS": "text/plain"}


def test_the_served_release_serves_its_committed_text_with_immutable_validators(served_copy, releases_copy):
    client, _ = served_copy
    for version in VERSIONS:
        directory = releases_copy / version
        sums = dict(
            reversed(line.split("  ", 1))
            for line in (directory / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
        )
        page = fetch(client, f"/releases/{version}/").get_data(as_text=True)
        listed = fetch(client, f"/releases/{version}/", headers={"Accept": "application/json"}).get_json()["files"]
        for name, media_type in COMMITTED_TEXT.items():
            assert f'href="/releases/{version}/{name}"' in page and name in listed, name
            response = fetch(client, f"/releases/{version}/{name}")
            assert response.status_code == 200, (name, response.get_data(as_text=True)[:300])
            assert response.mimetype == media_type, name
            assert response.data == (directory / name).read_bytes(), name
            digest = hashlib.sha256(response.data).hexdigest()
            if name in sums:
                assert sums[name] == digest, name
            assert response.headers["ETag"] == f'"{digest[:32]}"', name
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", name
            again = fetch(client, f"/releases/{version}/{name}", headers={"If-None-Match": response.headers["ETag"]})
            assert again.status_code == 304, name
        text = fetch(client, f"/releases/{version}/parley.nq").data
        manifest = fetch(client, f"/releases/{version}/release.json").get_json()
        assert hashlib.sha256(text).hexdigest() == manifest["canonical_hash"]["sha256"]
    assert fetch(client, "/releases/0.1.0/parley.nt").status_code == 404  # only the files it lists


@pytest.fixture
def served_copy(two_builds, releases_copy):
    app = make_app(two_builds[1], releases_dir=releases_copy)
    yield app.test_client(), app
    close_app(app)


# --- the frozen derivation ------------------------------------------------------------------

# Fictional canonical N-Quads with what serializers differ on: escapes, a language tag, typed
# literals, a blank node, an IRI that is no prefixed name, the default graph and named graphs.
TEXT = (
    b"<http://example.org/Talk> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    b"<http://www.w3.org/2002/07/owl#Class> <https://w3id.org/parley/graph/ontology> .\n"
    b'<http://example.org/Talk> <https://schema.org/name> "Talk" <https://w3id.org/parley/graph/ontology> .\n'
    b"<http://example.org/claim-1> <http://example.org/odd%20iri> <http://example.org/wire-7> "
    b"<https://w3id.org/parley/graph/article/wire-7> .\n"
    b"<http://example.org/claim-1> <https://schema.org/about> _:c14n0 <https://w3id.org/parley/graph/article/wire-7> .\n"
    b'<http://example.org/claim-1> <https://schema.org/text> "caf\xc3\xa9 \xe2\x80\x94 tab\\there" '
    b"<https://w3id.org/parley/graph/article/wire-7> .\n"
    b'<http://example.org/wire-7> <https://schema.org/headline> "Ministers met in \\"Port Example\\"\\non Tuesday"@en .\n'
    b'<http://example.org/wire-7> <https://schema.org/wordCount> "412"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    b'_:c14n0 <https://schema.org/value> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> '
    b"<https://w3id.org/parley/graph/article/wire-7> .\n"
)
# The SHA-256 of each file derivation 1 makes from TEXT: these never change (a release made in
# 2026 must be made again the same in 2036). A change here is a new derivation version.
PINNED_V1 = {
    "parley.nq.gz": "5b47cc98374e9ef2be22431fad25fdf298bf67e042c46b437f39e72ac57f2a22",
    "parley.trig.gz": "f0f9d71c34f73019c9cdf95b393f7c680e602a9a46c25b564f1b9add4139b26f",
    "parley.ttl.gz": "837a8175400191993f14fcc41a5d926430556dd7722df57a194de5400e54c207",
    "parley.jsonld.gz": "8d7b496d2d6d41c160755ab9cae275fe5aa63ea00b07ea3db6e1d2934b0a1737",
    "ontology.ttl": "27cbd0c2e4f5d3bbc52cde23deba97f53625fb15c3be385ae7f9736b8aa523bf",
    "shapes.ttl": "ab55dd2637683b1dd542316ce28f9139d8e2772b56a0610e42080e75450bed79",
}


def test_derivation_1_gives_the_pinned_bytes():
    files = derive_v1(TEXT, b"# shapes\n")
    assert {name: hashlib.sha256(data).hexdigest() for name, data in files.items()} == PINNED_V1


def test_derivation_1_serializations_read_back_as_the_text():
    files = derive_v1(TEXT, b"# shapes\n")
    expected = canonical_hash(ox.parse(TEXT, format=ox.RdfFormat.N_QUADS))
    for name, fmt in (("parley.trig.gz", ox.RdfFormat.TRIG), ("parley.jsonld.gz", ox.RdfFormat.JSON_LD)):
        assert canonical_hash(ox.parse(gzip.decompress(files[name]), format=fmt)) == expected, name
    turtle = ox.parse(gzip.decompress(files["parley.ttl.gz"]), format=ox.RdfFormat.TURTLE)
    assert len({q.triple for q in turtle}) == 8
    ontology = {q.triple for q in ox.parse(files["ontology.ttl"], format=ox.RdfFormat.TURTLE)}
    assert {str(t.subject) for t in ontology} == {"<http://example.org/Talk>"} and len(ontology) == 2


# --- a build of the same sources equals the release ---------------------------------------------


def test_a_rebuild_of_the_released_sources_is_that_release(tmp_path):
    project = make_project(tmp_path / "project")
    first = build_mini(tmp_path / "build", project)
    release(first, tmp_path / "releases", "0.1.0", date="2026-12-01")
    shutil.rmtree(tmp_path / "releases" / "0.1.0" / "dumps")  # as a fresh checkout has it
    restore(tmp_path / "releases" / "0.1.0")
    shutil.rmtree(first)
    rebuilt = build_mini(tmp_path / "build", project)
    app = make_app(rebuilt, releases_dir=tmp_path / "releases")
    try:
        page = app.test_client().get("/" + DOC + ".html").get_data(as_text=True)
    finally:
        close_app(app)
    assert "The served build is release" in page and 'href="/releases/0.1.0/"' in page
    assert f"<code>https://w3id.org/parley/releases/0.1.0/{PATH}</code>" in page
    assert '<p class="citation">' in page


def test_a_fresh_checkout_s_releases_diff_and_serve_without_their_downloads(releases_copy, two_builds):
    for version in VERSIONS:
        shutil.rmtree(releases_copy / version / "dumps")  # only the committed text, as git has it
    result = run("diff", str(releases_copy / "0.1.0"), str(releases_copy / "0.2.0"))
    assert result.exit_code == 0, result.output
    assert "changed claim <https://w3id.org/parley/id/claim/001-prisoners-agreed>" in result.output
    shutil.rmtree(releases_copy / "0.1.0" / "dumps")
    app = make_app(two_builds[1], releases_dir=releases_copy)  # not through `parley serve`
    try:
        response = app.test_client().get(f"/releases/0.1.0/{DOC}", headers={"Accept": "text/turtle"})
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    finally:
        close_app(app)
    assert (releases_copy / "0.1.0" / "dumps" / "parley.nq.gz").is_file()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("releases/0.1.0/parley.nq", False),
        ("releases/0.1.0/SHA256SUMS", False),
        ("releases/0.1.0/release.json", False),
        ("releases/0.1.0/dumps/parley.nq.gz", True),
        ("releases/0.1.0/dumps/SHA256SUMS", True),
        ("releases/.0.2.0.tmp-x1/parley.nq", True),  # a release being written
    ],
)
def test_git_keeps_a_release_s_text_and_ignores_what_is_made(path, ignored):
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False)
    assert result.returncode == (0 if ignored else 1), path


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None, reason="needs git and make")
def test_make_build_dates_the_build_by_its_data_sources_last_commit():
    sources = ["corpus", "curation", "ontology", "shapes"]
    log = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", *sources], cwd=ROOT, capture_output=True, text=True, check=True
    )
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    plan = subprocess.run(["make", "-n", "build"], cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    if not log.stdout.strip():
        pytest.skip("not a git checkout with history")
    assert f"SOURCE_DATE_EPOCH={log.stdout.strip()} .venv/bin/parley build" in plan.stdout
    env["SOURCE_DATE_EPOCH"] = "1700000000"  # one set by the caller wins
    plan = subprocess.run(["make", "-n", "build"], cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    assert "SOURCE_DATE_EPOCH=1700000000 .venv/bin/parley build" in plan.stdout
