"""The published artefacts at their own IRIs: the ontology, the shapes, VoID/DCAT, the report.

``/ontology`` (and its version IRI path, e.g. ``/ontology/0.1.0``) is documented in HTML from
the ontology graph itself, with an anchor per term so ``/ontology#Claim`` works, and served as
Turtle, RDF/XML, JSON-LD or N-Triples by Accept or extension. ``/shapes``, ``/void`` (also
``/.well-known/void``) and ``/validation`` serve the build's files (Turtle byte for byte, other
RDF syntaxes converted) and summarise them in HTML; ``/dataset`` answers 303 to the VoID.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, redirect, render_template, url_for
from rdflib import Graph

from graph.namespaces import ONTOLOGY

from ..data.site import Site, site
from ..http.representations import DOCUMENT, HTML, TURTLE, TURTLE_FILE, Representation, for_extension
from ..problems import NotFound
from ..views import signposting as sp
from ..views.description import serialize
from ..views.files import (
    build_checks,
    ontology_context,
    ontology_graph,
    ontology_triples,
    read_turtle,
    shapes_context,
    validation_context,
    version_iri,
    void_context,
)
from . import formats, pick, respond_document

bp = Blueprint("published", __name__)


def _serve_ontology(ext: str | None, route: str) -> Response:
    rep, negotiated = pick(ext, DOCUMENT, "the ontology")
    triples = ontology_triples()
    if not triples:
        raise NotFound("the store has no ontology graph", hint="rebuild with `parley build`")

    def make():
        if rep is HTML:
            context = site().once("ontology-context", lambda: ontology_context(ontology_graph(), version_iri()))
            return render_template("ontology.html", formats=formats(DOCUMENT), route=route, **context)
        return serialize(triples, rep)

    links = sp.header_values(sp.artefact_links("ontology"), "/ontology")
    return respond_document(make, rep, negotiated, route, DOCUMENT, "ontology", route, links=links)


@bp.route("/ontology", methods=["GET", "HEAD"])
@bp.route("/ontology.<ext>", methods=["GET", "HEAD"])
def ontology(ext: str | None = None):
    """The ontology and its code lists: HTML documentation or RDF, by Accept or extension."""
    return _serve_ontology(ext, "/ontology")


@bp.route("/ontology/<version>", methods=["GET", "HEAD"])
def ontology_version(version: str):
    """The ontology at its version IRI (``owl:versionIRI``); other versions are not served here."""
    # A version such as 0.1.0 has dots: the last part is an extension only when it names a format.
    stem, rep = for_extension(version, DOCUMENT)
    if version_iri() != f"{ONTOLOGY}/{stem}":
        raise NotFound(
            f"no ontology version {stem[:80]!r} in this build",
            hint=f"this build has {version_iri() or 'no version IRI'}",
        )
    return _serve_ontology(rep.key if rep else None, f"/ontology/{stem}")


def _file(
    path: Path,
    ext: str | None,
    offered: Sequence[Representation],
    context: Callable[[Graph], dict],
    template: str,
    route: str,
    links: Sequence[str] = (),
) -> Response:
    """Serve a Turtle file of the build: as built, in another RDF syntax, or summarised in HTML."""
    rep, negotiated = pick(ext, offered, route)
    if not path.is_file():
        raise NotFound(f"the build has no {path.name}", hint="run `parley build` to make a complete build")
    s = site()

    def make():
        if rep is HTML:
            graph = s.once("graph:" + route, lambda: read_turtle(path))
            return render_template(template, formats=formats(offered), **context(graph))
        data = path.read_bytes()
        if rep is TURTLE:
            return data
        return serialize(list(ox.parse(data, format=ox.RdfFormat.TURTLE)), rep)

    return respond_document(make, rep, negotiated, route, offered, "file", route, links=links)


@bp.route("/shapes", methods=["GET", "HEAD"])
@bp.route("/shapes.<ext>", methods=["GET", "HEAD"])
def shapes(ext: str | None = None):
    """The SHACL shapes the data conforms to: Turtle as built, or an HTML listing."""
    links = sp.header_values(sp.artefact_links("shapes"), "/shapes")
    return _file(site().path("dumps/shapes.ttl"), ext, TURTLE_FILE, shapes_context, "shapes.html", "/shapes", links)


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
@bp.route("/void", methods=["GET", "HEAD"])
@bp.route("/void.<ext>", methods=["GET", "HEAD"])
def void(ext: str | None = None):
    """The VoID/DCAT description of the dataset and its dumps."""
    links = sp.header_values(sp.dataset_links(), "/void")
    return _file(site().path("void.ttl"), ext, DOCUMENT, void_context, "void.html", "/void", links)


@bp.route("/dataset", methods=["GET", "HEAD"])
def dataset():
    """The dataset's IRI: 303 See Other to its VoID description, with the dataset's signposts."""
    response = redirect(url_for("published.void"), code=303)
    response.headers["Link"] = ", ".join(sp.header_values(sp.dataset_links(), "/dataset"))
    return response


@bp.route("/validation", methods=["GET", "HEAD"])
@bp.route("/validation.<ext>", methods=["GET", "HEAD"])
def validation(ext: str | None = None):
    """The build's checks (SHACL, QC queries, reasoner, number and sentence coverage) in HTML,
    or its SHACL validation report as Turtle."""

    def context(graph: Graph) -> dict:
        found = validation_context(graph)
        return {**found, "checks": build_checks(site().info, len(found["results"]))}

    return _file(site().path("validation.ttl"), ext, TURTLE_FILE, context, "validation.html", "/validation")


def register(app: Flask, site: Site) -> None:
    """Attach the ontology, shapes, VoID and validation routes."""
    app.register_blueprint(bp)
