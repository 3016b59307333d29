"""``/search?q=``: the build's search index as a page (HTML) or as JSON (``Accept:
application/json``), twenty hits a page (``page=``). An empty query is the empty search page; a
query past ``MAX_QUERY_CHARS`` or with control characters is a 400; anything else, FTS5 syntax
included, is searched as plain text (``server.data.search``), together with the other names
of the entities it names (``variants`` in JSON, "also searched for" on the page).

``type=`` (repeatable; a class's key such as ``person`` or ``claim-relation``, or its IRI)
keeps the hits of those classes; the ``type`` facet lists every class the query's hits have,
with their counts before the filter, and the link that toggles it. The words that matched are
``<mark>``ed on the page and given in JSON as ``match.highlights``: ``[start, end]`` offsets in
code points into ``match.text``. An unknown type is a 400 that names the keys there are.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, json, render_template, request

from ..data.search import SearchIndex, check_query, segments, type_facet
from ..data.site import site
from ..http.conditional import respond
from ..http.representations import HTML, JSON
from ..problems import BadQuery
from ..views.terms import iri_term, local_href
from . import pick

bp = Blueprint("search", __name__)

PER_PAGE = 20
OFFERED = (HTML, JSON)


def index() -> SearchIndex:
    return current_app.extensions["parley_search"]


def page_number(value: str | None, what: str = "page") -> int:
    """The 1-based page a ``page`` parameter names; BadQuery for anything but a positive integer."""
    if value is None or value == "":
        return 1
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise BadQuery(f"{what}={value!r} is not a page number", hint="give a positive whole number, e.g. page=2")
    return int(value)


def hit_view(hit) -> dict:
    s = site()
    return {
        "iri": hit.iri,
        "label": hit.label,
        "href": local_href(hit.iri) or hit.iri,
        "types": [iri_term(t, s) for t in hit.types],
        "score": round(hit.score, 4),
        "kind": hit.kind,
        "text": hit.text,
        "spans": [list(span) for span in hit.spans],
        "segments": segments(hit.text, hit.spans),
        "quotes": hit.quotes[:3],
    }


def chosen_types(values: list[str]) -> dict[str, str]:
    """The classes ``type=`` names, as key -> IRI; BadQuery naming the keys for an unknown one."""
    by_key = {c["key"]: c["iri"] for c in index().classes}
    by_iri = {c["iri"]: c["key"] for c in index().classes}
    chosen = {}
    for value in values:
        value = value.strip()
        if value in by_key:
            chosen[value] = by_key[value]
        elif value in by_iri:
            chosen[by_iri[value]] = value
        elif value:
            raise BadQuery(
                f"type={value[:60]!r} is not a class of this dataset",
                hint="use one of " + ", ".join(sorted(by_key)) + " (or the class's IRI)",
            )
    return chosen


def link(q: str, types: list[str], page: int | None = None) -> str:
    params = [("q", q), *(("type", t) for t in sorted(types))]
    if page is not None and page > 1:
        params.append(("page", str(page)))
    return "/search?" + urlencode(params)


def facet_view(q: str, facet: list[dict], chosen: dict[str, str]) -> list[dict]:
    out = []
    for value in facet:
        toggled = set(chosen) ^ {value["key"]}
        out.append({**value, "toggle": link(q, sorted(toggled))})
    return out


def _json(q: str, page: int, total: int, hits: list[dict], variants: list[str], facet, chosen) -> str:
    pages = max(1, -(-total // PER_PAGE))
    body = {
        "query": q,
        "variants": variants,
        "type": sorted(chosen),
        "page": page,
        "per_page": PER_PAGE,
        "total": total,
        "pages": pages,
        "facets": {"type": [{k: v[k] for k in ("key", "iri", "label", "count", "selected", "toggle")} for v in facet]},
        "results": [
            {
                "iri": h["iri"],
                "label": h["label"],
                "href": h["href"],
                "types": [t["iri"] for t in h["types"]],
                "score": h["score"],
                "match": {"kind": h["kind"], "text": h["text"], "highlights": h["spans"]},
                "quotes": h["quotes"],
            }
            for h in hits
        ],
    }
    if page < pages:
        body["next"] = link(q, list(chosen), page + 1)
    if page > 1:
        body["prev"] = link(q, list(chosen), page - 1)
    return json.dumps(body, ensure_ascii=False)


@bp.route("/search", methods=["GET", "HEAD"])
def search():
    """Ranked hits over labels, variant labels and quotes, filtered by type, marked."""
    q = check_query(request.args.get("q"))
    page = page_number(request.args.get("page"))
    chosen = chosen_types(request.args.getlist("type"))
    rep, _ = pick(None, OFFERED, "the search results")
    s = site()

    def make():
        everything, variants = index().searched(q) if q else ([], [])
        facet = facet_view(q, type_facet(everything, index().classes, set(chosen)), chosen)
        wanted = set(chosen.values())
        found = [h for h in everything if wanted.intersection(h.types)] if wanted else everything
        total = len(found)
        hits = [hit_view(h) for h in found[(page - 1) * PER_PAGE : page * PER_PAGE]]
        if rep is JSON:
            return _json(q, page, total, hits, variants, facet, chosen)
        pages = max(1, -(-total // PER_PAGE))
        return render_template(
            "search.html",
            q=q,
            hits=hits,
            total=total,
            page=page,
            pages=pages,
            variants=variants,
            facet=facet,
            chosen=sorted(chosen),
            clear_href=link(q, []) if chosen else None,
            prev_href=link(q, list(chosen), page - 1) if page > 1 else None,
            next_href=link(q, list(chosen), page + 1) if page < pages else None,
            first=(page - 1) * PER_PAGE + 1,
        )

    etag = s.etag("search", q, str(page), *("type:" + k for k in sorted(chosen)), rep.key)
    return respond(make, rep, etag=etag, last_modified=s.modified, vary=True, cache=s.bodies)
