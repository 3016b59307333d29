"""The server's one error shape.

Every HTTPException and ParleyError becomes the same body: JSON
``{"error": {"status": 404, "title": "Not Found", "message": "...", "hint": "..."}}``, or an
HTML page with the same fields when the client prefers HTML. There is deliberately no handler
for bare ``Exception``: a bug is a 500, never a 400.
"""

from __future__ import annotations

from flask import Flask, Response, json, render_template_string, request
from werkzeug.exceptions import HTTPException

from graph.errors import ParleyError, QueryTimeout

_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ status }} {{ title }} · Parley</title>
<link rel="stylesheet" href="/static/parley.css"></head>
<body><main class="error"><h1>{{ status }} {{ title }}</h1><p>{{ message }}</p>
{% if hint %}<p class="hint">{{ hint }}</p>{% endif %}<p><a href="/">Parley home</a></p></main></body></html>
"""


def error_response(status: int, title: str, message: str, hint: str | None = None,
                   headers: dict | None = None) -> Response:
    """Return the one error shape, HTML or JSON by the request's Accept header."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"], "application/json")
    if best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]:
        body = render_template_string(_HTML, status=status, title=title, message=message, hint=hint)
        response = Response(body, status=status, mimetype="text/html")
    else:
        payload = {"error": {"status": status, "title": title, "message": message}}
        if hint:
            payload["error"]["hint"] = hint
        response = Response(json.dumps(payload), status=status, mimetype="application/json")
    response.headers["Vary"] = "Accept"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _http_error(exc: HTTPException) -> Response:
    headers = {}
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    return error_response(exc.code or 500, exc.name, exc.description or exc.name, headers=headers)


def _parley_error(exc: ParleyError) -> Response:
    headers = {}
    if isinstance(exc, QueryTimeout):
        # the query was stopped, not the server: a client may retry a cheaper query at once
        headers["Retry-After"] = "1"
    return error_response(exc.status, exc.title, exc.message, exc.hint, headers=headers)


def register(app: Flask) -> None:
    """Install the error handlers on the app."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ParleyError, _parley_error)
