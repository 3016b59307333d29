"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: the views, CORS, the endpoint's state (reading a
request is ``request``).

Queries arrive by GET ``?query=``, POST form-encoded or POST ``application/sparql-query``; the
dataset is ``default-graph-uri`` / ``named-graph-uri`` when given (they replace any ``FROM`` in
the query, as the Protocol says), else the query's own ``FROM``, else the union of all named
graphs. Parameters are decoded strictly here, not by werkzeug (which would turn bad bytes into
U+FFFD): malformed percent-escapes and text that is not UTF-8 are a 400, an empty query is a
400, a body is read only up to ``max_request_bytes`` (413). Each query becomes a ``Job``, whose
answer is sent with the Content-Type of its representation. Before any query runs, ``guard.check`` (a lexer, linear in the text)
refuses updates and ``SERVICE``, and the results cache (``server.sparql.cache``, keyed by the
build, the query, its dataset and the representation) may answer: a GET answer carries a
strong ETag and ``Cache-Control`` and a matching ``If-None-Match`` gets 304 without the query
running; a POST answer carries no validators (it is no representation of ``/sparql``). A query
of a shape whose work its row cap bounds (``server.sparql.bounded``) is run in the request
thread; every other query goes to the app's ``QueryPool`` (``server.sparql.pool``), where the
time limit can stop it. GET with no query answers the Service Description, or the query page
when the client prefers HTML. ``/releases/{version}/sparql`` is the same endpoint over one
release's store, with its own small pool (made on its first query) and its build's content id
in every tag. Reads are open to every origin (CORS). ``register(app, site)`` keeps the
endpoint's state in ``app.extensions["parley_sparql"]``.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.datastructures import MultiDict

from ..data.site import Site
from ..http import conneg
from ..http.conditional import respond
from ..http.representations import HTML, SERVICE_DESCRIPTION, Representation, content_type
from ..problems import BadQuery, NotAcceptable
from . import bounded, guard
from .cache import ResultCache, answer_tag
from .description import read_void_figures, service_description
from .execute import Answer, Job, choose, execute
from .pool import QueryPool, QueryProcessError
from .request import _read_request, job_for

log = logging.getLogger(__name__)

bp = Blueprint("sparql", __name__)

#: the view a browser gets at /sparql without a query (server.routes.query_page)
QUERY_PAGE_ENDPOINT = "query_page.query_page"
DESCRIPTION_OFFERED = (*SERVICE_DESCRIPTION, HTML)  # Turtle first: the default for */* and none
#: query processes per worker for each release queried (``/releases/{version}/sparql``)
RELEASE_QUERY_PROCESSES = 1


class Endpoint:
    """Per-app state of the endpoint: the site, its settings, the query pool."""

    def __init__(self, site: Site):
        self.site = site
        self.settings = site.settings
        self._pool: QueryPool | None = None
        self._release_pools: dict[str, QueryPool] = {}
        self._lock = threading.Lock()
        self.cache = ResultCache(self.settings["sparql_cache_bytes"])

    @functools.cached_property
    def figures(self) -> tuple[tuple[str, int], ...]:
        return read_void_figures(self.site.path("void.ttl"))

    @functools.cached_property
    def named_graphs(self) -> tuple[str, ...]:
        return tuple(self.site.store.named_graphs())

    @property
    def pool(self) -> QueryPool:
        # Made on first use, so that it belongs to the process (gunicorn worker) that uses it.
        with self._lock:
            if self._pool is None:
                store = self.site.store
                if getattr(store, "in_query_processes", True):
                    self._pool = QueryPool(store.spec(), self.settings["query_processes"])
                else:  # a remote store: the remote does the work, a request deadline bounds it
                    from .execute import InThread

                    self._pool = InThread(store)
            return self._pool

    def release_pool(self, version: str, release: Site) -> QueryPool:
        """The query pool of one release (``RELEASE_QUERY_PROCESSES`` processes over its store spec),
        made on its first query: old releases are queried rarely, so each gets few processes."""
        with self._lock:
            pool = self._release_pools.get(version)
            if pool is None:
                size = min(RELEASE_QUERY_PROCESSES, self.settings["query_processes"])
                pool = self._release_pools[version] = QueryPool(release.store.spec(), size)
            return pool

    def close(self) -> None:
        """Stop the query processes (tests call this; a worker's exit does it too)."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
            for pool in self._release_pools.values():
                pool.close()
            self._release_pools.clear()


def endpoint() -> Endpoint:
    """Return the endpoint state of the current app."""
    return current_app.extensions["parley_sparql"]


# --- the views ----------------------------------------------------------------------------------


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer a SPARQL Protocol query, or describe the service when there is no query."""
    state = endpoint()
    return _answer(state.site, lambda: state.pool, state.figures, lambda: state.named_graphs)


