"""The charts of figures on resource pages: what was claimed about an exchange, what a person
said, every figure of one measure, each drawn over time to scale (``views.chart.chart_svg``).

``figure_charts_for(iri, kind)`` reads the figures (``figures-about.rq``, ``figures-by-speaker.rq``
or ``figures-of-measure.rq``), groups them by measure (one axis never mixes two measures) and
returns, per measure with at least ``MIN_MARKS`` figures that have bounds, its chart in the wide
and the narrow layout (of the latest ``MAX_MARKS`` figures, where a measure has more). Every mark is labelled with its speaker (on a measure's page, also its
subject) and its figure and date, links to its claim and is named for screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

import pyoxigraph as ox
from markupsafe import Markup

from ..data.canned import query
from ..data.site import site
from .chart import NARROW, WIDE, Mark, chart_svg
from .figures import as_of_words, interval_words, read_figure, when_short
from .terms import iri_term, label, local_href, speaker_of

# The query each kind of page reads its figures with: about it, said by it, of it as a measure.
QUERIES = {"about": "figures-about", "speaker": "figures-by-speaker", "measure": "figures-of-measure"}
MIN_MARKS = 2  # a chart of one figure says less than the sentence beside it...
FALLBACK_CHARTS = 3  # ...but a person who gave no two figures of one measure still gets theirs drawn
MAX_MARKS = 60  # a chart holds the latest this many figures of a measure; its caption says how many it leaves out
FIGURE_CHARS = 16  # a printed figure longer than this is shown as its bounds in the label


def _mark(row, kind: str, s) -> Mark | None:
    """One figure as a chart mark, or None when the build reads no bound for it."""
    reading = read_figure(row)
    if not reading.bounded:
        return None
    claim = row["claim"].value
    key = claim.rsplit("/", 1)[-1]
    speaker = speaker_of(key, s) or "the article"
    about = label(row["about"].value, s) if "about" in row else None
    printed = row["figure"].value if "figure" in row else ""
    bounds = interval_words(reading.lo, reading.hi)
    short = printed if printed and len(printed) <= FIGURE_CHARS else bounds
    who = f"{speaker} on {about}" if kind == "measure" and about else speaker
    return Mark(
        key=key,
        href=local_href(claim) or claim,
        name=f"{printed or bounds}, said by {who}, as of {as_of_words(reading)}; read as {bounds}",
        speaker=who,
        detail=f"{short} · {when_short(reading)}",
        lo=reading.lo,
        hi=reading.hi,
        start=reading.start,
        end=reading.end,
    )


def figure_charts_for(iri: str, kind: str) -> list[dict]:
    """The charts of the figures ``kind`` (a key of ``QUERIES``) relates to ``iri``, one per
    measure: ``{"measure", "count", "charts": {"wide": svg, "narrow": svg}}``, most figures first."""
    s = site()
    groups: OrderedDict[str, list[Mark]] = OrderedDict()
    seen = set()
    for row in s.store.select(query(QUERIES[kind]), {"s": ox.NamedNode(iri)}):
        claim = row["claim"].value
        if claim in seen:
            continue
        seen.add(claim)
        measure = iri if kind == "measure" else row["measure"].value
        mark = _mark(row, kind, s)
        if mark is not None:
            groups.setdefault(measure, []).append(mark)
    ranked = sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))
    shown = [g for g in ranked if len(g[1]) >= MIN_MARKS]
    if not shown and kind == "speaker":
        shown = ranked[:FALLBACK_CHARTS]
    out = []
    for n, (measure, marks) in enumerate(shown):
        marks.sort(key=lambda m: (m.day or dt.date.max, m.key))
        total = len(marks)
        dated = [m for m in marks if m.day is not None]
        if total > MAX_MARKS:  # the latest dated figures (the undated ones have no place in time)
            marks = dated[-MAX_MARKS:]
        term = iri_term(measure, s)
        title = f"{term['label']}: {len(marks)} figure{'s' if len(marks) != 1 else ''} over time"
        desc = (
            f"{len(marks)} figure{'s' if len(marks) != 1 else ''} of the measure {term['label']} on a time axis drawn to scale, each labelled "
            "with who gave it, the figure and its date; a dot is one number, a bar runs from a lower to an upper "
            "bound, a band spans the days a figure may hold as of. Each mark links to its claim."
        )
        charts = {
            layout.name: Markup(chart_svg(marks, title, desc, ident=f"chart-{n}-{layout.name}", layout=layout))  # noqa: S704 - ElementTree escapes every text
            for layout in (WIDE, NARROW)
        }
        out.append({"measure": term, "count": len(marks), "total": total, "title": title, "charts": charts})
    return out
