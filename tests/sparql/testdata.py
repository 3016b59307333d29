"""Names and small factories the SPARQL endpoint tests share.

The endpoint is tested over the session's ``mini_build`` (the real build of tests/fixtures/mini);
what a test expects of it is read from that build's own store by ``MiniFacts``, so the tests do
not restate the fixture. The W3C Protocol tests keep the W3C's data files as their dataset
(``write_store``), since the manifests expect those graphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tests.helpers import close_app, free_port, make_app  # noqa: F401 (the sparql tests import them from here)

ROOT = Path(__file__).resolve().parents[2]
W3C = Path(__file__).resolve().parent / "w3c"
BASE = "https://w3id.org/parley/"
GRAPH = BASE + "graph/"
WORLD = GRAPH + "world"
PERSON = BASE + "ontology#Person"
W3C_GRAPH_IRI = "http://kasei.us/2009/09/sparql/data/{name}.rdf"
#: a triple cross join over the mini build (thousands of triples cubed): runs for hours
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SELECT_PEOPLE = "SELECT ?person WHERE { ?person a parley:Person } ORDER BY ?person"
CONSTRUCT_PEOPLE = "CONSTRUCT { ?p a parley:Person } WHERE { ?p a parley:Person }"


@dataclass(frozen=True)
class MiniFacts:
    """What the mini build holds, read from its store directly (not through the endpoint)."""

    people: tuple[str, ...]
    graphs: tuple[str, ...]
    subjects: dict[str, int]  # graph IRI -> distinct subjects
    union_subjects: int

    @classmethod
    def read(cls, build: Path) -> MiniFacts:
        store = ox.Store.read_only(str(build / "store"))
        people = tuple(
            sorted(
                s["p"].value
                for s in store.query(
                    "SELECT DISTINCT ?p WHERE { ?p a parley:Person }",
                    prefixes={"parley": BASE + "ontology#"},
                    use_default_graph_as_union=True,
                )
            )
        )
        graphs = tuple(sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)))
        subjects = {}
        for row in store.query("SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            subjects[row["g"].value] = int(row["n"].value)
        union = next(
            iter(store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
        )["n"]
        return cls(people, graphs, subjects, int(union.value))

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(g for g in self.graphs if g.startswith(GRAPH + "article/"))

    @property
    def person(self) -> str:
        return self.people[0]


def write_store(store_dir: Path, graphs: dict[str, list]) -> None:
    """Write a pyoxigraph store with each graph IRI -> its triples (for the W3C dataset)."""
    store = ox.Store(str(store_dir))
    for iri, triples in graphs.items():
        store.extend(ox.Quad(s, p, o, ox.NamedNode(iri)) for s, p, o in triples)
    store.flush()
    del store
