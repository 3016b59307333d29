"""Dereferencing and resource documents: what the server says about one resource, and how.

``GET /id/{kind}/{slug}`` (and ``/graph/...`` for named graphs) answers ``303 See Other`` to
the typed document the Accept header prefers: ``/doc/{kind}/{slug}.html`` for browsers,
``.ttl`` ``.jsonld`` ``.rdf`` ``.nt`` for RDF clients. ``/doc/{kind}/{slug}`` without an
extension negotiates itself (200 with ``Content-Location`` and ``Vary: Accept``). The host the
server runs on maps to the canonical base (``graph.namespaces.BASE``), so a path names the same
IRI on every deployment. Every response carries ``Link: rel="alternate"`` for each
representation, an ETag (from the build's content id) and Last-Modified (the build's time),
and answers conditional and range requests (``server.http.conditional``).

The same routes under ``/releases/{version}/`` answer from that release's store (its Mementos,
RFC 7089: ``Memento-Datetime``, ``Link`` to the original, TimeGate and TimeMap, cached as
immutable). Each current path is its own TimeGate: with ``Accept-Datetime`` it answers 302 to
the Memento in force then (``routes.memento``), and it always links its TimeGate and TimeMap
and varies on ``Accept-Datetime``. Every HTML page carries the "cite this" block.
"""

from __future__ import annotations

import functools

from flask import Blueprint, Flask, Response, redirect, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from graph.namespaces import BASE

from ..data.release_sites import build_release
from ..data.releases import ReleaseInfo, all_releases, one_release, release_site
from ..data.site import Site, site, use_site
from ..data.store import page_deadline
from ..http.conditional import CACHE_CONTROL
from ..http.memento import Memento, memento_headers, original_links
from ..http.representations import CSV, DOCUMENT, HTML, JSON, SVG, Representation, for_extension
from ..problems import NotFound
from ..views import signposting as sp
from ..views.citation import cite
from ..views.description import describe, doc_metadata, exists, known, link_counts, serialize, thing_iri
from ..views.figures import figure_chart, figure_charts, figure_set, figures_csv, figures_json
from ..views.page import page_context
from ..views.terms import curie, local_href, thousands
from ..views.wording import date_text, nested_quotes, quoted
from . import alternates, formats, pick, respond_document
from .memento import timegate
from .releases import IMMUTABLE

bp = Blueprint("resources", __name__)
#: a figure set's document (``/doc/figures/...``): its RDF, and its figures as a page, a table and a chart
FIGURE_DOCUMENT = (*DOCUMENT, CSV, JSON, SVG)
FORMAT_NAMES = {
    "ttl": "Turtle",
    "jsonld": "JSON-LD",
    "rdf": "RDF/XML",
    "nt": "N-Triples",
    "csv": "CSV",
    "json": "JSON",
    "svg": "SVG chart",
}


def offered_for(path: str) -> tuple[Representation, ...]:
    """The representations of the document at ``/doc/{path}`` (a figure set's has more)."""
    return FIGURE_DOCUMENT if path.startswith("figures/") else DOCUMENT


#: the same documents as a release has them (its Mementos)
release_bp = Blueprint("release_documents", __name__)


def _described(iri: str, page: int = 1, version: str | None = None) -> list:
    """The description of ``iri`` (one page of its links); NotFound when the dataset (or release)
    does not know it, or has no such page of it."""
    triples = describe(iri, page)
    if not exists(iri, triples) and (page == 1 or not exists(iri, describe(iri))):
        raise _unknown(iri, version)
    if page > 1 and page > link_counts(iri, page)["last"]:
        raise NotFound(f"<{iri}> has no page {page} of links", hint="follow the page links from its first page")
    return triples


def _page() -> int:
    """The ``page`` of links a document request asks for (1 when none); 400 when it is no page."""
    text = request.args.get("page") if request.environ.get("QUERY_STRING") else None
    if text is None:
        return 1
    if not text.isdigit() or not 0 < int(text) < 10**9:
        raise BadRequest(f"page={text[:40]!r} is not a page number; pages count from 1")
    return int(text)


def _unknown(iri: str, version: str | None = None) -> NotFound:
    where = f"release {version}" if version else "this dataset"
    return NotFound(f"no resource <{iri}> in {where}", hint="see the home page for entry points")


@functools.lru_cache(maxsize=4096)
def _links_for(where: tuple, original: str) -> list[str]:
    return original_links(original)  # called only for a request that reached ``where``


def _original_links(original: str) -> list[str]:
    """``original_links(original)``, remembered per host the request reached (absolute URLs
    cost werkzeug's URL building on every request otherwise)."""
    env = request.environ
    where = (env.get("wsgi.url_scheme"), env.get("HTTP_HOST"), env.get("SERVER_NAME"), env.get("SERVER_PORT"))
    return _links_for((*where, request.script_root), original)


def _see_other(path: str, under: str, prefix: str = "", memento: Memento | None = None) -> Response:
    original = under + path
    if memento is None:
        answer = timegate(original)
        if answer is not None:
            return answer
    iri = thing_iri(path, under)
    offered = offered_for(path) if under == "id/" else DOCUMENT
    rep, _ = pick(None, offered)
    if not known(iri):
        raise _unknown(iri, memento.version if memento else None)
    root = request.script_root + prefix
    doc_path = f"{root}/doc/{path}" if under == "id/" else f"{root}/doc/graph/{path}"
    response = redirect(f"{doc_path}.{rep.key}", code=303)
    response.vary.add("Accept")
    response.headers["Link"] = ", ".join(alternates(doc_path, offered) + original_links(original))
    if memento is None:
        response.vary.add("Accept-Datetime")
    else:
        response.headers.update(memento_headers(memento))
    return response


