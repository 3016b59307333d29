"""Dereferencing and resource documents: what the server says about one resource, and how.

``GET /id/{kind}/{slug}`` (and ``/graph/...`` for named graphs) answers ``303 See Other`` to
the typed document the Accept header prefers: ``/doc/{kind}/{slug}.html`` for browsers,
``.ttl`` ``.jsonld`` ``.rdf`` ``.nt`` for RDF clients. ``/doc/{kind}/{slug}`` without an
extension negotiates itself (200 with ``Content-Location`` and ``Vary: Accept``). The host the
server runs on maps to the canonical base (``graph.namespaces.BASE``), so a path names the same
IRI on every deployment. Every response carries ``Link: rel="alternate"`` for each
representation, an ETag (from the build's content id) and Last-Modified (the build's time),
and answers conditional and range requests (``server.conditional``).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, redirect, render_template, request

from graph.namespaces import BASE

from ..errors import NotFound
from ..representations import DOCUMENT, HTML, for_extension
from ..site import Site, site
from ..terms import curie, local_href, thousands
from ..views.description import describe, doc_metadata, exists, serialize, thing_iri
from ..views.page import page_context
from . import alternates, formats, pick, respond_document

bp = Blueprint("resources", __name__)


def _described(iri: str) -> list:
    """The description of ``iri``; NotFound when the dataset does not know it."""
    triples = describe(iri)
    if not exists(iri, triples):
        raise _unknown(iri)
    return triples


def _unknown(iri: str) -> NotFound:
    return NotFound(f"no resource <{iri}> in this dataset", hint="see the home page for entry points")


def _see_other(path: str, under: str) -> Response:
    iri = thing_iri(path, under)
    rep, _ = pick(None, DOCUMENT)
    if not exists(iri, describe(iri)):
        raise _unknown(iri)
    doc_path = f"{request.script_root}/doc/{path}" if under == "id/" else f"{request.script_root}/doc/graph/{path}"
    response = redirect(f"{doc_path}.{rep.key}", code=303)
    response.vary.add("Accept")
    response.headers["Link"] = ", ".join(alternates(doc_path, DOCUMENT))
    return response


@bp.route("/id/<path:path>", methods=["GET", "HEAD"])
def identifier(path: str):
    """303 See Other from a thing's IRI to the document the Accept header prefers."""
    return _see_other(path, "id/")


@bp.route("/graph/<path:path>", methods=["GET", "HEAD"])
def named_graph(path: str):
    """303 See Other from a named graph's IRI to the document about it."""
    return _see_other(path, "graph/")


@bp.route("/doc/<path:path>", methods=["GET", "HEAD"])
def document(path: str):
    """The document about a thing: HTML or RDF, by extension or by Accept."""
    stem, rep = for_extension(path, DOCUMENT)
    if stem.startswith("graph/"):
        iri = thing_iri(stem[len("graph/") :], "graph/")
    else:
        iri = thing_iri(stem, "id/")
    rep, negotiated = pick(rep.key if rep else None, DOCUMENT)
    doc_path = request.script_root + "/doc/" + stem
    doc_iri = BASE + "doc/" + stem
    # The build never changes under the app: a body already made, or a validator this server
    # issued, proves the resource exists, so a cache hit or a 304 runs no description query.
    s = site()
    etag = s.etag("doc", stem, rep.key)
    inm = request.if_none_match
    known = s.bodies.get(etag) is not None or (bool(inm) and not inm.star_tag and inm.contains_weak(etag))
    described: list = [] if known else [_described(iri)]

    def make() -> bytes | str:
        triples = described[0] if described else _described(iri)
        if rep is HTML:
            return render_template(
                "resource.html", doc_path=doc_path, representations=formats(DOCUMENT), **page_context(iri, triples)
            )
        return serialize(triples + doc_metadata(doc_iri, iri), rep)

    return respond_document(make, rep, negotiated, doc_path, DOCUMENT, "doc", stem)


def register(app: Flask, site: Site) -> None:
    """Attach the dereferencing routes to the app."""
    app.register_blueprint(bp)
    app.jinja_env.globals.update(local_href=local_href, curie=curie)
    app.jinja_env.filters["thousands"] = thousands
