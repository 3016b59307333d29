"""Comparison views as pages show them: the figures of one subject and measure side by side.

``comparisons()`` lists every (subject, measure) with several figures (read once per app),
``comparisons_about(subject)`` those of one subject;
``comparison(subject, measure)`` gives that pair's figures (each claim with its speakers,
dates, modality, articles and quote, from ``views.claims.claims``), the relations the build
derived (or a curator asserted) between them, and the chart's marks: each figure placed at its
as-of date, else at the day it was said, else at its article's date, and said so.
``spoken(person)`` gives the claims a person made. ``compare_href`` is the page's address.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox

from ..canned import query
from ..site import site
from ..terms import iri_term, label, local_href
from .chart import Mark, parse_interval
from .claims import claims


def compare_href(subject: str, measure: str) -> str:
    """The address of the comparison page of ``subject`` and ``measure``."""
    return "/compare?" + urlencode({"subject": subject, "measure": measure})


def comparisons() -> list[dict]:
    """Every subject and measure with several figures, most figures first, with its page's address."""
    s = site()
    return s.once("comparisons", lambda: [_listed(row, s) for row in s.store.select(query("comparisons"))])


def comparisons_about(subject: str) -> list[dict]:
    """``comparisons()`` of one subject, in the same order, read for that subject alone (a page
    needs its own, and the whole list grows with the graph)."""
    s = site()
    return [_listed(row, s) for row in s.store.select(query("comparisons"), {"about": ox.NamedNode(subject)})]


def _listed(row, s) -> dict:
    return {
        "subject": iri_term(row["about"].value, s),
        "measure": iri_term(row["measure"].value, s),
        "count": int(row["n"].value),
        "href": compare_href(row["about"].value, row["measure"].value),
    }


def compared_pairs() -> dict[tuple[str, str], str]:
    """(subject IRI, measure IRI) -> comparison page, for the pairs that have one."""
    return {(c["subject"]["iri"], c["measure"]["iri"]): c["href"] for c in comparisons()}


def _placed(claim: dict, published: list[str]) -> tuple[str | None, str | None]:
    """Where a figure stands on the chart, and by which date: as of, said on, article date."""
    if claim["as_of"]:
        return claim["as_of"], "as of"
    if claim["stated_on"]:
        return claim["stated_on"], "said on"
    if published:
        return min(published), "article date"
    return None, None


def comparison(subject: str, measure: str) -> dict | None:
    """Return the figures about ``subject`` for ``measure``, their relations and chart marks;
    None when no claim gives a figure for the pair."""
    s = site()
    bindings = {"s": ox.NamedNode(subject), "measure": ox.NamedNode(measure)}
    intervals: dict[str, str | None] = {}
    published: dict[str, list[str]] = {}
    for row in s.store.select(query("comparison-figures"), bindings):
        iri = row["claim"].value
        intervals.setdefault(iri, row["interval"].value if row.get("interval") is not None else None)
        dates = published.setdefault(iri, [])
        if row.get("published") is not None and row["published"].value not in dates:
            dates.append(row["published"].value)
    if not intervals:
        return None
    figures = [c for c in claims(subject) if c["iri"] in intervals]
    marks, relations, seen = [], [], set()
    for c in figures:
        date, dated_by = _placed(c, published.get(c["iri"], []))
        c["chart_date"], c["dated_by"] = date, dated_by
        c["interval"] = intervals[c["iri"]]
        c["row_id"] = "figure-" + c["anchor"]
        bounds = parse_interval(c["interval"])
        if bounds is None:  # a vague figure without bounds has no place on the axis
            c["charted"] = False
            continue
        c["charted"] = True
        speakers = ", ".join(sp.get("label", "") for sp in c["speakers"]) or "the article"
        when = f"{dated_by} {date}" if date else "no date"
        marks.append(
            Mark(
                key=c["row_id"],
                text=f"{c['figure'] or c['interval']}: {speakers}, {when}",
                lo=bounds[0],
                hi=bounds[1],
                date=date,
                as_of=dated_by == "as of",
            )
        )
    members = {c["iri"] for c in figures}
    for c in figures:
        for r in c["relations"]:
            if r["iri"] in seen or r["other"].get("iri") not in members:
                continue
            seen.add(r["iri"])
            relations.append({**r, "claim": {"iri": c["iri"], "label": c["label"], "href": "#" + c["row_id"]}})
    for r in relations:
        r["other"] = {**r["other"], "href": "#figure-" + r["other"]["iri"].rsplit("/", 1)[-1]}
    figures.sort(key=lambda c: (c["chart_date"] or "9999", c["iri"]))
    return {
        "subject": iri_term(subject, s),
        "measure": iri_term(measure, s),
        "figures": figures,
        "relations": relations,
        "marks": marks,
    }


def spoken(person: str) -> list[dict]:
    """Return the claims ``person`` made (speaker = ``person``), in the order they were said."""
    s = site()
    found: dict[str, dict] = {}
    for row in s.store.select(query("claims-by-speaker"), {"s": ox.NamedNode(person)}):
        iri = row["claim"].value
        if iri in found:
            continue

        def value(name, row=row):
            node = row.get(name)
            return node.value if node is not None else None

        found[iri] = {
            "iri": iri,
            "href": local_href(iri) or iri,
            "label": value("label") or label(iri, s),
            "figure": value("figure"),
            "statement": value("statedValue"),
            "date": value("statedOn") or value("asOf"),
            "date_kind": "said on" if value("statedOn") else ("as of" if value("asOf") else None),
            "measure": iri_term(value("measure"), s) if value("measure") else None,
        }
    return list(found.values())
