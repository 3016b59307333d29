"""``/claims``: every claim as a table with facets, sorting, paging and export.

Facets are query parameters named after them, each value an IRI and each repeatable:
``speaker``, ``measure``, ``subject``, ``article``, ``modality``. Values of one facet are
alternatives (OR), facets combine with AND. Each facet lists its values with the number of
claims that the other facets' filters leave (so a reader sees what choosing a value would
give). ``sort`` (a column key) and ``order`` (``asc``/``desc``) order the rows, ``page`` pages
them fifty at a time; ``_format=csv`` (RFC 4180) or ``_format=json`` exports the whole filtered
view, sorted, unpaged (``Accept`` negotiates the same three when ``_format`` is absent). The
claims are read once per app with ``claims-table.rq``; a request filters them in memory.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

from flask import Blueprint, json, render_template, request

from ..conditional import respond
from ..problems import BadQuery, NotFound
from ..representations import CSV, HTML, JSON, by_key
from ..site import site
from ..terms import label, local_href
from . import pick
from .search import page_number

bp = Blueprint("claims", __name__)

PER_PAGE = 50
OFFERED = (HTML, JSON, CSV)
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
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _v(row, name):
    node = row.get(name)
    return node.value if node is not None else None


def _all_claims() -> list[dict]:
    from ..canned import query

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
    claims = list(found.values())
    for c in claims:
        for facet in FACETS:
            c[facet].sort()
    claims.sort(key=lambda c: c["iri"])
    return claims


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _sort_key(key: str, s):
    if key == "value":

        def by_value(c):
            n = _number(c["value"]) if c["value"] is not None else _number(c["min"] or c["max"])
            return (n is None, n or 0.0, c["label"].lower())

        return by_value
    if key in FACETS:
        return lambda c: (not c[key], [label(v, s).lower() for v in c[key]], c["label"].lower())
    return lambda c: (c[key] is None, (c[key] or "").lower(), c["label"].lower())


def _filters() -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for facet in FACETS:
        values = [v.strip() for v in request.args.getlist(facet) if v.strip()]
        for v in values:
            if len(v) > 500 or not _IRI.match(v):
                raise BadQuery(
                    f"{facet}={v[:80]!r} is not an IRI",
                    hint=f"give the full IRI of a {facet}, as the facet links on /claims do",
                )
        if values:
            filters[facet] = sorted(set(values))
    return filters


def _matches(c: dict, filters: dict[str, list[str]], skip: str | None = None) -> bool:
    return all(facet == skip or set(values) & set(c[facet]) for facet, values in filters.items())


def _href(filters: dict[str, list[str]], **extra) -> str:
    params = [(f, v) for f in FACETS for v in filters.get(f, ())]
    params += [(k, v) for k, v in extra.items() if v is not None]
    return "/claims" + ("?" + urlencode(params) if params else "")


def _facets(claims: list[dict], filters: dict[str, list[str]], s, sort_params: dict) -> dict[str, list[dict]]:
    out = {}
    for facet in FACETS:
        counts: dict[str, int] = {}
        for c in claims:
            if _matches(c, filters, skip=facet):
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
                    "toggle": _href(toggled, **sort_params),
                }
            )
        for iri in chosen - counts.keys():  # a chosen value no claim has any more
            rest = {k: v for k, v in filters.items() if k != facet}
            if len(chosen) > 1:
                rest[facet] = sorted(chosen - {iri})
            values.append({"iri": iri, "label": label(iri, s), "count": 0, "selected": True, "toggle": _href(rest)})
        values.sort(key=lambda v: (-v["count"], v["label"].lower()))
        out[facet] = values
    return out


def _csv(rows: list[dict], s) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quotes where needed
    header = ["claim", "label"]
    for f in FACETS:
        header += [f, f + "_label"]
    header += ["figure", "value", "min", "max", "stated_on", "as_of"]
    writer.writerow(header)
    for c in rows:
        line = [c["iri"], c["label"]]
        for f in FACETS:
            line += [" ".join(c[f]), "; ".join(label(v, s) for v in c[f])]
        line += [c["figure"] or "", c["value"] or "", c["min"] or "", c["max"] or "", c["statedOn"] or ""]
        line += [c["asOf"] or ""]
        writer.writerow(line)
    return buffer.getvalue()


def _json_row(c: dict, s) -> dict:
    row = {k: c[k] for k in ("iri", "label", "figure", "value", "min", "max", "statedOn", "asOf")}
    row["href"] = c["href"]
    for f in FACETS:
        row[f] = [{"iri": v, "label": label(v, s)} for v in c[f]]
    return row


@bp.route("/claims", methods=["GET", "HEAD"])
def claims_table():
    """The claims, filtered by facets, sorted, paged, or exported whole."""
    s = site()
    filters = _filters()
    fmt = request.args.get("_format")
    if fmt:
        rep = by_key(fmt, OFFERED)
        if rep is None:
            raise BadQuery(f"_format={fmt[:40]!r} is not offered here", hint="use _format=html, json or csv")
        negotiated = False
    else:
        rep, negotiated = pick(None, OFFERED, "the claims table")
    sort = request.args.get("sort") or "label"
    if sort not in COLUMNS:
        raise BadQuery(f"sort={sort[:40]!r} is not a column", hint="sort by one of " + ", ".join(COLUMNS))
    order = request.args.get("order") or "asc"
    if order not in ("asc", "desc"):
        raise BadQuery(f"order={order[:40]!r} is neither asc nor desc", hint="use order=asc or order=desc")
    page = page_number(request.args.get("page"))
    everything = s.once("claims-table", _all_claims)
    rows = [c for c in everything if _matches(c, filters)]
    rows.sort(key=_sort_key(sort, s), reverse=order == "desc")
    pages = max(1, -(-len(rows) // PER_PAGE))
    if page > pages and rep is HTML:
        raise NotFound(f"page {page} of the claims table does not exist (it has {pages})", hint="go to page=1")
    sort_params = {"sort": sort if sort != "label" else None, "order": order if order != "asc" else None}
    etag_key = _href(filters, sort=sort, order=order, page=str(page))

    def make():
        if rep is CSV:
            return _csv(rows, s)
        if rep is JSON:
            return json.dumps(
                {
                    "total": len(rows),
                    "filters": filters,
                    "sort": sort,
                    "order": order,
                    "facets": {
                        f: [{k: v[k] for k in ("iri", "label", "count", "selected")} for v in values]
                        for f, values in _facets(everything, filters, s, sort_params).items()
                    },
                    "claims": [_json_row(c, s) for c in rows],
                },
                ensure_ascii=False,
            )
        shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
        columns = []
        for key, heading in COLUMNS.items():
            next_order = "desc" if key == sort and order == "asc" else "asc"
            columns.append(
                {
                    "key": key,
                    "heading": heading,
                    "href": _href(filters, sort=key, order=next_order),
                    "sorted": order if key == sort else None,
                }
            )
        export = {
            f: _href(filters, sort=sort_params["sort"], order=sort_params["order"], _format=f) for f in ("csv", "json")
        }
        return render_template(
            "claims.html",
            rows=[
                {
                    **c,
                    **{f: [{"iri": v, "label": label(v, s), "href": local_href(v) or v} for v in c[f]] for f in FACETS},
                }
                for c in shown
            ],
            total=len(rows),
            everything=len(everything),
            facets=_facets(everything, filters, s, sort_params),
            filters=filters,
            columns=columns,
            page=page,
            pages=pages,
            first=(page - 1) * PER_PAGE + 1,
            prev_href=_href(filters, **sort_params, page=str(page - 1)) if page > 1 else None,
            next_href=_href(filters, **sort_params, page=str(page + 1)) if page < pages else None,
            export=export,
            clear_href=_href({}, **sort_params),
        )

    headers = {}
    if rep is CSV:
        headers["Content-Disposition"] = 'attachment; filename="parley-claims.csv"'
    return respond(
        make,
        rep,
        etag=s.etag("claims", etag_key, rep.key),
        last_modified=s.modified,
        vary=negotiated,
        headers=headers,
        cache=s.bodies,
    )
