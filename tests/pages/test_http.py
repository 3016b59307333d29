"""The HTTP layer of every page route, over the mini build: negotiation with media-type
parameters and q-values (RFC 9110 12.5.1), one charset in every Content-Type, validators that
come from content (the same on a copy of the build with new file times), preconditions (304,
412) and ranges (206, If-Range, 416), HEAD, the protective headers and a page markup that needs
no inline script or style, and the same answers from a relative build directory as from an
absolute one (dump downloads included: they were a 500)."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser

import pytest
from werkzeug.http import http_date

from tests.helpers import assert_error_shape, close_app, make_app, page_url_map, route_paths
from tests.pages.conftest import (
    ARTICLE,
    CLAIM,
    PERSON,
    build_time,
    fetch,
)

TTL = f"/doc/{PERSON}.ttl"
DUMP = "/dumps/parley.nq.gz"

# Every page route, from the URL map of the page blueprints (``page_url_map``: the blueprints
# alone, no build needed at collection time), each route with arguments requested with these
# values: every representation by extension, and the documents of a person, a claim, an article
# and a named graph. A page endpoint with arguments and no values here fails ``route_paths``.
PAGE_BLUEPRINTS = ("resources", "browse", "published", "dumps", "query_page", "static")
PAGE_EXAMPLES = {
    "browse.type_list": [{"name": "parley:Person"}],
    "query_page.query_page": [{}, {"example": "01-delegation-heads"}],
    "published.ontology": [{"ext": ext} for ext in ("ttl", "jsonld", "rdf", "nt", "html")],
    "published.ontology_version": [{"version": "0.1.0"}, {"version": "0.1.0.ttl"}],
    "published.shapes": [{"ext": ext} for ext in ("ttl", "html")],
    "published.void": [{"ext": ext} for ext in ("ttl", "jsonld", "rdf", "nt")],
    "published.validation": [{"ext": ext} for ext in ("ttl", "html")],
    "dumps.dump": [
        {"name": name}
        for name in (
            *(f"parley.{ext}{gz}" for gz in (".gz", "") for ext in ("nq", "trig", "ttl", "jsonld")),
            "ontology.ttl",
            "shapes.ttl",
            "SHA256SUMS",
        )
    ],
    "resources.identifier": [{"path": PERSON}],
    "resources.document": [
        *({"path": PERSON + ext} for ext in ("", ".html", ".ttl", ".jsonld", ".rdf", ".nt")),
        {"path": CLAIM + ".html"},
        {"path": ARTICLE + ".html"},
        *({"path": "graph/world" + ext} for ext in ("", ".html", ".ttl")),
    ],
    "resources.named_graph": [{"path": "world"}],
    "static": [{"filename": "parley.css"}],
}
ROUTES = route_paths(page_url_map(PAGE_BLUEPRINTS), PAGE_EXAMPLES, PAGE_BLUEPRINTS)
NEGOTIATED = [
    "/",
    f"/id/{PERSON}",
    f"/doc/{PERSON}",
    "/ontology",
    "/void",
    "/shapes",
    "/validation",
    "/dumps/",
    "/graph/world",
]
ACCEPTS = [None, "text/html", "text/turtle", "application/ld+json", "text/plain"]
REQUESTS = [(path, None) for path in ROUTES] + [(path, accept) for path in NEGOTIATED for accept in ACCEPTS[1:]]
# What a response is judged by, besides its status and body.
HEADERS = (
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Location",
    "Content-Location",
    "Content-Length",
    "Vary",
    "Link",
    "Content-Range",
    "Accept-Ranges",
    "Content-Disposition",
)


def _get(client, path, accept=None, method="GET", **headers):
    if accept is not None:
        headers["Accept"] = accept
    return fetch(client, path, method=method, headers=headers)


def _answer(response) -> tuple:
    return (response.status_code, {h: response.headers.get(h) for h in HEADERS}, response.get_data())


@pytest.fixture(scope="module")
def shared_app(mini_build):
    """One app for the read-only tests that walk every route (they make many requests)."""
    app = make_app(mini_build)
    yield app
    close_app(app)


@pytest.fixture
def shared(shared_app):
    return shared_app.test_client()


def test_the_page_routes_are_the_apps(shared_app):
    # The bare blueprints' map is the real app's, restricted to the page blueprints: every page
    # endpoint of the app is requested, and nothing the app does not serve.
    adapter = shared_app.url_map.bind("localhost")
    served = {adapter.match(path.split("?")[0], method="GET")[0] for path in ROUTES}
    endpoints = {
        rule.endpoint for rule in shared_app.url_map.iter_rules() if rule.endpoint.split(".")[0] in PAGE_BLUEPRINTS
    }
    assert "resources.document" in endpoints and "browse.home" in endpoints
    assert served == endpoints, (sorted(endpoints - served), sorted(served - endpoints))


# ---------------------------------------------------------------------------------------
# Negotiation


@pytest.mark.parametrize(
    "accept, ext",
    [
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', "jsonld"),
        ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted";q=0.9, text/html;q=0.5', "jsonld"),
        ("text/turtle; charset=utf-8", "ttl"),
        ("text/turtle;charset=UTF-8", "ttl"),
        ("Text/Turtle", "ttl"),
        ("text/turtle;q=0, */*", "html"),
        ("text/html;q=0, text/turtle;q=0, */*", "jsonld"),
        ("text/turtle; charset=iso-8859-1, application/ld+json;q=0.5", "jsonld"),
        ("application/rdf+xml;q=0.3, text/turtle;q=0.9, application/ld+json;q=0.5", "ttl"),
        ("text/*;q=0.2, text/turtle", "ttl"),
        ("text/*;q=0.9, text/html;q=0.1", "ttl"),
        ("*/*;q=0.1, application/n-triples", "nt"),
        ("application/n-triples;q=0.4, application/rdf+xml;q=0.4", "rdf"),  # a tie goes to the server's order
    ],
)
def test_accept_parameters_and_q_values_pick_the_document(client, accept, ext):
    redirect = client.get(f"/id/{PERSON}", headers={"Accept": accept})
    assert redirect.status_code == 303, redirect.get_data(as_text=True)
    assert redirect.headers["Location"].endswith(f"/doc/{PERSON}.{ext}")
    document = client.get(f"/doc/{PERSON}", headers={"Accept": accept})
    assert document.status_code == 200
    assert document.headers["Content-Location"] == f"/doc/{PERSON}.{ext}"


@pytest.mark.parametrize("path", ["/ontology", "/void", "/shapes", "/validation"])
@pytest.mark.parametrize(
    "accept, media",
    [
        ("text/turtle; charset=utf-8", "text/turtle"),
        ("text/turtle;q=0, */*", "text/html"),
        ("text/html;q=0.1, text/turtle;q=0.8", "text/turtle"),
    ],
)
def test_published_artefacts_negotiate_with_parameters_and_q_values(client, path, accept, media):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media


def test_json_ld_profile_is_negotiated_on_the_ontology_and_void(client):
    accept = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"'
    for path in ("/ontology", "/void"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == "application/ld+json", path


@pytest.mark.parametrize(
    "accept",
    [
        "text/turtle; charset=iso-8859-1",
        (
            "text/turtle;q=0, text/html;q=0, application/ld+json;q=0, application/rdf+xml;q=0, application/n-triples;q=0, "
            "text/plain;q=0"
        ),
        "image/png, */*;q=0",
    ],
)
def test_nothing_acceptable_is_406(client, accept):
    response = client.get(f"/doc/{PERSON}", headers={"Accept": accept})
    assert response.status_code == 406
    assert "Accept" in response.headers["Vary"]


# ---------------------------------------------------------------------------------------
# Content-Type


@pytest.mark.parametrize("path, accept", REQUESTS)
def test_every_content_type_has_at_most_one_charset_and_text_says_utf_8(shared, path, accept):
    response = _get(shared, path, accept)
    ctype = response.headers.get("Content-Type", "")
    assert ctype.lower().count("charset") <= 1, (path, ctype)
    if ctype.startswith("text/"):
        assert ctype.endswith("; charset=utf-8"), (path, ctype)


@pytest.mark.parametrize(
    "path, ctype",
    [
        ("/dumps/ontology.ttl", "text/turtle; charset=utf-8"),
        ("/dumps/shapes.ttl", "text/turtle; charset=utf-8"),
        ("/dumps/SHA256SUMS", "text/plain; charset=utf-8"),
        ("/dumps/parley.ttl", "text/turtle; charset=utf-8"),
        ("/dumps/parley.nq.gz", "application/gzip"),
        ("/ontology.ttl", "text/turtle; charset=utf-8"),
        (f"/doc/{PERSON}.html", "text/html; charset=utf-8"),
        (f"/doc/{PERSON}.jsonld", "application/ld+json"),
    ],
)
def test_content_type_is_written_once(shared, path, ctype):
    assert _get(shared, path).headers["Content-Type"] == ctype


# ---------------------------------------------------------------------------------------
# Validators


def test_validators_come_from_content_not_file_times(mini_build, tmp_path):
    """A copy of the build with new mtimes answers every route with the same ETag and Last-Modified."""
    copy = tmp_path / "elsewhere" / "build"
    shutil.copytree(mini_build, copy)
    for path in [copy, *copy.rglob("*")]:
        os.utime(path, (1_000_000_000, 1_000_000_000))  # 2001: far from the original's times
    assert (copy / "dumps" / "parley.nq.gz").stat().st_mtime != (mini_build / "dumps" / "parley.nq.gz").stat().st_mtime
    original, copied = make_app(mini_build), make_app(copy)
    try:
        a, b = original.test_client(), copied.test_client()
        for path, accept in REQUESTS:
            first, second = _get(a, path, accept), _get(b, path, accept)
            assert first.status_code == second.status_code, (path, accept)
            if first.status_code == 200:
                assert first.headers.get("ETag"), (path, accept)
                # the site's assets change with the code, not the build: an ETag, no Last-Modified
                assert path.startswith("/static/") or first.headers.get("Last-Modified"), (path, accept)
            for header in ("ETag", "Last-Modified"):
                assert first.headers.get(header) == second.headers.get(header), (path, accept, header)
    finally:
        close_app(original)
        close_app(copied)


@pytest.mark.parametrize("path, accept", [(p, a) for p, a in REQUESTS if not p.startswith("/static/")])
def test_every_build_representation_is_last_modified_at_the_build_time(shared, mini_build, path, accept):
    response = _get(shared, path, accept)
    if response.status_code == 200:
        assert response.headers["Last-Modified"] == http_date(build_time(mini_build)), (path, accept)


def test_dump_etag_is_its_sha256(shared, mini_build):
    sums = dict(reversed(line.split("  ")) for line in (mini_build / "dumps" / "SHA256SUMS").read_text().splitlines())
    response = _get(shared, DUMP)
    assert response.headers["ETag"].strip('"') == sums["parley.nq.gz"][:32]


# ---------------------------------------------------------------------------------------
# Preconditions


CONDITIONAL_PATHS = [
    f"/doc/{PERSON}.html",
    TTL,
    f"/doc/{PERSON}",
    "/",
    "/types",
    "/timeline",
    "/query",
    "/ontology",
    "/shapes",
    "/void",
    "/validation",
    "/dumps/",
    DUMP,
    "/dumps/parley.ttl",
    "/dumps/SHA256SUMS",
]
# (case, the request's precondition headers given the current ETag, the status RFC 9110 13.2.2 gives)
PRECONDITIONS = [
    ("if-none-match-current", lambda etag: {"If-None-Match": etag}, 304),
    ("if-none-match-star", lambda etag: {"If-None-Match": "*"}, 304),
    ("if-none-match-list", lambda etag: {"If-None-Match": f'"other", {etag}'}, 304),
    ("if-none-match-weak", lambda etag: {"If-None-Match": "W/" + etag}, 304),  # weak comparison
    ("if-none-match-other", lambda etag: {"If-None-Match": '"other"'}, 200),
    ("if-match-current", lambda etag: {"If-Match": etag}, 200),
    ("if-match-star", lambda etag: {"If-Match": "*"}, 200),
    ("if-match-list", lambda etag: {"If-Match": f'"other", {etag}'}, 200),
    ("if-match-other", lambda etag: {"If-Match": '"something-else"'}, 412),
    ("if-match-weak", lambda etag: {"If-Match": "W/" + etag}, 412),  # strong comparison
    ("if-unmodified-since-earlier", lambda etag: {"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, 412),
    ("if-unmodified-since-later", lambda etag: {"If-Unmodified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, 200),
    ("if-match-wins-over-if-none-match", lambda etag: {"If-Match": '"other"', "If-None-Match": etag}, 412),
    ("if-match-then-if-none-match", lambda etag: {"If-Match": etag, "If-None-Match": etag}, 304),
]


@pytest.mark.parametrize("case, headers, status", PRECONDITIONS, ids=[c[0] for c in PRECONDITIONS])
@pytest.mark.parametrize("path", CONDITIONAL_PATHS)
def test_preconditions_on_every_kind_of_route(shared, path, case, headers, status):
    # */* gets a negotiated route's default representation, and an error in the JSON error shape
    etag = _get(shared, path, "*/*").headers["ETag"]
    response = _get(shared, path, "*/*", **headers(etag))
    if status == 412:
        assert_error_shape(response, 412)
    else:
        assert response.status_code == status, (path, case, response.get_data(as_text=True)[:300])
    if status == 304:
        assert response.get_data() == b"" and response.headers["ETag"] == etag
    head = _get(shared, path, "*/*", method="HEAD", **headers(etag))
    assert head.status_code == status, (path, case)


def test_304_carries_the_validators_and_no_body(shared):
    first = _get(shared, f"/doc/{PERSON}", "text/turtle")
    again = _get(shared, f"/doc/{PERSON}", "text/turtle", **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    for header in ("ETag", "Cache-Control", "Vary", "Content-Location"):  # RFC 9110 15.4.5
        assert again.headers.get(header) == first.headers.get(header), header


# ---------------------------------------------------------------------------------------
# Ranges


@pytest.mark.parametrize(
    "path", [TTL, f"/doc/{PERSON}.html", "/ontology.ttl", DUMP, "/dumps/ontology.ttl", "/dumps/SHA256SUMS"]
)
def test_range_gives_206_with_the_right_bytes(shared, path):
    full = _get(shared, path)
    body = full.get_data()
    assert full.status_code == 200 and len(body) > 100
    assert full.headers["Accept-Ranges"] == "bytes"
    part = _get(shared, path, Range="bytes=10-99")
    assert part.status_code == 206
    assert part.get_data() == body[10:100]
    assert part.headers["Content-Range"] == f"bytes 10-99/{len(body)}"
    assert part.headers["Content-Type"] == full.headers["Content-Type"]
    assert part.headers["ETag"] == full.headers["ETag"]
    tail = _get(shared, path, Range="bytes=-20")
    assert tail.status_code == 206 and tail.get_data() == body[-20:]
    rest = _get(shared, path, Range=f"bytes={len(body) - 5}-")
    assert rest.status_code == 206 and rest.get_data() == body[-5:]


@pytest.mark.parametrize("path", [TTL, DUMP])
def test_if_range_with_the_current_etag_or_date_gives_the_part_else_the_whole(shared, path):
    full = _get(shared, path)
    body, etag, modified = full.get_data(), full.headers["ETag"], full.headers["Last-Modified"]
    same = _get(shared, path, Range="bytes=0-9", **{"If-Range": etag})
    assert same.status_code == 206 and same.get_data() == body[:10]
    dated = _get(shared, path, Range="bytes=0-9", **{"If-Range": modified})
    assert dated.status_code == 206 and dated.get_data() == body[:10]
    changed = _get(shared, path, Range="bytes=0-9", **{"If-Range": '"an-older-version"'})
    assert changed.status_code == 200 and changed.get_data() == body


@pytest.mark.parametrize("path", [TTL, DUMP])
def test_unsatisfiable_range_is_416(shared, path):
    size = len(_get(shared, path).get_data())
    response = _get(shared, path, Range=f"bytes={size + 10}-{size + 20}")
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{size}"


def test_a_streamed_dump_says_it_takes_no_ranges(shared, mini_build):
    import gzip

    full = gzip.decompress((mini_build / "dumps" / "parley.ttl.gz").read_bytes())
    response = _get(shared, "/dumps/parley.ttl", Range="bytes=0-9")
    assert response.status_code == 200 and response.get_data() == full
    assert response.headers["Accept-Ranges"] == "none"


# ---------------------------------------------------------------------------------------
# HEAD


@pytest.mark.parametrize("path, accept", REQUESTS)
def test_head_answers_like_get_without_a_body(shared, path, accept):
    get, head = _get(shared, path, accept), _get(shared, path, accept, method="HEAD")
    assert head.status_code == get.status_code, (path, accept)
    assert head.get_data() == b""
    for header in ("Content-Type", "ETag", "Last-Modified", "Location", "Vary", "Link", "Content-Location"):
        assert head.headers.get(header) == get.headers.get(header), (path, accept, header)
    if "Content-Length" in head.headers:  # RFC 9110 8.6: only the length GET would send
        assert int(head.headers["Content-Length"]) == len(get.get_data()), (path, accept)


# ---------------------------------------------------------------------------------------
# Protective headers and markup


HTML_PAGES = [
    "/",
    "/types",
    "/types/parley:Person",
    "/timeline",
    "/query",
    "/query?example=01-delegation-heads",
    "/ontology",
    "/ontology/0.1.0",
    "/shapes",
    "/void",
    "/.well-known/void",
    "/validation",
    "/dumps/",
    f"/doc/{PERSON}",
    f"/doc/{PERSON}.html",
    f"/doc/{CLAIM}.html",
    f"/doc/{ARTICLE}.html",
    "/doc/org/escape-test.html",
    "/doc/graph/world.html",
    "/doc/graph/provenance.html",
]


class _Markup(HTMLParser):
    """Collect what a strict Content-Security-Policy would block in a page."""

    DATA_SCRIPTS = frozenset({"application/ld+json", "application/json"})

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self._script = attrs
            if not attrs.get("src") and (attrs.get("type") or "").lower() not in self.DATA_SCRIPTS:
                self.problems.append(f"inline executable <script type={attrs.get('type')!r}>")
        if tag in ("link", "script", "img") and re.match(r"^(https?:)?//", attrs.get("href") or attrs.get("src") or ""):
            self.problems.append(f"<{tag}> from another host")


def _html_responses(client):
    for path in HTML_PAGES:
        response = _get(client, path, "text/html")
        assert response.status_code == 200 and response.mimetype == "text/html", path
        yield path, response
    yield "404", _get(client, "/id/person/nobody-at-all", "text/html")


@pytest.mark.parametrize("path, accept", REQUESTS)
def test_every_response_says_nosniff(shared, path, accept):
    assert _get(shared, path, accept).headers.get("X-Content-Type-Options") == "nosniff", (path, accept)


def test_every_html_page_sends_a_strict_content_security_policy(shared):
    from server.http.security import YASGUI_GRIP_STYLE_HASH

    for path, response in _html_responses(shared):
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        policy = {
            d.split()[0]: d.split()[1:] for d in response.headers["Content-Security-Policy"].split(";") if d.strip()
        }
        assert policy.get("frame-ancestors") in (["'none'"], ["'self'"]), (path, policy)
        for directive in ("script-src", "style-src"):
            sources = policy.get(directive) or policy.get("default-src")
            assert sources and "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, (path, directive)
            # the one documented exception: /query allows YASGUI's one fixed stylesheet by its hash
            allowed = ("'self'", "'none'") + (
                (YASGUI_GRIP_STYLE_HASH,)
                if directive == "style-src" and path.split("?")[0] in ("/query", "/sparql")
                else ()
            )
            assert all(s in allowed for s in sources), (path, directive, sources)
        assert response.headers.get("X-Frame-Options") in ("DENY", "SAMEORIGIN"), path


def test_html_needs_no_inline_script_or_style(shared):
    for path, response in _html_responses(shared):
        markup = _Markup()
        markup.feed(response.get_data(as_text=True))
        assert markup.problems == [], (path, markup.problems)


def test_error_pages_carry_the_protective_headers(shared):
    for accept in ("text/html", "application/json"):
        response = _get(shared, "/id/person/nobody-at-all", accept)
        assert response.status_code == 404
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in _get(shared, "/id/person/nobody-at-all", "text/html").headers["Content-Security-Policy"]


# ---------------------------------------------------------------------------------------
# A relative build directory


@pytest.fixture
def relative_app(mini_build, monkeypatch):
    """The app created the way `make serve` creates it: a relative build dir from the directory above."""
    monkeypatch.chdir(mini_build.parent)
    app = make_app(mini_build.name)
    yield app
    close_app(app)


def _differences(first, second) -> list:
    a, b = first.test_client(), second.test_client()
    return [
        (path, accept) for path, accept in REQUESTS if _answer(_get(a, path, accept)) != _answer(_get(b, path, accept))
    ]


def test_two_apps_over_one_build_send_the_same_bytes_under_the_same_etag(mini_build):
    """A strong ETag names one sequence of bytes: every worker process must send the same body
    (and the same headers) for it, or a range request resumed on another worker splices two bodies."""
    first, second = make_app(mini_build), make_app(mini_build)
    try:
        assert _differences(first, second) == []
    finally:
        close_app(first)
        close_app(second)


def test_every_route_answers_the_same_with_a_relative_build_dir(mini_build, relative_app):
    absolute = make_app(mini_build.absolute())
    try:
        assert _differences(relative_app, absolute) == []
    finally:
        close_app(absolute)


def test_dump_downloads_work_from_a_relative_build_dir(mini_build, relative_app, tmp_path, monkeypatch):
    import gzip

    client = relative_app.test_client()
    for where in (mini_build.parent, tmp_path):  # and after the working directory has changed
        monkeypatch.chdir(where)
        for name in ("parley.nq.gz", "parley.ttl.gz", "ontology.ttl", "shapes.ttl", "SHA256SUMS"):
            response = _get(client, f"/dumps/{name}")
            assert response.status_code == 200, (where, name, response.get_data(as_text=True)[:300])
            assert response.get_data() == (mini_build / "dumps" / name).read_bytes()
        plain = _get(client, "/dumps/parley.ttl")
        assert plain.status_code == 200
        assert plain.get_data() == gzip.decompress((mini_build / "dumps" / "parley.ttl.gz").read_bytes())
        part = _get(client, DUMP, Range="bytes=0-9")
        assert part.status_code == 206 and part.get_data() == (mini_build / "dumps" / "parley.nq.gz").read_bytes()[:10]
        listing = _get(client, "/dumps/", "text/html")
        assert listing.status_code == 200 and 'href="/dumps/parley.nq.gz"' in listing.get_data(as_text=True)


class _CountingStore:
    """The real store, counting the description queries the routes send it."""

    def __init__(self, store):
        self._store = store
        self.describes = 0

    def triples(self, query, bindings=None):
        from server.data.canned import query as canned

        if query == canned("describe"):
            self.describes += 1
        return self._store.triples(query, bindings)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_a_cache_hit_or_a_304_runs_no_description_query(app, client):
    site = app.extensions["parley_site"]
    first = client.get(TTL)
    assert first.status_code == 200
    counting = _CountingStore(site.store)
    site.store = counting
    again = client.get(TTL)
    assert again.status_code == 200 and again.data == first.data
    not_modified = client.get(TTL, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304
    assert counting.describes == 0
    unknown = client.get("/doc/person/nobody-here.ttl", headers={"If-None-Match": "*"})
    assert_error_shape(unknown, 404)
    assert counting.describes == 1


def test_static_assets_go_through_the_http_layer(client):
    """Regression: Flask's own static route answered a failed If-Match with a 412 carrying the
    stylesheet, and gave mtime ETags; the assets now have content ETags and the error shape."""
    first = fetch(client, "/static/parley.css")
    assert first.status_code == 200 and first.mimetype == "text/css"
    assert first.headers["Content-Type"] == "text/css; charset=utf-8"
    assert_error_shape(fetch(client, "/static/parley.css", headers={"If-Match": '"0"'}), 412)
    assert fetch(client, "/static/parley.css", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert fetch(client, "/static/parley.css", headers={"Range": "bytes=0-3"}).status_code == 206
    assert_error_shape(fetch(client, "/static/parley.css/"), 404)
    assert_error_shape(fetch(client, "/static/../__init__.py"), 404)
