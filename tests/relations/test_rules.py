"""Table-driven tests of the interval semantics, the printed precision, the readings and every
relation rule (graph/intervals.py, graph/rules.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rdflib import URIRef

from graph.intervals import Interval, Span, interval, precision, printed_unit
from graph.namespaces import ID
from graph.rules import UNSPECIFIED, Baseline, Figure, derive, relate

D = Decimal


@pytest.mark.parametrize(
    "approximation, numbers, expected, inside, outside",
    [
        ("exact", {"value": 6000}, "[6000, 6000]", [6000], [5999, 6001]),  # a round figure is read as stated
        ("about", {"value": 12000}, "[10800, 13200]", [10800, 13200], [10799, 13201]),
        ("nearly", {"max": 3000}, "[2700, 3000)", [2700, 2999], [2699, 3000]),
        ("nearly", {"value": 3000}, "[2700, 3000)", [2999], [3000]),
        ("at-least", {"min": 1000}, "[1000, ∞)", [1000, 10**9], [999]),
        ("more-than", {"min": 6000}, "(6000, ∞)", [6001], [6000]),
        ("less-than", {"max": 1}, "(−∞, 1)", [D("0.5")], [1]),
        ("up-to", {"max": 3}, "(−∞, 3]", [3], [D("3.01")]),
        ("range", {"min": 2, "max": 3}, "[2, 3]", [2, 3], [1, 4]),
        ("vague", {"min": 200}, "[200, ∞)", [900], [199]),
        ("vague", {}, "(−∞, ∞)", [0, 10**9], []),
        ("nearly", {"max": D("0.2")}, "[0.18, 0.2)", [D("0.19")], [D("0.2")]),
    ],
)
def test_a_quantity_means_an_interval(approximation, numbers, expected, inside, outside):
    got = interval(approximation, numbers.get("value"), numbers.get("min"), numbers.get("max"))
    assert str(got) == expected
    for n in inside:
        assert got.overlaps(Interval(D(n), D(n))), f"{n} should be in {got}"
    for n in outside:
        assert not got.overlaps(Interval(D(n), D(n))), f"{n} should not be in {got}"


def test_a_vague_figure_without_bounds_says_nothing():
    assert not interval("vague").bounded
    assert interval("vague", min=100).bounded


@pytest.mark.parametrize("approximation", ["exact", "about", "nearly", "at-least", "more-than", "less-than", "up-to"])
def test_an_approximation_without_its_number_is_refused(approximation):
    with pytest.raises(ValueError, match="needs a value or a bound"):
        interval(approximation)


def test_an_unknown_approximation_is_refused():
    with pytest.raises(ValueError, match="unknown approximation"):
        interval("roughly", value=3)


@pytest.mark.parametrize(
    "number, unit",
    [(6000, D(1000)), (3012, D(1)), (3600, D(100)), (339, D(1)), (D("0.2"), D("0.1")), (12000, D(1000)), (0, D(1))],
)
def test_precision_is_the_unit_of_the_last_significant_digit(number, unit):
    assert precision(number) == unit


@pytest.mark.parametrize(
    "approximation, figure, numbers, unit",
    [
        ("exact", "6,000", [6000], D(1000)),
        ("exact", "exactly 6,000", [6000], D(1)),  # the words make it exact
        ("exact", "precisely 1,200", [1200], D(1)),
        ("range", "two to three days", [2, 3], D(1)),
        ("about", "some 12,000", [12000], None),  # "about" carries its own width
        ("nearly", "nearly 3,000", [3000], None),
        ("more-than", "over 6,000", [6000], None),  # a bound is not moved by rounding
        ("vague", "several", [], None),
    ],
)
def test_the_precision_printed_comes_from_the_number_and_its_words(approximation, figure, numbers, unit):
    assert printed_unit(approximation, figure, numbers) == unit


@pytest.mark.parametrize(
    "as_of, stated_on, published, text, lo, hi",
    [
        (
            (dt.date(2025, 6, 13),) * 2 + ("2025-06-13",),
            None,
            None,
            "2025-06-13",
            dt.date(2025, 6, 13),
            dt.date(2025, 6, 13),
        ),
        (
            (dt.date(2025, 6, 14), dt.date(2025, 6, 20), "between 2025-06-14 and 2025-06-20"),
            None,
            None,
            "between 2025-06-14 and 2025-06-20",
            dt.date(2025, 6, 14),
            dt.date(2025, 6, 20),
        ),
        (
            None,
            (dt.date(2025, 6, 19),) * 2 + ("2025-06-19",),
            dt.date(2025, 6, 20),
            "by 2025-06-19 (said then)",
            None,
            dt.date(2025, 6, 19),
        ),
        (None, None, dt.date(2025, 6, 3), "by 2025-06-03 (published then)", None, dt.date(2025, 6, 3)),
        (None, None, None, "unknown", None, None),
    ],
)
def test_an_as_of_date_is_an_interval_of_days(as_of, stated_on, published, text, lo, hi):
    read = Span.read(as_of, stated_on, published)
    assert (read.text, read.lo, read.hi) == (text, lo, hi)


def test_one_date_is_earlier_only_when_its_whole_interval_is():
    june = Span(dt.date(2025, 6, 1), dt.date(2025, 6, 30), "June 2025")
    assert Span(None, dt.date(2025, 5, 31), "by May 31").before(june)
    assert not Span(None, dt.date(2025, 6, 3), "by June 3").before(june)
    assert not june.before(Span(dt.date(2025, 6, 20), dt.date(2025, 6, 20), "June 20"))


# -- the rules

SUBJECT, OTHER_SUBJECT = ID["exchange/x"], ID["exchange/y"]
TOTAL, PER_SIDE = ID["measure/total"], ID["measure/per-side"]
SERIES = Baseline(str(ID["process/series"]), "the series", dt.date(2025, 6, 9))
WAR = Baseline(str(ID["event/war"]), "the war")


def fig(
    name,
    approximation="exact",
    value=None,
    min=None,
    max=None,
    *,
    speaker="a",
    kind="per-event",
    as_of=None,
    between=None,
    by=None,
    about=SUBJECT,
    measure=TOTAL,
    scope=None,
    baseline=None,
    sides_open=False,
    side=None,
    figure=None,
) -> Figure:  # noqa: A002
    if as_of:
        day = dt.date.fromisoformat(as_of)
        span = Span(day, day, as_of)
    elif between:
        lo, hi = (dt.date.fromisoformat(d) for d in between)
        span = Span(lo, hi, f"between {between[0]} and {between[1]}")
    elif by:
        span = Span(None, dt.date.fromisoformat(by), f"by {by}")
    else:
        span = Span(None, None, "unknown")
    numbers = [n for n in (value, min, max) if n is not None]
    text = figure or (f"{numbers[0]:,}" if numbers else "several")
    return Figure(
        iri=URIRef(ID[f"claim/{name}"]),
        name=name,
        figure=text,
        about=frozenset({about}),
        measure=measure,
        kind=kind,
        speakers=frozenset({ID[f"person/{speaker}"]}),
        quantity=interval(approximation, value, min, max),
        unit=printed_unit(approximation, text, numbers),
        as_of=span,
        scope=ID[f"agreement/{scope}"] if scope and scope != "unspecified" else None,
        scope_unspecified=scope == "unspecified",
        baseline=(baseline or UNSPECIFIED) if kind == "cumulative" else None,
        sides_open=sides_open,
        side=side,
    )


CUM = {"kind": "cumulative"}
RULES = [
    # (case, a, b, expected (kind, rule) or None)
    (
        "agrees: two sources, one figure",
        fig("000-a", value=1200, speaker="x"),
        fig("000-b", value=1200, speaker="y"),
        ("agrees", "as-printed"),
    ),
    (
        "agrees: about 100 includes 95",
        fig("000-a", "about", value=100, speaker="x"),
        fig("000-b", value=95, speaker="y"),
        ("agrees", "as-printed"),
    ),
    ("no relation: other subject", fig("000-a", value=1200), fig("000-b", value=1200, about=OTHER_SUBJECT), None),
    (
        "consistent: 6,000 and over 6,000, whoever says them",
        fig("000-a", value=6000, speaker="x"),
        fig("000-b", "more-than", min=6000, speaker="y"),
        ("consistent", "at-precision"),
    ),
    (
        "consistent: a round 6,000 against a precise 6,060",
        fig("000-a", value=6000, speaker="x"),
        fig("000-b", value=6060, speaker="y"),
        ("consistent", "at-precision"),
    ),
    (
        "consistent: nearly 3,000 and another 3,000",
        fig("000-a", "nearly", max=3000),
        fig("000-b", value=3000),
        ("consistent", "at-precision"),
    ),
    (
        "conflicts: precise figures for one event",
        fig("000-a", value=1212, speaker="x"),
        fig("000-b", value=1200, speaker="y", figure="exactly 1,200"),
        ("conflicts", "disjoint"),
    ),
    (
        "conflicts: one speaker, disjoint even at the precision printed",
        fig("000-a", value=3012),
        fig("000-b", value=3600),
        ("conflicts", "disjoint"),
    ),
    (
        "conflicts: a running total of one baseline going down",
        fig("000-a", value=3600, speaker="x", **CUM, as_of="2025-06-14", baseline=SERIES),
        fig("000-b", value=3012, speaker="y", **CUM, as_of="2025-06-20", baseline=SERIES),
        ("conflicts", "cumulative-decrease"),
    ),
    (
        "consistent: a precise total, then a round one three days later",
        fig("000-a", value=6060, speaker="x", **CUM, as_of="2025-06-16", baseline=SERIES),
        fig("000-b", value=6000, speaker="y", **CUM, as_of="2025-06-19", baseline=SERIES),
        ("consistent", "at-precision"),
    ),
    (
        "updates: a later figure of one running total",
        fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13", baseline=SERIES),
        fig("000-b", value=3600, speaker="y", **CUM, between=("2025-06-14", "2025-06-20"), baseline=SERIES),
        ("updates", "later-figure"),
    ),
    (
        "updates: a level may fall",
        fig("000-a", value=20, speaker="x", kind="level", as_of="2025-06-01"),
        fig("000-b", value=15, speaker="y", kind="level", as_of="2025-06-13"),
        ("updates", "later-figure"),
    ),
    (
        "not an update: a per-event count is one time",
        fig("000-a", value=1212, speaker="x", as_of="2025-06-13"),
        fig("000-b", value=1300, speaker="y", as_of="2025-06-19"),
        ("conflicts", "disjoint"),
    ),
    (
        "not comparable: different named baselines",
        fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13", baseline=SERIES),
        fig("000-b", value=6000, speaker="y", **CUM, as_of="2025-06-13", baseline=WAR),
        ("not-comparable", "different-baselines"),
    ),
    (
        "not comparable: a total from before the series began",
        fig("000-a", value=6000, speaker="x", **CUM, by="2025-06-03"),
        fig("000-b", value=3012, speaker="y", **CUM, as_of="2025-06-13", baseline=SERIES),
        ("not-comparable", "before-baseline"),
    ),
    (
        "not comparable: baseline open, no reading disagrees",
        fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13", baseline=SERIES),
        fig("000-b", value=6000, speaker="y", **CUM, as_of="2025-06-19"),
        ("not-comparable", "baseline-open"),
    ),
    (
        "possibly conflicts: baseline and date order open, lower under one reading",
        fig("000-a", value=3600, speaker="x", **CUM, between=("2025-06-14", "2025-06-20"), baseline=SERIES),
        fig("000-b", value=6000, speaker="y", **CUM, as_of="2025-06-19"),
        ("possibly-conflicts", "baseline-open"),
    ),
    (
        "possibly conflicts: date order open, one baseline",
        fig("000-a", value=3012, speaker="x", **CUM, between=("2025-06-10", "2025-06-20"), baseline=SERIES),
        fig("000-b", value=3600, speaker="y", **CUM, between=("2025-06-14", "2025-06-20"), baseline=SERIES),
        ("possibly-conflicts", "date-order-open"),
    ),
    (
        "agrees: date order open, figures agree",
        fig("000-a", value=3600, speaker="x", **CUM, between=("2025-06-10", "2025-06-20"), baseline=SERIES),
        fig("000-b", "about", value=3500, speaker="y", **CUM, between=("2025-06-14", "2025-06-20"), baseline=SERIES),
        ("agrees", "as-printed"),
    ),
    (
        "consistent: one speaker's 6,000 and over 6,000, baseline unspecified in both",
        fig("000-a", value=6000, **CUM, as_of="2025-06-19"),
        fig("000-b", "more-than", min=6000, **CUM, as_of="2025-06-19"),
        ("consistent", "at-precision"),
    ),
    (
        "conflicts: same day, same baseline, disagreeing sources",
        fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13", baseline=SERIES),
        fig("000-b", value=3600, speaker="y", **CUM, as_of="2025-06-13", baseline=SERIES),
        ("conflicts", "disjoint"),
    ),
    (
        "possibly conflicts: scope unknown, figures disagree",
        fig("000-a", value=1212, speaker="x", scope="unspecified"),
        fig("000-b", "at-least", min=2000, speaker="y"),
        ("possibly-conflicts", "scope-open"),
    ),
    (
        "not comparable: scope unknown, figures agree",
        fig("000-a", value=2400, speaker="x", scope="unspecified"),
        fig("000-b", "at-least", min=2000, speaker="y"),
        ("not-comparable", "scope-open"),
    ),
    (
        "not comparable: different named scopes",
        fig("000-a", value=1200, speaker="x", scope="first"),
        fig("000-b", value=2000, speaker="y", scope="second"),
        ("not-comparable", "different-scopes"),
    ),
    (
        "possibly conflicts: per side or in total left open, read in total it disagrees",
        fig("000-a", "about", value=1000, speaker="x", sides_open=True, side="per-side", measure=PER_SIDE),
        fig("000-b", value=1000, speaker="y", side="per-side", measure=PER_SIDE),
        ("possibly-conflicts", "sides-open"),
    ),
    (
        "agrees: per side or in total left open, agreeing either way",
        fig("000-a", "at-least", min=400, speaker="x", sides_open=True, side="per-side", measure=PER_SIDE),
        fig("000-b", value=1000, speaker="y", side="per-side", measure=PER_SIDE),
        ("agrees", "as-printed"),
    ),
    (
        "not comparable: a named scope against what the measure counts",
        fig("000-a", value=9, speaker="x", kind="level", scope="second", as_of="2025-06-17"),
        fig("000-b", value=15, speaker="y", kind="level", by="2025-06-03"),
        ("not-comparable", "different-scopes"),
    ),
    (
        "conflicts: a round 1,000 against 1,200 is no rounding",
        fig("000-a", value=1000, speaker="x"),
        fig("000-b", value=1200, speaker="y"),
        ("conflicts", "disjoint"),
    ),
    (
        "consistent: a round 1,000 against 1,040",
        fig("000-a", value=1000, speaker="x"),
        fig("000-b", value=1040, speaker="y"),
        ("consistent", "at-precision"),
    ),
    ("no bounds, no relation", fig("000-a", "vague", speaker="x"), fig("000-b", value=339, speaker="y"), None),
]


@pytest.mark.parametrize("case, a, b, expected", RULES, ids=[r[0] for r in RULES])
def test_rule(case, a, b, expected):
    found = derive([a, b], {})
    if expected is None:
        assert found == [], f"{case}: derived {found[0].kind} ({found[0].rule}), expected nothing"
        return
    assert len(found) == 1, case
    relation = found[0]
    assert (relation.kind, relation.rule) == expected, relation.reason
    for part in (a.name, b.name, str(relation.source_interval), str(relation.target_interval)):
        assert part in relation.reason  # the reason names both claims and both intervals
    assert relation.source.as_of.text in relation.reason and relation.target.as_of.text in relation.reason


def test_the_reason_of_a_possible_conflict_names_the_reading():
    a = fig("000-a", "about", value=1000, speaker="x", sides_open=True, side="per-side", measure=PER_SIDE)
    b = fig("000-b", value=1000, speaker="y", side="per-side", measure=PER_SIDE)
    relation = relate(a, b)
    assert "per side or in total" in relation.reason and "if 000-a counts in total" in relation.reason


def test_the_reason_of_a_consistent_pair_names_the_rounding():
    relation = relate(fig("000-a", value=6000, speaker="x"), fig("000-b", value=6060, speaker="y"))
    assert "[5700, 6300]" in relation.reason and "precision printed" in relation.reason


def test_an_update_points_from_the_later_figure_to_the_earlier():
    earlier = fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13", baseline=SERIES)
    later = fig("000-b", value=6000, speaker="y", **CUM, as_of="2025-06-19", baseline=SERIES)
    relation = relate(earlier, later)
    assert (relation.kind, relation.source, relation.target) == ("updates", later, earlier)


def test_a_total_is_compared_with_twice_a_per_side_figure():
    total = fig("000-a", value=12000, speaker="x", measure=TOTAL)
    per_side = fig("000-b", value=6000, speaker="y", measure=PER_SIDE)
    (relation,) = derive([total, per_side], {TOTAL: PER_SIDE})
    assert (relation.kind, str(relation.target_interval)) == ("agrees", "[12000, 12000]")
    assert derive([total, per_side], {}) == []  # without parley:bothSidesOf the measures differ
    half = fig("000-c", value=5000, speaker="y", measure=PER_SIDE, figure="exactly 5,000")
    (relation,) = derive([total, half], {TOTAL: PER_SIDE})
    assert relation.kind == "conflicts"
