"""``/feed``: the change feed harvesters follow, an Activity Streams 2.0 ``OrderedCollection``
of the releases (``views.feed``), and ``/feed?page=N`` its pages, each ``application/activity+json``
with an entity tag made from the release listing, so a harvester's conditional GET is a 304
until a release is published. The home page and ``/releases/`` link it.
"""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, request

from ..data.releases import all_releases
from ..data.site import Site, site
from ..http.conditional import respond
from ..problems import BadRequest, NotFound
from ..views import feed

bp = Blueprint("feed", __name__)


def _page_number() -> int | None:
    text = request.args.get("page")
    if text is None:
        return None
    if not text.isdigit() or not 0 < int(text) < 10**9:
        raise BadRequest(f"page={text[:40]!r} is not a page number", hint="the feed's pages count from 1")
    return int(text)


@bp.route("/feed", methods=["GET", "HEAD"])
def changes() -> Response:
    """The feed (no ``page``) or one of its pages."""
    number = _page_number()
    infos = all_releases()
    s = site()
    per_page = s.settings["feed_page_items"]
    if number is None:
        body = feed.collection(infos, per_page)
    else:
        body = feed.page(infos, number, per_page)
        if body is None:
            last = feed.page_count(len(infos), per_page)
            raise NotFound(f"the feed has no page {number}", hint=f"its pages are 1 to {last}; start at /feed")
    modified = max([i.modified for i in infos], default=s.modified)
    return respond(
        lambda: json.dumps(body, indent=1) + "\n",
        feed.MEDIA_TYPE,
        etag=s.etag("feed", feed.listing_tag(infos), str(number or 0), str(per_page), request.host),
        last_modified=modified,
    )


def register(app: Flask, site: Site) -> None:
    """Attach the change feed."""
    app.register_blueprint(bp)
