"""Conditional and partial responses, on werkzeug's machinery, for everything the site serves.

A build never changes under a running server, so every representation has validators known
before its body is made: an entity tag derived from content (the build's content id and the
representation's name, or a file's SHA-256 from ``SHA256SUMS``; never a file's mtime) and the
build's time as ``Last-Modified``. The preconditions are evaluated in the order RFC 9110
(section 13.2.2) gives: ``If-Match`` (412 unless a strong match), ``If-Unmodified-Since``
(412), ``If-None-Match`` (304, weak comparison; it wins over) ``If-Modified-Since`` (304). Only
then is the body made (or taken from the cache); werkzeug's ``make_conditional`` answers
``Range`` and ``If-Range`` on it (206, 416). ``respond`` is for bodies made in memory,
``send_build_file`` for files of the build.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from flask import Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date, parse_date
from werkzeug.utils import send_file

from ..data.bodies import BodyCache
from .representations import Representation, content_type

#: what a build's representations may be cached for by clients and proxies
CACHE_CONTROL = "public, max-age=300"


_PRECONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")


def _ranged(response: Response, length: int | None) -> Response:
    """Answer ``Range`` / ``If-Range`` on a 200 with werkzeug; the preconditions were decided
    already (``precondition``), so werkzeug sees an environ without them. Without a ``Range``
    there is nothing to decide: the 200 says it accepts ranges and its length, as werkzeug would
    (werkzeug's ``Date`` is left to the server, which sends its own)."""
    if request.method not in ("GET", "HEAD"):
        return response
    if "HTTP_RANGE" not in request.environ:
        response.headers["Accept-Ranges"] = "bytes"  # the length is the body's already
        return response
    environ = {k: v for k, v in request.environ.items() if k not in _PRECONDITIONS}
    try:
        return response.make_conditional(environ, accept_ranges=True, complete_length=length)
    except HTTPException:
        response.close()  # a 416 leaves the file of a send_file response open otherwise
        raise


def precondition(etag: str, last_modified: dt.datetime | None) -> int | None:
    """Return 412 or 304 when the request's preconditions say so, else None (send the body)."""
    if request.method not in ("GET", "HEAD"):
        return None
    environ = request.environ
    if not any(name in environ for name in _PRECONDITIONS):  # most requests: nothing to parse
        return None
    if_match = request.if_match
    if request.headers.get("If-Match"):
        if not (if_match.star_tag or if_match.contains(etag)):
            return 412
    else:
        since = parse_date(request.headers.get("If-Unmodified-Since"))
        if since is not None and last_modified is not None and last_modified > since:
            return 412
    if request.headers.get("If-None-Match"):
        return 304 if request.if_none_match.contains_weak(etag) or request.if_none_match.star_tag else None
    since = request.if_modified_since
    if since is not None and last_modified is not None and last_modified <= since:
        return 304
    return None


@functools.lru_cache(maxsize=64)
def _http_date(when: dt.datetime) -> str:
    return http_date(when)  # the few build and release times, formatted once


def _headers(
    response: Response,
    etag: str,
    last_modified: dt.datetime | None,
    vary: bool,
    links: Iterable[str],
    headers: Mapping[str, str] | None,
    cache_control: str,
) -> Response:
    response.set_etag(etag)
    if last_modified is not None:  # files of the code (static assets) carry only an ETag
        response.headers["Last-Modified"] = _http_date(last_modified)
    else:
        response.headers.pop("Last-Modified", None)
    response.headers["Cache-Control"] = cache_control
    if vary:
        response.vary.add("Accept")
    links = list(links)
    if links:
        response.headers["Link"] = ", ".join(links)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _answer_precondition(
    etag: str,
    last_modified: dt.datetime | None,
    vary: bool,
    links: Iterable[str],
    headers: Mapping[str, str] | None,
    cache_control: str,
) -> Response | None:
    """Return the 304 (with the validators) or 412 the preconditions call for, else None."""
    status = precondition(etag, last_modified)
    if status is None:
        return None
    if status == 304:
        return _headers(Response(status=304), etag, last_modified, vary, links, headers, cache_control)
    from .errors import error_response

    return error_response(
        412,
        "Precondition Failed",
        "the representation does not match the request's If-Match / If-Unmodified-Since",
        hint="fetch the resource again to get its current ETag",
    )


def respond(
    make: Callable[[], bytes | str],
    rep: Representation | str,
    *,
    etag: str,
    last_modified: dt.datetime | None,
    vary: bool = False,
    links: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    cache: BodyCache | None = None,
    cache_control: str = CACHE_CONTROL,
) -> Response:
    """Return the representation made by ``make()``, or a 304/412/206 as the request asks.

    ``make`` runs only when a body is needed and is not in ``cache``. ``rep`` (a
    Representation, or a media type) sets ``Content-Type`` through ``content_type``.
    """
    early = _answer_precondition(etag, last_modified, vary, links, headers, cache_control)
    if early is not None:
        return early
    found = cache.get(etag) if cache is not None else None
    if found is None:
        body = make()
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        ctype = content_type(rep)
        if cache is not None:
            cache.put(etag, data, ctype)
    else:
        data, ctype = found
    response = Response(data, status=200, content_type=ctype)
    _headers(response, etag, last_modified, vary, links, headers, cache_control)
    return _ranged(response, len(data))


def send_build_file(
    path: Path,
    rep: Representation | str,
    *,
    etag: str,
    last_modified: dt.datetime | None,
    download_name: str | None = None,
    links: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    cache_control: str = CACHE_CONTROL,
) -> Response:
    """Return a file of the build (an absolute path), with ranges and conditional requests.

    The validators are the caller's (content-derived), never the file's mtime.
    """
    early = _answer_precondition(etag, last_modified, False, links, headers, cache_control)
    if early is not None:
        return early
    response = send_file(
        Path(path).absolute(),
        request.environ,
        mimetype=content_type(rep),
        as_attachment=download_name is not None,
        download_name=download_name,
        conditional=False,
        etag=False,
        last_modified=last_modified,
        max_age=None,
        response_class=Response,
    )
    response.headers["Content-Type"] = content_type(rep)
    _headers(response, etag, last_modified, False, links, headers, cache_control)
    return _ranged(response, response.content_length)


def respond_stream(
    chunks: Callable[[], Iterable[bytes]],
    rep: Representation | str,
    *,
    etag: str,
    last_modified: dt.datetime | None,
    links: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    cache_control: str = CACHE_CONTROL,
) -> Response:
    """Return a streamed body of unknown length (no ranges), or a 304/412 as the request asks."""
    early = _answer_precondition(etag, last_modified, False, links, headers, cache_control)
    if early is not None:
        return early
    body = chunks() if request.method != "HEAD" else iter(())  # HEAD: no body, and no Content-Length: 0
    response = Response(body, status=200, content_type=content_type(rep))
    _headers(response, etag, last_modified, False, links, headers, cache_control)
    response.headers["Accept-Ranges"] = "none"
    return response
