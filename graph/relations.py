"""Relations between claims, derived from their figures and dates (docs/claims.md).

Pure functions first: ``interval(approximation, value, min, max)`` is what a quantity means as
an interval; ``relate(a, b)`` applies the rules to two figures of the same subject and measure
and returns the ``Relation`` they derive (conflicts, restates, updates, corroborates, possibly
conflicts) with its rule and reason, or None. Then the graph side: ``add_relations(dataset,
corpus)`` reads every numeric claim of the built dataset, writes each quantity's interval, each
derived relation (a ``parley:ClaimRelation`` node and the direct property) into the relations
graph, and each relation a curator asserted by hand into the graph of the claim that asserts
it, with the curator's reason and whether the figures can both hold (which
``shapes/qc/hand-conflict-compatible-violation.rq`` checks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .namespaces import GRAPH, ID, ONTOLOGY_GRAPH, PARLEY, article_graph
from .records import Corpus

RELATIONS_GRAPH = GRAPH["relations"]
ABOUT_WIDTH = Decimal("0.1")  # "about v" is [0.9v, 1.1v]
NEARLY_WIDTH = Decimal("0.1")  # "nearly v" is [0.9v, v)

KIND_PROPERTY = {
    "conflicts": PARLEY.conflictsWith,
    "restates": PARLEY.restates,
    "updates": PARLEY.updates,
    "corroborates": PARLEY.corroborates,
    "possibly-conflicts": PARLEY.possiblyConflictsWith,
}
SYMMETRIC = {"conflicts", "restates", "corroborates", "possibly-conflicts"}
HAND_KINDS = {"conflicts_with": "conflicts", "corroborates": "corroborates"}


# -- intervals


@dataclass(frozen=True)
class Interval:
    """A set of numbers between two bounds; None is unbounded on that side."""

    lo: Decimal | None
    hi: Decimal | None
    lo_closed: bool = True
    hi_closed: bool = True

    @property
    def bounded(self) -> bool:
        """True when at least one bound is known: an interval with none says nothing."""
        return self.lo is not None or self.hi is not None

    def overlaps(self, other: Interval) -> bool:
        """Return True when some number lies in both intervals."""
        return not (_below(self, other) or _below(other, self))

    def below(self, other: Interval) -> bool:
        """Return True when every number of this interval is below every number of ``other``."""
        return _below(self, other)

    def scaled(self, factor: int) -> Interval:
        """Return the interval times ``factor`` (a per-side figure as a total over both sides)."""
        if factor == 1:
            return self
        return Interval(
            None if self.lo is None else self.lo * factor,
            None if self.hi is None else self.hi * factor,
            self.lo_closed,
            self.hi_closed,
        )

    def widened(self, half: Decimal) -> Interval:
        """Return the interval with each known bound moved out by ``half`` (the precision given)."""
        return Interval(
            None if self.lo is None else self.lo - half,
            None if self.hi is None else self.hi + half,
            True,
            True,
        )

    def __str__(self) -> str:
        lo = "−∞" if self.lo is None else _number(self.lo)
        hi = "∞" if self.hi is None else _number(self.hi)
        return f"{'[' if self.lo_closed and self.lo is not None else '('}{lo}, {hi}{']' if self.hi_closed and self.hi is not None else ')'}"


def _below(a: Interval, b: Interval) -> bool:
    if a.hi is None or b.lo is None:
        return False
    return a.hi < b.lo or (a.hi == b.lo and not (a.hi_closed and b.lo_closed))


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def interval(approximation: str, value=None, min=None, max=None) -> Interval:  # noqa: A002 - the curation's names
    """Return the interval a quantity means (docs/claims.md).

    ``approximation`` is the slug of the approximation concept; ``value``, ``min`` and ``max``
    are the quantity's numbers (any of them None). A round figure without qualifier is read as
    stated. Raises ValueError when the approximation is unknown or lacks the number it needs.
    """
    v, lo, hi = (None if n is None else Decimal(str(n)) for n in (value, min, max))
    number = v if v is not None else (lo if lo is not None else hi)
    if approximation in ("range", "vague"):
        return Interval(lo if lo is not None else v, hi if hi is not None else v)
    if number is None:
        raise ValueError(f"a figure read as {approximation!r} needs a value or a bound")
    if approximation == "exact":
        return Interval(number, number)
    if approximation == "about":
        return Interval(number * (1 - ABOUT_WIDTH), number * (1 + ABOUT_WIDTH))
    if approximation == "nearly":
        return Interval(number * (1 - NEARLY_WIDTH), number, True, False)
    if approximation == "at-least":
        return Interval(number, None)
    if approximation == "more-than":
        return Interval(number, None, False, True)
    if approximation == "less-than":
        return Interval(None, number, True, False)
    if approximation == "up-to":
        return Interval(None, number)
    raise ValueError(f"unknown approximation {approximation!r}")


def precision(value) -> Decimal:
    """Return the unit of the last significant digit of a printed number: 6000 -> 1000, 3012 -> 1, 0.2 -> 0.1."""
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return Decimal(1).scaleb(exponent)


def at_precision(quantity: Interval, numbers) -> Interval:
    """Return ``quantity`` widened by half the unit of the coarsest of its printed ``numbers``."""
    units = [precision(n) for n in numbers if n is not None]
    return quantity.widened(max(units) / 2) if units else quantity


# -- dates


@dataclass(frozen=True)
class AsOf:
    """The days a figure may hold as of: one day, a latest day, or unknown."""

    lo: dt.date | None
    hi: dt.date | None
    text: str

    @classmethod
    def read(cls, as_of: dt.date | None, stated_on: dt.date | None, published: dt.date | None) -> AsOf:
        """A figure holds as of its as-of date; else no later than when it was said, else published."""
        if as_of is not None:
            return cls(as_of, as_of, as_of.isoformat())
        if stated_on is not None:
            return cls(None, stated_on, f"by {stated_on.isoformat()} (said then)")
        if published is not None:
            return cls(None, published, f"by {published.isoformat()} (published then)")
        return cls(None, None, "unknown")

    def before(self, other: AsOf) -> bool:
        """Return True when this day is certainly earlier than the other's."""
        return self.hi is not None and other.lo is not None and self.hi < other.lo

    def same_day(self, other: AsOf) -> bool:
        return self.lo is not None and self.lo == self.hi == other.lo == other.hi


