"""The timeline as a chart: the events on a time axis drawn to scale, as SVG made on the server.

``timeline_charts(dated)`` takes the dated events of ``views.browse.timeline`` and returns one
chart per period (events more than ``GAP_DAYS`` apart fall in different periods, each drawn to
its own scale, so that the talks of one month are not squeezed into a dot by a war begun years
before), each in the wide and the narrow layout. An event of one day is a dot, an event over
several days (or known only to the month) a bar from its first to its last day. Every event is
labelled in visible text with its name and date, in the first row above the axis where its
label meets no other, so no hover is needed; each is a link to its page, reachable by keyboard
and named for screen readers. Like ``views.chart``, no inline style and no script (the CSP).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .chart import AXIS_COLOUR, GRID_COLOUR, HALO, MARK_COLOUR, NARROW, TEXT_COLOUR, WIDE, Layout, date_ticks, el
from .chart_marks import Box, cut_text, text_width
from .wording import day_text, range_text

GAP_DAYS = 180  # events further apart than this are drawn on separate axes


@dataclass(frozen=True)
class Event:
    """One event on the axis: its first and last day, its name, its page and its date in words."""

    key: str
    href: str
    name: str
    start: dt.date
    end: dt.date
    when: str


def _days(when: str, end: str | None) -> tuple[dt.date, dt.date, str] | None:
    """The first and last day of an event dated ``when`` (a day or a month) until ``end``."""
    try:
        if len(when) == 7:
            year, month = int(when[:4]), int(when[5:7])
            first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
            return first, last, f"{first:%B} {year}"
        first = dt.date.fromisoformat(when[:10])
    except ValueError:
        return None
    last = first
    if end:
        try:
            last = max(first, dt.date.fromisoformat(end[:10]))
        except ValueError:
            last = first
    return first, last, range_text(first, last) if last != first else day_text(first)


def events_of(dated: list[dict]) -> list[Event]:
    """The events of ``browse.timeline()["dated"]`` that have a day or a month, in date order."""
    out = []
    for item in dated:
        found = _days(item["when"], item.get("end"))
        if found is None:
            continue
        first, last, words = found
        event = item["event"]
        out.append(Event(event["iri"].rsplit("/", 1)[-1], event["href"], event["label"], first, last, words))
    return sorted(out, key=lambda e: (e.start, e.end, e.name))


def periods(events: list[Event]) -> list[list[Event]]:
    """The events in runs no two consecutive of which are more than ``GAP_DAYS`` apart."""
    runs: list[list[Event]] = []
    for e in events:
        if runs and (e.start - max(x.end for x in runs[-1])).days <= GAP_DAYS:
            runs[-1].append(e)
        else:
            runs.append([e])
    return runs


def timeline_svg(events: list[Event], title: str, desc: str, ident: str, layout: Layout = WIDE) -> str:
    """The chart of ``events`` (one period) as an ``<svg>`` element (text)."""
    font, width = layout.font, layout.width
    line_h = round(font * 1.25, 1)
    d0, d1 = min(e.start for e in events), max(e.end for e in events)
    pad = max(2, round((d1 - d0).days * 0.04))
    d0, d1 = d0 - dt.timedelta(days=pad), d1 + dt.timedelta(days=pad)
    left, right = 12.0, width - 12.0
    span = max((d1 - d0).days, 1)

    def x(day: dt.date) -> float:
        return round(left + (day - d0).days / span * (right - left), 1)

    lanes: list[list[Box]] = []
    placed = []
    lane_h = 2 * line_h + 10
    for e in events:
        x0, x1 = x(e.start), x(e.end)
        lines = (cut_text(e.name, layout.label_chars), e.when)
        w = max(text_width(t, font) for t in lines) + 4
        rows = 1  # lanes the event takes: two when its label cannot stand beside it and goes above
        if x1 + 8 + w <= right:
            bx, anchor = x1 + 8, "start"
        elif x0 - 8 - w >= left:
            bx, anchor = x0 - 8 - w, "end"
        else:
            bx, anchor, rows = max(left, min(x0, right - w)), "start", 2
        reach = Box(min(x0 - 6, bx), 0, max(x1 + 6, bx + w) - min(x0 - 6, bx), lane_h)
        lane = next(
            (
                i
                for i in range(len(lanes) + 1)
                if all(not any(reach.overlaps(b, 6) for b in lanes[j]) for j in range(i, min(i + rows, len(lanes))))
            ),
        )
        while len(lanes) < lane + rows:
            lanes.append([])
        for j in range(lane, lane + rows):
            lanes[j].append(reach)
        placed.append((e, lane, rows, x0, x1, bx, w, anchor, lines))
    top = 10.0
    base = top + len(lanes) * lane_h + 6
    height = math.ceil(base + font + 14)

    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "class": f"chart timeline-chart chart-{layout.name}",
            "role": "group",
            "aria-labelledby": f"{ident}-title",
            "aria-describedby": f"{ident}-desc",
            "font-family": "sans-serif",
            "font-size": str(font),
        },
    )
    el(root, "title", title, id=f"{ident}-title")
    el(root, "desc", desc, id=f"{ident}-desc")
    axis = el(root, "g", class_="axis", fill=TEXT_COLOUR, aria_hidden="true")
    for day, text in date_ticks(d0, d1, right - left, font):
        half = text_width(text, font) / 2
        if x(day) - half < 2 or x(day) + half > width - 2:
            continue
        el(axis, "line", class_="day-tick", x1=x(day), x2=x(day), y1=top, y2=base + 4, stroke=GRID_COLOUR)
        el(axis, "text", text, class_="day-label", x=x(day), y=base + font + 6, text_anchor="middle")
    el(axis, "line", x1=left, x2=right, y1=base, y2=base, stroke=AXIS_COLOUR)
    drops = el(root, "g", class_="drops", aria_hidden="true")  # under every mark and label
    for _e, lane, _rows, x0, *_rest in placed:
        y_mid = round(base - (lane + 0.5) * lane_h, 1)
        el(drops, "line", x1=x0, x2=x0, y1=y_mid, y2=base, stroke=GRID_COLOUR, stroke_dasharray="2 3")
    marks = el(root, "g", class_="marks")
    for e, lane, rows, x0, x1, bx, w, anchor, lines in placed:
        y_mid = round(base - (lane + 0.5) * lane_h, 1)
        y_text = y_mid - line_h / 2 + font / 3 if rows == 1 else y_mid - lane_h + font / 3
        link = el(
            marks, "a", href=e.href, class_="mark-link", aria_label=f"{e.name}, {e.when}", data_date=e.start.isoformat()
        )
        group = el(link, "g", class_="mark event")
        el(group, "title", f"{e.name}, {e.when}")
        if x1 - x0 >= 4:
            el(
                group,
                "rect",
                class_="bar",
                x=x0,
                y=y_mid - 4,
                width=round(x1 - x0, 1),
                height=8,
                rx=3,
                fill=MARK_COLOUR,
            )
        else:
            el(group, "circle", class_="dot", cx=x0, cy=y_mid, r=5, fill=MARK_COLOUR, stroke="#ffffff", stroke_width=1)
        at = round(bx + 2 if anchor == "start" else bx + w - 2, 1)
        text = el(group, "text", class_="mark-label", x=at, y=round(y_text, 1), fill=TEXT_COLOUR, **HALO)
        text.set("text-anchor", anchor)
        el(text, "tspan", lines[0], class_="speaker", x=at)
        el(text, "tspan", lines[1], class_="detail", x=at, dy=line_h)
    return ET.tostring(root, encoding="unicode")


def timeline_charts(dated: list[dict]) -> list[dict]:
    """One chart per period of the dated events: ``{"title", "count", "charts": {"wide", "narrow"}}``."""
    out = []
    for n, run in enumerate(periods(events_of(dated))):
        first, last = run[0].start, max(e.end for e in run)
        title = (
            f"Events from {day_text(first)} to {day_text(last)}" if first != last else f"Events of {day_text(first)}"
        )
        desc = (
            f"{len(run)} event{'s' if len(run) != 1 else ''} on a time axis drawn to scale, each labelled with its "
            "name and date: a dot is an event of one day, a bar one over several days. Each links to its page."
        )
        charts = {
            layout.name: timeline_svg(run, title, desc, f"timeline-{n}-{layout.name}", layout)
            for layout in (WIDE, NARROW)
        }
        out.append({"title": title, "count": len(run), "charts": charts})
    return out
