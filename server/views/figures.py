"""Figures in dispute as pages show them: the figure sets the build writes (graph/disputes.py).

``figure_sets()`` lists every set (read once per app), ``figure_sets_about(subject)`` one
subject's; ``figure_set(iri)`` gives one set's figures (each claim with its speakers, dates,
modality, articles and quote, from ``views.evidence.claims``, and how the build reads it: bounds
and as-of interval, ``read_figure``), the relations between them in words with their reasons,
and the chart's marks. ``figures_csv`` and ``figures_json`` are its figures table as CSV
(RFC 4180) and JSON; ``figure_chart`` its chart as SVG, in either layout.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from ..data.canned import query
from ..data.site import site
from .chart import NARROW, WIDE, Layout, Mark, chart_svg, day_words, number_words
from .evidence import RELATION_WORDS, claims
from .terms import iri_term, label, local_href, reason_words

# The order relation kinds are listed in, disagreements first; each group is named by its kind's
# own label (skos:prefLabel), each relation read from its from claim (``claims.RELATION_WORDS``).
KIND_ORDER = ("conflicts", "possibly-conflicts", "updates", "not-comparable", "consistent", "agrees")
CSV_COLUMNS = (
    "claim",
    "figure",
    "lower_bound",
    "upper_bound",
    "approximation",
    "speakers",
    "speaker_iris",
    "stated_on",
    "as_of_from",
    "as_of_until",
    "as_of",
    "modality",
    "article",
    "article_label",
    "quote",
)


@dataclass(frozen=True)
class Reading:
    """How the build reads one figure: its bounds (None: unbounded on that side) and the
    interval of days it holds as of (None: unknown on that side), with the interval in words."""

    lo: Decimal | None
    hi: Decimal | None
    start: dt.date | None
    end: dt.date | None
    text: str

    @property
    def bounded(self) -> bool:
        return self.lo is not None or self.hi is not None


def _value(row, name: str) -> str | None:
    node = row.get(name)
    return node.value if node is not None else None


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


def read_figure(row) -> Reading:
    """Return how the build reads the figure of one row of ``figure-set-figures.rq``: the bounds
    of its quantity (``parley:lowerBound``, ``upperBound``) and the days it holds as of
    (``parley:asOfFrom``, ``asOfUntil``, in words ``asOfText``), as graph/relations.py writes them."""
    return Reading(
        _decimal(_value(row, "lower")),
        _decimal(_value(row, "upper")),
        _day(_value(row, "asOfFrom")),
        _day(_value(row, "asOfUntil")),
        _value(row, "asOfText") or "unknown",
    )


def as_of_words(reading: Reading) -> str:
    """The as-of interval as a reader says it: "13 June 2025", "3 June 2025 at the latest (published then)"."""
    start, end = reading.start, reading.end
    basis = re.search(r"\(([^()]*)\)\s*$", reading.text)
    if start is not None and start == end:
        words = day_words(start)
    elif start is None and end is not None:
        words = f"{day_words(end)} at the latest"
    elif start is not None and end is None:
        words = f"on or after {day_words(start)}"
    elif start is not None and end is not None:
        words = f"between {day_words(start, year=start.year != end.year)} and {day_words(end)}"
    else:
        return "not known"
    return f"{words} ({basis.group(1)})" if basis else words


def interval_words(lo: Decimal | None, hi: Decimal | None) -> str:
    """A figure's bounds in words: "6,000", "6,000 or more", "up to 500", "2,700 to 3,000"."""
    if lo is None and hi is None:
        return "no bounds"
    if lo is not None and lo == hi:
        return number_words(lo)
    if hi is None:
        return f"{number_words(lo)} or more"
    if lo is None:
        return f"up to {number_words(hi)}"
    return f"{number_words(lo)} to {number_words(hi)}"


def _listed(row, s) -> dict:
    iri = row["set"].value
    return {
        "iri": iri,
        "href": local_href(iri) or iri,
        "label": label(iri, s),
        "subject": iri_term(row["subject"].value, s),
        "measure": iri_term(row["measure"].value, s),
        "count": int(row["n"].value),
    }


def figure_sets() -> list[dict]:
    """Every figure set, most figures first: IRI, address, label, subject, measure, count."""
    s = site()
    return s.once("figure-sets", lambda: [_listed(row, s) for row in s.store.select(query("figure-sets"))])


def figure_sets_about(subject: str) -> list[dict]:
    """``figure_sets()`` of one subject, read for that subject alone."""
    s = site()
    return [_listed(row, s) for row in s.store.select(query("figure-sets"), {"subject": ox.NamedNode(subject)})]


