"""Conditional and partial responses, on werkzeug's machinery, for everything the site serves.

A build never changes under a running server, so every representation has validators known
before its body is made: an entity tag derived from content (the build's content id and the
representation's name, or a file's SHA-256 from ``SHA256SUMS``; never a file's mtime) and the
build's time as ``Last-Modified``. The preconditions are evaluated in the order RFC 9110
(section 13.2.2) gives: ``If-Match`` (412 unless a strong match), ``If-Unmodified-Since``
(412), ``If-None-Match`` (304, weak comparison; it wins over) ``If-Modified-Since`` (304). Only
then is the body made (or taken from the cache); werkzeug's ``make_conditional`` answers a
single ``Range`` and ``If-Range`` on it (206, 416). A request for several ranges
(``bytes=0-9,20-29``), which werkzeug refuses with a 416, is answered here as RFC 9110
(section 14) allows: the satisfiable ranges, overlapping or adjacent ones merged, as a 206
``multipart/byteranges`` (one range left: a plain 206); none satisfiable, a 416 with
``Content-Range: bytes */N``; more than ``MAX_PARTS`` of them, or an ``If-Range`` that does not
hold, the whole body (200). ``respond`` is for bodies made in memory, ``send_build_file`` for
files of the build.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from flask import Response, request
from werkzeug.exceptions import HTTPException, RequestedRangeNotSatisfiable
from werkzeug.http import http_date, parse_date, parse_if_range_header
from werkzeug.utils import send_file

from ..data.bodies import BodyCache
from .representations import Representation, content_type

#: what a build's representations may be cached for by clients and proxies
CACHE_CONTROL = "public, max-age=300"
#: more ranges than this in one request are answered with the whole body (RFC 9110 14.2 allows it)
MAX_PARTS = 16
_NEVER = sys.maxsize  # a start past any body's end


_PRECONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")


def _ranged(response: Response, length: int | None, read: Callable[[int, int], bytes] | None = None) -> Response:
    """Answer ``Range`` / ``If-Range`` on a 200 with werkzeug; the preconditions were decided
    already (``precondition``), so werkzeug sees an environ without them. Without a ``Range``
    there is nothing to decide: the 200 says it accepts ranges and its length, as werkzeug would
    (werkzeug's ``Date`` is left to the server, which sends its own). Several ranges go to
    ``_multirange``, with ``read(start, stop)`` giving the bytes of one."""
    if request.method not in ("GET", "HEAD"):
        return response
    if "HTTP_RANGE" not in request.environ:
        response.headers["Accept-Ranges"] = "bytes"  # the length is the body's already
        return response
    asked = byte_ranges(request.headers.get("Range", ""))
    if asked is not None and len(asked) > 1 and length is not None and read is not None:
        return _multirange(response, asked, length, read)
    environ = {k: v for k, v in request.environ.items() if k not in _PRECONDITIONS}
    try:
        return response.make_conditional(environ, accept_ranges=True, complete_length=length)
    except HTTPException:
        response.close()  # a 416 leaves the file of a send_file response open otherwise
        raise


def _if_range_holds(response: Response) -> bool:
    """Whether the request's ``If-Range`` (if any) names this representation: its strong ETag,
    or exactly its ``Last-Modified`` (RFC 9110 13.1.5); a weak tag never holds."""
    value = request.headers.get("If-Range", "").strip()
    if not value:
        return True
    if value.startswith("W/"):
        return False
    if_range = parse_if_range_header(value)
    if if_range.date is not None:
        return parse_date(response.headers.get("Last-Modified")) == if_range.date
    tag, weak = response.get_etag()
    return not weak and tag is not None and tag == if_range.etag


_RANGE_SPEC = re.compile(r"^\s*([0-9]*)\s*-\s*([0-9]*)\s*$")


def byte_ranges(value: str) -> list[tuple[int, int | None]] | None:
    """The ranges of a ``Range: bytes=...`` value as ``(start, stop)`` (stop exclusive, None for
    "to the end"; ``(-n, None)`` for the last n bytes), in the order given, overlapping or not
    (werkzeug's parser refuses those); None when the value is not a valid byte-range set."""
    unit, _, rest = value.strip().partition("=")
    if unit.strip().lower() != "bytes" or not rest.strip():
        return None
    ranges: list[tuple[int, int | None]] = []
    for spec in rest.split(","):
        found = _RANGE_SPEC.match(spec)
        if found is None or found.group(1) == found.group(2) == "":
            return None
        first, last = found.groups()
        if first == "":  # a suffix; "-0" asks for no byte, which no body satisfies
            ranges.append((-int(last), None) if int(last) else (_NEVER, None))
        elif last == "":
            ranges.append((int(first), None))
        elif int(last) < int(first):
            return None
        else:
            ranges.append((int(first), int(last) + 1))
    return ranges


def satisfiable(ranges: Iterable[tuple[int, int | None]], length: int) -> list[tuple[int, int]]:
    """The ranges (``(start, stop)``, stop exclusive or None; a negative start is a suffix) that
    a body of ``length`` bytes can satisfy, as ``(start, stop)`` in order, overlapping or
    adjacent ones merged."""
    spans = []
    for start, stop in ranges:
        if start < 0:  # the last -start bytes
            start, stop = max(length + start, 0), length
        elif start >= length:
            continue
        else:
            stop = length if stop is None else min(stop, length)
        if start < stop:
            spans.append((start, stop))
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def _multirange(
    response: Response, asked: list[tuple[int, int | None]], length: int, read: Callable[[int, int], bytes]
) -> Response:
    """Answer a request for several ranges: 206 multipart/byteranges, a plain 206 when one range
    is left after merging, 416 when none is satisfiable, or the whole 200 when the ``If-Range``
    does not hold or there are more than ``MAX_PARTS`` ranges."""
    response.headers["Accept-Ranges"] = "bytes"
    if not _if_range_holds(response) or len(asked) > MAX_PARTS:
        return response
    spans = satisfiable(asked, length)
    if not spans:
        response.close()
        raise RequestedRangeNotSatisfiable(length=length)
    ctype = response.headers.get("Content-Type", "application/octet-stream")
    if len(spans) == 1:
        (start, stop), parts = spans[0], None
        body = read(start, stop)
    else:
        boundary = hashlib.sha256(f"{response.headers.get('ETag')}|{spans}".encode()).hexdigest()[:24]
        chunks = []
        for start, stop in spans:
            head = f"--{boundary}\r\nContent-Type: {ctype}\r\nContent-Range: bytes {start}-{stop - 1}/{length}\r\n\r\n"
            chunks += [head.encode("latin-1"), read(start, stop), b"\r\n"]
        chunks.append(f"--{boundary}--\r\n".encode("latin-1"))
        body, parts = b"".join(chunks), f"multipart/byteranges; boundary={boundary}"
    response.close()
    partial = Response(body, status=206)
    for key, value in response.headers.items():
        if key.lower() not in ("content-type", "content-length", "content-range"):
            partial.headers.add(key, value)
    partial.headers["Content-Type"] = parts or ctype
    if parts is None:
        partial.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{length}"
    return partial


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
    return _ranged(response, len(data), lambda start, stop: data[start:stop])


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
    return _ranged(response, response.content_length, functools.partial(_read_file, Path(path).absolute()))


def _read_file(path: Path, start: int, stop: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(start)
        return handle.read(stop - start)


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
