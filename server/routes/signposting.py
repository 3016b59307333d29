"""FAIR Signposting's linksets (RFC 9264): ``/linkset`` (the home page's, the dataset's) and
``/linkset/{path}`` for the landing page at ``/{path}``: the dataset (``void``, ``dataset``),
``ontology``, ``shapes``, a release (``releases/{version}/``) and a resource document
(``doc/...``, also under a release). Each is ``application/linkset`` or
``application/linkset+json`` by Accept. The ``Link`` headers of the home page and of a
release's page (and the feed's on the home page and ``/releases/``) are added here, after their
own routes answered; the other landing pages add
theirs where they respond (``routes.published``, ``routes.resources``).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, request

from ..data.releases import one_release, release_site
from ..data.site import Site, site, use_site
from ..http.conditional import respond
from ..http.memento import absolute
from ..http.representations import for_extension
from ..problems import NotFound
from ..views import signposting as sp
from ..views.description import known, thing_iri
from . import pick
from .resources import offered_for

bp = Blueprint("signposting", __name__)

_HINT = "a linkset is served for /, /void, /dataset, /ontology, /shapes, /releases/{version}/ and /doc/... pages"


def _document(path: str, prefix: str = "", version: str | None = None) -> tuple[str, list[sp.SignLink]]:
    """A resource document's landing page and links; ``version`` the release it is read from."""
    stem, _ = for_extension(path, offered_for(path))
    iri = thing_iri(stem[len("graph/") :], "graph/") if stem.startswith("graph/") else thing_iri(stem, "id/")
    if not known(iri):
        raise NotFound(f"no resource <{iri}>, so no linkset for it", hint=_HINT)
    page = f"{prefix}/doc/{stem}"
    return page, sp.document_links(iri, page, version or sp.released_version(), complete=True)


def _landing(path: str) -> tuple[str, list[sp.SignLink]]:
    """The landing page at ``/{path}`` and its links; NotFound for any other path."""
    if path in ("", "void", "dataset"):
        return "/" + path, sp.dataset_links()
    if path in ("ontology", "shapes"):
        return "/" + path, sp.artefact_links(path)
    if path.startswith("doc/"):
        return _document(path[len("doc/") :])
    parts = path.split("/", 2)
    if len(parts) >= 2 and parts[0] == "releases":
        info = one_release(parts[1])
        if len(parts) == 2 or parts[2] == "":
            return f"/releases/{info.version}/", sp.release_links(info)
        if parts[2].startswith("doc/"):
            prefix = f"/releases/{info.version}"
            use_site(release_site(info), prefix)
            return _document(parts[2][len("doc/") :], prefix, info.version)
    raise NotFound(f"no landing page /{path[:80]}, so no linkset for it", hint=_HINT)


def _serve(path: str) -> Response:
    rep, _ = pick(None, sp.LINKSETS, "a linkset")
    page, links = _landing(path)
    s = site()
    anchor = absolute(page)
    return respond(
        lambda: sp.write_linkset(anchor, links, rep),
        rep,
        etag=s.etag("linkset", anchor, *(link.header() for link in links), rep.key),
        last_modified=s.modified,
        vary=True,
    )


@bp.route("/linkset", methods=["GET", "HEAD"])
def home_linkset():
    """The linkset of the home page, the dataset's landing page."""
    return _serve("")


@bp.route("/linkset/<path:path>", methods=["GET", "HEAD"])
def linkset(path: str):
    """The linkset of the landing page at ``/{path}``."""
    return _serve(path)


def _signposts() -> list[str] | None:
    """The signposts of the landing pages whose own routes add none (the home and release
    pages), and the change feed for a harvester that reads the home page or the release list."""
    if request.endpoint == "browse.home":
        return [*sp.header_values(sp.dataset_links(), "/"), sp.feed_link()]
    if request.endpoint == "releases.listing":
        return [sp.feed_link()]
    if request.endpoint == "releases.page":
        info = one_release(request.view_args["version"])
        return sp.header_values(sp.release_links(info), f"/releases/{info.version}/")
    return None


@bp.after_app_request
def _add_signposts(response: Response) -> Response:
    if response.status_code in (200, 304) and request.method in ("GET", "HEAD"):
        values = _signposts()
        if values:
            mine = response.headers.get("Link")
            response.headers["Link"] = ", ".join([mine, *values] if mine else values)
    return response


def register(app: Flask, site: Site) -> None:
    """Attach the linksets and the signposts of the home and release pages."""
    app.register_blueprint(bp)
