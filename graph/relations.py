"""Relations between claims in the built dataset: the figures read from the graph, the relations
the rules derive written back (docs/claims.md).

``add_relations(dataset, corpus)`` reads every numeric claim of the built dataset into a
``graph.rules.Figure`` (its interval and printed precision, its as-of interval, its scope,
baseline and sides), writes each quantity's interval and bounds and each claim's as-of interval,
each derived relation (a ``parley:ClaimRelation`` node and the direct property) into the
relations graph, each relation a curator asserted by hand into the graph of the claim that
asserts it with the curator's reason and whether the figures can both hold (which
``shapes/qc/hand-conflict-compatible-violation.rq`` checks), and each curator's override of a
derived relation beside the relation it overrides.
"""

from __future__ import annotations

import calendar
import datetime as dt

from rdflib import Dataset, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, RDFS, XSD

from .intervals import Interval, Span, interval, number_text, printed_unit
from .namespaces import GRAPH, ID, ONTOLOGY_GRAPH, PARLEY, article_graph
from .records import Corpus
from .rules import UNSPECIFIED, Baseline, Figure, Relation, derive, pairs, relate

RELATIONS_GRAPH = GRAPH["relations"]

KIND_PROPERTY = {
    "agrees": PARLEY.agreesWith,
    "consistent": PARLEY.consistentWith,
    "conflicts": PARLEY.conflictsWith,
    "possibly-conflicts": PARLEY.possiblyConflictsWith,
    "updates": PARLEY.updates,
    "not-comparable": PARLEY.notComparableWith,
}
SYMMETRIC = {"agrees", "consistent", "conflicts", "possibly-conflicts", "not-comparable"}
HAND_KINDS = {"conflicts_with": "conflicts", "corroborates": "agrees"}


def _direct(relation_kind: str, source: Figure | None, target: Figure | None, hand: bool = False) -> list[URIRef]:
    """The direct properties of a relation: agreement is said as agrees with, and as corroborates
    (other speakers, or by hand) or restates (one speaker), for queries without inference."""
    if relation_kind != "agrees":
        return [KIND_PROPERTY[relation_kind]]
    if not hand and source is not None and target is not None and source.speakers & target.speakers:
        return [PARLEY.agreesWith, PARLEY.restates]
    return [PARLEY.agreesWith, PARLEY.corroborates]


# -- reading the graph


def _day_span(literal) -> tuple[dt.date, dt.date, str] | None:
    """The days a date literal covers: a day, a month (xsd:gYearMonth) or a year (xsd:gYear)."""
    if literal is None:
        return None
    text = str(literal)
    if literal.datatype == XSD.gYear:
        year = int(text[:4])
        return dt.date(year, 1, 1), dt.date(year, 12, 31), text[:4]
    if literal.datatype == XSD.gYearMonth:
        year, month = int(text[:4]), int(text[5:7])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), text[:7]
    day = dt.date.fromisoformat(text[:10])
    return day, day, day.isoformat()


def _span(graph, claim, name: str) -> tuple[dt.date, dt.date, str] | None:
    single = _day_span(graph.value(claim, PARLEY[name]))
    if single is not None:
        return single
    earliest = _day_span(graph.value(claim, PARLEY[f"{name}Earliest"]))
    latest = _day_span(graph.value(claim, PARLEY[f"{name}Latest"]))
    if earliest is None and latest is None:
        return None
    lo, hi = earliest[0] if earliest else None, latest[1] if latest else None
    text = f"between {earliest[2] if earliest else '…'} and {latest[2] if latest else '…'}"
    return lo, hi, text


