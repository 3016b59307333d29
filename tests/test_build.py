"""Invariants of the real build: provenance, checksums, VoID figures, determinism."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from graph.build import build
from graph.namespaces import DATASET, PREFIXES

ROOT = Path(__file__).resolve().parent.parent
P = {k: str(v) for k, v in PREFIXES.items()}


@pytest.fixture(scope="module")
def store(build_dir):
    return ox.Store.read_only(str(build_dir / "store"))


def select(store, query):
    return [
        {v.value: s[v.value] for v in sols.variables if s[v.value] is not None}
        for sols in [store.query(query, prefixes=P, use_default_graph_as_union=True)]
        for s in sols
    ]


def test_every_claim_has_evidence_speaker_article_and_measure(store):
    rows = select(
        store,
        """
        SELECT ?claim WHERE { ?claim a parley:Claim .
          FILTER NOT EXISTS { ?claim parley:evidence/oa:hasSource ?a ; parley:reportedIn ?a ;
                                     parley:speaker ?s ; parley:measure ?m } }""",
    )
    assert rows == []


def test_every_world_fact_has_an_attestation(store):
    rows = select(
        store,
        """
        SELECT ?s ?p ?o WHERE {
          GRAPH <https://w3id.org/parley/graph/world> { ?s ?p ?o }
          FILTER (?p NOT IN (rdf:type, rdfs:label, skos:prefLabel, skos:altLabel, parley:mentionedIn))
          FILTER NOT EXISTS { ?att parley:attestedSubject ?s ; parley:attestedProperty ?p ; parley:attestedValue ?o ;
                                   parley:evidence ?e } }""",
    )
    assert rows == [], f"world statements without evidence: {rows[:5]}"


def test_every_quote_is_at_its_offsets_in_the_article_file(store):
    rows = select(
        store,
        """
        SELECT ?file ?exact ?start ?end WHERE {
          ?e oa:hasSource ?article ; oa:hasSelector ?q, ?p .
          ?article parley:sourceFile ?file .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end . }""",
    )
    assert len(rows) > 100
    texts = {}
    for row in rows:
        name = row["file"].value
        text = texts.setdefault(name, (ROOT / name).read_text(encoding="utf-8"))
        start, end = int(row["start"].value), int(row["end"].value)
        assert text[start:end] == row["exact"].value, f"{name}[{start}:{end}] is not {row['exact'].value!r}"


def test_every_article_hash_matches_its_file(store):
    rows = select(
        store, "SELECT ?file ?sha WHERE { ?a a parley:Article ; parley:sourceFile ?file ; parley:sha256 ?sha }"
    )
    assert len(rows) == len(list((ROOT / "corpus").glob("*.txt")))
    for row in rows:
        data = (ROOT / row["file"].value).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha"].value


def test_the_corpus_is_vendored_unchanged():
    shared = ROOT.parent / "shared" / "corpus"
    if not shared.is_dir():
        pytest.skip("no ../shared/corpus beside this checkout to compare with")
    for path in sorted(shared.glob("*.txt")):
        assert (ROOT / "corpus" / path.name).read_bytes() == path.read_bytes(), path.name


def test_checksums_match_the_dump_files(build_dir):
    sums = (build_dir / "dumps" / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == 6
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((build_dir / "dumps" / name).read_bytes()).hexdigest() == digest


def test_void_figures_match_the_dumps(build_dir):
    """The real build's VoID: void:triples is the distinct triples of its one data dump
    (tests/pages/test_void.py checks every distribution over the mini build)."""
    void = Graph().parse(build_dir / "void.ttl", format="turtle")
    triples = int(void.value(DATASET, VOID.triples))
    nq = list(
        ox.parse(gzip.decompress((build_dir / "dumps" / "parley.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)
    )
    assert triples == len({q.triple for q in nq})
    assert [str(d).rsplit("/", 1)[1] for d in void.objects(DATASET, VOID.dataDump)] == ["parley.nq.gz"]
    for dump in void.objects(DATASET, URIRef("http://www.w3.org/ns/dcat#distribution")):
        data = (build_dir / "dumps" / str(dump).rsplit("/", 1)[1]).read_bytes()
        assert int(void.value(dump, URIRef("http://www.w3.org/ns/dcat#byteSize"))) == len(data)


def test_build_info_reports_valid_checks(build_dir):
    info = json.loads((build_dir / "build.json").read_text())
    assert info["articles"] == 5
    assert info["numbers"] == info["numbers_covered"] > 0
    assert set(info["checks"].values()) <= {"conforms", "no rows", "complete", "consistent"}
    # the validation page's figures: the QC queries run, numbers per article adding up to the totals
    assert info["qc_queries"] == len(list((ROOT / "shapes" / "qc").glob("*-violation.rq"))) > 0
    per_article = info["number_coverage"].values()
    assert len(per_article) == info["articles"]
    assert sum(a["numbers"] for a in per_article) == info["numbers"]
    assert sum(a["covered"] for a in per_article) == info["numbers_covered"]


def test_the_store_holds_exactly_the_quads_of_the_dump(build_dir):
    # Every document, SPARQL answer and release is read from the store, every download from the
    # dumps: the two must be the same data, datatypes included (the store keeps no type derived
    # from xsd:integer, so the ingest writes none).
    dump = set(
        ox.parse(gzip.decompress((build_dir / "dumps" / "parley.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)
    )
    store = ox.Store.read_only(str(build_dir / "store"))
    held = set(store.quads_for_pattern(None, None, None, None))
    assert dump == held, f"{len(dump - held)} quads only in the dump, {len(held - dump)} only in the store"


def test_two_builds_are_byte_identical(build_dir, tmp_path):
    second = tmp_path / "again"
    build(out=second, root=ROOT, reasoner=False)
    # build.json is left out: it records that this second build skipped the reasoner
    for name in ["void.ttl", "validation.ttl"] + [f"dumps/{p.name}" for p in (build_dir / "dumps").iterdir()]:
        assert (second / name).read_bytes() == (build_dir / name).read_bytes(), f"{name} differs between builds"


def test_ingest_run_is_recorded_as_provenance(store):
    rows = select(
        store,
        """
        SELECT ?agent ?version (COUNT(DISTINCT ?used) AS ?n) WHERE {
          <https://w3id.org/parley/id/activity/ingest> a prov:Activity ; prov:wasAssociatedWith ?agent ; prov:used ?used .
          ?agent a prov:SoftwareAgent ; schema:softwareVersion ?version } GROUP BY ?agent ?version""",
    )
    assert len(rows) == 1
    assert int(rows[0]["n"].value) == 11  # five articles, five curation files, the ontology
