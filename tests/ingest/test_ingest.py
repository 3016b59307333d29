"""Golden and property tests of the ingest on the small fictional project."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import SKOS

from graph.build import ingest_sources
from graph.dump import sorted_quads
from graph.namespaces import ID, OA, ONTOLOGY_GRAPH, PARLEY, PREFIXES, PROVENANCE_GRAPH, WORLD_GRAPH, bind_prefixes
from graph.validate import union_graph

if __package__:
    from .conftest import MINI, make_project
else:  # run as a script to regenerate the golden file
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.ingest.conftest import MINI, make_project

GOLDEN = MINI / "expected.trig"
REGENERATE = "python tests/ingest/test_ingest.py"


def _content(dataset: Dataset) -> list[ox.Quad]:
    """The dataset's quads without the ontology and provenance graphs (tested on their own)."""
    return [q for q in sorted_quads(dataset) if q.graph_name.value not in (str(ONTOLOGY_GRAPH), str(PROVENANCE_GRAPH))]


def _graphs_of(quads) -> dict[str, Graph]:
    """Split quads into one rdflib Graph per named graph."""
    graphs: dict[str, list] = {}
    for quad in quads:
        graphs.setdefault(str(quad.graph_name.value), []).append(f"{quad.triple} .")
    return {name: Graph().parse(data="\n".join(lines), format="nt") for name, lines in graphs.items()}


def test_ingest_matches_the_golden_dataset(project):
    produced = _graphs_of(_content(ingest_sources(project)))
    expected = _graphs_of(ox.parse(GOLDEN.read_bytes(), format=ox.RdfFormat.TRIG))
    for name in sorted(set(produced) | set(expected)):
        got = produced.get(name, Graph())
        want = expected.get(name, Graph())
        if to_isomorphic(got) != to_isomorphic(want):
            _both, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
            bind_prefixes(only_got)
            bind_prefixes(only_want)
            raise AssertionError(
                f"graph <{name}> differs from {GOLDEN.name}.\nOnly in the ingest:\n"
                f"{only_got.serialize(format='turtle')}\nOnly in the golden file:\n{only_want.serialize(format='turtle')}\n"
                f"If the change is intended, regenerate it: {REGENERATE}"
            )


def test_quote_offsets_are_computed_from_the_article(project):
    dataset = union_graph(ingest_sources(project))
    text = (project / "corpus" / "001_00aa11bb00aa11bb.txt").read_text(encoding="utf-8")
    evidence = ID["evidence/001-freedonia-bodies"]
    position = URIRef(f"{evidence}#position")
    quote = URIRef(f"{evidence}#quote")
    start = dataset.value(position, OA.start).toPython()
    end = dataset.value(position, OA.end).toPython()
    assert text[start:end] == "Freedonia put the figure at 95"
    assert str(dataset.value(quote, OA.exact)) == text[start:end]
    assert str(dataset.value(quote, OA.prefix)) == text[max(0, start - 32) : start]
    assert str(dataset.value(quote, OA.suffix)) == text[end : end + 32]


def test_spelling_variants_resolve_to_one_resource(project):
    dataset = union_graph(ingest_sources(project))
    firefly = ID["person/rufus-firefly"]
    assert set(dataset.objects(firefly, SKOS.prefLabel)) == {Literal("Rufus Firefly", lang="en")}
    assert set(dataset.objects(firefly, SKOS.altLabel)) == {Literal("Rufus T. Firefly", lang="en")}
    assert set(dataset.objects(firefly, PARLEY.mentionedIn)) == {
        ID[f"article/{n}"] for n in ("001-00aa11bb00aa11bb", "002-00cc22dd00cc22dd", "003-00ee33ff00ee33ff")
    }


def test_derived_relations_are_written_both_ways(project):
    dataset = union_graph(ingest_sources(project))
    freedonia, sylvania, firefly = (
        ID[f"claim/{k}"] for k in ("001-freedonia-bodies", "001-sylvania-bodies", "002-firefly-bodies")
    )
    pairs = [(freedonia, PARLEY.conflictsWith, firefly), (sylvania, PARLEY.corroborates, freedonia)]
    pairs.append((sylvania, PARLEY.corroborates, firefly))  # 90 lies in "about 100", [90, 110]
    pairs.append((sylvania, PARLEY.agreesWith, firefly))  # corroborates says agrees with, from other speakers
    for a, prop, b in pairs:
        assert (a, prop, b) in dataset and (b, prop, a) in dataset, f"{a} {prop} {b}"
    assert (freedonia, PARLEY.conflictsWith, sylvania) not in dataset  # 95 lies in "about 100"


def test_iris_are_stable_when_a_claim_is_inserted(project):
    before = {s for s in union_graph(ingest_sources(project)).subjects() if isinstance(s, URIRef)}
    path = project / "curation" / "001_00aa11bb00aa11bb.yaml"
    text = path.read_text(encoding="utf-8")
    inserted = text.replace(
        "claims:\n",
        """claims:
  - key: an-inserted-claim
    about: round/2000-05-05-example-city
    measure: prisoners-agreed-per-side
    figure: "120"
    approximation: exact
    value: 120
    speaker: state/sylvania
    modality: agreed
    quote: "agreed in Example City on May 5 to swap 120 prisoners each"
""",
        1,
    )
    path.write_text(inserted, encoding="utf-8")
    after = {s for s in union_graph(ingest_sources(project)).subjects() if isinstance(s, URIRef)}
    assert before < after
    assert {str(i) for i in after - before} == {
        str(ID["claim/001-an-inserted-claim"]),
        str(ID["claim/001-an-inserted-claim"]) + "#quantity",
        str(ID["evidence/001-an-inserted-claim"]),
        str(ID["evidence/001-an-inserted-claim"]) + "#quote",
        str(ID["evidence/001-an-inserted-claim"]) + "#position",
        # the relation the build derives with the claim it agrees with, named by both keys
        str(ID["relation/001-an-inserted-claim--agrees--001-prisoners-agreed"]),
        # a second figure for the round and measure: now figures in dispute, named by subject and measure
        str(ID["figures/round-2000-05-05-example-city--prisoners-agreed-per-side"]),
    }


def test_every_triple_is_in_exactly_one_graph(project):
    dataset = ingest_sources(project)
    seen: dict = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        assert (s, p, o) not in seen, f"{(s, p, o)} is in {seen[(s, p, o)]} and {g}"
        seen[(s, p, o)] = g
    assert WORLD_GRAPH in {g.identifier for g in dataset.graphs()}


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        produced = _content(ingest_sources(make_project(Path(tmp) / "project")))
        prefixes = {k: str(v) for k, v in PREFIXES.items() if k != "pid"}
        GOLDEN.write_bytes(ox.serialize(produced, format=ox.RdfFormat.TRIG, prefixes=prefixes))
        print(f"wrote {GOLDEN}")
