"""The chart of a comparison page: figures over their dates, as an SVG drawn on the server.

``chart_svg(marks, title, desc)`` returns the SVG element as text (well-formed XML, safe to put
inside an HTML page). A mark is a figure: an exact figure is a dot, a figure with bounds a
vertical bar from its lower to its upper bound, and a bound with nothing beyond it ("over
6,000") a bar that runs to the edge of the plot and ends in an arrow. The dates are columns in
date order, evenly spaced (so two figures a day apart stay readable), each labelled with its
date; figures of one date stand side by side. A figure placed at the day it was said or at its
article's date, for want of an as-of date, is hollow (a dashed bar); one with no date at all
stands in a last column, "no date". Colours are presentation attributes and every text is an
element, so the chart needs no inline style (server/security.py forbids it) and no script; the
page's table says the same in words.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44
AS_OF_COLOUR = "#1f5f99"
OTHER_COLOUR = "#9a4d00"
GRID_COLOUR = "#d0d0d0"
TEXT_COLOUR = "#222222"
NO_DATE = "no date"
_INTERVAL = re.compile(r"^([\[(])\s*(\S+),\s*(\S+)\s*([\])])$")


@dataclass(frozen=True)
class Mark:
    """One figure on the chart: its bounds (None: open on that side), date and how it is dated."""

    key: str  # the anchor of the figure's row in the page's table
    text: str  # what the mark's tooltip says
    lo: Decimal | None
    hi: Decimal | None
    date: str | None  # an ISO date, or None for a figure with no date at all
    as_of: bool  # True when ``date`` is the figure's as-of date

    @property
    def exact(self) -> bool:
        return self.lo is not None and self.lo == self.hi


def parse_interval(text: str | None) -> tuple[Decimal | None, Decimal | None] | None:
    """Read a quantity's interval as the build writes it ("[2700, 3300]", "(6000, ∞)") into its
    bounds (None where unbounded); None when there is no interval or it cannot be read."""
    if not text:
        return None
    found = _INTERVAL.match(text.strip())
    if not found:
        return None

    def bound(word: str) -> Decimal | None:
        if word.lstrip("+-−") == "∞":
            return None
        try:
            return Decimal(word)
        except ArithmeticError:
            return None

    lo, hi = bound(found.group(2)), bound(found.group(3))
    return None if lo is None and hi is None else (lo, hi)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def _el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def chart_svg(marks: list[Mark], title: str, desc: str, ident: str = "chart") -> str:
    """Return the chart of ``marks`` as an ``<svg>`` element (text), titled and described."""
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "class": "chart",
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
            "font-family": "sans-serif",
            "font-size": "12",
        },
    )
    _el(root, "title", title, id=f"{ident}-title")
    _el(root, "desc", desc, id=f"{ident}-desc")
    numbers = [float(n) for m in marks for n in (m.lo, m.hi) if n is not None]
    top_value = max(numbers, default=1.0)
    low_value = min(numbers, default=0.0)
    bottom = 0.0 if low_value >= 0 else low_value
    step = _nice_step(max(top_value - bottom, 1.0))
    ceiling = math.ceil(top_value / step) * step
    if ceiling <= top_value or any(m.hi is None for m in marks):
        ceiling += step  # room above the highest figure for an arrow
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + plot_h - (value - bottom) / (ceiling - bottom) * plot_h, 1)

    axis = _el(root, "g", class_="axis", fill=TEXT_COLOUR)
    tick = bottom
    while tick <= ceiling + step / 2:
        _el(axis, "line", x1=LEFT, x2=WIDTH - RIGHT, y1=y(tick), y2=y(tick), stroke=GRID_COLOUR)
        _el(axis, "text", _number(tick), x=LEFT - 6, y=y(tick) + 4, text_anchor="end")
        tick += step
    dates = sorted({m.date for m in marks if m.date})
    columns = dates + ([NO_DATE] if any(m.date is None for m in marks) else [])
    width = plot_w / max(len(columns), 1)
    for i, column in enumerate(columns):
        _el(axis, "text", column, x=round(LEFT + width * (i + 0.5), 1), y=HEIGHT - BOTTOM + 18, text_anchor="middle")
    _el(axis, "line", x1=LEFT, x2=LEFT, y1=TOP, y2=TOP + plot_h, stroke=TEXT_COLOUR)
    _el(axis, "line", x1=LEFT, x2=WIDTH - RIGHT, y1=TOP + plot_h, y2=TOP + plot_h, stroke=TEXT_COLOUR)
    in_column: dict[str, list[Mark]] = {}
    for m in marks:
        in_column.setdefault(m.date or NO_DATE, []).append(m)
    figures = _el(root, "g", class_="marks")
    for i, column in enumerate(columns):
        group = in_column[column]
        gap = min(18.0, width / (len(group) + 1))
        for j, m in enumerate(group):
            x = round(LEFT + width * (i + 0.5) + (j - (len(group) - 1) / 2) * gap, 1)
            colour = AS_OF_COLOUR if m.as_of else OTHER_COLOUR
            link = _el(figures, "a", href=f"#{m.key}")
            mark = _el(link, "g", class_="mark " + ("exact" if m.exact else "range") + ("" if m.as_of else " undated"))
            _el(mark, "title", m.text)
            if m.exact:
                _el(mark, "circle", cx=x, cy=y(float(m.lo)), r=5, fill=colour if m.as_of else "#ffffff", stroke=colour)
                continue
            y_lo = y(float(m.lo)) if m.lo is not None else y(bottom)
            y_hi = y(float(m.hi)) if m.hi is not None else float(TOP)
            dash = {} if m.as_of else {"stroke_dasharray": "4 3"}
            _el(mark, "line", class_="bar", x1=x, x2=x, y1=y_lo, y2=y_hi, stroke=colour, stroke_width=4, **dash)
            for end, value in ((y_lo, m.lo), (y_hi, m.hi)):
                if value is not None:
                    _el(mark, "line", class_="cap", x1=x - 6, x2=x + 6, y1=end, y2=end, stroke=colour, stroke_width=2)
            if m.hi is None:
                _el(
                    mark,
                    "polygon",
                    class_="open",
                    points=f"{x - 6},{y_hi + 8} {x},{y_hi} {x + 6},{y_hi + 8}",
                    fill=colour,
                )
            if m.lo is None:
                _el(
                    mark,
                    "polygon",
                    class_="open",
                    points=f"{x - 6},{y_lo - 8} {x},{y_lo} {x + 6},{y_lo - 8}",
                    fill=colour,
                )
    return ET.tostring(root, encoding="unicode")
