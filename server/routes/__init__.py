"""The site's routes, one module per question (``docs/layout.md`` lists them). Each module is a
blueprint and ``register(app, site)``: it reads the request, asks a view (``server.views``) for
what to show and responds through ``server.http``; it runs no store query itself. The helpers
here are what they share: which representation a request gets, and the ``Link`` header listing
the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from flask import request

from ..data.site import site
from ..http.conditional import CACHE_CONTROL, respond
from ..http.conneg import negotiate
from ..http.representations import Representation, by_key
from ..problems import NotAcceptable, NotFound


def pick(
    ext: str | None, offered: Sequence[Representation], what: str = "this resource"
) -> tuple[Representation, bool]:
    """Return (representation, negotiated?) for a route with an optional extension.

    A named extension must be offered (else NotFound); without one, the Accept header decides
    (NotAcceptable when nothing offered is acceptable).
    """
    if ext is not None:
        rep = by_key(ext, offered)
        if rep is None:
            raise NotFound(
                f"no .{ext} representation of {what}",
                hint="the extensions here are " + ", ".join("." + r.key for r in offered),
            )
        return rep, False
    rep = negotiate(request.headers.get("Accept"), offered)
    if rep is None:
        raise NotAcceptable.offering(offered, what)
    return rep, True


def alternates(path: str, offered: Sequence[Representation]) -> list[str]:
    """``Link`` header values naming each representation of the document at ``path``."""
    return [f'<{path}.{rep.key}>; rel="alternate"; type="{rep.media_type}"' for rep in offered]


def formats(offered: Sequence[Representation]) -> dict[str, str]:
    """Extension -> media type, for templates that list a page's other formats."""
    return {rep.key: rep.media_type for rep in offered}


def respond_document(
    make,
    rep: Representation,
    negotiated: bool,
    path: str,
    offered: Sequence[Representation],
    *etag_parts: str,
    links: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    cache_control: str = CACHE_CONTROL,
    last_modified: dt.datetime | None = None,
):
    """Respond with one representation of the document at ``path``: the site's validators, the
    ``Link`` alternates (then ``links``), and (when negotiated) ``Content-Location`` and
    ``Vary: Accept``; ``headers``, ``cache_control`` and ``last_modified`` (default the site's
    time) for a release's documents."""
    s = site()
    extra = {"Content-Location": f"{path}.{rep.key}"} if negotiated else {}
    return respond(
        make,
        rep,
        etag=s.etag(*etag_parts, rep.key),
        last_modified=last_modified or s.modified,
        vary=negotiated,
        links=[*alternates(path, offered), *links],
        headers={**extra, **(headers or {})},
        cache=s.bodies,
        cache_control=cache_control,
    )
