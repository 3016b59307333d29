"""Bounds on what one request may send, checked before anything is read or routed.

A body whose ``Content-Length`` is over ``max_request_bytes`` is refused with 413 at once,
before a byte of it is read; a request URI longer than the same setting is refused with 414.
Both answer in the one error shape. A chunked body (no length) is only cut at the limit while
it is read (Flask's ``MAX_CONTENT_LENGTH``), silently; the one route that reads bodies,
``/sparql``, reads one byte past the limit itself and answers 413 when it gets it.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge, RequestURITooLarge


def _check() -> None:
    limit = current_app.config["PARLEY"]["max_request_bytes"]
    length = request.content_length
    if length is not None and length > limit:
        raise RequestEntityTooLarge(f"the request body has {length} bytes; the limit is max_request_bytes={limit}")
    uri = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path
    if len(uri) > limit:
        raise RequestURITooLarge(
            f"the request URI has {len(uri)} characters; the limit is "
            f"max_request_bytes={limit}; send a long query as a POST body"
        )


def register(app: Flask) -> None:
    """Install the request bounds on the app (first, before any route's own hooks)."""
    app.before_request(_check)