def _speakers(claim: dict) -> str:
    names = [sp.get("label", "") for sp in claim["speakers"]]
    return " and ".join(n for n in names if n) or "the article"


def short_figure(claim: dict, reading: Reading) -> str:
    printed = claim["figure"] or ""
    return printed if printed and len(printed) <= 16 else interval_words(reading.lo, reading.hi)


def when_short(reading: Reading) -> str:
    """The as-of days, short, for a chart label: "as of 13 June 2025", "by 3 June 2025", "14–20 June 2025"."""
    start, end = reading.start, reading.end
    if start is not None and end is not None:
        if start == end:
            return f"as of {day_words(start)}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{day_words(end)}"
        return f"{day_words(start, year=start.year != end.year)} – {day_words(end)}"
    if end is not None:
        return f"by {day_words(end)}"
    if start is not None:
        return f"on or after {day_words(start)}"
    return "date unknown"


def figure_set(iri: str) -> dict | None:
    """Return the figure set ``iri``: its subject, measure, figures (in date order), relations
    (disagreements first) and chart marks; None when the build has no such set."""
    s = site()
    listed = next((f for f in figure_sets() if f["iri"] == iri), None)
    if listed is None:
        return None
    node = ox.NamedNode(iri)
    rows = {row["claim"].value: row for row in s.store.select(query("figure-set-figures"), {"set": node})}
    readings = {claim: read_figure(row) for claim, row in rows.items()}
    figures = [c for c in claims(listed["subject"]["iri"]) if c["iri"] in readings]
    for c in figures:
        reading = readings[c["iri"]]
        c["reading"] = reading
        c["row_id"] = "figure-" + c["anchor"]
        c["speaker_names"] = _speakers(c)
        c["as_of_words"] = as_of_words(reading)
        c["bounds_words"] = interval_words(reading.lo, reading.hi)
        c["charted"] = reading.bounded
        first = rows[c["iri"]]
        c["stated_on_iso"] = _value(first, "statedOn") or (
            f"{_value(first, 'statedOnEarliest')}/{_value(first, 'statedOnLatest')}"
            if _value(first, "statedOnEarliest")
            else None
        )
        said, earliest, latest = (_day(_value(first, k)) for k in ("statedOn", "statedOnEarliest", "statedOnLatest"))
        c["stated_on_words"] = (
            day_words(said)
            if said
            else f"between {day_words(earliest, year=earliest.year != latest.year)} and {day_words(latest)}"
            if earliest and latest
            else None
        )
    figures.sort(key=lambda c: (c["reading"].end or c["reading"].start or dt.date.max, c["iri"]))
    marks = [
        Mark(
            key=c["anchor"],
            href=c["href"],
            name=(
                f"{c['figure'] or c['bounds_words']}, said by {c['speaker_names']}, as of {c['as_of_words']}; "
                f"read as {c['bounds_words']}"
            ),
            speaker=c["speaker_names"],
            detail=f"{short_figure(c, c['reading'])} · {when_short(c['reading'])}",
            lo=c["reading"].lo,
            hi=c["reading"].hi,
            start=c["reading"].start,
            end=c["reading"].end,
        )
        for c in figures
        if c["charted"]
    ]
    by_iri = {c["iri"]: c for c in figures}
    relations, seen = [], set()
    for row in s.store.select(query("figure-set-relations"), {"set": node}):
        source, target = by_iri.get(row["from"].value), by_iri.get(row["to"].value)
        if row["r"].value in seen or source is None or target is None:
            continue
        seen.add(row["r"].value)
        kind_iri, rule = row["kind"].value, row["rule"].value
        kind = kind_iri.rsplit("/", 1)[-1]
        relations.append(
            {
                "iri": row["r"].value,
                "kind": kind,
                "kind_iri": kind_iri,
                "kind_label": label(kind_iri, s),
                "verb": RELATION_WORDS.get(kind, (label(kind_iri, s),))[0],
                "source": _relation_end(source),
                "target": _relation_end(target),
                "reason": _value(row, "reason") or "",
                "reason_words": reason_words(_value(row, "reason") or "", s),
                "rule": iri_term(rule, s),
                "by_hand": rule.endswith("/relation-rule/curator"),
                "overridden": _value(row, "overriddenBy") is not None,
            }
        )
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    relations.sort(key=lambda r: (order.get(r["kind"], len(order)), r["kind"], r["source"]["iri"], r["target"]["iri"]))
    groups: list[dict] = []
    for r in relations:
        if not groups or groups[-1]["kind"] != r["kind"]:
            groups.append({"kind": r["kind"], "label": r["kind_label"], "relations": []})
        groups[-1]["relations"].append(r)
    return {
        **listed,
        "figures": figures,
        "relations": relations,
        "relation_groups": groups,
        "marks": marks,
        "uncharted": [c for c in figures if not c["charted"]],
    }


