"""Finding things: search (``routes.search``), the reconciliation service (``routes.reconcile``)
and the claims table (``routes.claims``), the pages that share the build's search index.
``register`` opens the index (read-only) and attaches the three blueprints.
"""

from __future__ import annotations

from flask import Flask

from ..data.search import SearchIndex
from ..data.site import Site
from . import claims, reconcile, search


def register(app: Flask, site: Site) -> None:
    """Open the search index of the site's build and attach search, reconcile and claims."""
    app.extensions["parley_search"] = SearchIndex.of_build(site.build_dir)
    for module in (search, reconcile, claims):
        app.register_blueprint(module.bp)
