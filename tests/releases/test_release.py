"""``parley release`` and ``parley diff`` over two releases of the mini fixture with one curated change."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graph.diff import diff
from graph.dump import file_sha256
from graph.namespaces import SCHEMA
from graph.release import canonical_hash, dump_canonical_hash, verify_sums
from parley.cli import cli
from tests.releases.conftest import CLAIM

MODALITY = "https://w3id.org/parley/ontology#modality"
DATASET = "https://w3id.org/parley/dataset/"


def listing(directory: Path) -> list[tuple[str, int, str]]:
    """Every file under ``directory`` with its size and SHA-256 (directories too, with -1)."""
    rows = []
    for path in sorted(directory.rglob("*")):
        rel = str(path.relative_to(directory))
        rows.append((rel, -1, "") if path.is_dir() else (rel, path.stat().st_size, file_sha256(path)))
    return rows


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_diff_names_exactly_the_curated_change(released):
    log = diff(released / "0.1.0", released / "0.2.0")
    assert [(c.kind, c.action, c.iri) for c in log.changes if c.kind != "other"] == [("claim", "changed", CLAIM)]
    (change,) = log.of("claim")
    assert change.values() == {
        (CLAIM, MODALITY): (
            ["<https://w3id.org/parley/id/modality/agreed>"],
            ["<https://w3id.org/parley/id/modality/promised>"],
        )
    }
    # Besides the claim, only the provenance record of the edited curation file changed (its digest).
    others = log.of("other")
    assert [(c.iri, c.action) for c in others] == [("https://w3id.org/parley/id/curation/001", "changed")]
    assert [p for (_s, p) in others[0].values()] == ["https://w3id.org/parley/ontology#sha256"]
    text = log.text()
    assert f"changed claim <{CLAIM}>" in text and "- <https://w3id.org/parley/id/modality/agreed>" in text


def test_each_release_carries_its_changelog_as_prov_and_schema_org_rdf(released):
    graph = Graph().parse(released / "0.2.0" / "changelog.ttl", format="turtle")
    changelog = URIRef(DATASET + "0.2.0/changelog")
    assert (changelog, RDF.type, PROV.Activity) in graph
    assert (changelog, PROV.used, URIRef(DATASET + "0.1.0")) in graph
    assert (changelog, PROV.generated, URIRef(DATASET + "0.2.0")) in graph
    updates = [n for n in graph.objects(changelog, DCTERMS.hasPart) if (n, RDF.type, SCHEMA.UpdateAction) in graph]
    claim = [n for n in updates if (n, SCHEMA.object, URIRef(CLAIM)) in graph]
    assert len(claim) == 1 and (claim[0], DCTERMS.type, Literal("claim")) in graph
    old = {graph.value(s, RDF.object) for s in graph.objects(claim[0], PROV.invalidated)}
    new = {graph.value(s, RDF.object) for s in graph.objects(claim[0], PROV.generated)}
    assert old == {URIRef("https://w3id.org/parley/id/modality/agreed")}
    assert new == {URIRef("https://w3id.org/parley/id/modality/promised")}
    assert "changed claim" in (released / "0.2.0" / "changelog.txt").read_text(encoding="utf-8")


def test_the_first_release_has_an_empty_changelog(released):
    graph = Graph().parse(released / "0.1.0" / "changelog.ttl", format="turtle")
    changelog = URIRef(DATASET + "0.1.0/changelog")
    assert list(graph.objects(changelog, DCTERMS.hasPart)) == []
    assert (changelog, PROV.used, None) not in graph
    assert json.loads((released / "0.1.0" / "release.json").read_text())["previous"] is None


@pytest.mark.parametrize("version", ["0.1.0", "0.2.0"])
def test_every_release_verifies(released, version):
    dumps = released / version / "dumps"
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=dumps, check=True)
    assert "parley.nq.gz" in verify_sums(dumps)
    recorded = json.loads((released / version / "release.json").read_text())["canonical_hash"]["sha256"]
    assert dump_canonical_hash(dumps / "parley.nq.gz") == recorded
    void = Graph().parse(released / version / "void.ttl", format="turtle")
    checksum = URIRef(f"{DATASET}{version}#rdfc-1.0-sha256")
    assert str(void.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue"))) == recorded
    assert recorded in (released / version / "CITATION.cff").read_text(encoding="utf-8")


def test_the_canonical_hash_changes_with_the_data(released):
    hashes = [
        json.loads((released / v / "release.json").read_text())["canonical_hash"]["sha256"] for v in ("0.1.0", "0.2.0")
    ]
    assert hashes[0] != hashes[1]


@pytest.mark.parametrize("version", ["0.1.0", "0.2.0"])
def test_the_canonical_hash_does_not_depend_on_the_serialization(released, version):
    dumps = released / version / "dumps"
    assert dump_canonical_hash(dumps / "parley.nq.gz") == dump_canonical_hash(dumps / "parley.trig.gz")
    assert (dumps / "parley.nq.gz").read_bytes() != (dumps / "parley.trig.gz").read_bytes()


def test_the_canonical_hash_ignores_blank_node_labels_and_quad_order():
    # pyoxigraph and the other installed packages ship no W3C RDFC-1.0 test vectors (checked:
    # no rdfc10 manifest in site-packages), so this checks the properties the hash relies on.
    p, g = ox.NamedNode("http://example.org/p"), ox.NamedNode("http://example.org/g")

    def quads(a: str, b: str):
        x, y = ox.BlankNode(a), ox.BlankNode(b)
        return [ox.Quad(x, p, y, g), ox.Quad(y, p, ox.Literal("v"), g), ox.Quad(x, p, ox.Literal("w"))]

    assert canonical_hash(quads("a", "b")) == canonical_hash(list(reversed(quads("zz", "q1"))))
    swapped = [
        ox.Quad(q.subject, q.predicate, ox.Literal("other"), q.graph_name) if i == 1 else q
        for i, q in enumerate(quads("a", "b"))
    ]
    assert canonical_hash(swapped) != canonical_hash(quads("a", "b"))
    # The hash is SHA-256 over the canonical N-Quads lines, sorted: recompute it by hand.
    dataset = ox.Dataset(quads("a", "b"))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    text = b"".join(sorted(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)))
    assert text.startswith(b"_:c14n")
    assert canonical_hash(quads("a", "b")) == hashlib.sha256(text).hexdigest()


def test_releasing_an_existing_version_is_refused_and_changes_nothing(releases_copy, two_builds):
    before = listing(releases_copy)
    result = run("release", "0.2.0", "--build-dir", str(two_builds[1]), "--releases-dir", str(releases_copy))
    assert result.exit_code == 1, result.output
    assert "exists already" in result.output and "fix:" in result.output
    assert listing(releases_copy) == before


@pytest.mark.parametrize("version", ["0.1.9", "0.1.0"])
def test_a_version_not_above_the_latest_is_refused(releases_copy, two_builds, version):
    shutil.rmtree(releases_copy / version, ignore_errors=True)  # 0.1.0 then is free, but still below 0.2.0
    before = listing(releases_copy)
    result = run("release", version, "--build-dir", str(two_builds[1]), "--releases-dir", str(releases_copy))
    assert result.exit_code == 1, result.output
    assert "not greater than the latest release 0.2.0" in result.output
    assert listing(releases_copy) == before


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0-rc1", "01.0.0"])
def test_a_version_that_is_not_semver_is_a_usage_error(releases_copy, two_builds, version):
    result = run("release", version, "--build-dir", str(two_builds[1]), "--releases-dir", str(releases_copy))
    assert result.exit_code == 2, result.output
    assert "not semantic versioning" in result.output


def test_a_build_that_failed_a_check_is_refused(two_builds, tmp_path):
    build = Path(shutil.copytree(two_builds[1], tmp_path / "build"))
    info = json.loads((build / "build.json").read_text())
    info["checks"]["SHACL"] = "2 violation(s)"
    (build / "build.json").write_text(json.dumps(info))
    result = run("release", "1.0.0", "--build-dir", str(build), "--releases-dir", str(tmp_path / "releases"))
    assert result.exit_code == 1, result.output
    assert "did not pass validation (SHACL: 2 violation(s))" in result.output
    assert not (tmp_path / "releases").exists() or not any((tmp_path / "releases").iterdir())


def test_a_damaged_dump_is_refused_and_leaves_no_release(two_builds, tmp_path):
    build = Path(shutil.copytree(two_builds[1], tmp_path / "build"))
    with gzip.open(build / "dumps" / "parley.nq.gz", "ab") as handle:
        handle.write(b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    result = run("release", "1.0.0", "--build-dir", str(build), "--releases-dir", str(tmp_path / "releases"))
    assert result.exit_code == 1, result.output
    assert "parley.nq.gz: damaged (its SHA-256 differs from" in result.output
    assert not (tmp_path / "releases" / "1.0.0").exists()


def test_relative_paths_are_taken_from_root(two_builds, tmp_path):
    shutil.copytree(two_builds[0], tmp_path / "build")
    result = run("release", "0.1.0", "--root", str(tmp_path), "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "releases" / "0.1.0" / "release.json").is_file()
    assert not any(p.name.startswith(".") for p in (tmp_path / "releases").iterdir()), "a temporary directory was left"


def test_citation_cff_has_the_required_keys(released):
    data = yaml.safe_load((released / "0.2.0" / "CITATION.cff").read_text(encoding="utf-8"))
    assert data["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "date-released"):
        assert data[key], f"CITATION.cff lacks {key}"
    assert data["version"] == "0.2.0" and str(data["date-released"]) == "2026-12-02"
    assert all("name" in a or "family-names" in a for a in data["authors"])


def test_the_metadata_states_only_what_the_build_states(released):
    ontology = Graph().parse(released / "0.2.0" / "dumps" / "ontology.ttl", format="turtle")
    creators = {str(c) for c in ontology.objects(URIRef("https://w3id.org/parley/ontology"), DCTERMS.creator)}
    void = Graph().parse(released / "0.2.0" / "void.ttl", format="turtle")
    dataset = URIRef(DATASET + "0.2.0")
    assert {str(c) for c in void.objects(dataset, DCTERMS.creator)} == creators
    assert (dataset, PROV.wasRevisionOf, URIRef(DATASET + "0.1.0")) in void
    assert (dataset, URIRef("http://www.w3.org/ns/dcat#version"), Literal("0.2.0")) in void
    assert str(void.value(dataset, DCTERMS.issued)) == "2026-12-02"
    assert (dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/parley/shapes/0.2.0")) in void
    assert (
        URIRef("https://w3id.org/parley/ontology"),
        DCTERMS.hasVersion,
        URIRef("https://w3id.org/parley/ontology/0.2.0"),
    ) in void
    # The build states no publisher: the metadata says so instead of naming one.
    assert (dataset, DCTERMS.publisher, None) not in void
    assert (dataset, RDFS.comment, Literal("The build states no publisher.", lang="en")) in void
    datacite = json.loads((released / "0.2.0" / "datacite.json").read_text())
    assert datacite["publisher"] == {"name": "(:unav)"}
    assert [c["name"] for c in datacite["creators"]] == sorted(creators)
    assert datacite["relatedIdentifiers"][0]["relatedIdentifier"] == DATASET + "0.1.0"


def test_parley_diff_prints_the_change_as_text_and_turtle(released):
    result = run("diff", str(released / "0.1.0"), str(released / "0.2.0"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Changes from 0.1.0 to 0.2.0") and f"changed claim <{CLAIM}>" in result.output
    result = run("diff", "--format", "turtle", str(released / "0.1.0"), str(released / "0.2.0"))
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.output, format="turtle")
    assert (None, SCHEMA.object, URIRef(CLAIM)) in graph


def test_parley_diff_of_builds_works_too(two_builds):
    result = run("diff", str(two_builds[0]), str(two_builds[1]))
    assert result.exit_code == 0, result.output
    assert f"changed claim <{CLAIM}>" in result.output


def test_parley_diff_of_a_directory_without_dumps_is_a_usage_error(tmp_path, released):
    result = run("diff", str(tmp_path), str(released / "0.2.0"))
    assert result.exit_code == 2, result.output
    assert "no N-Quads dump here" in result.output
