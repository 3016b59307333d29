"""The chart of a figure set: every figure on a time axis drawn to scale, as SVG made on the server.

``chart_svg(marks, title, desc, ident, layout)`` returns the ``<svg>`` element as text
(well-formed XML, safe inside an HTML page). The x axis is time, days proportional (a figure a
day after another stands a day's width to its right, however few figures there are); the y axis
is the figure. A mark is one figure: its interval a vertical bar from its lower to its upper
bound (a dot when they are one number; an open bound an arrow to the edge of the plot), its
as-of interval a horizontal band from the first to the last day it may hold as of (a side with
no day fades out to the edge, ending in an arrow). The bar stands at the last day of the as-of
interval (the first, when only that is known); figures with no day at all stand in a column of
their own, "date unknown". Figures of one day stand a few pixels apart, so none hides another.

Every mark is labelled in visible text (its speaker, the figure and the date), placed beside it
where no other label or mark is, else in rows below the axis with a leader line: no hover is
needed, and labels never overlap (their boxes are laid out here, in the SVG's own units, which
the browser scales uniformly). ``WIDE`` and ``NARROW`` are two layouts of the same chart, for
large and small screens. Each mark is a link to its claim, reachable by keyboard and named for
screen readers (``aria-label``); the chart has a ``<title>`` and a ``<desc>``. Colours are
presentation attributes and every text is an element: the chart needs no inline style (the CSP
forbids it, server/http/security.py) and no script.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from .chart_marks import Box, Mark, Placed, cut_text, fit_text, leader_line, place_labels, text_width
from .wording import day_text

MARK_COLOUR = "#1f5f99"
SPAN_COLOUR = "#6b9ac4"
GRID_COLOUR = "#dddddd"
AXIS_COLOUR = "#555555"
TEXT_COLOUR = "#222222"
LEADER_COLOUR = "#999999"
NO_DATE = "date unknown"
DODGE = 11.0  # pixels between the marks of one day
HALO = {"stroke": "#ffffff", "stroke_width": 3, "stroke_linejoin": "round", "paint_order": "stroke"}  # over lines


@dataclass(frozen=True)
class Layout:
    """The geometry of one rendering of the chart (SVG units; the browser scales it to the column)."""

    name: str
    width: int
    plot_height: int
    font: int
    label_chars: int  # longest name of a label; longer names are cut with an ellipsis


WIDE = Layout("wide", 760, 320, 13, 36)
NARROW = Layout("narrow", 360, 300, 12, 28)


def day_words(day: dt.date, year: bool = True) -> str:
    """A day as the pages write it (``wording.day_text``): "13 June 2025" (``year=False``: "13 June")."""
    return day_text(day, year=year)


def number_words(value: Decimal | float) -> str:
    """A number with thousands separators and no needless decimals: 12,000, 0.18."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def _fits(labels: list[str], span: float, per_tick: float, plot_w: float, font: int) -> bool:
    """True when ticks ``per_tick`` days apart leave each label (measured) room to the next."""
    widest = max((text_width(text, font) for text in labels), default=0.0)
    return span / per_tick <= plot_w / (widest + 14)


def date_ticks(d0: dt.date, d1: dt.date, plot_w: float, font: int) -> list[tuple[dt.date, str]]:
    """Ticks of the time axis between ``d0`` and ``d1``, as many as fit without their labels meeting."""
    span = max((d1 - d0).days, 1)
    for step in (1, 2, 7, 14):
        if not _fits(["1 May"], span, step, plot_w, font):  # not even the shortest day would fit
            continue
        first = d0 if step < 7 else d0 + dt.timedelta(days=(7 - d0.weekday()) % 7)  # weeks start on Monday
        ticks, day = [], first
        while day <= d1:
            ticks.append(day)
            day += dt.timedelta(days=step)
        labelled = [(t, day_words(t, year=i == 0 or t.year != ticks[i - 1].year)) for i, t in enumerate(ticks)]
        if _fits([text for _, text in labelled], span, step, plot_w, font):
            return labelled
    for months in (1, 2, 3, 6):
        ticks = []
        year, month = d0.year, d0.month
        while True:
            day = dt.date(year, month, 1)
            if day > d1:
                break
            if day >= d0:
                ticks.append(day)
            month += months
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        labelled = [(t, f"{t:%B} {t.year}") for t in ticks]
        if _fits([text for _, text in labelled], span, 30.4 * months, plot_w, font):
            return labelled
    years = next(
        (n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500) if _fits(["0000"], span, 365.25 * n, plot_w, font)), 1000
    )
    return [(dt.date(y, 1, 1), str(y)) for y in range(d0.year + 1, d1.year + 1) if y % years == 0]


