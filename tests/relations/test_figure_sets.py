"""The figure sets the build writes (graph/disputes.py): one per subject and measure with two or
more numeric claims, on the real build, and the rules on small datasets made by hand."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.disputes import figure_set_iri, figure_set_label, figure_sets
from graph.namespaces import ID, ONTOLOGY_GRAPH, PARLEY, WORLD_GRAPH, article_graph

PREFIX = "PREFIX parley: <https://w3id.org/parley/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
FIGURES = "https://w3id.org/parley/id/figures/"

# Every figure set of the real corpus, by local name, with its claims (by NNN-key).
REAL_SETS = {
    "exchange-2025-05-23-prisoners--prisoners-exchanged-per-side": {
        "000-may-exchange-per-side",
        "003-first-round-exchange-per-side",
    },
    "exchange-2025-06-13-bodies--bodies-received-by-ukraine": {
        "000-bodies-received-june-13",
        "000-tass-bodies-handed-back-june-13",
        "000-ukraine-bodies-received-another-1200",
    },
    "proposal-children-return-list--children-on-list": {
        "002-children-on-list-several-hundred",
        "003-medinsky-children-on-list-339",
        "003-yermak-children-a-number",
        "004-children-on-list-339",
    },
    "proposal-local-ceasefire--ceasefire-duration-days": {
        "003-medinsky-local-ceasefire-days",
        "004-local-ceasefire-days",
    },
    "provision-2025-06-02-bodies--bodies-agreed-per-side": {
        "001-bodies-agreed-6000-for-6000",
        "002-bodies-6000-for-same-number",
        "002-bodies-agreed-6000-for-6000",
        "002-headline-bodies-6000",
        "003-bodies-agreed-per-side-6000",
        "004-defence-ministry-bodies-agreed-per-side",
    },
    "provision-2025-06-02-bodies--bodies-agreed-total": {
        "000-officials-bodies-agreed-total",
        "003-bodies-agreed-total-12000",
        "004-defence-ministry-bodies-agreed-total",
    },
    "state-russia--bodies-offered": {
        "001-putin-bodies-offered-additional-3000",
        "001-putin-bodies-offered-another-3000",
        "001-putin-bodies-offered-nearly-3000",
    },
    "state-russia--bodies-returned-to-ukraine-total": {
        "000-bodies-total-to-date",
        "001-bodies-returned-3600",
        "001-putin-bodies-returned-6000",
        "001-putin-bodies-returned-total",
        "004-zelensky-bodies-handed-over-6000",
    },
}

SETS = (
    PREFIX
    + """
SELECT ?set ?label ?subject ?measure ?claim ?g WHERE {
    GRAPH ?g { ?set a parley:FigureSet ; rdfs:label ?label ; parley:figureSubject ?subject ;
                    parley:figureMeasure ?measure ; parley:hasFigure ?claim }
}"""
)
# The test's own reading of the claims: numeric claims sharing a subject and a measure.
SHARED = (
    PREFIX
    + """
SELECT ?about ?measure (COUNT(DISTINCT ?claim) AS ?n) WHERE {
    ?claim a parley:Claim ; parley:about ?about ; parley:measure ?measure ; parley:quantity [] .
} GROUP BY ?about ?measure HAVING (COUNT(DISTINCT ?claim) >= 2)"""
)
SET_RELATIONS = PREFIX + "SELECT ?set ?r WHERE { ?set parley:hasRelation ?r }"
BETWEEN = (
    PREFIX
    + """
