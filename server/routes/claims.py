"""``/claims``: every claim as a table with facets, sorting, paging and export.

Facets are query parameters named after them, each value an IRI and each repeatable:
``speaker``, ``measure``, ``subject``, ``article``, ``modality``. Values of one facet are
alternatives (OR), facets combine with AND. Each facet lists its values with the number of
claims that the other facets' filters leave (so a reader sees what choosing a value would
give). ``sort`` (a column key) and ``order`` (``asc``/``desc``) order the rows, ``page`` pages
them fifty at a time; ``_format=csv`` (RFC 4180) or ``_format=json`` exports the whole filtered
view, sorted, unpaged (``Accept`` negotiates the same three when ``_format`` is absent), each
claim with its quote; the exports allow any origin (``Access-Control-Allow-Origin: *``, as
``/sparql`` does), so a page elsewhere can fetch them. The
claims are read once per app with ``claims-table.rq``; a request filters them in memory.
"""

from __future__ import annotations

import re

from flask import Blueprint, json, render_template, request

from ..data.site import site
from ..http.conditional import respond
from ..http.representations import CSV, HTML, JSON, by_key
from ..problems import BadQuery, NotFound
from ..views import claims_table as table
from ..views.terms import label, local_href
from . import pick
from .search import page_number

bp = Blueprint("claims", __name__)

OFFERED = (HTML, JSON, CSV)
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _filters() -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for facet in table.FACETS:
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
    if sort not in table.COLUMNS:
        raise BadQuery(f"sort={sort[:40]!r} is not a column", hint="sort by one of " + ", ".join(table.COLUMNS))
    order = request.args.get("order") or "asc"
    if order not in ("asc", "desc"):
        raise BadQuery(f"order={order[:40]!r} is neither asc nor desc", hint="use order=asc or order=desc")
    page = page_number(request.args.get("page"))
    everything = s.once("claims-table", table.all_claims)
    rows = [c for c in everything if table.matches(c, filters)]
    rows.sort(key=table.sort_key(sort, s), reverse=order == "desc")
    pages = max(1, -(-len(rows) // table.PER_PAGE))
    if page > pages and rep is HTML:
        raise NotFound(f"page {page} of the claims table does not exist (it has {pages})", hint="go to page=1")
    sort_params = {"sort": sort if sort != "label" else None, "order": order if order != "asc" else None}
    etag_key = table.href(filters, sort=sort, order=order, page=str(page))

    def make():
        if rep is CSV:
            return table.csv_body(rows, s)
        if rep is JSON:
            return json.dumps(
                {
                    "total": len(rows),
                    "filters": filters,
                    "sort": sort,
                    "order": order,
                    "facets": {
                        f: [{k: v[k] for k in ("iri", "label", "count", "selected")} for v in values]
                        for f, values in table.facets(everything, filters, s, sort_params).items()
                    },
                    "claims": [table.json_row(c, s) for c in rows],
                },
                ensure_ascii=False,
            )
        shown = rows[(page - 1) * table.PER_PAGE : page * table.PER_PAGE]
        columns = []
        for key, heading in table.COLUMNS.items():
            next_order = "desc" if key == sort and order == "asc" else "asc"
            columns.append(
                {
                    "key": key,
                    "heading": heading,
                    "href": table.href(filters, sort=key, order=next_order),
                    "sorted": order if key == sort else None,
                }
            )
        export = {
            f: table.href(filters, sort=sort_params["sort"], order=sort_params["order"], _format=f)
            for f in ("csv", "json")
        }
        return render_template(
            "claims.html",
            rows=[
                {
                    **c,
                    **{
                        f: [{"iri": v, "label": label(v, s), "href": local_href(v) or v} for v in c[f]]
                        for f in table.FACETS
                    },
                }
                for c in shown
            ],
            total=len(rows),
            everything=len(everything),
            facets=table.facets(everything, filters, s, sort_params),
            filters=filters,
            columns=columns,
            page=page,
            pages=pages,
            first=(page - 1) * table.PER_PAGE + 1,
            prev_href=table.href(filters, **sort_params, page=str(page - 1)) if page > 1 else None,
            next_href=table.href(filters, **sort_params, page=str(page + 1)) if page < pages else None,
            export=export,
            clear_href=table.href({}, **sort_params),
        )

    headers = {}
    if rep is not HTML:
        headers["Access-Control-Allow-Origin"] = "*"
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