class _Baselines:
    """Baselines of running totals, with the earliest day the dataset gives each one."""

    def __init__(self, dataset: Dataset):
        self.union = ReadOnlyGraphAggregate(list(dataset.graphs()))  # the world and every article's graph
        self.found: dict[URIRef, Baseline] = {}

    def _label(self, iri: URIRef) -> str:
        label = self.union.value(iri, RDFS.label)
        return f"{label} ({_short(iri)})" if label is not None else _short(iri)

    def _start(self, iri: URIRef) -> dt.date | None:
        """The earliest day of the thing or of its dated parts (rounds of a series, the round an
        agreement was reached at), or None where the dataset gives none."""
        dated = [iri, *self.union.subjects(PARLEY.partOf, iri), *self.union.objects(iri, PARLEY.reachedAt)]
        days = [_day_span(d) for t in dated for p in (PARLEY.date, PARLEY.startDate) for d in self.union.objects(t, p)]
        return min((d[0] for d in days), default=None)

    def _series_of(self, iri: URIRef) -> URIRef:
        """The series of exchanges that implements an agreement, else the thing itself: counting
        "since the agreement" is counting over the exchanges that carry it out."""
        for series in self.union.subjects(PARLEY.implements, iri):
            if (series, RDF.type, PARLEY.ExchangeProcess) in self.union:
                return series
        return iri

    def of(self, graph, claim) -> Baseline:
        named = graph.value(claim, PARLEY.baseline)
        if named is not None and named != PARLEY.unspecifiedBaseline:
            if named not in self.found:
                series = self._series_of(named)
                self.found[named] = Baseline(str(series), self._label(named), self._start(series))
            return self.found[named]
        day = _day_span(graph.value(claim, PARLEY.baselineDate))
        if day is not None:
            return Baseline(f"date:{day[2]}", f"{day[2]}", day[0])
        return UNSPECIFIED


def _short(iri: URIRef) -> str:
    return str(iri)[len(str(ID)) :] if str(iri).startswith(str(ID)) else str(iri)


def _sides(ontology) -> dict[URIRef, str]:
    sides = {}
    for total, per_side in ontology.subject_objects(PARLEY.bothSidesOf):
        sides[total], sides[per_side] = "total", "per-side"
    return sides


def _figures(dataset: Dataset, corpus: Corpus) -> tuple[dict[URIRef, Figure], dict[URIRef, URIRef]]:
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    kinds = {m: str(k).rsplit("/", 1)[-1] for m, k in ontology.subject_objects(PARLEY.measureKind)}
    both_sides = dict(ontology.subject_objects(PARLEY.bothSidesOf))
    sides = _sides(ontology)
    baselines = _Baselines(dataset)
    derived_graph = dataset.graph(RELATIONS_GRAPH)
    figures = {}
    # The claims of every graph, read once in the store's order: asked graph by graph, the store
    # scans every graph's claims for each article (quadratic in the archive).
    claims: dict = {}
    for claim, _p, _o, name in dataset.quads((None, RDF.type, PARLEY.Claim, None)):
        claims.setdefault(name, []).append(claim)
    for article in corpus.articles:
        graph = dataset.graph(article_graph(article.slug))
        published = graph.value(article.iri, PARLEY.publishedOn)
        published = published.toPython() if published is not None else None
        for claim in claims.get(graph.identifier, ()):
            quantity = graph.value(claim, PARLEY.quantity)
            if quantity is None:
                continue
            numbers = [graph.value(quantity, p) for p in (PARLEY.value, PARLEY.minValue, PARLEY.maxValue)]
            numbers = [n.toPython() if n is not None else None for n in numbers]
            approximation = str(graph.value(quantity, PARLEY.approximation)).rsplit("/", 1)[-1]
            measure = graph.value(claim, PARLEY.measure)
            kind = kinds.get(measure, "per-event")
            figure = str(graph.value(quantity, PARLEY.figure))
            scope = graph.value(claim, PARLEY.scope)
            local = _local(claim)
            figures[claim] = Figure(
                iri=claim,
                name=f"{local[:3]}/{local[4:]}",
                figure=figure,
                about=frozenset(graph.objects(claim, PARLEY.about)),
                measure=measure,
                kind=kind,
                speakers=frozenset(graph.objects(claim, PARLEY.speaker)),
                quantity=interval(approximation, *numbers),
                unit=printed_unit(approximation, figure, numbers),
                as_of=Span.read(_span(graph, claim, "asOf"), _span(graph, claim, "statedOn"), published),
                scope=None if scope == PARLEY.unspecifiedScope else scope,
                scope_unspecified=scope == PARLEY.unspecifiedScope,
                baseline=baselines.of(graph, claim) if kind == "cumulative" else None,
                sides_open=bool(graph.value(claim, PARLEY.sidesOpen)),
                side=sides.get(measure),
            )
            graph.add((quantity, PARLEY.interval, Literal(str(figures[claim].quantity))))
            _write_figure(derived_graph, figures[claim], quantity)
    return figures, both_sides


