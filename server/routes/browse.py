"""The entry pages: the dataset in figures (``/``), its classes (``/types``, ``/types/{curie}``)
and its events in date order (``/timeline``).

What these pages show is computed once per app (``Site.once``) and the rendered pages are
served with the build's validators, so a repeated request costs a cache lookup.
"""

from __future__ import annotations

import re

from flask import Blueprint, Flask, render_template

from graph.namespaces import PARLEY, PREFIXES

from ..data.site import Site, site
from ..http.conditional import respond
from ..http.representations import HTML
from ..problems import NotFound
from ..views import browse, dataset
from ..views.terms import iri_term

bp = Blueprint("browse", __name__)

_LOCAL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _page(page: str, template: str, **context):
    """Respond with a rendered page, named ``page`` for its entity tag."""
    s = site()
    return respond(
        lambda: render_template(template, **context),
        HTML,
        etag=s.etag("page", page),
        last_modified=s.modified,
        cache=s.bodies,
    )


@bp.route("/", methods=["GET", "HEAD"])
def home():
    """The dataset's figures and its entry points, and its schema.org Dataset in the head."""
    s = site()
    released, description = dataset.landing()  # the page says which release the build is

    def make():
        ns = str(PARLEY)
        return render_template(
            "home.html",
            dataset_jsonld=description,
            figures=s.once("figures", browse.figures),
            types=[t for t in browse.type_counts() if t["iri"].startswith(ns)],
            contested=browse.contested(),
            articles=browse.articles(),
            validation=s.once("validation", browse.validation_summary),
        )

    return respond(make, HTML, etag=s.etag("page", "home", released), last_modified=s.modified, cache=s.bodies)


@bp.route("/types", methods=["GET", "HEAD"])
def types():
    """Every class the graph has instances of, with counts."""
    return _page("types", "types.html", types=browse.type_counts())


@bp.route("/types/<name>", methods=["GET", "HEAD"])
def type_list(name: str):
    """The instances of one class, named by CURIE (``parley:Person``, ``skos:Concept``)."""
    prefix, _, local = name.partition(":")
    if prefix not in PREFIXES or not _LOCAL.match(local):
        raise NotFound(
            f"no class {name!r} here", hint="name a class by CURIE with a known prefix, e.g. /types/parley:Person"
        )
    iri = str(PREFIXES[prefix]) + local
    items = browse.instances(iri)
    if not items:
        raise NotFound(f"the graph has no instance of {name}", hint="see /types for the classes it has")
    return _page("types/" + name, "type_list.html", cls=iri_term(iri), name=name, items=items)


@bp.route("/timeline", methods=["GET", "HEAD"])
def timeline():
    """Events in date order with the articles and quotes that date them."""
    return _page("timeline", "timeline.html", **site().once("timeline", browse.timeline))


def register(app: Flask, site: Site) -> None:
    """Attach the home, types and timeline pages, and the corpus counts every page's footer prints."""
    app.register_blueprint(bp)
    app.context_processor(browse.corpus_counts)
