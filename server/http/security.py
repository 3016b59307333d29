"""Response headers that protect readers of the site: one WSGI middleware around the app.

Every response says ``X-Content-Type-Options: nosniff`` (a Turtle file is never run as a
script). HTML pages also get a Content-Security-Policy that the pages satisfy by construction
(scripts, styles and images from the site itself only, no inline script or style, forms post
only here, no plugins) and cannot be framed by another site (``frame-ancestors 'none'``, and
``X-Frame-Options`` for older browsers). The query page talks only to this origin's
``/sparql`` (``connect-src 'self'``).

One narrow exception, on ``/query`` only (``QUERY_PAGE_POLICY``): YASGUI's results table
(its column-resizer) writes one fixed stylesheet, the column grips, into a ``<style>`` element.
That one stylesheet is allowed by its SHA-256 hash; no other inline style, no style attribute
(hashes do not cover those) and no inline script is. A YASGUI upgrade that changes the
stylesheet shows up as a CSP violation in tests/pages/test_query_page.py; put the hash chromium
reports there.
"""

from __future__ import annotations

from flask import Flask


def _policy(style_src: str = "'self'") -> str:
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            f"style-src {style_src}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


CONTENT_SECURITY_POLICY = _policy()
#: the column grips' stylesheet of YASGUI 4.6.2's results table (column-resizer's createStyle)
YASGUI_GRIP_STYLE_HASH = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
QUERY_PAGE_POLICY = _policy(f"'self' {YASGUI_GRIP_STYLE_HASH}")


_EVERY_RESPONSE = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "strict-origin-when-cross-origin"))
_HTML_RESPONSE = (("Content-Security-Policy", CONTENT_SECURITY_POLICY), ("X-Frame-Options", "DENY"))


class _Protect:
    """WSGI middleware around the Flask app: adds each protective header the response lacks.

    A middleware, not an ``after_request`` hook: it sees every response (errors included) as a
    plain list of headers, a few microseconds, where a hook pays for werkzeug's ``Headers``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            names = {name.lower(): value for name, value in headers}
            added = [(k, v) for k, v in _EVERY_RESPONSE if k.lower() not in names]
            if names.get("content-type", "").split(";", 1)[0].strip().lower() == "text/html":
                added += [(k, v) for k, v in _HTML_RESPONSE if k.lower() not in names]
            return (
                start_response(status, headers + added, exc_info)
                if exc_info
                else start_response(status, headers + added)
            )

        return self.app(environ, start)


def register(app: Flask) -> None:
    """Wrap the app in the middleware that adds the protective headers to every response."""
    app.wsgi_app = _Protect(app.wsgi_app)