@bp.route("/releases/<version>/sparql", methods=["GET", "POST"])
def release_sparql(version: str) -> Response:
    """Answer a SPARQL Protocol query against one release (its own store, guard and limits)."""
    from ..data.releases import one_release, release_site

    info = one_release(version)
    release = release_site(info)
    state = endpoint()
    figures = release.once("sparql-figures", lambda: read_void_figures(release.path("void.ttl")))

    def graphs() -> tuple[str, ...]:
        return release.once("sparql-graphs", lambda: tuple(release.store.named_graphs()))

    return _answer(release, lambda: state.release_pool(info.version, release), figures, graphs)


def _answer(s: Site, pool: Callable[[], QueryPool], figures, named_graphs: Callable[[], tuple[str, ...]]) -> Response:
    query, params = _read_request()
    if query is None:
        return _service_description(params, s, figures, named_graphs)
    if not query.strip():
        raise BadQuery("the query is empty", hint="send a SPARQL query as query=... (or as the body of a direct POST)")
    state = endpoint()
    job = job_for(query, params, state.settings)
    shape = _checked(query)  # refusals first, in the worker: the lexer is cheap
    rep = _representation(shape, job)
    if rep is None:  # no form read, or nothing acceptable: the engine's error is the answer
        return _plain(_run(s, pool, job, shape))
    tag = answer_tag(s, job, rep, shape)

    def body() -> bytes:
        found = state.cache.get(tag)
        if found is not None:
            return found
        answer = _run(s, pool, job, shape)
        if answer.key != rep.key:  # the lexer read another form than the engine: not cached
            raise QueryProcessError(f"query form misread: {rep.key} expected, {answer.key} made: {query[:300]!r}")
        state.cache.put(tag, answer.body)
        return answer.body

    if request.method in ("GET", "HEAD"):
        # A GET answer is a representation of the resource its URL names: strong ETag, 304s.
        return respond(body, rep, etag=tag, last_modified=s.modified, vary=True)
    # A POST answer is not a representation of /sparql (RFC 9110 9.3.3, 8.8.3): no validators.
    response = Response(body(), status=200, content_type=content_type(rep))
    response.vary.add("Accept")
    return response


#: longest query text whose shape is remembered (a repeated query is then not lexed again)
REMEMBERED_QUERY_CHARS = 4096


def _checked(query: str) -> guard.QueryShape:
    """Return ``guard.check(query)``, remembered for short texts (a refusal is never remembered)."""
    if len(query) > REMEMBERED_QUERY_CHARS:
        return guard.check(query)
    return _remembered_check(query)


@functools.lru_cache(maxsize=256)
def _remembered_check(query: str) -> guard.QueryShape:
    return guard.check(query)


def _representation(shape: guard.QueryShape, job: Job) -> Representation | None:
    """Return the representation the answer will have, or None when that is not known yet."""
    if shape.form is None:
        return None
    try:
        return choose(shape.form, job.accept, job.format)
    except NotAcceptable:
        return None


def _run(s: Site, pool: Callable[[], QueryPool], job: Job, shape: guard.QueryShape) -> Answer:
    """Run ``job``: in this thread when its shape is bounded by the row cap, else in a query process."""
    store = s.store
    if getattr(store, "in_query_processes", False) and bounded.admits(shape):
        return execute(store, job, shape)
    return pool().run(job, endpoint().settings["query_timeout_s"])


def _plain(answer: Answer) -> Response:
    response = Response(answer.body, status=200, content_type=content_type(answer.representation))
    response.vary.add("Accept")
    return response


def _service_description(params: MultiDict, s: Site, figures, named_graphs) -> Response:
    fmt = params.get("format")
    rep = conneg.choose(request.headers.get("Accept"), fmt, DESCRIPTION_OFFERED)
    if rep is None:
        raise NotAcceptable.offering(DESCRIPTION_OFFERED, "the service description")
    if rep is HTML:
        view = current_app.view_functions.get(QUERY_PAGE_ENDPOINT)
        response = current_app.make_response(view()) if view else Response(_PLAIN_PAGE, content_type=content_type(HTML))
        response.vary.add("Accept")
        return response
    url = request.base_url
    return respond(
        lambda: service_description(url, rep, figures, named_graphs()),
        rep,
        etag=s.etag("sparql-service-description", url, rep.key),
        last_modified=s.modified,
        vary=True,
        cache=s.bodies,
    )


# Served only when the app has no query page (a test app, say): a form that works without it.
_PLAIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SPARQL endpoint · Parley</title></head>
<body><main><h1>Parley SPARQL endpoint</h1>
<form method="get" action="/sparql"><p><label for="query">Query</label></p>
<p><textarea id="query" name="query" rows="12" cols="80">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea></p>
<p><button type="submit">Run</button></p></form>
<p>The service description is at <a href="/sparql?format=ttl">/sparql?format=ttl</a>.</p>
</main></body></html>
"""


@bp.after_request
def _cors(response: Response) -> Response:
    # Read-only and credential-free: any origin may read, errors included.
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept, Content-Type"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def register(app: Flask, site: Site) -> None:
    """Mount /sparql on the app, with its state (and pool) in ``app.extensions["parley_sparql"]``."""
    app.extensions["parley_sparql"] = Endpoint(site)
    app.register_blueprint(bp)
