"""Table-driven tests of the interval semantics and of every relation rule (graph/relations.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rdflib import URIRef

from graph.namespaces import ID, PARLEY
from graph.relations import AsOf, Figure, Interval, at_precision, derive, interval, precision, relate

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
    "number, unit", [(6000, D(1000)), (3012, D(1)), (3600, D(100)), (339, D(1)), (D("0.2"), D("0.1")), (12000, D(1000))]
)
def test_precision_is_the_unit_of_the_last_significant_digit(number, unit):
    assert precision(number) == unit


def test_at_the_precision_given_six_thousand_meets_over_six_thousand():
    six, over = interval("exact", value=6000), interval("more-than", min=6000)
    assert not six.overlaps(over)  # read as stated, they do not overlap ...
    assert at_precision(six, [6000]).overlaps(at_precision(over, [6000]))  # ... at the precision given they do


@pytest.mark.parametrize(
    "as_of, stated_on, published, text, lo, hi",
    [
        (dt.date(2025, 6, 13), dt.date(2025, 6, 14), None, "2025-06-13", dt.date(2025, 6, 13), dt.date(2025, 6, 13)),
        (None, dt.date(2025, 6, 19), dt.date(2025, 6, 20), "by 2025-06-19 (said then)", None, dt.date(2025, 6, 19)),
        (None, None, dt.date(2025, 6, 3), "by 2025-06-03 (published then)", None, dt.date(2025, 6, 3)),
        (None, None, None, "unknown", None, None),
    ],
)
def test_an_as_of_date_is_a_day_a_latest_day_or_unknown(as_of, stated_on, published, text, lo, hi):
    read = AsOf.read(as_of, stated_on, published)
    assert (read.text, read.lo, read.hi) == (text, lo, hi)


# -- the rules: one case that fires and one that must not, for each

SUBJECT, OTHER_SUBJECT = ID["exchange/x"], ID["exchange/y"]
TOTAL, PER_SIDE = ID["measure/total"], ID["measure/per-side"]


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
    by=None,
    about=SUBJECT,
    measure=TOTAL,
    scope=None,
    figure=None,
) -> Figure:  # noqa: A002
    day = dt.date.fromisoformat(as_of) if as_of else None
    latest = dt.date.fromisoformat(by) if by else None
    printed = tuple(n for n in (value, min, max) if n is not None)
    return Figure(
        iri=URIRef(ID[f"claim/{name}"]),
        name=name,
        figure=figure or str(printed[0] if printed else "several"),
        about=frozenset({about}),
        measure=measure,
        kind=kind,
        speakers=frozenset({ID[f"person/{speaker}"]}),
        quantity=interval(approximation, value, min, max),
        printed=printed,
        as_of=AsOf.read(day, latest, None),
        scope=(PARLEY.unspecifiedScope if scope == "unspecified" else ID[f"agreement/{scope}"]) if scope else None,
    )


CUM = {"kind": "cumulative"}
RULES = [
    # (case, a, b, expected (kind, rule) or None)
    (
        "incompatible: same event, different figures",
        fig("000-a", value=95, speaker="x"),
        fig("000-b", value=90, speaker="y"),
        ("conflicts", "incompatible"),
    ),
    (
        "not incompatible: about 100 includes 95",
        fig("000-a", "about", value=100, speaker="x"),
        fig("000-b", value=95, speaker="y"),
        ("corroborates", "compatible"),
    ),
    (
        "compatible: two sources, one figure",
        fig("000-a", value=1200, speaker="x"),
        fig("000-b", value=1200, speaker="y"),
        ("corroborates", "compatible"),
    ),
    (
        "not compatible: other subject",
        fig("000-a", value=1200, speaker="x"),
        fig("000-b", value=1200, speaker="y", about=OTHER_SUBJECT),
        None,
    ),
    (
        "same speaker: 6,000 and over 6,000 in one statement",
        fig("000-a", value=6000, **CUM, as_of="2025-06-19"),
        fig("000-b", "more-than", min=6000, **CUM, as_of="2025-06-19"),
        ("restates", "same-speaker"),
    ),
    (
        "same speaker: nearly 3,000 and another 3,000",
        fig("000-a", "nearly", max=3000),
        fig("000-b", value=3000),
        ("restates", "same-speaker"),
    ),
    (
        "same speaker, incompatible even at the precision given",
        fig("000-a", value=3012),
        fig("000-b", value=3600),
        ("conflicts", "same-speaker-incompatible"),
    ),
    (
        "not restating: another speaker with the same figures",
        fig("000-a", value=6000, speaker="x"),
        fig("000-b", "more-than", min=6000, speaker="y"),
        ("conflicts", "incompatible"),
    ),
    (
        "cumulative decrease across sources",
        fig("000-a", value=6000, speaker="x", **CUM, by="2025-06-03"),
        fig("000-b", value=3012, speaker="y", **CUM, as_of="2025-06-13"),
        ("conflicts", "cumulative-decrease"),
    ),
    (
        "no decrease: a level may fall",
        fig("000-a", value=20, speaker="x", kind="level", as_of="2025-06-01"),
        fig("000-b", value=15, speaker="y", kind="level", as_of="2025-06-13"),
        ("updates", "later-figure"),
    ),
    (
        "later figure of a cumulative series",
        fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13"),
        fig("000-b", value=6000, speaker="y", **CUM, as_of="2025-06-19"),
        ("updates", "later-figure"),
    ),
    (
        "not an update: a per-event count is one time",
        fig("000-a", value=1200, speaker="x", as_of="2025-06-13"),
        fig("000-b", value=1300, speaker="y", as_of="2025-06-19"),
        ("conflicts", "incompatible"),
    ),
    (
        "date unknown, figures disagree",
        fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13"),
        fig("000-b", value=3600, speaker="y", **CUM, by="2025-06-20"),
        ("possibly-conflicts", "date-unknown"),
    ),
    (
        "date unknown, figures agree",
        fig("000-a", value=3600, speaker="x", **CUM, as_of="2025-06-13"),
        fig("000-b", "about", value=3500, speaker="y", **CUM, by="2025-06-20"),
        ("corroborates", "date-unknown-compatible"),
    ),
    (
        "same day, cumulative, disagreeing sources",
        fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13"),
        fig("000-b", value=3600, speaker="y", **CUM, as_of="2025-06-13"),
        ("conflicts", "incompatible"),
    ),
    (
        "scope unknown, figures disagree",
        fig("000-a", value=1200, speaker="x", scope="unspecified"),
        fig("000-b", "at-least", min=2000, speaker="y"),
        ("possibly-conflicts", "scope-unknown"),
    ),
    (
        "scope unknown, figures agree",
        fig("000-a", value=2400, speaker="x", scope="unspecified"),
        fig("000-b", "at-least", min=2000, speaker="y"),
        None,
    ),
    (
        "different scopes are not compared",
        fig("000-a", value=1200, speaker="x", scope="first"),
        fig("000-b", value=2000, speaker="y", scope="second"),
        None,
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


def test_an_update_points_from_the_later_figure_to_the_earlier():
    earlier = fig("000-a", value=3012, speaker="x", **CUM, as_of="2025-06-13")
    later = fig("000-b", value=6000, speaker="y", **CUM, as_of="2025-06-19")
    relation = relate(earlier, later)
    assert (relation.source, relation.target) == (later, earlier)


def test_a_total_is_compared_with_twice_a_per_side_figure():
    total = fig("000-a", value=12000, speaker="x", measure=TOTAL)
    per_side = fig("000-b", value=6000, speaker="y", measure=PER_SIDE)
    (relation,) = derive([total, per_side], {TOTAL: PER_SIDE})
    assert (relation.kind, str(relation.target_interval)) == ("corroborates", "[12000, 12000]")
    assert derive([total, per_side], {}) == []  # without parley:bothSidesOf the measures differ
    half = fig("000-c", value=5000, speaker="y", measure=PER_SIDE)
    (relation,) = derive([total, half], {TOTAL: PER_SIDE})
    assert relation.kind == "conflicts"