# -- writing the graph


def _local(iri: URIRef) -> str:
    return str(iri)[len(str(ID["claim/"])) :]


def _decimal(value) -> Literal:
    """A number as xsd:integer when whole (xsd:decimal otherwise, both in the property's range): a
    whole xsd:decimal has two lexical forms, "3012" and "3012.0", and the store's writers differ."""
    if value == value.to_integral_value():
        return Literal(int(value), datatype=XSD.integer)
    return Literal(number_text(value), datatype=XSD.decimal)


def _write_figure(graph, figure: Figure, quantity: URIRef) -> None:
    """The interval and as-of interval the rules read, for pages and queries."""
    q = figure.quantity
    if q.lo is not None:
        graph.add((quantity, PARLEY.lowerBound, _decimal(q.lo)))
    if q.hi is not None:
        graph.add((quantity, PARLEY.upperBound, _decimal(q.hi)))
    if figure.unit is not None:
        graph.add((quantity, PARLEY.printedPrecision, _decimal(figure.unit)))
    if figure.as_of.lo is not None:
        graph.add((figure.iri, PARLEY.asOfFrom, Literal(figure.as_of.lo, datatype=XSD.date)))
    if figure.as_of.hi is not None:
        graph.add((figure.iri, PARLEY.asOfUntil, Literal(figure.as_of.hi, datatype=XSD.date)))
    graph.add((figure.iri, PARLEY.asOfText, Literal(figure.as_of.text, lang="en")))
    if figure.baseline is not None:
        graph.add((figure.iri, PARLEY.baselineText, Literal(figure.baseline.label, lang="en")))


def _write(graph, iri: URIRef, kind: str, rule: str, source: URIRef, target: URIRef, reason: str) -> None:
    graph.add((iri, RDF.type, PARLEY.ClaimRelation))
    words = kind.replace("-", " ")
    graph.add((iri, RDFS.label, Literal(f"{_local(source)} {words} {_local(target)}", lang="en")))
    graph.add((iri, PARLEY.relationKind, ID[f"relation-kind/{kind}"]))
    graph.add((iri, PARLEY.relationRule, ID[f"relation-rule/{rule}"]))
    graph.add((iri, PARLEY.fromClaim, source))
    graph.add((iri, PARLEY.toClaim, target))
    graph.add((iri, PARLEY.reason, Literal(reason, lang="en")))


def _write_comparison(graph, iri: URIRef, relation: Relation) -> None:
    graph.add((iri, PARLEY.fromInterval, Literal(str(relation.source_interval))))
    graph.add((iri, PARLEY.toInterval, Literal(str(relation.target_interval))))
    graph.add((iri, PARLEY.fromDate, Literal(relation.source.as_of.text)))
    graph.add((iri, PARLEY.toDate, Literal(relation.target.as_of.text)))
    graph.add((iri, PARLEY.intervalsCompatible, Literal(relation.compatible, datatype=XSD.boolean)))


def _relation_iri(source: URIRef, kind: str, target: URIRef, suffix: str = "") -> URIRef:
    return ID[f"relation/{_local(source)}--{kind}--{_local(target)}{suffix}"]


