"""The server's errors and its one error shape.

The exceptions a request can end in are in ``server.problems`` (no Flask there: the query
processes raise them too). Every HTTPException and ParleyError becomes the same body: JSON
``{"error": {"status": 404, "title": "Not Found", "message": "...", "hint": "..."}}``, or an
HTML page with the same fields when the client prefers HTML (the site's page, with its
navigation: ``templates/error.html``). There is deliberately no handler
for bare ``Exception``: a bug is a logged 500 (Flask logs it), never a 400.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, json, render_template, render_template_string, request
from werkzeug.exceptions import HTTPException, RequestedRangeNotSatisfiable

from graph.errors import ParleyError

from . import conneg
from .representations import HTML, JSON, content_type

# The fallback when the site's own page cannot be drawn (an error while handling an error).
_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ status }} {{ title }} · Parley</title>
<link rel="stylesheet" href="/static/parley.css"></head>
<body><main class="error"><h1>{{ status }} {{ title }}</h1><p>{{ message }}</p>
{% if hint %}<p class="hint">{{ hint }}</p>{% endif %}<p><a href="/">Parley home</a></p></main></body></html>
"""


def error_response(
    status: int, title: str, message: str, hint: str | None = None, headers: dict | None = None
) -> Response:
    """Return the one error shape: HTML when the client ranks HTML above JSON, else JSON."""
    quality = {rep.key: q for rep, q in conneg.ranked(request.headers.get("Accept"), (JSON, HTML))}
    if quality.get("html", 0) > quality.get("json", 0):
        fields = {"status": status, "title": title, "message": message, "hint": hint}
        try:
            body = render_template("error.html", **fields)  # the site's page, navigation and all
        except Exception:  # noqa: BLE001 - a broken page must not hide the error it reports
            current_app.logger.exception("the error page could not be drawn")
            body = render_template_string(_HTML, **fields)
        response = Response(body, status=status, content_type=content_type(HTML))
    else:
        payload = {"error": {"status": status, "title": title, "message": message}}
        if hint:
            payload["error"]["hint"] = hint
        response = Response(json.dumps(payload), status=status, content_type=content_type(JSON))
    response.vary.add("Accept")
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _http_error(exc: HTTPException) -> Response:
    headers = {}
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    if exc.response is not None and "Retry-After" in exc.response.headers:
        headers["Retry-After"] = exc.response.headers["Retry-After"]
    if isinstance(exc, RequestedRangeNotSatisfiable) and exc.length is not None:
        headers["Content-Range"] = f"{exc.units} */{exc.length}"
    return error_response(exc.code or 500, exc.name, exc.description or exc.name, headers=headers)


def _parley_error(exc: ParleyError) -> Response:
    headers = {}
    retry = getattr(exc, "retry_after_s", None)
    if retry:
        # the query was stopped, not the server: a client may retry (a cheaper query) at once
        headers["Retry-After"] = str(retry)
    return error_response(exc.status, exc.title, exc.message, exc.hint, headers=headers)


def register(app: Flask) -> None:
    """Install the error handlers on the app."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ParleyError, _parley_error)