# -- claims and rules


@dataclass(frozen=True)
class Figure:
    """What the rules need of one numeric claim."""

    iri: URIRef
    name: str  # NNN/key, for reasons and messages
    figure: str
    about: frozenset
    measure: URIRef
    kind: str  # per-event, cumulative, level
    speakers: frozenset
    quantity: Interval
    printed: tuple  # the numbers as printed, for the precision
    as_of: AsOf
    scope: URIRef | None = None  # None: the measure's own scope

    @property
    def scope_unspecified(self) -> bool:
        return self.scope == PARLEY.unspecifiedScope


@dataclass(frozen=True)
class Relation:
    """A relation between two claims, with everything that explains it."""

    kind: str
    rule: str
    source: Figure
    target: Figure
    source_interval: Interval
    target_interval: Interval
    compatible: bool
    reason: str


def relate(a: Figure, b: Figure, factor_a: int = 1, factor_b: int = 1) -> Relation | None:
    """Return the relation the rules derive between two figures of one subject and measure, or None.

    ``factor_a``/``factor_b`` scale a per-side figure compared with a total (2). None when a
    figure gives no bound, the scopes differ, or the scope is unknown and the figures agree.
    """
    ia, ib = a.quantity.scaled(factor_a), b.quantity.scaled(factor_b)
    if not (ia.bounded and ib.bounded):
        return None
    compatible = ia.overlaps(ib)

    def made(kind, rule, why, source=a, target=b, ok=compatible):
        si, ti = (ia, ib) if source is a else (ib, ia)
        reason = (
            f"{_RULE_WORDS[rule]}: {source.name} “{source.figure}” {si} as of {source.as_of.text}; "
            f"{target.name} “{target.figure}” {ti} as of {target.as_of.text}: {why}"
        )
        return Relation(kind, rule, source, target, si, ti, ok, reason)

    if a.scope_unspecified or b.scope_unspecified:
        if compatible:
            return None
        return made(
            "possibly-conflicts",
            "scope-unknown",
            "the intervals do not overlap, but what one figure counts is left open",
        )
    if a.scope != b.scope:
        return None
    same_speaker = bool(a.speakers & b.speakers)
    if a.kind in ("cumulative", "level"):
        if a.as_of.before(b.as_of) or b.as_of.before(a.as_of):
            earlier, later = (a, b) if a.as_of.before(b.as_of) else (b, a)
            e, lt = (ia, ib) if earlier is a else (ib, ia)
            if a.kind == "cumulative" and lt.below(e):
                return made(
                    "conflicts", "cumulative-decrease", "a cumulative count cannot go down", later, earlier, False
                )
            return made("updates", "later-figure", "the later figure updates the earlier one", later, earlier, True)
        if not a.as_of.same_day(b.as_of):
            if not compatible:
                return made(
                    "possibly-conflicts",
                    "date-unknown",
                    "the intervals do not overlap and the order of the dates is unknown",
                )
            if not same_speaker:
                return made("corroborates", "date-unknown-compatible", "the intervals overlap, whatever the dates")
    if same_speaker:
        wa = at_precision(ia, [n * factor_a for n in a.printed])
        wb = at_precision(ib, [n * factor_b for n in b.printed])
        if wa.overlaps(wb):
            return made(
                "restates",
                "same-speaker",
                f"one speaker's figures, compatible at the precision given ({wa} and {wb})",
                ok=True,
            )
        return made(
            "conflicts",
            "same-speaker-incompatible",
            "one speaker's figures do not overlap even at the precision given",
            ok=False,
        )
    if compatible:
        return made("corroborates", "compatible", "the intervals overlap")
    return made("conflicts", "incompatible", "the intervals do not overlap for the same time")