def add_relations(dataset: Dataset, corpus: Corpus) -> list[Relation]:
    """Write the intervals, the derived relations, the hand-asserted ones and the overrides into
    ``dataset``; return the derived relations.

    Derived ones go to the relations graph; a hand-asserted relation or an override goes to the
    graph of the article whose claim asserts it, its direct property both ways, each in its
    subject's graph. A derived relation a curator overrides keeps its node, linked from the
    override by ``parley:overrides``, but its direct property gives way to the override's.
    """
    for article in corpus.articles:
        graph = dataset.graph(article_graph(article.slug))
        for claim in article.claims:
            if claim.scope is not None:
                graph.add((ID[f"claim/{article.number}-{claim.key}"], PARLEY.scope, claim.scope))
    figures, both_sides = _figures(dataset, corpus)
    derived = derive(list(figures.values()), both_sides)
    derived_graph = dataset.graph(RELATIONS_GRAPH)
    overridden = _overridden(corpus)
    derived_iris = {}
    for relation in derived:
        source, target = relation.source.iri, relation.target.iri
        iri = _relation_iri(source, relation.kind, target)
        derived_iris[frozenset((source, target))] = iri
        _write(derived_graph, iri, relation.kind, relation.rule, source, target, relation.reason)
        _write_comparison(derived_graph, iri, relation)
        if frozenset((source, target)) in overridden:
            continue  # the curator's override says how they relate
        for prop in _direct(relation.kind, relation.source, relation.target):
            derived_graph.add((source, prop, target))
            if relation.kind in SYMMETRIC:
                derived_graph.add((target, prop, source))
    graphs = {a.number: dataset.graph(article_graph(a.slug)) for a in corpus.articles}
    for article in corpus.articles:
        graph = graphs[article.number]
        for claim in article.claims:
            source = ID[f"claim/{article.number}-{claim.key}"]
            hand = [(link, kind, "") for field, kind in HAND_KINDS.items() for link in getattr(claim, field)]
            hand += [(o, o.kind, "--override") for o in getattr(claim, "overrides", ())]
            for link, kind, suffix in hand:
                number, _, key = link.target.partition("/")
                target = ID[f"claim/{number}-{key}"]
                iri = _relation_iri(source, kind, target, suffix or "--curator")
                _write(graph, iri, kind, "curator", source, target, link.reason)
                if source in figures and target in figures:
                    found = _compare(figures[source], figures[target], both_sides)
                    if found is not None:
                        _write_comparison(graph, iri, found)
                if suffix:
                    over = derived_iris.get(frozenset((source, target)))
                    if over is not None:
                        graph.add((iri, PARLEY.overrides, over))
                for prop in _direct(kind, figures.get(source), figures.get(target), hand=not suffix):
                    if (source, prop, target) not in derived_graph:  # one graph per triple
                        graph.add((source, prop, target))
                        if kind in SYMMETRIC:
                            graphs[number].add((target, prop, source))
    return derived


def _overridden(corpus: Corpus) -> set[frozenset]:
    found = set()
    for article in corpus.articles:
        for claim in article.claims:
            for override in getattr(claim, "overrides", ()):
                number, _, key = override.target.partition("/")
                found.add(frozenset((ID[f"claim/{article.number}-{claim.key}"], ID[f"claim/{number}-{key}"])))
    return found


def _compare(a: Figure, b: Figure, both_sides: dict[URIRef, URIRef]) -> Relation | None:
    """The derived relation from ``a`` to ``b`` as a hand-asserted one states it (a first)."""
    for x, y, fx, fy in pairs([a, b], both_sides):
        found = relate(x, y, fx, fy)
        if found is None:
            return None
        if found.source is b:  # state it from a, as the curator did
            found = Relation(
                found.kind,
                found.rule,
                a,
                b,
                found.target_interval,
                found.source_interval,
                found.compatible,
                found.reason,
            )
        return found
    return None


__all__ = ["RELATIONS_GRAPH", "Interval", "add_relations"]
