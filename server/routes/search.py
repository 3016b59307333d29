"""``/search?q=``: the build's search index as a page (HTML) or as JSON (``Accept:
application/json``), twenty hits a page (``page=``). An empty query is the empty search page; a
query past ``MAX_QUERY_CHARS`` or with control characters is a 400; anything else, FTS5 syntax
included, is searched as plain text (``server.data.search``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, json, render_template, request

from ..data.search import SearchIndex, check_query
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
        "quotes": hit.quotes[:3],
    }


def _json(q: str, page: int, total: int, hits: list[dict]) -> str:
    pages = max(1, -(-total // PER_PAGE))
    body = {
        "query": q,
        "page": page,
        "per_page": PER_PAGE,
        "total": total,
        "pages": pages,
        "results": [
            {
                "iri": h["iri"],
                "label": h["label"],
                "href": h["href"],
                "types": [t["iri"] for t in h["types"]],
                "score": h["score"],
                "match": {"kind": h["kind"], "text": h["text"]},
                "quotes": h["quotes"],
            }
            for h in hits
        ],
    }
    if page < pages:
        body["next"] = "/search?" + urlencode({"q": q, "page": page + 1})
    if page > 1:
        body["prev"] = "/search?" + urlencode({"q": q, "page": page - 1})
    return json.dumps(body, ensure_ascii=False)


@bp.route("/search", methods=["GET", "HEAD"])
def search():
    """Ranked hits over labels, variant labels and quotes."""
    q = check_query(request.args.get("q"))
    page = page_number(request.args.get("page"))
    rep, _ = pick(None, OFFERED, "the search results")
    s = site()

    def make():
        found = index().search(q) if q else []
        total = len(found)
        hits = [hit_view(h) for h in found[(page - 1) * PER_PAGE : page * PER_PAGE]]
        if rep is JSON:
            return _json(q, page, total, hits)
        pages = max(1, -(-total // PER_PAGE))
        link = lambda n: "/search?" + urlencode({"q": q, "page": n})  # noqa: E731
        return render_template(
            "search.html",
            q=q,
            hits=hits,
            total=total,
            page=page,
            pages=pages,
            prev_href=link(page - 1) if page > 1 else None,
            next_href=link(page + 1) if page < pages else None,
            first=(page - 1) * PER_PAGE + 1,
        )

    return respond(
        make, rep, etag=s.etag("search", q, str(page), rep.key), last_modified=s.modified, vary=True, cache=s.bodies
    )
