"""The claims table of ``/claims`` as data: every claim of the build with its facets (read once per
app with ``claims-table.rq``), and what a request makes of them: the rows a filter keeps, their
order, the facet values with the counts the other filters leave, the links that toggle them,
and the CSV and JSON exports, which carry each claim's quote (the exact text of its passage,
``claim-quotes.rq``; several passages joined by " … "). ``routes.claims`` reads the request and
picks the representation.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from ..data.canned import query
from ..data.site import site
from .terms import label, local_href

PER_PAGE = 50
QUOTE_JOIN = " … "  # between the passages of a claim with more than one
FACETS = ("speaker", "measure", "subject", "article", "modality")
# sort key -> (column heading, value of a row to sort on)
COLUMNS = {
    "label": "claim",
    "speaker": "speaker",
    "measure": "measure",
    "subject": "subject",
    "value": "figure",
    "modality": "modality",
    "statedOn": "stated on",
    "asOf": "as of",
    "article": "article",
}


def _v(row, name):
    node = row.get(name)
    return node.value if node is not None else None


def all_claims() -> list[dict]:
    s = site()
    found: dict[str, dict] = {}
    for row in s.store.select(query("claims-table")):
        iri = row["claim"].value
        c = found.get(iri)
        if c is None:
            c = found[iri] = {
                "iri": iri,
                "href": local_href(iri) or iri,
                "label": _v(row, "label") or iri,
                "figure": _v(row, "figure") or _v(row, "statedValue"),
                "value": _v(row, "value"),
                "min": _v(row, "min"),
                "max": _v(row, "max"),
                "statedOn": _v(row, "statedOn"),
                "asOf": _v(row, "asOf"),
                **{f: [] for f in FACETS},
            }
        for facet, var in (("speaker", "speaker"), ("measure", "measure"), ("subject", "about")):
            value = _v(row, var)
            if value and value not in c[facet]:
                c[facet].append(value)
        for facet in ("article", "modality"):
            value = _v(row, facet)
            if value and value not in c[facet]:
                c[facet].append(value)
    quotes: dict[str, list[str]] = {}
    for row in s.store.select(query("claim-quotes")):
        quotes.setdefault(row["claim"].value, []).append(row["quote"].value)
    claims = list(found.values())
    for c in claims:
        c["quote"] = QUOTE_JOIN.join(quotes.get(c["iri"], ()))
        for facet in FACETS:
            c[facet].sort()
    claims.sort(key=lambda c: c["iri"])
    return claims


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def sort_key(key: str, s):
    if key == "value":

        def by_value(c):
            n = _number(c["value"]) if c["value"] is not None else _number(c["min"] or c["max"])
            return (n is None, n or 0.0, c["label"].lower())

        return by_value
    if key in FACETS:
        return lambda c: (not c[key], [label(v, s).lower() for v in c[key]], c["label"].lower())
    return lambda c: (c[key] is None, (c[key] or "").lower(), c["label"].lower())


def matches(c: dict, filters: dict[str, list[str]], skip: str | None = None) -> bool:
    return all(facet == skip or set(values) & set(c[facet]) for facet, values in filters.items())


def href(filters: dict[str, list[str]], **extra) -> str:
    params = [(f, v) for f in FACETS for v in filters.get(f, ())]
    params += [(k, v) for k, v in extra.items() if v is not None]
    return "/claims" + ("?" + urlencode(params) if params else "")


def facets(claims: list[dict], filters: dict[str, list[str]], s, sort_params: dict) -> dict[str, list[dict]]:
    out = {}
    for facet in FACETS:
        counts: dict[str, int] = {}
        for c in claims:
            if matches(c, filters, skip=facet):
                for v in c[facet]:
                    counts[v] = counts.get(v, 0) + 1
        chosen = set(filters.get(facet, ()))
        values = []
        for iri, n in counts.items():
            toggled = dict(filters)
            toggled[facet] = sorted(chosen - {iri}) if iri in chosen else sorted(chosen | {iri})
            if not toggled[facet]:
                del toggled[facet]
            values.append(
                {
                    "iri": iri,
                    "label": label(iri, s),
                    "count": n,
                    "selected": iri in chosen,
                    "toggle": href(toggled, **sort_params),
                }
            )
        for iri in chosen - counts.keys():  # a chosen value no claim has any more
            rest = {k: v for k, v in filters.items() if k != facet}
            if len(chosen) > 1:
                rest[facet] = sorted(chosen - {iri})
            values.append({"iri": iri, "label": label(iri, s), "count": 0, "selected": True, "toggle": href(rest)})
        values.sort(key=lambda v: (-v["count"], v["label"].lower()))
        out[facet] = values
    return out


def csv_body(rows: list[dict], s) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quotes where needed
    header = ["claim", "label"]
    for f in FACETS:
        header += [f, f + "_label"]
    header += ["figure", "value", "min", "max", "stated_on", "as_of", "quote"]
    writer.writerow(header)
    for c in rows:
        line = [c["iri"], c["label"]]
        for f in FACETS:
            line += [" ".join(c[f]), "; ".join(label(v, s) for v in c[f])]
        line += [c["figure"] or "", c["value"] or "", c["min"] or "", c["max"] or "", c["statedOn"] or ""]
        line += [c["asOf"] or "", c["quote"]]
        writer.writerow(line)
    return buffer.getvalue()


def json_row(c: dict, s) -> dict:
    row = {k: c[k] for k in ("iri", "label", "figure", "value", "min", "max", "statedOn", "asOf", "quote")}
    row["href"] = c["href"]
    for f in FACETS:
        row[f] = [{"iri": v, "label": label(v, s)} for v in c[f]]
    return row
