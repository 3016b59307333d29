"""Parley's linked-data server: a Flask application over a build.

``create_app(config=None)`` layers the defaults, then ``PARLEY_*`` environment variables, then
the ``config`` mapping (tests); opens the store once (read-only); builds the site state
(``server.data.site.Site``) once; and hands it to the blueprints, one per question the server
answers: ``routes.resources`` (dereferencing and resource documents), ``routes.browse`` (home,
types, timeline), ``routes.published`` (ontology, shapes, VoID, validation report),
``routes.context`` (the JSON-LD context), ``routes.dumps`` (the dump files), ``routes.releases``
(the releases), ``routes.memento`` (TimeMaps; every resource path is its own TimeGate), ``routes.finding``
(search, reconciliation, the claims table), ``routes.compare`` (the comparison views), ``routes.query_page``
and the ``sparql`` package (the SPARQL 1.1 Protocol endpoint). Nothing here runs at import time,
and importing the package loads no Flask: the query processes import ``server.sparql`` modules
and must stay free of it (``tests/test_layout.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import config as config_module

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Return a configured Flask app serving the build named by the settings.

    Raises ``ConfigError`` when a setting is invalid or the build is missing or unreadable.
    """
    from flask import Flask

    from .data.site import Site
    from .data.store import open_store
    from .http import errors, limits, security
    from .routes import (
        browse,
        compare,
        context,
        dumps,
        feed,
        finding,
        memento,
        published,
        query_page,
        releases,
        resources,
        signposting,
        static,
    )
    from .sparql import protocol
    from .sparql.hot import HotPath

    settings = config_module.load_settings(overrides=config)
    app = Flask(__name__, static_folder=None)  # routes/static.py serves the assets
    app.config["PARLEY"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings["max_request_bytes"]
    site = Site(store=open_store(settings), build_dir=settings["build_dir"], settings=settings)
    app.extensions["parley_site"] = site
    errors.register(app)
    limits.register(app)
    # The SPARQL hot path answers plain point lookups and cached answers before Flask is
    # reached; inside the protective headers, which wrap everything.
    app.wsgi_app = HotPath(app, app.wsgi_app)
    security.register(app)
    for module in (
        static,
        resources,
        browse,
        published,
        context,
        dumps,
        releases,
        memento,
        query_page,
        finding,
        compare,
        protocol,
        signposting,
        feed,
    ):
        module.register(app, site)
    return app


def warm(app) -> None:
    """Start the worker's query processes, and make what every document needs and is the same
    for the whole build (the page templates compiled, the JSON-LD context), before its first
    request, not during it. Nothing here grows with the graph: labels are looked up per IRI."""
    endpoint = getattr(app, "extensions", {}).get("parley_sparql")
    if endpoint is not None:
        endpoint.pool  # noqa: B018 - the property starts the pool
    site = getattr(app, "extensions", {}).get("parley_site")
    if site is not None:
        from .views.context import site_context

        for name in ("resource.html", "error.html"):
            app.jinja_env.get_template(name)
        site_context(site)