def _relation_end(claim: dict) -> dict:
    return {
        "iri": claim["iri"],
        "href": "#" + claim["row_id"],
        "claim_href": claim["href"],
        "text": f"“{claim['figure'] or claim['bounds_words']}” ({claim['speaker_names']}, {when_short(claim['reading'])})",
    }


def figure_chart(found: dict, layout: Layout = WIDE) -> str:
    """The chart of the figure set ``found`` (``figure_set``) as an ``<svg>`` element."""
    subject, measure = found["subject"]["label"], found["measure"]["label"]
    charted = len(found["marks"])
    desc = (
        f"{charted} figure{'s' if charted != 1 else ''} about {subject} ({measure}) on a time axis drawn to scale. "
        "Each mark is labelled with its speaker, the figure and its date. A dot is a figure read as one number; "
        "a vertical bar runs from a figure's lower to its upper bound, and an arrow marks a bound with nothing "
        "beyond it. A horizontal band spans the days the figure may hold as of; a band that fades out to the "
        "left ends in an arrow: the figure holds no later than its last day, from an unknown day on. "
        "Each mark links to its claim. The table below gives every figure in words."
    )
    left = len(found["figures"]) - charted
    if left:
        desc += f" Not on the chart, for want of bounds: {left} of the {len(found['figures'])} figures."
    ident = f"chart-{layout.name}"
    return chart_svg(found["marks"], found["label"], desc, ident=ident, layout=layout)


def figure_charts(found: dict) -> dict[str, str]:
    """The chart in both layouts, for the page: ``{"wide": svg, "narrow": svg}``."""
    return {layout.name: figure_chart(found, layout) for layout in (WIDE, NARROW)}


def _table_row(c: dict) -> dict:
    reading = c["reading"]
    return {
        "claim": c["iri"],
        "figure": c["figure"] or "",
        "lower_bound": number_text(reading.lo),
        "upper_bound": number_text(reading.hi),
        "approximation": c["approximation"]["label"] if c["approximation"] else "",
        "speakers": "; ".join(sp.get("label", "") for sp in c["speakers"]),
        "speaker_iris": " ".join(sp["iri"] for sp in c["speakers"] if "iri" in sp),
        "stated_on": c["stated_on_iso"] or "",
        "as_of_from": reading.start.isoformat() if reading.start else "",
        "as_of_until": reading.end.isoformat() if reading.end else "",
        "as_of": reading.text,
        "modality": c["modality"]["label"] if c["modality"] else "",
        "article": " ".join(a["iri"] for a in c["articles"] if "iri" in a),
        "article_label": "; ".join(a.get("label", "") for a in c["articles"]),
        "quote": c["quote"]["exact"] if c["quote"] else "",
    }


def number_text(value: Decimal | None) -> str:
    """A bound as plain digits for data files ("6000", "0.18"); empty when unbounded."""
    if value is None:
        return ""
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


def figures_csv(found: dict) -> str:
    """The figures table as CSV (RFC 4180: a header row, CRLF line ends), one row per figure."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for c in found["figures"]:
        writer.writerow(_table_row(c))
    return buffer.getvalue()


def figures_json(found: dict) -> str:
    """The figures table as JSON: the set, its subject and measure, its figures and relations."""

    def bound(value: Decimal | None):
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)

    figures = []
    for c in found["figures"]:
        row = _table_row(c)
        row.update(
            lower_bound=bound(c["reading"].lo),
            upper_bound=bound(c["reading"].hi),
            as_of_from=row["as_of_from"] or None,
            as_of_until=row["as_of_until"] or None,
            stated_on=row["stated_on"] or None,
            speakers=[{"iri": sp.get("iri"), "label": sp.get("label")} for sp in c["speakers"]],
            article=[{"iri": a.get("iri"), "label": a.get("label")} for a in c["articles"]],
        )
        del row["speaker_iris"], row["article_label"]
        figures.append(row)
    document = {
        "figure_set": found["iri"],
        "label": found["label"],
        "subject": {"iri": found["subject"]["iri"], "label": found["subject"]["label"]},
        "measure": {"iri": found["measure"]["iri"], "label": found["measure"]["label"]},
        "figures": figures,
        "relations": [
            {
                "relation": r["iri"],
                "kind": r["kind_iri"],
                "kind_label": r["kind_label"],
                "from": r["source"]["iri"],
                "to": r["target"]["iri"],
                "reason": r["reason"],
                "by_hand": r["by_hand"],
            }
            for r in found["relations"]
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
