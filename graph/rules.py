"""How two figures relate: quantities as intervals at the precision printed, dates as intervals,
running totals with their baseline, and the readings a text leaves open (docs/claims.md).

Pure functions and values, no graph: ``graph.intervals`` says what a quantity or a date means
as an interval; ``relate(a, b)`` compares two ``Figure`` values of one subject and measure and
returns the graded ``Relation`` (agrees, consistent, conflicts, possibly conflicts, updates, not
comparable) with its rule and its reason in words, or None when a figure gives no bound. Where
the text leaves the scope, the baseline, per side or in total, or the order of two dates open,
every reading is tried: all disagree, a conflict; some disagree, a possible conflict whose reason
names the reading; none disagree, what the readings share. ``graph.relations`` reads the figures
from the built dataset and writes the relations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, product

from rdflib import URIRef

from .intervals import Interval, Span
from .rule_words import agreement_words, and_list, disagreement, open_rule, open_words

# Reading a round figure at its precision moves it by half the unit of its last significant
# digit, but never by more than this share of it: "6,000" may be 5,700 to 6,300, "1,000" 950 to
# 1,050 (a writer with 1,200 prints "1,200", not "1,000"). Half the width of "about".
ROUNDING_CAP = Decimal("0.05")
# Only a figure ending in two or more zeros reads as rounded ("1,200", "6,000"): a count of 90 or
# 30 days is printed as counted.
ROUND_UNIT = Decimal(100)

KINDS = ("agrees", "consistent", "conflicts", "possibly-conflicts", "updates", "not-comparable")


# -- figures


@dataclass(frozen=True)
class Baseline:
    """What a running total counts from: a named thing or date (``key``), or unspecified (None)."""

    key: str | None
    label: str
    start: dt.date | None = None  # the earliest day it can have begun, where the dataset says

    @property
    def unspecified(self) -> bool:
        return self.key is None


UNSPECIFIED = Baseline(None, "unspecified")


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
    unit: Decimal | None  # the precision printed (printed_unit), None: read as its words say
    as_of: Span
    scope: URIRef | None = None  # None: the measure's own scope
    scope_unspecified: bool = False
    baseline: Baseline | None = None  # cumulative measures only
    sides_open: bool = False  # per side or in total left open by the text
    side: str | None = None  # "per-side" or "total" when the measure says which

    @property
    def rounding(self) -> Decimal | None:
        """How far the figure may lie from what is printed, read at its precision: half its unit,
        at most ``ROUNDING_CAP`` of the number (None: read as its words say)."""
        if self.unit is None or self.unit < ROUND_UNIT:
            return None
        size = max(abs(n) for n in (self.quantity.lo, self.quantity.hi) if n is not None)
        return min(self.unit / 2, size * ROUNDING_CAP) if size else self.unit / 2

    def at_precision(self, factor: Decimal) -> Interval:
        """The figure's interval times ``factor``, widened by its rounding."""
        scaled = self.quantity.scaled(factor)
        return scaled if self.rounding is None else scaled.widened(self.rounding * factor)


@dataclass(frozen=True)
class Relation:
    """A relation between two claims, with everything that explains it."""

    kind: str
    rule: str
    source: Figure
    target: Figure
    source_interval: Interval
    target_interval: Interval
    compatible: bool  # the intervals overlap as printed
    reason: str


# -- readings


@dataclass(frozen=True)
class Reading:
    """One way to read two figures where the text leaves something open."""

    factor_a: Decimal
    factor_b: Decimal
    same_scope: bool = True
    same_baseline: bool = True
    order: str = "same"  # "same" (same time), "ab" (a earlier), "ba" (b earlier)
    words: tuple = ()  # how this reading reads what is open, for the reason


@dataclass(frozen=True)
class Outcome:
    grade: str  # agree, consistent, disagree, update, apart
    rule: str
    reading: Reading
    why: str = ""
    later: str = ""  # "a" or "b" for an update or a decrease


