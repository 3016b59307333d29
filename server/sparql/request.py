"""Reading a SPARQL 1.1 Protocol request: the query and its dataset, decoded strictly.

Queries arrive by GET ``?query=``, POST form-encoded or POST ``application/sparql-query``.
Parameters are decoded here, not by werkzeug (which would turn bad bytes into U+FFFD): malformed
percent-escapes and text that is not UTF-8 are a 400, an empty query is a 400, more than
``MAX_PARAMETERS`` parameters is a 400, a body is read only up to ``max_request_bytes`` (413), an
update is refused. ``job_for`` makes the ``Job`` a query runs as.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.wsgi import get_input_stream

from graph.namespaces import PREFIXES

from ..problems import BadQuery, QueryRefused
from .execute import Job

QUERY_MEDIA_TYPE = "application/sparql-query"
UPDATE_MEDIA_TYPE = "application/sparql-update"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
MAX_PARAMETERS = 10_000
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _params(raw: bytes, where: str) -> MultiDict:
    """Decode ``a=b&c=d`` strictly: a malformed escape or bytes that are not UTF-8 are a BadQuery."""
    bad = _BAD_ESCAPE.search(raw)
    if bad:
        raise BadQuery(
            f"the {where} has a malformed percent-escape at byte {bad.start()}",
            hint="percent-encode the parameters (a literal '%' is %25)",
        )
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=MAX_PARAMETERS)
    except UnicodeDecodeError:
        raise BadQuery(
            f"the {where} is not valid UTF-8 (raw or percent-encoded)",
            hint="encode the query and the parameters in UTF-8",
        ) from None
    except ValueError:
        raise BadQuery(
            f"the {where} has more than {MAX_PARAMETERS} parameters",
            hint="send fewer parameters; put long lists of values in the query's VALUES",
        ) from None
    return MultiDict(pairs)


def _too_large(size: str, limit: int) -> RequestEntityTooLarge:
    return RequestEntityTooLarge(
        f"the request body has {size} bytes; the limit is max_request_bytes={limit}; "
        "send a shorter query (long lists of values belong in VALUES, not in FILTER)"
    )


def _body() -> bytes:
    """Return the request body, or raise 413 when it is over max_request_bytes.

    A longer Content-Length is refused before a byte is read. A chunked body (no length; the
    server marks its input terminated) is read through werkzeug's limited stream, which stops
    at its limit *without* an error: one byte more than the limit is allowed for, and a body
    that reaches it is refused, never served cut short.
    """
    limit = current_app.extensions["parley_sparql"].settings["max_request_bytes"]  # protocol.Endpoint
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(str(request.content_length), limit)
    data = get_input_stream(request.environ, max_content_length=limit + 1).read()
    if len(data) > limit:
        raise _too_large("more than " + str(limit), limit)
    return data


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadQuery(
            f"the request has {len(values)} '{name}' parameters; the SPARQL Protocol allows one",
            hint=f"send exactly one {name}",
        )
    return values[0] if values else None


def _iris(values: list[str], name: str) -> tuple[str, ...]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise BadQuery(
                f"{name}={value[:200]!r} is not an absolute IRI",
                hint=f"give {name} as a full IRI such as https://w3id.org/parley/graph/world",
            ) from None
    return tuple(values)


def _refuse_update() -> None:
    raise QueryRefused(
        "this SPARQL endpoint is read-only: updates are refused",
        hint="download a dump from /dumps/ and load it into a store of your own",
    )


def _read_request() -> tuple[str | None, MultiDict]:
    """Return the query (None when there is none) and every parameter of the request."""
    args = _params(request.query_string, "query string")
    if "update" in args:
        _refuse_update()
    if request.method != "POST":
        return _single(args.getlist("query"), "query"), args
    media_type = request.mimetype
    charset = request.mimetype_params.get("charset")
    if media_type == UPDATE_MEDIA_TYPE:
        _refuse_update()
    if charset and charset.lower().replace("-", "") != "utf8":
        raise UnsupportedMediaType(f"charset={charset} is not supported; send the query in UTF-8")
    if media_type == FORM_MEDIA_TYPE:
        form = _params(_body(), "form body")
        if "update" in form:
            _refuse_update()
        query = _single(form.getlist("query") + args.getlist("query"), "query")
        if query is None:
            raise BadQuery("the form has no 'query' parameter", hint="send query=... in the body")
        params = MultiDict(args)
        for key, value in form.items(multi=True):
            params.add(key, value)
        return query, params
    if media_type == QUERY_MEDIA_TYPE:
        if "query" in args:
            raise BadQuery(
                "a direct POST carries the query in its body, not in a 'query' parameter",
                hint="drop the query parameter from the URL",
            )
        try:
            return _body().decode("utf-8"), args
        except UnicodeDecodeError:
            raise BadQuery("the query body is not valid UTF-8", hint="send the query in UTF-8") from None
    raise UnsupportedMediaType(
        f"a POST to /sparql must be {FORM_MEDIA_TYPE} or {QUERY_MEDIA_TYPE}, not {media_type or 'untyped'}"
    )


def job_for(
    query: str,
    params: MultiDict,
    settings: Mapping[str, Any],
    *,
    base_iri: str | None = None,
    accept: str | None = None,
) -> Job:
    """Return the Job of a request's query and parameters (``base_iri`` and ``accept``: the
    request's URL and Accept header, read from Flask's request when not given)."""
    defaults = _iris(params.getlist("default-graph-uri"), "default-graph-uri")
    named = _iris(params.getlist("named-graph-uri"), "named-graph-uri")
    protocol_dataset = bool(defaults or named)
    from_flask = base_iri is None  # the hot path gives both, read from the WSGI environ
    return Job(
        query=query,
        max_rows=settings["max_rows"],
        default_graphs=defaults if protocol_dataset else None,
        named_graphs=named if protocol_dataset else None,
        base_iri=request.base_url if from_flask else base_iri,
        accept=request.headers.get("Accept") if from_flask else accept,
        format=params.get("format"),
        prefixes=_PREFIXES,
    )
