"""The server's errors and its one error shape.

The exceptions here are what only a server raises (a refused or malformed query, a query past
its time limit, a resource the build does not have); they extend ``graph.errors.ParleyError``,
which keeps the message and the hint and pickles whole, so a query process can send one back
as it is. Every HTTPException and ParleyError becomes the same body: JSON
``{"error": {"status": 404, "title": "Not Found", "message": "...", "hint": "..."}}``, or an
HTML page with the same fields when the client prefers HTML (the site's page, with its
navigation: ``templates/error.html``). There is deliberately no handler
for bare ``Exception``: a bug is a logged 500 (Flask logs it), never a 400.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, current_app, json, render_template, render_template_string, request
from werkzeug.exceptions import HTTPException, RequestedRangeNotSatisfiable

from graph.errors import ParleyError

from . import conneg
from .representations import HTML, JSON, content_type


class QueryRefused(ParleyError):
    """A SPARQL request the public endpoint will not run (update, LOAD, SERVICE, too many rows)."""

    exit_code = 2
    status = 403
    title = "Query refused"


class BadQuery(ParleyError):
    """A SPARQL request that does not parse or lacks a required parameter."""

    exit_code = 2
    status = 400
    title = "Bad Request"


class QueryTimeout(ParleyError):
    """A SPARQL query that ran past the configured time limit (or found no free query process)."""

    exit_code = 1
    status = 503
    title = "Query timed out"
    retry_after_s = 1


class QueryAborted(ParleyError):
    """A query process that died during a query (killed, out of memory); it has been replaced."""

    exit_code = 1
    status = 503
    title = "Query aborted"
    retry_after_s = 1


class BadRequest(ParleyError):
    """A request header or parameter that is malformed (an Accept-Datetime that is no date)."""

    exit_code = 2
    status = 400
    title = "Bad Request"


class NotFound(ParleyError):
    """A resource or file that the build does not have."""

    exit_code = 1
    status = 404
    title = "Not Found"


class NotAcceptable(ParleyError):
    """Nothing the route offers is acceptable to the client (Accept or ``format``)."""

    exit_code = 2
    status = 406
    title = "Not Acceptable"

    @classmethod
    def offering(cls, offered: Iterable, what: str = "this resource") -> NotAcceptable:
        names = ", ".join(str(rep) for rep in offered)
        return cls(
            f"none of the representations of {what} is acceptable; offered: {names}",
            hint="send one of the offered media types in Accept (or a format parameter where one is taken)",
        )


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