def _open_dimensions(a: Figure, b: Figure, fa: Decimal, fb: Decimal):
    """Yield, per dimension the text leaves open, the readings of it: ``(dimension, options)``."""
    sides = []
    for f, factor in ((a, fa), (b, fb)):
        options = [(factor, ())]
        if f.sides_open and f.side in ("per-side", "total"):
            other = factor / 2 if f.side == "per-side" else factor * 2
            alternative = "in total" if f.side == "per-side" else "per side"
            options = [
                (factor, (f"{f.name} counts {'per side' if f.side == 'per-side' else 'in total'}",)),
                (other, (f"{f.name} counts {alternative}",)),
            ]
        sides.append(options)
    yield "sides", [({"factor_a": x[0], "factor_b": y[0]}, x[1] + y[1]) for x, y in product(*sides)]
    if a.scope_unspecified or b.scope_unspecified:
        yield "scope", [({"same_scope": True}, ("both count the same thing",)), ({"same_scope": False}, ())]
    if a.kind == "cumulative" and _baseline_open(a, b):
        yield (
            "baseline",
            [
                ({"same_baseline": True}, ("both count from the same baseline",)),
                ({"same_baseline": False}, ()),
            ],
        )
    if a.kind in ("cumulative", "level"):
        if a.as_of.before(b.as_of):
            yield "order", [({"order": "ab"}, ())]
        elif b.as_of.before(a.as_of):
            yield "order", [({"order": "ba"}, ())]
        elif a.as_of.same_day(b.as_of):
            yield "order", [({"order": "same"}, ())]
        else:
            yield (
                "date-order",
                [
                    ({"order": "ab"}, (f"{a.name} holds first",)),
                    ({"order": "ba"}, (f"{b.name} holds first",)),
                    ({"order": "same"}, ("both hold at the same time",)),
                ],
            )


def _baseline_open(a: Figure, b: Figure) -> bool:
    """Whether it is left open that two running totals count from the same baseline."""
    ba, bb = a.baseline or UNSPECIFIED, b.baseline or UNSPECIFIED
    if not (ba.unspecified or bb.unspecified):
        return False  # both named: the same (compared) or different (not comparable)
    if ba.unspecified and bb.unspecified and a.speakers & b.speakers and a.as_of.same_day(b.as_of):
        return False  # one speaker's running total, twice in one set of remarks
    return True


def readings(a: Figure, b: Figure, fa: Decimal, fb: Decimal) -> tuple[list[Reading], list[str]]:
    """Return every reading of the two figures, and the dimensions the text leaves open."""
    dimensions = list(_open_dimensions(a, b, fa, fb))
    opened = [name for name, options in dimensions if len(options) > 1]
    found = []
    for combination in product(*(options for _, options in dimensions)):
        settings, words = {}, ()
        for values, said in combination:
            settings.update(values)
            words += said
        found.append(Reading(**settings, words=words))
    return found, opened


def _grade(a: Figure, b: Figure, r: Reading) -> Outcome:
    if not r.same_scope:
        return Outcome("apart", "scope-open", r)
    if not r.same_baseline:
        return Outcome("apart", "baseline-open", r)
    ia, ib = a.quantity.scaled(r.factor_a), b.quantity.scaled(r.factor_b)
    wa, wb = a.at_precision(r.factor_a), b.at_precision(r.factor_b)
    if r.order == "same" or a.kind not in ("cumulative", "level"):
        if ia.overlaps(ib):
            return Outcome("agree", "as-printed", r)
        if wa.overlaps(wb):
            return Outcome("consistent", "at-precision", r, f"{wa} and {wb} at the precision printed")
        return Outcome("disagree", "disjoint", r, f"{ia} and {ib} do not overlap even at the precision printed")
    later = "b" if r.order == "ab" else "a"
    if a.kind == "level":
        return Outcome("update", "later-figure", r, later=later)
    (e, le), (we, wl) = ((ia, ib), (wa, wb)) if later == "b" else ((ib, ia), (wb, wa))
    if le.below(e):
        if wl.below(we):
            return Outcome("disagree", "cumulative-decrease", r, "a running total cannot go down", later)
        return Outcome(
            "consistent", "at-precision", r, f"lower as printed, but {wl} and {we} at the precision printed", later
        )
    return Outcome("update", "later-figure", r, later=later)


def _not_comparable(a: Figure, b: Figure) -> tuple[str, str] | None:
    """The rule and reason when two figures count different things whatever the reading."""
    if a.scope != b.scope and not (a.scope_unspecified or b.scope_unspecified):
        # a named scope against another, or against what the measure counts by itself
        said = {
            f.name: f"under {_short(f.scope)}" if f.scope is not None else "what its measure counts" for f in (a, b)
        }
        return "different-scopes", f"{a.name} counts {said[a.name]}, {b.name} {said[b.name]}"
    if a.kind != "cumulative":
        return None
    ba, bb = a.baseline or UNSPECIFIED, b.baseline or UNSPECIFIED
    if not ba.unspecified and not bb.unspecified and ba.key != bb.key:
        return "different-baselines", f"{a.name} counts from {ba.label}, {b.name} from {bb.label}"
    for x, bx, y, by in ((a, ba, b, bb), (b, bb, a, ba)):
        if bx.unspecified and not by.unspecified and by.start is not None:
            if x.as_of.hi is not None and x.as_of.hi < by.start:
                return "before-baseline", (
                    f"{x.name} holds {x.as_of.text}, before {by.label} began ({by.start.isoformat()}), "
                    f"so it cannot count from it as {y.name} does"
                )
    return None


