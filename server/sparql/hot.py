"""The hot path: the commonest ``/sparql`` GETs answered in WSGI, before Flask is reached.

A point lookup costs pyoxigraph a tenth of a millisecond; making a Flask request context,
running the hooks and the view, and building a werkzeug response around it cost several
times that. ``HotPath`` wraps the Flask app and answers, itself, a request that is exactly:

- ``GET`` or ``HEAD`` of ``/sparql``, with no body, no ``Range``, ``If-Range``, ``If-Match``,
  ``If-Modified-Since`` or ``If-Unmodified-Since`` (those go the full way), a URI within
  ``max_request_bytes``, and only the parameters ``query`` (once) and ``format`` (at most once);
- a query the guard lets through (``guard.check``), whose form and representation are known,
  and whose answer is in the results cache or is bounded by its shape (``bounded.admits``, the
  embedded store: no query process is needed).

It answers it as the endpoint's view would, byte for byte and header for header (a test
compares the two request by request): the same ``Job`` (``request.job_for``), the
same tag, the same cache, the same ``execute``, a 304 for a matching ``If-None-Match``. Anything
else, and any error (a syntax error, a refusal, a row cap, an unacceptable ``Accept``), falls
through to Flask, which answers it the usual way: the hot path never makes an error response
of its own, so every error keeps the one shape, the one log and the one status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import http_date, parse_etags
from werkzeug.wsgi import get_current_url

from graph.errors import ParleyError

from ..http.conditional import CACHE_CONTROL
from ..http.representations import content_type
from . import bounded
from .cache import answer_tag
from .execute import execute
from .protocol import Endpoint, _checked, _representation
from .request import _params, job_for

log = logging.getLogger(__name__)

PATH = "/sparql"
#: request headers that ask for more than a plain conditional GET: Flask answers those
_DECLINED = ("HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
_PARAMETERS = frozenset({"query", "format"})


def none_match_hit(environ: dict, tag: str) -> bool:
    """Return whether the request's ``If-None-Match`` matches ``tag`` (weakly, as RFC 9110 says)."""
    none_match = environ.get("HTTP_IF_NONE_MATCH")
    if not none_match:
        return False
    etags = parse_etags(none_match)
    return etags.star_tag or etags.contains_weak(tag)


class HotPath:
    """WSGI middleware over the Flask app ``app``; see the module docstring."""

    def __init__(self, app: Any, inner: Callable):
        self.app = app
        self.inner = inner
        self._last_modified: str | None = None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
            or not environ.get("QUERY_STRING")
            or any(name in environ for name in _DECLINED)
        ):
            return self.inner(environ, start_response)
        try:
            answer = self._answer(environ)
        except ParleyError:  # the view answers it, in the error shape, and logs what it logs
            answer = None
        except Exception:  # a bug here must not hide the view's answer; logged, then the full way
            log.exception("the SPARQL hot path failed; the request goes the full way")
            answer = None
        if answer is None:
            return self.inner(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _answer(self, environ: dict) -> tuple[str, list[tuple[str, str]], bytes] | None:
        state: Endpoint | None = self.app.extensions.get("parley_sparql")
        if state is None:
            return None
        settings = state.settings
        limit = settings["max_request_bytes"]
        uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
        if (
            len(uri) > limit
            or len(environ["QUERY_STRING"]) > limit
            or environ.get("CONTENT_LENGTH") not in (None, "", "0")
        ):
            return None
        params = _params(environ["QUERY_STRING"].encode("latin-1"), "query string")
        if not _PARAMETERS.issuperset(params.keys()):
            return None
        queries, formats = params.getlist("query"), params.getlist("format")
        if len(queries) != 1 or len(formats) > 1 or not queries[0].strip():
            return None
        job = job_for(
            queries[0],
            params,
            settings,
            base_iri=get_current_url(environ, strip_querystring=True),
            accept=environ.get("HTTP_ACCEPT"),
        )
        shape = _checked(job.query)
        rep = _representation(shape, job)
        if rep is None:
            return None
        site = state.site
        tag = answer_tag(site, job, rep, shape)
        headers = [
            ("ETag", f'"{tag}"'),
            ("Last-Modified", self._modified(site)),
            ("Cache-Control", CACHE_CONTROL),
            ("Vary", "Accept"),
            ("Access-Control-Allow-Origin", "*"),
        ]
        if not none_match_hit(environ, tag):
            headers.append(("Accept-Ranges", "bytes"))  # as werkzeug's make_conditional says on a 200
        else:  # as the view's: RFC 9110's 304 metadata (no Last-Modified)
            return "304 NOT MODIFIED", [h for h in headers if h[0] != "Last-Modified"], b""
        body = state.cache.get(tag)
        if body is None:
            store = site.store
            if not (getattr(store, "in_query_processes", False) and bounded.admits(shape)):
                return None  # a query process (or the remote) runs it, under the time limit
            answer = execute(store, job, shape)
            if answer.key != rep.key:  # the view raises for this; let it
                return None
            body = answer.body
            state.cache.put(tag, body)
        headers = [("Content-Type", content_type(rep)), ("Content-Length", str(len(body)))] + headers
        return "200 OK", headers, body

    def _modified(self, site) -> str:
        if self._last_modified is None:
            self._last_modified = http_date(site.modified)
        return self._last_modified
