"""The JSON-LD context the site's JSON-LD documents are compacted against: ``/context.jsonld``.

Derived from the ontology and the namespaces (``server.views.context``), served as
``application/ld+json`` with the build's ETag and Last-Modified, conditional and range requests
answered by ``server.http.conditional`` like every document, and open to every origin (a JSON-LD
processor in a browser on another site fetches it to read a Parley document).
"""

from __future__ import annotations

from flask import Blueprint, Flask

from ..data.site import Site, site
from ..http.conditional import respond
from ..http.representations import JSON_LD
from ..views.context import CONTEXT_PATH, context_body

bp = Blueprint("context", __name__)


@bp.route(CONTEXT_PATH, methods=["GET", "HEAD"])
def context():
    """The published JSON-LD context."""
    s = site()
    return respond(
        lambda: context_body(s),
        JSON_LD,
        etag=s.etag("context"),
        last_modified=s.modified,
        headers={"Access-Control-Allow-Origin": "*"},
        cache=s.bodies,
    )


def register(app: Flask, site: Site) -> None:
    """Attach /context.jsonld."""
    app.register_blueprint(bp)