def _short(iri) -> str:
    text = str(iri)
    return text.split("/id/", 1)[1] if "/id/" in text else text


def relate(a: Figure, b: Figure, factor_a: int | Decimal = 1, factor_b: int | Decimal = 1) -> Relation | None:
    """Return the relation between two figures of one subject and measure, or None.

    ``factor_a``/``factor_b`` scale a per-side figure compared with a total (2). None when a
    figure gives no bound.
    """
    fa, fb = Decimal(factor_a), Decimal(factor_b)
    ia, ib = a.quantity.scaled(fa), b.quantity.scaled(fb)
    if not (ia.bounded and ib.bounded):
        return None
    compatible = ia.overlaps(ib)

    def made(kind, rule, why, later=None):
        source, target, si, ti = (a, b, ia, ib) if later != "b" else (b, a, ib, ia)
        reason = (
            f"{source.name} “{source.figure}” {si} as of {source.as_of.text}; "
            f"{target.name} “{target.figure}” {ti} as of {target.as_of.text}: {why}"
        )
        return Relation(kind, rule, source, target, si, ti, compatible, reason)

    fixed = _not_comparable(a, b)
    if fixed is not None:
        return made("not-comparable", fixed[0], fixed[1] + ".")
    found, opened = readings(a, b, fa, fb)
    outcomes = [_grade(a, b, r) for r in found]
    disagree = [o for o in outcomes if o.grade == "disagree"]
    left_open = open_words(opened)
    if disagree and len(disagree) == len(outcomes):
        first = disagree[0]
        if first.rule == "cumulative-decrease":
            return made(
                "conflicts",
                first.rule,
                f"the later figure is lower even at the precision printed: {first.why}.",
                first.later,
            )
        return made("conflicts", first.rule, f"the same time, the same baseline: {first.why}.")
    if disagree:
        first = disagree[0]
        rule = open_rule(opened)
        how = and_list(list(first.reading.words))
        return made(
            "possibly-conflicts",
            rule,
            f"the text leaves {left_open} open; if {how}, {disagreement(first)}.",
        )
    apart = [o for o in outcomes if o.grade == "apart"]
    if apart:
        rule = apart[0].rule
        if rule == "scope-open":
            who = [f.name for f in (a, b) if f.scope_unspecified]
            what = f"what {and_list(who)} {'counts' if len(who) == 1 else 'count'}"
        else:
            who = [f.name for f in (a, b) if (f.baseline or UNSPECIFIED).unspecified]
            what = f"what {and_list(who)} {'counts' if len(who) == 1 else 'count'} from"
        together = _best([o for o in outcomes if o.grade != "apart"])
        if_same = f"; if they count alike, they {agreement_words(together)}" if together else ""
        return made("not-comparable", rule, f"the text leaves open {what}{if_same}.")
    updates = [o for o in outcomes if o.grade == "update"]
    if updates and len(updates) == len(outcomes):
        return made("updates", "later-figure", "a later figure of the same running total.", updates[0].later)
    best = _best([o for o in outcomes if o.reading.order == "same"] or outcomes)
    if best.grade == "consistent":
        extra = f" (the text leaves {left_open} open)" if opened else ""
        return made("consistent", "at-precision", f"{best.why}, not as printed{extra}.", best.later or None)
    if best.grade == "update":
        return made("updates", "later-figure", "a later figure of the same running total.", best.later)
    extra = f" under every reading of {left_open}" if opened else ""
    return made("agrees", "as-printed", f"the intervals overlap as printed{extra}.")


def _best(outcomes: list[Outcome]) -> Outcome | None:
    order = {"agree": 0, "update": 1, "consistent": 2}
    ranked = sorted((o for o in outcomes if o.grade in order), key=lambda o: order[o.grade])
    return ranked[-1] if ranked else None  # the weakest agreement any reading needs


# -- pairs


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
