"""Figures in dispute: one resource for each subject and measure that several figures share.

``figure_sets(dataset)`` returns a ``FigureSet`` for every subject and measure that two or more
numeric claims (claims with a ``parley:quantity``) share: its IRI
(``{ID}figures/{subject kind}-{subject slug}--{measure slug}``), its label in words, its claims
and the claim relations (derived or asserted by hand) between two of them. A total and its
per-side measure (``parley:bothSidesOf``) are separate sets, each of its own measure; the
relations between them belong to neither. ``add_figure_sets(dataset)`` writes the sets into the
relations graph; the build calls it once the relations are written (docs/claims.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .namespaces import ID, ONTOLOGY_GRAPH, PARLEY, WORLD_GRAPH
from .relations import RELATIONS_GRAPH

MIN_FIGURES = 2  # one figure alone is not in dispute


@dataclass(frozen=True)
class FigureSet:
    """The numeric claims about one subject for one measure, and the relations among them."""

    iri: URIRef
    label: str
    subject: URIRef
    measure: URIRef
    figures: tuple[URIRef, ...]
    relations: tuple[URIRef, ...]


def _local(iri: URIRef) -> str:
    text = str(iri)
    if not text.startswith(str(ID)):
        raise ValueError(f"<{text}> is not a Parley IRI (under {ID}); a figure set names only Parley's own things")
    return text[len(str(ID)) :]


def figure_set_iri(subject: URIRef, measure: URIRef) -> URIRef:
    """Return the IRI of the figures about ``subject`` for ``measure``:
    ``figures/state-russia--bodies-returned-to-ukraine-total`` under the ID namespace.

    Slugs never hold ``--`` or ``/``, so the name is unique to the pair. Raises ValueError for an
    IRI outside Parley's ``id/`` namespace."""
    measure_local = _local(measure)
    measure_slug = measure_local.removeprefix("measure/").replace("/", "-")
    return ID[f"figures/{_local(subject).replace('/', '-')}--{measure_slug}"]


def _english(graph, node: URIRef, *props) -> str | None:
    for prop in props:
        values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
        for value in sorted(values, key=lambda v: (v.language != "en", str(v))):
            if value.language in ("en", None):
                return str(value)
    return None


def figure_set_label(measure_label: str, subject_label: str) -> str:
    """The label of a figure set in words: "Bodies returned to Ukraine, cumulative: figures about Russia"."""
    return f"{measure_label[:1].upper()}{measure_label[1:]}: figures about {subject_label}"


def figure_sets(dataset: Dataset) -> list[FigureSet]:
    """Return the figure sets of ``dataset``, ordered by IRI, each with its claims and relations in IRI order."""
    members: dict[tuple[URIRef, URIRef], set[URIRef]] = {}
    relations: list[tuple[URIRef, URIRef, URIRef]] = []
    # Each pattern is read once over the dataset, each match in its own graph: asked graph by
    # graph, the store scans every graph's matches for each one (quadratic in the archive).
    graphs: dict = {}

    def graph_of(name):
        if name not in graphs:
            graphs[name] = dataset.graph(name) if name is not None else dataset.default_graph
        return graphs[name]

    for claim, _p, _quantity, name in dataset.quads((None, PARLEY.quantity, None, None)):
        graph = graph_of(name)
        if (claim, RDF.type, PARLEY.Claim) not in graph:
            continue
        for subject in graph.objects(claim, PARLEY.about):
            for measure in graph.objects(claim, PARLEY.measure):
                members.setdefault((subject, measure), set()).add(claim)
    for relation, _p, _o, name in dataset.quads((None, RDF.type, PARLEY.ClaimRelation, None)):
        graph = graph_of(name)
        source, target = graph.value(relation, PARLEY.fromClaim), graph.value(relation, PARLEY.toClaim)
        if source is not None and target is not None:
            relations.append((relation, source, target))
    leaving: dict[URIRef, list[tuple[URIRef, URIRef]]] = {}  # each claim's relations, to their other claim
    for relation, source, target in relations:
        leaving.setdefault(source, []).append((relation, target))
    ontology, world = dataset.graph(ONTOLOGY_GRAPH), dataset.graph(WORLD_GRAPH)
    found = []
    for (subject, measure), claims in members.items():
        if len(claims) < MIN_FIGURES:
            continue
        measure_label = _english(ontology, measure, SKOS.prefLabel, RDFS.label) or _local(measure).rsplit("/", 1)[-1]
        subject_label = _english(world, subject, RDFS.label, SKOS.prefLabel) or _local(subject)
        found.append(
            FigureSet(
                iri=figure_set_iri(subject, measure),
                label=figure_set_label(measure_label, subject_label),
                subject=subject,
                measure=measure,
                figures=tuple(sorted(claims)),
                relations=tuple(sorted({r for a in claims for r, b in leaving.get(a, ()) if b in claims and a != b})),
            )
        )
    return sorted(found, key=lambda f: str(f.iri))


def add_figure_sets(dataset: Dataset) -> list[FigureSet]:
    """Write every figure set of ``dataset`` into the relations graph and return them."""
    graph = dataset.graph(RELATIONS_GRAPH)
    sets = figure_sets(dataset)
    for found in sets:
        graph.add((found.iri, RDF.type, PARLEY.FigureSet))
        graph.add((found.iri, RDFS.label, Literal(found.label, lang="en")))
        graph.add((found.iri, PARLEY.figureSubject, found.subject))
        graph.add((found.iri, PARLEY.figureMeasure, found.measure))
        for claim in found.figures:
            graph.add((found.iri, PARLEY.hasFigure, claim))
        for relation in found.relations:
            graph.add((found.iri, PARLEY.hasRelation, relation))
    return sets