_RULE_WORDS = {
    "incompatible": "incompatible intervals",
    "compatible": "compatible intervals from different speakers",
    "same-speaker": "the same speaker restating a figure",
    "same-speaker-incompatible": "the same speaker giving incompatible figures",
    "cumulative-decrease": "a cumulative count going down",
    "later-figure": "a later figure of the series",
    "date-unknown": "disagreeing figures, date unknown",
    "date-unknown-compatible": "agreeing figures, date unknown",
    "scope-unknown": "disagreeing figures, scope unknown",
}


def pairs(figures: list[Figure], both_sides: dict[URIRef, URIRef]):
    """Yield ``(a, b, factor_a, factor_b)`` for every two figures the rules compare.

    Two figures compare when they share a subject and either the measure, or one measure is
    the total over both sides of the other's (``parley:bothSidesOf``), the per-side one doubled.
    """
    ordered = sorted(figures, key=lambda f: str(f.iri))
    for i, j in _sharing_a_subject(ordered):
        a, b = ordered[i], ordered[j]
        if a.measure == b.measure:
            yield a, b, 1, 1
        elif both_sides.get(a.measure) == b.measure:
            yield a, b, 1, 2
        elif both_sides.get(b.measure) == a.measure:
            yield a, b, 2, 1


def _sharing_a_subject(figures: list[Figure]) -> list[tuple[int, int]]:
    """Return the index pairs ``(i, j)``, ``i < j``, of the figures that share a subject, in the
    order ``combinations`` gives them: found per subject, so the cost follows the pairs that
    compare, not the square of the number of figures (a corpus of thousands of claims)."""
    by_subject: dict[URIRef, list[int]] = {}
    for index, figure in enumerate(figures):
        for subject in figure.about:
            by_subject.setdefault(subject, []).append(index)
    found = {pair for indices in by_subject.values() for pair in combinations(indices, 2)}
    return sorted(found)


def derive(figures: list[Figure], both_sides: dict[URIRef, URIRef]) -> list[Relation]:
    """Return every relation the rules derive between ``figures``, in a stable order."""
    found = []
    for a, b, fa, fb in pairs(figures, both_sides):
        relation = relate(a, b, fa, fb)
        if relation is not None:
            found.append(relation)
    return found


# -- the graph


