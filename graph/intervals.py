"""What a printed figure and a date mean as intervals: ``interval(approximation, value, min, max)``
is the set of numbers a quantity's words allow ("about 1,000" is [900, 1,100]), ``precision`` and
``printed_unit`` the precision it was printed at, ``number_text`` a bound as a text prints it, and
``Span.read`` the days a figure may hold as of. Pure values and functions; ``graph.rules``
relates two figures with them (docs/claims.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

ABOUT_WIDTH = Decimal("0.1")  # "about v" is [0.9v, 1.1v]
NEARLY_WIDTH = Decimal("0.1")  # "nearly v" is [0.9v, v)
# Approximations whose printed number is read at its precision: a figure printed without a
# qualifier, or a range. The words of "about" and "nearly" already say how wide the figure is;
# "at least", "more than", "up to" and "less than" state a bound, which rounding does not move;
# a vague figure has no printed precision.
AT_PRECISION = {"exact", "range"}
EXACT_WORDS = re.compile(r"\b(?:exactly|precisely)\b", re.IGNORECASE)


# -- quantities


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
        return not (self.below(other) or other.below(self))

    def below(self, other: Interval) -> bool:
        """Return True when every number of this interval is below every number of ``other``."""
        if self.hi is None or other.lo is None:
            return False
        return self.hi < other.lo or (self.hi == other.lo and not (self.hi_closed and other.lo_closed))

    def scaled(self, factor: Decimal) -> Interval:
        """Return the interval times ``factor`` (a per-side figure as a total over both sides: 2)."""
        if factor == 1:
            return self
        return Interval(
            None if self.lo is None else self.lo * factor,
            None if self.hi is None else self.hi * factor,
            self.lo_closed,
            self.hi_closed,
        )

    def widened(self, half: Decimal) -> Interval:
        """Return the interval with each known bound moved out by ``half`` (the precision printed)."""
        return Interval(
            None if self.lo is None else self.lo - half,
            None if self.hi is None else self.hi + half,
            True,
            True,
        )

    def __str__(self) -> str:
        lo = "−∞" if self.lo is None else number_text(self.lo)
        hi = "∞" if self.hi is None else number_text(self.hi)
        left = "[" if self.lo_closed and self.lo is not None else "("
        right = "]" if self.hi_closed and self.hi is not None else ")"
        return f"{left}{lo}, {hi}{right}"


def number_text(value: Decimal) -> str:
    """A number as plain digits, without exponent or trailing zeros: 6000, 0.18."""
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
    if Decimal(str(value)) == 0:
        return Decimal(1)
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return Decimal(1).scaleb(exponent)


def printed_unit(approximation: str, figure: str, numbers) -> Decimal | None:
    """Return the precision a figure is printed at: the unit of the last significant digit of
    the coarsest of its ``numbers``, 1 when its words say it is exact ("exactly 6,000"), None
    when its words carry their own width ("about", "nearly") or it prints no number."""
    if approximation not in AT_PRECISION:
        return None
    units = [precision(n) for n in numbers if n is not None]
    if not units:
        return None
    if EXACT_WORDS.search(figure or ""):
        return Decimal(1)
    return max(units)


# -- dates


@dataclass(frozen=True)
class Span:
    """The days a figure may hold as of: from ``lo`` to ``hi`` (None: open on that side)."""

    lo: dt.date | None
    hi: dt.date | None
    text: str

    @classmethod
    def read(cls, as_of, stated_on, published: dt.date | None) -> Span:
        """A figure holds as of its as-of interval; else no later than when it was said, else than
        its article's publication. ``as_of`` and ``stated_on`` are ``(earliest, latest, text)`` or None."""
        if as_of is not None:
            return cls(as_of[0], as_of[1], as_of[2])
        if stated_on is not None:
            return cls(None, stated_on[1], f"by {stated_on[2]} (said then)")
        if published is not None:
            return cls(None, published, f"by {published.isoformat()} (published then)")
        return cls(None, None, "unknown")

    def before(self, other: Span) -> bool:
        """Return True when this whole interval is earlier than the whole of the other's."""
        return self.hi is not None and other.lo is not None and self.hi < other.lo

    def same_day(self, other: Span) -> bool:
        return self.lo is not None and self.lo == self.hi == other.lo == other.hi