SELECT DISTINCT ?set ?r WHERE {
    ?r a parley:ClaimRelation ; parley:fromClaim ?a ; parley:toClaim ?b .
    ?set parley:hasFigure ?a, ?b .
}"""
)


def _rows(store: ox.Store, query: str, **bindings) -> list[dict[str, str]]:
    solutions = store.query(
        query, use_default_graph_as_union=True, substitutions={ox.Variable(k): v for k, v in bindings.items()}
    )
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


@pytest.fixture(scope="module")
def store(build_dir) -> ox.Store:
    return ox.Store.read_only(str(build_dir / "store"))


def test_the_real_build_has_one_figure_set_per_subject_and_measure_with_two_figures(store):
    got: dict[str, set[str]] = {}
    for row in _rows(store, SETS):
        assert row["set"].startswith(FIGURES)
        assert row["g"] == "https://w3id.org/parley/graph/relations"
        got.setdefault(row["set"][len(FIGURES) :], set()).add(row["claim"].rsplit("/", 1)[-1])
    assert got == REAL_SETS
    shared = {(r["about"], r["measure"]) for r in _rows(store, SHARED)}
    named = {(r["subject"], r["measure"]) for r in _rows(store, SETS)}
    assert named == shared


def test_a_figure_set_is_named_and_labelled_from_its_subject_and_measure(store):
    rows = _rows(store, SETS, set=ox.NamedNode(FIGURES + "state-russia--bodies-returned-to-ukraine-total"))
    assert {r["label"] for r in rows} == {"Bodies returned to Ukraine, cumulative: figures about Russia"}
    assert {r["subject"] for r in rows} == {"https://w3id.org/parley/id/state/russia"}
    assert {r["measure"] for r in rows} == {"https://w3id.org/parley/id/measure/bodies-returned-to-ukraine-total"}


@pytest.mark.parametrize("name", sorted(REAL_SETS))
def test_a_figure_set_lists_every_relation_between_two_of_its_figures_and_no_other(store, name):
    node = ox.NamedNode(FIGURES + name)
    listed = {r["r"] for r in _rows(store, SET_RELATIONS, set=node)}
    assert listed == {r["r"] for r in _rows(store, BETWEEN, set=node)}
    if name == "state-russia--bodies-returned-to-ukraine-total":
        assert len(listed) == 10  # five figures, every two related


def test_a_total_and_its_per_side_measure_are_separate_sets(store):
    per_side = FIGURES + "provision-2025-06-02-bodies--bodies-agreed-per-side"
    total = FIGURES + "provision-2025-06-02-bodies--bodies-agreed-total"
    across = (
        PREFIX
        + """
    SELECT DISTINCT ?side ?all ?r WHERE {
        ?r a parley:ClaimRelation ; parley:fromClaim ?a ; parley:toClaim ?b .
        { ?side parley:hasFigure ?a . ?all parley:hasFigure ?b } UNION { ?side parley:hasFigure ?b . ?all parley:hasFigure ?a }
    }"""
    )
    relations_across = {r["r"] for r in _rows(store, across, side=ox.NamedNode(per_side), all=ox.NamedNode(total))}
    assert relations_across, "the build relates per-side figures with totals (parley:bothSidesOf)"
    listed = {r["r"] for name in (per_side, total) for r in _rows(store, SET_RELATIONS, set=ox.NamedNode(name))}
    assert not relations_across & listed


def test_figure_set_iris_follow_subject_and_measure():
    assert figure_set_iri(ID["state/russia"], ID["measure/bodies-returned-to-ukraine-total"]) == URIRef(
        FIGURES + "state-russia--bodies-returned-to-ukraine-total"
    )
    assert figure_set_iri(ID["exchange/2025-06-13-bodies"], ID["measure/bodies-received-by-ukraine"]) == URIRef(
        FIGURES + "exchange-2025-06-13-bodies--bodies-received-by-ukraine"
    )
    with pytest.raises(ValueError, match="not a Parley IRI"):
        figure_set_iri(URIRef("http://example.org/russia"), ID["measure/bodies-offered"])
    assert figure_set_label("bodies offered for return", "Russia") == "Bodies offered for return: figures about Russia"


def _claim(dataset: Dataset, key: str, about: list[str], measure: str, numeric: bool = True) -> URIRef:
    graph = dataset.graph(article_graph("900-0123456789abcdef"))
    iri = ID[f"claim/900-{key}"]
    graph.add((iri, RDF.type, PARLEY.Claim))
    for subject in about:
        graph.add((iri, PARLEY.about, ID[subject]))
    graph.add((iri, PARLEY.measure, ID[f"measure/{measure}"]))
    if numeric:
        graph.add((iri, PARLEY.quantity, URIRef(f"{iri}#quantity")))
    else:
        graph.add((iri, PARLEY.statedValue, Literal("many")))
    return iri


def test_figure_sets_count_only_numeric_claims_and_every_subject_of_a_claim():
    dataset = Dataset()
    dataset.graph(ONTOLOGY_GRAPH).add((ID["measure/m"], SKOS.prefLabel, Literal("things counted", lang="en")))
    dataset.graph(WORLD_GRAPH).add((ID["state/a"], RDFS.label, Literal("State A", lang="en")))
    a1 = _claim(dataset, "a1", ["state/a", "state/b"], "m")
    a2 = _claim(dataset, "a2", ["state/a"], "m")
    _claim(dataset, "words", ["state/a", "state/b"], "m", numeric=False)  # a statement is no figure
    _claim(dataset, "other", ["state/b"], "n")
    relation = ID["relation/900-a1--conflicts--900-a2"]
    relations = dataset.graph(URIRef("https://w3id.org/parley/graph/relations"))
    relations.add((relation, RDF.type, PARLEY.ClaimRelation))
    relations.add((relation, PARLEY.fromClaim, a1))
    relations.add((relation, PARLEY.toClaim, a2))
    (only,) = figure_sets(dataset)  # state/b has one figure for m: not in dispute
    assert only.iri == URIRef(FIGURES + "state-a--m")
    assert only.label == "Things counted: figures about State A"
    assert only.figures == (a1, a2) and only.relations == (relation,)
