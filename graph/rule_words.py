"""How a rule's reasons are worded: the dimensions a reading leaves open, a disagreement and an
agreement said in words, for the reasons ``graph.rules.relate`` writes on each relation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules import Outcome

_DIMENSION_WORDS = {
    "sides": "per side or in total",
    "scope": "what a figure counts",
    "baseline": "what a running total counts from",
    "date-order": "the order of the dates",
}
_DIMENSION_RULES = {
    "baseline": "baseline-open",
    "scope": "scope-open",
    "sides": "sides-open",
    "date-order": "date-order-open",
}


def open_words(opened: list[str]) -> str:
    return and_list([_DIMENSION_WORDS[d] for d in opened])


def and_list(words: list[str]) -> str:
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def open_rule(opened: list[str]) -> str:
    """The rule of a possible conflict: the first dimension left open, baseline before scope, sides
    and date order (a possible conflict always has one)."""
    return next(rule for dimension, rule in _DIMENSION_RULES.items() if dimension in opened)


def disagreement(outcome: Outcome) -> str:
    if outcome.rule == "cumulative-decrease":
        return f"the later figure is lower even at the precision printed ({outcome.why})"
    return f"the figures {outcome.why}"


def agreement_words(outcome: Outcome) -> str:
    return {
        "agree": "agree as printed",
        "consistent": "agree at the precision printed",
        "update": "are a later and an earlier figure of one running total",
    }[outcome.grade]
