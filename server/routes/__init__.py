"""The site's routes, one module per question: resources (dereferencing and documents), browse
(home, types, timeline), published (ontology, shapes, VoID, validation report), dumps and the
query page. Each module has a blueprint and ``register(app, site)``; the helpers here are what
they share: which representation a request gets, and the ``Link`` header listing the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import request

from ..conditional import respond
from ..conneg import negotiate
from ..errors import NotAcceptable, NotFound
from ..representations import Representation, by_key
from ..site import site


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
    make, rep: Representation, negotiated: bool, path: str, offered: Sequence[Representation], *etag_parts: str
):
    """Respond with one representation of the document at ``path``: the build's validators, the
    ``Link`` alternates, and (when negotiated) ``Content-Location`` and ``Vary: Accept``."""
    s = site()
    headers = {"Content-Location": f"{path}.{rep.key}"} if negotiated else {}
    return respond(
        make,
        rep,
        etag=s.etag(*etag_parts, rep.key),
        last_modified=s.modified,
        vary=negotiated,
        links=alternates(path, offered),
        headers=headers,
        cache=s.bodies,
    )