def chart_svg(marks: list[Mark], title: str, desc: str, ident: str = "chart", layout: Layout = WIDE) -> str:
    """Return the chart of ``marks`` as an ``<svg>`` element (text), titled and described."""
    font, width = layout.font, layout.width
    line_h = round(font * 1.25, 1)
    numbers = [float(n) for m in marks for n in (m.lo, m.hi) if n is not None]
    top_value, low_value = max(numbers, default=1.0), min(numbers, default=0.0)
    bottom = 0.0 if low_value >= 0 else low_value
    step = _nice_step(max(top_value - bottom, 1.0))
    ceiling = math.ceil(top_value / step) * step
    if ceiling <= top_value or any(m.hi is None for m in marks):
        ceiling += step  # room above the highest figure (and for an arrow)
    y_ticks = []
    tick = bottom
    while tick <= ceiling + step / 2:
        y_ticks.append(tick)
        tick += step
    left = max(40.0, max(text_width(number_words(t), font) for t in y_ticks) + 12)
    undated = [m for m in marks if m.day is None]
    column = 8 + text_width(NO_DATE, font) if undated else 0.0
    right = width - 10 - column  # the plot's right edge
    top, plot_h = 14.0, float(layout.plot_height)
    base = top + plot_h  # the x axis
    plot_w = right - left

    def y(value: float) -> float:
        return round(base - (value - bottom) / (ceiling - bottom) * plot_h, 1)

    days = [d for m in marks for d in (m.start, m.end) if d is not None]
    d0, d1 = (min(days), max(days)) if days else (dt.date(2000, 1, 1), dt.date(2000, 1, 2))
    pad = max(3, round((d1 - d0).days * 0.06))  # room beside the first and last day
    open_left = any(m.start is None and m.end is not None for m in marks)  # "by" a day: room to fade out
    d0, d1 = d0 - dt.timedelta(days=pad * (2 if open_left else 1)), d1 + dt.timedelta(days=pad)
    span_days = (d1 - d0).days

    def x(day: dt.date) -> float:
        return round(left + (day - d0).days / span_days * plot_w, 1)

    # where each mark's bar stands: its day, figures of one day a few pixels apart
    by_day: dict[dt.date | None, list[Mark]] = {}
    for m in marks:
        by_day.setdefault(m.day, []).append(m)
    placed: list[Placed] = []
    for day, group in sorted(by_day.items(), key=lambda item: (item[0] is None, item[0] or dt.date.min)):
        centre = x(day) if day is not None else right + column / 2 + 4
        for j, m in enumerate(sorted(group, key=lambda m: (float(m.lo if m.lo is not None else m.hi), m.key))):
            bar_x = round(centre + (j - (len(group) - 1) / 2) * DODGE, 1)
            y_lo = y(float(m.lo)) if m.lo is not None else base
            y_hi = y(float(m.hi)) if m.hi is not None else top
            if m.exact:
                y_mid = y_lo
            elif m.lo is not None and m.hi is not None:
                y_mid = round((y_lo + y_hi) / 2, 1)
            else:
                y_mid = y_lo if m.lo is not None else y_hi
            glyph = Box(bar_x - 7, min(y_hi, y_mid - 6) - 1, 14, max(y_lo, y_mid + 6) - min(y_hi, y_mid - 6) + 2)
            # a name is cut to the layout's length; the figure and its date stay whole while they fit the chart
            lines = (cut_text(m.speaker, layout.label_chars), fit_text(m.detail, width - 12, font))
            p = Placed(m, bar_x, y_lo, y_hi, y_mid, glyph, lines)
            if day is not None and m.start != m.end:
                x0 = x(m.start) if m.start is not None else left
                x1 = x(m.end) if m.end is not None else right
                p.spans.append(Box(min(x0, x1), y_mid - 3, abs(x1 - x0), 6))
            placed.append(p)

    place_labels(placed, left, right + column, top, base, line_h, font)
    band = [p for p in placed if p.label is None]
    band_top = base + font + 16  # below the date labels
    rows: list[list[Box]] = []
    for p in sorted(band, key=lambda p: -p.x):  # a leader then passes left of the labels above it
        w, h = max(text_width(line, font) for line in p.lines) + 4, 2 * line_h
        bx = min(max(p.x - 6, 4.0), width - w - 4)
        p.anchor = "start"
        for i, row in enumerate(rows):
            box = Box(bx, band_top + i * (h + 6), w, h)
            if not any(box.overlaps(other, 8) for other in row):
                row.append(box)
                break
        else:
            box = Box(bx, band_top + len(rows) * (h + 6), w, h)
            rows.append([box])
        p.label = box
        p.leader = leader_line(p, box)
    height = math.ceil(band_top + len(rows) * (2 * line_h + 6) + 4) if rows else math.ceil(base + font + 22)

    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "class": f"chart chart-{layout.name}",
            "role": "group",
            "aria-labelledby": f"{ident}-title",
            "aria-describedby": f"{ident}-desc",
            "font-family": "sans-serif",
            "font-size": str(font),
        },
    )
    el(root, "title", title, id=f"{ident}-title")
    el(root, "desc", desc, id=f"{ident}-desc")
    defs = el(root, "defs")
    for side, (a, b) in (("left", (0, 1)), ("right", (1, 0))):
        gradient = el(defs, "linearGradient", id=f"{ident}-fade-{side}", x1=0, x2=1, y1=0, y2=0)
        el(gradient, "stop", offset=0, stop_color=SPAN_COLOUR, stop_opacity=a * 0.55 + 0.05)
        el(gradient, "stop", offset=1, stop_color=SPAN_COLOUR, stop_opacity=b * 0.55 + 0.05)

    axis = el(root, "g", class_="axis", fill=TEXT_COLOUR, aria_hidden="true")
    for t in y_ticks:
        el(axis, "line", x1=left, x2=right, y1=y(t), y2=y(t), stroke=GRID_COLOUR)
        el(axis, "text", number_words(t), x=round(left - 6, 1), y=y(t) + font / 3, text_anchor="end")
    for day, text in date_ticks(d0, d1, plot_w, font):
        half = text_width(text, font) / 2
        if x(day) - half < 2 or x(day) + half > right + (0 if undated else 8):
            continue  # a label that would run past the plot (into the "date unknown" column)
        el(axis, "line", class_="day-tick", x1=x(day), x2=x(day), y1=top, y2=base + 4, stroke=GRID_COLOUR)
        el(axis, "text", text, class_="day-label", x=x(day), y=base + font + 6, text_anchor="middle")
    el(axis, "line", x1=left, x2=left, y1=top, y2=base, stroke=AXIS_COLOUR)
    el(axis, "line", x1=left, x2=right, y1=base, y2=base, stroke=AXIS_COLOUR)
    if undated:
        mid = right + column / 2 + 4
        el(axis, "line", x1=right + 8, x2=width - 2, y1=base, y2=base, stroke=AXIS_COLOUR, stroke_dasharray="3 3")
        el(axis, "text", NO_DATE, class_="day-label", x=round(mid, 1), y=base + font + 6, text_anchor="middle")

    leaders = el(root, "g", class_="leaders", aria_hidden="true")  # under the marks and labels
    for p in placed:
        if p.leader is not None:
            x1, y1, x2, y2 = p.leader
            el(leaders, "line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=LEADER_COLOUR, stroke_width=1)
    figures = el(root, "g", class_="marks")
    for p in sorted(placed, key=lambda p: (p.mark.day is None, p.mark.day or dt.date.min, p.x)):
        _draw(figures, p, ident, left, right, top, base, font, line_h)
    return ET.tostring(root, encoding="unicode")


def _draw(parent, p: Placed, ident: str, left: float, right: float, top: float, base: float, font, line_h) -> None:
    m = p.mark
    link = el(
        parent, "a", href=m.href, class_="mark-link", aria_label=m.name, data_date=m.day.isoformat() if m.day else ""
    )
    group = el(link, "g", class_="mark " + ("exact" if m.exact else "range") + ("" if m.day else " undated"))
    el(group, "title", m.name)
    for span in p.spans:
        open_left = m.start is None
        open_right = m.end is None
        fill = f"url(#{ident}-fade-left)" if open_left else f"url(#{ident}-fade-right)" if open_right else SPAN_COLOUR
        el(group, "rect", class_="as-of", x=span.x, y=p.y_mid - 2, width=max(span.w, 1), height=4, fill=fill)
        if open_left:
            ax = span.x
            el(
                group,
                "polygon",
                class_="open-date",
                points=f"{ax},{p.y_mid} {ax + 7},{p.y_mid - 4} {ax + 7},{p.y_mid + 4}",
                fill=SPAN_COLOUR,
            )
        if open_right:
            ax = span.x + span.w
            el(
                group,
                "polygon",
                class_="open-date",
                points=f"{ax},{p.y_mid} {ax - 7},{p.y_mid - 4} {ax - 7},{p.y_mid + 4}",
                fill=SPAN_COLOUR,
            )
        if not (open_left or open_right):
            for end in (span.x, span.x + span.w):
                el(
                    group,
                    "line",
                    class_="as-of-cap",
                    x1=end,
                    x2=end,
                    y1=p.y_mid - 5,
                    y2=p.y_mid + 5,
                    stroke=SPAN_COLOUR,
                    stroke_width=2,
                )
    x = p.x
    if m.exact:
        el(group, "circle", class_="dot", cx=x, cy=p.y_lo, r=5, fill=MARK_COLOUR, stroke="#ffffff", stroke_width=1)
    else:
        el(group, "line", class_="bar", x1=x, x2=x, y1=p.y_lo, y2=p.y_hi, stroke=MARK_COLOUR, stroke_width=4)
        for end, value in ((p.y_lo, m.lo), (p.y_hi, m.hi)):
            if value is not None:
                el(group, "line", class_="cap", x1=x - 6, x2=x + 6, y1=end, y2=end, stroke=MARK_COLOUR, stroke_width=2)
        if m.hi is None:
            el(
                group,
                "polygon",
                class_="open",
                points=f"{x - 6},{p.y_hi + 8} {x},{p.y_hi} {x + 6},{p.y_hi + 8}",
                fill=MARK_COLOUR,
            )
        if m.lo is None:
            el(
                group,
                "polygon",
                class_="open",
                points=f"{x - 6},{p.y_lo - 8} {x},{p.y_lo} {x + 6},{p.y_lo - 8}",
                fill=MARK_COLOUR,
            )
    if p.label is not None:
        box = p.label
        at = round({"start": box.x + 2, "middle": box.x + box.w / 2, "end": box.x + box.w - 2}[p.anchor], 1)
        label = el(group, "text", class_="mark-label", x=at, y=round(box.y + font, 1), fill=TEXT_COLOUR, **HALO)
        label.set("text-anchor", p.anchor)
        el(label, "tspan", p.lines[0], class_="speaker", x=at)
        el(label, "tspan", p.lines[1], class_="detail", x=at, dy=line_h)