def _figures(dataset: Dataset, corpus: Corpus) -> tuple[dict[URIRef, Figure], dict[URIRef, URIRef]]:
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    kinds = {m: str(k).rsplit("/", 1)[-1] for m, k in ontology.subject_objects(PARLEY.measureKind)}
    both_sides = dict(ontology.subject_objects(PARLEY.bothSidesOf))
    figures = {}
    for article in corpus.articles:
        graph = dataset.graph(article_graph(article.slug))
        published = graph.value(article.iri, PARLEY.publishedOn)
        published = published.toPython() if published is not None else None
        for claim in graph.subjects(RDF.type, PARLEY.Claim):
            quantity = graph.value(claim, PARLEY.quantity)
            if quantity is None:
                continue
            numbers = {p: graph.value(quantity, p) for p in (PARLEY.value, PARLEY.minValue, PARLEY.maxValue)}
            numbers = {p: (n.toPython() if n is not None else None) for p, n in numbers.items()}
            approximation = str(graph.value(quantity, PARLEY.approximation)).rsplit("/", 1)[-1]
            measure = graph.value(claim, PARLEY.measure)
            dates = [graph.value(claim, p) for p in (PARLEY.asOf, PARLEY.statedOn)]
            local = str(claim)[len(str(ID["claim/"])) :]
            figures[claim] = Figure(
                iri=claim,
                name=f"{local[:3]}/{local[4:]}",
                figure=str(graph.value(quantity, PARLEY.figure)),
                about=frozenset(graph.objects(claim, PARLEY.about)),
                measure=measure,
                kind=kinds.get(measure, "per-event"),
                speakers=frozenset(graph.objects(claim, PARLEY.speaker)),
                quantity=interval(approximation, *numbers.values()),
                printed=tuple(n for n in numbers.values() if n is not None),
                as_of=AsOf.read(*(d.toPython() if d is not None else None for d in dates), published),
                scope=graph.value(claim, PARLEY.scope),
            )
            graph.add((quantity, PARLEY.interval, Literal(str(figures[claim].quantity))))
    return figures, both_sides


def _local(iri: URIRef) -> str:
    return str(iri)[len(str(ID["claim/"])) :]


def _write(graph, iri: URIRef, kind: str, rule: str, source: URIRef, target: URIRef, reason: str) -> None:
    graph.add((iri, RDF.type, PARLEY.ClaimRelation))
    graph.add((iri, RDFS.label, Literal(f"{_local(source)} {kind} {_local(target)}", lang="en")))
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


def add_relations(dataset: Dataset, corpus: Corpus) -> list[Relation]:
    """Write the intervals, the derived relations and the hand-asserted ones into ``dataset``.

    Returns the derived relations. Derived ones go to the relations graph; a hand-asserted one
    goes to the graph of the article whose claim asserts it, its direct property both ways,
    each in its subject's graph.
    """
    for article in corpus.articles:
        graph = dataset.graph(article_graph(article.slug))
        for claim in article.claims:
            if claim.scope is not None:
                graph.add((ID[f"claim/{article.number}-{claim.key}"], PARLEY.scope, claim.scope))
    figures, both_sides = _figures(dataset, corpus)
    derived = derive(list(figures.values()), both_sides)
    graph = derived_graph = dataset.graph(RELATIONS_GRAPH)
    for relation in derived:
        source, target = relation.source.iri, relation.target.iri
        iri = ID[f"relation/{_local(source)}--{relation.kind}--{_local(target)}"]
        _write(graph, iri, relation.kind, relation.rule, source, target, relation.reason)
        _write_comparison(graph, iri, relation)
        graph.add((source, KIND_PROPERTY[relation.kind], target))
        if relation.kind in SYMMETRIC:
            graph.add((target, KIND_PROPERTY[relation.kind], source))
    graphs = {a.number: dataset.graph(article_graph(a.slug)) for a in corpus.articles}
    for article in corpus.articles:
        for claim in article.claims:
            source = ID[f"claim/{article.number}-{claim.key}"]
            for field, kind in HAND_KINDS.items():
                for link in getattr(claim, field):
                    number, _, key = link.target.partition("/")
                    target = ID[f"claim/{number}-{key}"]
                    iri = ID[f"relation/{_local(source)}--{kind}--{_local(target)}--curator"]
                    graph = graphs[article.number]
                    _write(graph, iri, kind, "curator", source, target, link.reason)
                    if source in figures and target in figures:
                        found = _compare(figures[source], figures[target], both_sides)
                        if found is not None:
                            _write_comparison(graph, iri, found)
                    if (source, KIND_PROPERTY[kind], target) not in derived_graph:  # one graph per triple
                        graph.add((source, KIND_PROPERTY[kind], target))
                        graphs[number].add((target, KIND_PROPERTY[kind], source))
    return derived


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