def _document(path: str, prefix: str = "", memento: Memento | None = None, info: ReleaseInfo | None = None):
    """The document about a thing in the site ``site()`` reads (the build, or a release)."""
    original = "doc/" + path
    if memento is None:
        answer = timegate(original)
        if answer is not None:
            return answer
    offered = offered_for(path)
    stem, rep = for_extension(path, offered)
    if stem.startswith("graph/"):
        iri = thing_iri(stem[len("graph/") :], "graph/")
    else:
        iri = thing_iri(stem, "id/")
    rep, negotiated = pick(rep.key if rep else None, offered)
    page_doc = prefix + "/doc/" + stem  # the landing page, below the script root
    doc_path = request.script_root + page_doc
    doc_iri = BASE + prefix.lstrip("/") + ("/" if prefix else "") + "doc/" + stem  # a release's own document
    s = site()
    if memento is None:  # the served build: which release it equals, if any (pages say so)
        infos = all_releases()
        version = build_release(s, infos)
        latest = infos[0].version if infos else None
        shown = next((i for i in infos if i.version == version), None)
        status = f"{version}|{latest}"
    else:
        version, latest, shown, status = memento.version, None, info, memento.version
    # The build never changes under the app: a body already made, or a validator this server
    # issued, proves the resource exists, so a cache hit or a 304 runs no description query.
    page = _page()
    parts = ("doc", stem, status) if page == 1 else ("doc", stem, status, f"page={page}")
    etag = s.etag(*parts, rep.key)
    inm = request.if_none_match
    known = s.bodies.get(etag) is not None or (bool(inm) and not inm.star_tag and inm.contains_weak(etag))
    version_of = memento.version if memento else None
    with page_deadline(s.settings["query_timeout_s"]):  # every query of this page, made or not
        described: list = [] if known else [_described(iri, page, version_of)]

        def make() -> bytes | str:
            triples = described[0] if described else _described(iri, page, version_of)
            if offered is FIGURE_DOCUMENT and rep not in DOCUMENT[1:]:
                return _figures(iri, rep, doc_path, version, shown, latest, memento is not None)
            if rep is HTML:
                context = page_context(iri, triples)
                citation = cite(iri, context["label"], version, shown.path if shown else None, latest)
                citation["memento"] = memento is not None
                return render_template(
                    "resource.html",
                    doc_path=doc_path,
                    representations=formats(DOCUMENT),
                    cite=citation,
                    paging=link_counts(iri, page),
                    **context,
                )
            return serialize(triples + doc_metadata(doc_iri, iri, offered), rep)

        response = respond_document(
            make,
            rep,
            negotiated,
            doc_path,
            offered,
            *parts,
            links=[
                *_original_links(original),
                *sp.header_values(sp.document_links(iri, page_doc, version), page_doc),
            ],
            headers=memento_headers(memento) if memento else None,
            cache_control=IMMUTABLE if memento else CACHE_CONTROL,
            last_modified=info.modified if info else None,
        )
    if memento is None:
        response.vary.add("Accept-Datetime")
    return response


def _figures(iri: str, rep: Representation, doc_path: str, version, shown, latest, memento: bool) -> str:
    """A figure set's page, figures table (CSV, JSON) or chart (SVG)."""
    found = figure_set(iri)
    if found is None:
        raise NotFound(f"<{iri}> is not a figure set", hint="the figure sets are listed on /compare")
    if rep is CSV:
        return figures_csv(found)
    if rep is JSON:
        return figures_json(found)
    if rep is SVG:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + figure_chart(found)
    citation = cite(iri, found["label"], version, shown.path if shown else None, latest)
    citation["memento"] = memento
    charts = {name: Markup(svg) for name, svg in figure_charts(found).items()}  # noqa: S704 - ElementTree escapes every text
    return render_template(
        "figures.html",
        doc_path=doc_path,
        representations=formats(FIGURE_DOCUMENT),
        names=FORMAT_NAMES,
        cite=citation,
        charts=charts,
        **found,
    )


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
    return _document(path)


def _in_release(version: str) -> tuple[ReleaseInfo, Memento, str]:
    info = one_release(version)
    prefix = f"/releases/{info.version}"
    use_site(release_site(info), prefix)
    return info, Memento(info.version, info.released), prefix


@release_bp.route("/releases/<version>/id/<path:path>", methods=["GET", "HEAD"])
def release_identifier(version: str, path: str):
    """303 See Other from a thing's versioned IRI to the release's document about it."""
    _, memento, prefix = _in_release(version)
    return _see_other(path, "id/", prefix, memento)


@release_bp.route("/releases/<version>/graph/<path:path>", methods=["GET", "HEAD"])
def release_named_graph(version: str, path: str):
    """303 See Other from a named graph's versioned IRI to the release's document about it."""
    _, memento, prefix = _in_release(version)
    return _see_other(path, "graph/", prefix, memento)


@release_bp.route("/releases/<version>/doc/<path:path>", methods=["GET", "HEAD"])
def release_document(version: str, path: str):
    """The document about a thing as a release has it (a Memento), cached as immutable."""
    info, memento, prefix = _in_release(version)
    return _document(path, prefix, memento, info)


def register(app: Flask, site: Site) -> None:
    """Attach the dereferencing routes to the app."""
    app.register_blueprint(bp)
    app.register_blueprint(release_bp)
    app.jinja_env.globals.update(local_href=local_href, curie=curie)
    app.jinja_env.filters["thousands"] = thousands
    app.jinja_env.filters.update(quotes=nested_quotes, quoted=quoted, dates=date_text)
