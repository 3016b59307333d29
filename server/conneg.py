"""Content negotiation: pick a representation from an Accept header with q-values, with a
``format`` parameter (or file extension) as override.

``negotiate`` returns the chosen media type or None (the caller answers 406).
"""

from __future__ import annotations

from typing import Mapping, Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

# Short names accepted by the `format` parameter and as file extensions.
FORMAT_ALIASES: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "html": "text/html",
}


def negotiate(accept: str | None, offered: Sequence[str], default: str | None = None) -> str | None:
    """Return the offered media type the Accept header prefers most, or None if none is acceptable.

    An absent or empty Accept header means ``*/*``: the ``default`` (or the first offered) wins.
    Ties keep the server's order of ``offered``.
    """
    if not accept or not accept.strip():
        return default or offered[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    best, best_q = None, 0.0
    for media_type in offered:
        q = parsed.quality(media_type)
        if q > best_q:
            best, best_q = media_type, q
    if best is not None and default is not None and parsed.quality(default) == best_q:
        return default
    return best


def format_override(value: str | None, offered: Sequence[str]) -> str | None:
    """Return the media type a ``format`` value names (alias or media type) if it is offered."""
    if not value:
        return None
    media_type = FORMAT_ALIASES.get(value.lower(), value.lower())
    return media_type if media_type in offered else None
