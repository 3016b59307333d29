"""Response headers that protect readers of the site: one ``after_request`` hook.

Every response says ``X-Content-Type-Options: nosniff`` (a Turtle file is never run as a
script). HTML pages also get a Content-Security-Policy that the pages satisfy by construction
(scripts, styles and images from the site itself only, no inline script or style, forms post
only here, no plugins) and cannot be framed by another site (``frame-ancestors 'none'``, and
``X-Frame-Options`` for older browsers). The query page talks only to this origin's
``/sparql`` (``connect-src 'self'``).
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)


def _protect(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
    return response


def register(app: Flask) -> None:
    """Install the hook that adds the protective headers to every response."""
    app.after_request(_protect)
