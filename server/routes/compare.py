"""``/compare``: the figures in dispute, listed; the old address of one subject and measure.

``/compare`` lists every figure set (a subject and measure with several figures; each is a
resource of its own, ``/id/figures/...``, with its page, RDF, CSV, JSON and chart).
``/compare?subject=IRI&measure=IRI`` was the address of one pair's figures before they were a
resource: it answers ``301 Moved Permanently`` to the figure set's IRI, and
``/compare/chart.svg`` with the same parameters to its chart. Both parameters are IRIs, checked
by pyoxigraph's parser: one without the other, or a malformed one, is a 400; a pair with no
figures in dispute (none, or a single figure) is a 404.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Flask, redirect, render_template, request

from ..data.site import Site, site
from ..http.conditional import CACHE_CONTROL, respond
from ..http.representations import HTML
from ..problems import BadQuery, NotFound
from ..views.compare import compared_pairs, comparisons

bp = Blueprint("compare", __name__)


def _iri(name: str) -> str:
    value = request.args.get(name, "").strip()
    hint = "give the full IRI of a subject and of a measure, as the links on /compare do"
    if not value:
        raise BadQuery(f"the parameter {name} is missing", hint=hint)
    if len(value) > 500 or not value.startswith(("http://", "https://")):
        raise BadQuery(f"{name}={value[:80]!r} is not an IRI", hint=hint)
    try:
        ox.NamedNode(value)
    except ValueError as error:
        raise BadQuery(f"{name}={value[:80]!r} is not an IRI: {error}", hint=hint) from None
    return value


def _figure_set() -> str:
    """The address of the figure set the parameters name (``/id/figures/...``)."""
    subject, measure = _iri("subject"), _iri("measure")
    href = compared_pairs().get((subject, measure))  # a bounded set: read once per app
    if href is None:
        raise NotFound(
            f"no figures in dispute about {subject[:100]} for the measure {measure[:100]}",
            hint="the subjects and measures with several figures are listed on /compare",
        )
    return href


def _moved(location: str):
    response = redirect(location, code=301)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@bp.route("/compare", methods=["GET", "HEAD"])
def compare():
    """The list of figure sets, or (with ``subject`` and ``measure``) 301 to one of them."""
    s = site()
    if not request.args.get("subject") and not request.args.get("measure"):
        return respond(
            lambda: render_template("compare_index.html", comparisons=comparisons()),
            HTML,
            etag=s.etag("page", "compare"),
            last_modified=s.modified,
            cache=s.bodies,
        )
    return _moved(_figure_set())


@bp.route("/compare/chart.svg", methods=["GET", "HEAD"])
def chart():
    """301 to the chart of the figure set the parameters name (``/doc/figures/....svg``)."""
    href = _figure_set()
    return _moved(href.replace("/id/figures/", "/doc/figures/", 1) + ".svg")


def register(app: Flask, site: Site) -> None:
    """Attach the list of figure sets and the old comparison addresses."""
    app.register_blueprint(bp)
