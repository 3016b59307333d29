"""Property-based fuzzing of the HTTP surface through Flask's test client (hypothesis): random
paths, query strings, Accept headers, methods and bodies never give a 500, and every 4xx is in
the one error shape."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import assert_error_shape, close_app, make_app

MEDIA = [
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/json",
    "application/sparql-results+json",
    "text/csv",
    "application/n-triples",
    "text/plain",
    "*/*",
    "text/*",
    "image/png",
    "application/xml",
    "application/rdf+xml",
    "application/trig",
    "application/sparql-query",
]

segment = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


def paths(routes: list[str]):
    """A route of the app (``routes``, from its URL map), one with a random segment added, or a
    random path."""
    return st.one_of(
        st.sampled_from(routes),
        st.builds(lambda base, tail: base.rstrip("/") + "/" + tail, st.sampled_from(routes), segment),
        st.builds(lambda parts: "/" + "/".join(parts), st.lists(segment, max_size=4)),
    )


accept = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.lists(
        st.builds(
            lambda m, q, p: f"{m};q={q}{p}",
            st.sampled_from(MEDIA),
            st.sampled_from(["0", "0.5", "1", "x", "2", "-1"]),
            st.sampled_from(["", ";charset=utf-8", ";charset=latin1", ";profile=x"]),
        ),
        max_size=4,
    ).map(", ".join),
)
query_strings = st.dictionaries(
    st.sampled_from(["query", "format", "default-graph-uri", "named-graph-uri", "update", "example", "q", "x"]),
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(
            [
                "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
                "ASK {}",
                "DESCRIBE <x:y>",
                "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
                "INSERT DATA {}",
                "json",
                "ttl",
            ]
        ),
    ),
    max_size=3,
)
methods = st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
bodies = st.one_of(st.none(), st.binary(max_size=200), st.text(max_size=200).map(str.encode))
content_types = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/sparql-query",
            "application/sparql-update",
            "text/plain",
            "application/sparql-query; charset=latin1",
            "multipart/form-data",
        ]
    ),
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "If-None-Match": st.text(max_size=20),
        "If-Match": st.text(max_size=20),
        "If-Modified-Since": st.text(max_size=30),
        "Range": st.sampled_from(["bytes=0-10", "bytes=-5", "bytes=9999999-", "bytes=x", "lines=1-2"]),
    },
)


@pytest.fixture(scope="module")
def fuzz_client(mini_build):
    app = make_app(mini_build, query_timeout_s=5)
    yield app.test_client()
    close_app(app)


@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    data=st.data(),
    method=methods,
    accept=accept,
    query=query_strings,
    body=bodies,
    content_type=content_types,
    extra=headers,
)
def test_no_request_gives_a_500_and_every_4xx_has_the_error_shape(
    fuzz_client, routes, data, method, accept, query, body, content_type, extra
):
    path = data.draw(paths(routes), label="path")
    request_headers = dict(extra)
    if accept is not None:
        request_headers["Accept"] = accept
    try:
        response = fuzz_client.open(
            path, method=method, query_string=query, data=body, headers=request_headers, content_type=content_type
        )
    except ValueError:  # the test client itself refuses some header values; no request was made
        return
    try:
        _check(response, path, method)
    finally:
        response.close()  # a file-backed body (a dump, a static file) holds its file open until closed


def _check(response, path: str, method: str) -> None:
    assert response.status_code < 500 or response.status_code == 503, (
        path,
        method,
        response.status_code,
        response.get_data(as_text=True)[:500],
    )
    if 400 <= response.status_code < 500 and method != "HEAD":
        # the error shape is JSON unless the client ranks HTML above JSON
        if response.mimetype == "application/json":
            assert_error_shape(response, response.status_code)
        else:
            assert response.mimetype == "text/html", response.headers
            assert f"{response.status_code} " in response.get_data(as_text=True)
