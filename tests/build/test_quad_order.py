"""The build's quads come in one stable order (``graph.dump.sorted_quads``): by graph, then
subject, predicate and object, each compared as N-Quads writes it. The dumps, the store and the
caches depend on it, so it is checked against the plain four-key sort on terms chosen to trip a
sort by whole lines: literals that are prefixes of others, spaces and quotes inside literals,
blank node labels that are prefixes of others, several graphs."""

from __future__ import annotations

import random

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from graph.dump import sorted_quads, to_ox

EX = "https://example.org/"


def _dataset() -> Dataset:
    subjects = [URIRef(EX + "a"), URIRef(EX + "a/b"), URIRef(EX + "a-b"), BNode("b1"), BNode("b10"), BNode("b1x")]
    predicates = [URIRef(EX + "p"), URIRef(EX + "p2"), URIRef(EX + "p/q")]
    objects = [
        Literal("x"),
        Literal("x", lang="en"),
        Literal("x y"),
        Literal('x"y'),
        Literal("x\ny"),
        Literal("1", datatype=XSD.integer),
        Literal("1", datatype=XSD.nonNegativeInteger),
        Literal("10", datatype=XSD.integer),
        URIRef(EX + "a"),
        BNode("b1"),
        Literal(""),
    ]
    rng = random.Random(7)
    dataset = Dataset()
    for name in ("g", "g2", "g/h", "f"):
        graph = dataset.graph(URIRef(EX + name))
        for _ in range(300):
            graph.add((rng.choice(subjects), rng.choice(predicates), rng.choice(objects)))
    return dataset


def test_sorted_quads_sorts_by_graph_subject_predicate_object():
    dataset = _dataset()
    expected = [
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in dataset.quads((None, None, None, None))
    ]
    expected.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    assert len(expected) > 500
    assert sorted_quads(dataset) == expected
