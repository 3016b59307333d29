"""The query page, ``/query``: an editor, the example queries, a results table.

The examples are ``server/queries/*.rq`` (``# title:`` and description lines at the top);
``?example=name`` opens one. The editor (CodeMirror, vendored from the npm registry by ``make
assets``) is progressive: without JavaScript, or without the vendored files, the page is a
plain form that sends the query to ``/sparql``. The endpoint shows this page (endpoint
``query_page.query_page``) to a browser that opens ``/sparql`` without a query.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, render_template, request

from graph.namespaces import BASE, PREFIXES

from ..canned import QUERIES_DIR
from ..conditional import respond
from ..errors import NotFound
from ..representations import HTML
from ..site import Site, site

bp = Blueprint("query_page", __name__)


def load_examples(directory: Path = QUERIES_DIR) -> list[dict]:
    """Return the canned queries: name, title (``# title:``), description (other ``#`` lines), text."""
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title, description = path.stem.replace("-", " "), []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            body = line.lstrip("#").strip()
            if body.lower().startswith("title:"):
                title = body[len("title:") :].strip()
            elif body:
                description.append(body)
        examples.append({"name": path.stem, "title": title, "description": " ".join(description), "text": text})
    return examples


def default_query() -> str:
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()]
    return "\n".join(lines) + "\n\nSELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n"


def _vendor_assets() -> dict:
    vendor = Path(__file__).resolve().parent.parent / "static" / "vendor"
    files = {
        "cm_js": "codemirror/codemirror.js",
        "cm_css": "codemirror/codemirror.css",
        "cm_sparql": "codemirror/sparql.js",
    }
    return {k: v for k, v in files.items() if (vendor / v).is_file()}


@bp.route("/query", methods=["GET", "HEAD"])
def query_page():
    """The query page: editor, example queries, results table; a plain form without JavaScript."""
    examples = site().once("examples", load_examples)
    chosen = request.args.get("example")
    text = next((e["text"] for e in examples if e["name"] == chosen), None) if chosen else None
    if chosen and text is None:
        raise NotFound(f"no example query {chosen!r}", hint="pick one of the examples listed on /query")
    body = render_template(
        "query.html",
        examples=examples,
        query_text=text or default_query(),
        chosen=chosen,
        base=BASE,
        prefixes={p: str(ns) for p, ns in PREFIXES.items()},
        assets=_vendor_assets(),
    )
    s = site()
    return respond(
        lambda: body,
        HTML,
        etag=s.etag("page", "query", chosen or ""),
        last_modified=s.modified,
        cache_control="no-cache",
    )


def register(app: Flask, site: Site) -> None:
    """Attach the query page."""
    app.register_blueprint(bp)
