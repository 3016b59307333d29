"""The query page, ``/query``: YASGUI over a plain form, the endpoint's prefixes, the examples.

The examples are ``server/data/queries/*.rq`` (``# title:`` and description lines at the top);
``?example=name`` opens one, ``?query=...`` (the page's permalink) opens that query and runs it.
The editor (YASGUI, vendored from the npm registry by ``make assets``; see static/query.js) is
progressive: without JavaScript, or without the vendored files, the page is a plain form that
sends the query to ``/sparql`` with the results format chosen. The endpoint shows this page
(endpoint ``query_page.query_page``) to a browser that opens ``/sparql`` without a query.
``?release=X.Y.Z`` pins the page to a release's endpoint: with ``?query=``, a permalink to a
query against one release (the share button makes it, no script needed).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote, urlencode

from flask import Blueprint, Flask, render_template, request

from graph.namespaces import BASE, PREFIXES

from ..data.canned import load_examples
from ..data.site import Site, site
from ..http.conditional import respond
from ..http.representations import HTML
from ..http.security import QUERY_PAGE_POLICY
from ..problems import NotFound

bp = Blueprint("query_page", __name__)


def default_query() -> str:
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()]
    return "\n".join(lines) + "\n\nSELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n"


def _vendor_assets() -> dict:
    vendor = Path(__file__).resolve().parent.parent / "static" / "vendor"
    files = {"js": "yasgui/yasgui.min.js", "css": "yasgui/yasgui.min.css"}
    return {k: v for k, v in files.items() if (vendor / v).is_file()}


@bp.route("/query", methods=["GET", "HEAD"])
def query_page():
    """The query page: editor, example queries, results table; a plain form without JavaScript.

    ``?release=X.Y.Z`` pins the page to a release (the form queries ``/releases/X.Y.Z/sparql``)
    and ``?query=...`` fills the editor in, so ``/query?release=1.0.0&query=...`` is a
    permalink to a query against one release; the page shows that link.
    """
    from ..data.releases import all_releases, one_release

    examples = site().once("examples", load_examples)
    chosen = request.args.get("example")
    given = request.args.get("query")
    text = next((e["text"] for e in examples if e["name"] == chosen), None) if chosen else None
    if chosen and text is None:
        raise NotFound(f"no example query {chosen!r}", hint="pick one of the examples listed on /query")
    pinned = request.args.get("release")
    if pinned is not None:
        pinned = one_release(pinned).version  # NotFound for a bad or unknown version
    if given is not None and not given.strip():
        given = None
    text = given if given is not None else (text or default_query())
    params = {k: v for k, v in (("release", pinned), ("query", text)) if v is not None}
    permalink = request.script_root + "/query?" + urlencode(params, quote_via=quote)
    body = render_template(
        "query.html",
        examples=examples,
        query_text=text,
        run=given is not None,
        chosen=chosen,
        base=BASE,
        prefixes={p: str(ns) for p, ns in PREFIXES.items()},
        assets=_vendor_assets(),
        release=pinned,
        releases=[info.version for info in all_releases()],
        endpoint=f"/releases/{pinned}/sparql" if pinned else "/sparql",
        permalink=permalink,
    )
    s = site()
    return respond(
        lambda: body,
        HTML,
        etag=s.etag("page", "query", hashlib.sha256(body.encode()).hexdigest()),
        last_modified=s.modified,
        cache_control="no-cache",
        headers={"Content-Security-Policy": QUERY_PAGE_POLICY},
    )


def register(app: Flask, site: Site) -> None:
    """Attach the query page."""
    app.register_blueprint(bp)
