"""Memento over the releases (RFC 7089; the headers and formats in ``server.http.memento``): the
Mementos of an Original Resource, the TimeGate's answer, and ``/timemap/{path}``.

An Original Resource is a path below ``/id/``, ``/graph/`` or ``/doc/``; its Mementos are the
releases that hold the resource it names (asked of each release's own store), oldest first.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Flask, Response, redirect

from ..data.releases import all_releases, release_site
from ..data.site import Site, site, using
from ..http.conditional import respond
from ..http.memento import (
    LINK_FORMAT,
    Memento,
    absolute,
    memento_path,
    original_links,
    requested_datetime,
    select,
    timemap,
)
from ..http.representations import DOCUMENT, for_extension
from ..problems import NotFound
from ..views.description import describe, exists, thing_iri

bp = Blueprint("memento", __name__)

ORIGINAL_ROOTS = ("id", "graph", "doc")


def thing_of(original: str) -> str:
    """Return the IRI an Original Resource path names (``id/...``, ``graph/...``, ``doc/...[.ext]``)."""
    root, _, rest = original.partition("/")
    if root == "doc":
        stem, _ = for_extension(rest, DOCUMENT)
        if stem.startswith("graph/"):
            return thing_iri(stem[len("graph/") :], "graph/")
        return thing_iri(stem, "id/")
    if root not in ORIGINAL_ROOTS:
        raise NotFound(
            f"/{original[:80]} is not a resource of this dataset", hint="TimeMaps are /timemap/id/{kind}/{slug}"
        )
    return thing_iri(rest, root + "/")


def holds(s: Site, iri: str) -> bool:
    """Return whether the site's dataset knows ``iri``."""
    with using(s):
        return exists(iri, describe(iri))


def mementos_of(original: str) -> list[Memento]:
    """Return the Mementos of ``original``: every release that holds its resource, oldest first."""
    iri = thing_of(original)
    found = [
        Memento(info.version, info.released) for info in reversed(all_releases()) if holds(release_site(info), iri)
    ]
    return sorted(found, key=lambda m: m.datetime)  # stable: same-day releases stay in version order


def timegate(original: str) -> Response | None:
    """Answer a request with ``Accept-Datetime`` to ``original``: 302 to the Memento in force then.

    Returns None when the request has no Accept-Datetime (the current resource answers). Raises
    BadRequest for a malformed one, NotFound when no release holds the resource.
    """
    when = requested_datetime()
    if when is None:
        return None
    mementos = mementos_of(original)
    if not mementos:
        raise NotFound(
            f"no release holds /{original[:80]}, so it has no Memento",
            hint="see /releases/ for the releases; without Accept-Datetime the current build answers",
        )
    chosen = select(mementos, when)
    response = redirect(absolute(memento_path(chosen.version, original)), code=302)
    response.headers["Link"] = ", ".join(original_links(original))
    response.headers["Cache-Control"] = "no-cache"  # a newer release may change the answer
    response.vary.add("Accept-Datetime")
    return response


@bp.route("/timemap/<path:original>", methods=["GET", "HEAD"])
def timemap_of(original: str):
    """The TimeMap of an Original Resource in application/link-format."""
    mementos = mementos_of(original)
    if not mementos and not holds(site(), thing_of(original)):
        raise NotFound(f"no resource /{original[:80]} in this dataset or its releases", hint="see /releases/")
    body = timemap(original, mementos)
    tag = hashlib.sha256(body.encode()).hexdigest()[:32]
    return respond(lambda: body, LINK_FORMAT, etag=tag, last_modified=None, cache_control="no-cache")


def register(app: Flask, site: Site) -> None:
    """Attach the TimeMaps."""
    app.register_blueprint(bp)
