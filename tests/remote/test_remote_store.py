"""The remote store: Parley over a real ``oxigraph serve``, answering as it does over its own store.

The same requests (resource documents in every format, browse pages, dereferencing, SPARQL in
each form and with a Protocol dataset) go to one app over the build's embedded store and one
over the same build loaded into Oxigraph server; bodies, statuses and ETags must be equal. The
remote path keeps the endpoint's guard, and a remote that is down, silent or broken is a 502 or
504 in the error shape, never a hang.
"""

from __future__ import annotations

import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
import requests

from graph.namespaces import BASE
from parley.live import free_port, serving
from server.data.store.loading import load_build
from server.data.store.query_text import ask_as_select, bind, names_a_dataset
from server.data.store.remote import RemoteStore
from tests.helpers import assert_error_shape, close_app, make_app
from tests.remote.conftest import start_oxigraph

DOCS = [
    "person/rufus-firefly",
    "delegation/freedonia-2000-06-02",
    "round/2000-06-02-port-marvin",
    "agreement/2000-06-02-port-marvin",
    "exchange/2000-06-13-bodies",
    "article/003-00ee33ff00ee33ff",
    "claim/003-bodies-total-to-date",
]
QUERIES = [
    "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY ?type",
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label LIMIT 50",
    "ASK { ?s a parley:Claim }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a parley:Person ; rdfs:label ?l } ORDER BY ?s ?l",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g",
]


def _urls() -> list[str]:
    urls = ["/", "/types", "/timeline", "/id/person/rufus-firefly", "/doc/nothing/here.ttl"]
    for doc in DOCS:
        urls += [f"/doc/{doc}.{ext}" for ext in ("html", "ttl", "nt", "jsonld")]
    for text in QUERIES:
        urls.append("/sparql?" + urllib.parse.urlencode({"query": text}))
        urls.append("/sparql?" + urllib.parse.urlencode({"query": text, "format": "xml"}))
    return urls


@pytest.fixture(scope="module")
def apps(mini_build, remote):
    embedded = make_app(mini_build)
    remote_app = make_app(mini_build, store_url=remote.query_url)
    yield embedded, remote_app
    close_app(embedded)
    close_app(remote_app)


@pytest.mark.integration
def test_remote_store_answers_like_the_embedded_one(apps):
    embedded, remote_app = apps
    differ = []
    for url in _urls():
        a = embedded.test_client().get(url)
        b = remote_app.test_client().get(url)
        head = ("ETag", "Location", "Content-Type")
        seen_a = [a.status_code, *(a.headers.get(h) for h in head)]
        seen_b = [b.status_code, *(b.headers.get(h) for h in head)]
        if seen_a != seen_b or a.get_data() != b.get_data():
            differ.append(url)
    assert not differ, f"the remote store answers these differently: {differ}"


@pytest.mark.integration
def test_a_protocol_dataset_reaches_the_remote(apps, remote):
    embedded, remote_app = apps
    graph = RemoteStore(remote.query_url, 10).named_graphs()[0]
    url = "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": graph}
    )
    a, b = embedded.test_client().get(url), remote_app.test_client().get(url)
    assert a.status_code == b.status_code == 200
    assert a.get_data() == b.get_data()


@pytest.mark.integration
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 403),
        ("DROP ALL", 403),
        ("SELECT * WHERE { ?s ?p }", 400),
        ("SELECT * WHERE { ?s ?p ?o }", 403),  # more than max_rows
    ],
)
def test_the_guard_and_limits_hold_over_a_remote_store(apps, query, status):
    _, remote_app = apps
    response = remote_app.test_client().get("/sparql", query_string={"query": query})
    assert_error_shape(response, status)


@pytest.mark.integration
def test_the_remote_is_never_written_by_a_client(apps, remote):
    _, remote_app = apps
    before = RemoteStore(remote.query_url, 10).select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    response = remote_app.test_client().post("/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code in (400, 403)
    after = RemoteStore(remote.query_url, 10).select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert before == after


def test_bound_values_are_written_by_the_engine_never_formatted():
    query = "SELECT ?o WHERE { ?s ?p ?o }"
    with pytest.raises(ValueError):
        bind(query, {"s": "> } DROP ALL #"})
    text = bind(query, {"s": ox.Literal('a "quoted" } value\n')})
    assert (
        text == 'SELECT ?o WHERE { VALUES (?s) { ("a \\"quoted\\" } value\\n") }  "a \\"quoted\\" } value\\n" ?p ?o }'
    )
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert bind(construct, {"s": ox.NamedNode("http://x/a")}).startswith(
        "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://x/a>) }"
    )


def test_a_subquery_projects_a_bound_variable_as_its_value():
    # the pattern of the subquery no longer binds ?s; projected as its value, the subquery still
    # joins with the outer VALUES on every engine (Virtuoso joins an unbound one as no match)
    query = "SELECT ?s (COUNT(*) AS ?n) WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 9 } } GROUP BY ?s"
    text = bind(query, {"s": ox.NamedNode("http://x/a")})
    assert "{ SELECT (<http://x/a> AS ?s) ?o WHERE { <http://x/a> ?p ?o } LIMIT 9 }" in text
    assert text.endswith("GROUP BY ?s")
    inner = bind(
        "SELECT ?n WHERE { { SELECT (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } } }", {"s": ox.NamedNode("http://x/a")}
    )
    assert "SELECT (COUNT(?o) AS ?n) WHERE { <http://x/a> ?p ?o }" in inner


def test_an_ask_is_sent_as_a_select_of_one_row_and_a_from_clause_is_seen():
    assert ask_as_select("ASK { GRAPH ?g { ?s ?p ?o } }") == "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }\nLIMIT 1"
    assert ask_as_select("# ASK\nask where {}") == "# ASK\nSELECT * where {}\nLIMIT 1"
    assert names_a_dataset("SELECT * FROM <http://x/g> { ?s ?p ?o }")
    assert names_a_dataset("select * from named <http://x/g> { graph ?g { ?s ?p ?o } }")
    assert not names_a_dataset('SELECT ?from WHERE { ?from ?p "FROM" } # FROM')


@pytest.mark.integration
def test_a_load_replaces_parleys_graphs_and_keeps_other_datasets(oxigraph_cli, mini_build, tmp_path):

    server = start_oxigraph(tmp_path)
    try:
        stale, foreign = BASE + "graph/stale", "http://example.org/other"
        for graph in (stale, foreign):
            put = requests.put(
                server.gsp_url,
                params={"graph": graph},
                data=b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n",
                headers={"Content-Type": "application/n-triples"},
                timeout=10,
            )
            assert put.status_code in (201, 204), put.text
        first = load_build(mini_build, server.gsp_url, server.query_url)
        second = load_build(mini_build, server.gsp_url, server.query_url)  # again: replaces, never appends
        assert first == second
        store = RemoteStore(server.query_url, 10)
        graphs = store.named_graphs()
        assert stale not in graphs and foreign in graphs
        local = ox.Store.read_only(str(mini_build / "store"))
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <http://example.org/other>) }"
        assert store.select(count)[0]["n"].value == str(len(list(local.quads_for_pattern(None, None, None))))
    finally:
        server.stop()


@pytest.mark.integration
def test_a_load_into_nothing_fails_saying_what_it_left(mini_build):
    from server.data.store.loading import LoadFailed

    with pytest.raises(LoadFailed, match="run the load again"):
        load_build(mini_build, f"http://127.0.0.1:{free_port()}/store", f"http://127.0.0.1:{free_port()}/query")


class _Silent:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/query"
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.mark.integration
def test_a_remote_that_stops_is_a_502_and_a_silent_one_a_504(mini_build, oxigraph_cli, tmp_path, caplog):

    server = start_oxigraph(tmp_path)
    load_build(mini_build, server.gsp_url, server.query_url)
    app = make_app(mini_build, store_url=server.query_url, query_timeout_s=1.0)
    try:
        client = app.test_client()
        assert client.get("/doc/person/rufus-firefly.ttl").status_code == 200
        server.stop()
        for url in ("/doc/round/2000-06-02-port-marvin.ttl", "/sparql?query=ASK%7B%7D"):
            error = assert_error_shape(client.get(url), 502)
            assert "could not be reached" in error["message"]
        assert "could not be reached" in caplog.text or "failed" in caplog.text
        silent = _Silent()
        try:
            app.extensions["parley_site"].store.query_url = silent.url
            for url in ("/doc/round/2000-06-02-port-marvin.ttl", "/sparql?query=ASK%7B%7D"):
                response = client.get(url)
                error = assert_error_shape(response, 504)
                assert "query_timeout_s=1" in error["message"]
                assert response.headers["Retry-After"] == "5"
        finally:
            silent.close()
    finally:
        close_app(app)


def test_a_store_url_that_does_not_answer_stops_the_server_at_start(mini_build):
    from graph.errors import ConfigError

    with pytest.raises(ConfigError, match="does not answer"):
        make_app(mini_build, store_url=f"http://127.0.0.1:{free_port()}/query")


@pytest.mark.integration
def test_parley_build_load_into_fills_the_remote_store(oxigraph_cli, tmp_path):
    from tests.mini import make_project
    from tests.robustness.conftest import parley

    project = make_project(tmp_path / "project")
    server = start_oxigraph(tmp_path)
    try:
        refused = parley(
            "build", "--no-reasoner", "--load-into", server.gsp_url, cwd=project, env={"PARLEY_STORE_URL": ""}
        )
        assert refused.returncode == 2 and "--store-url" in refused.stderr
        assert not (project / "build").exists(), "a usage error builds nothing"
        done = parley(
            "build", "--no-reasoner", "--load-into", server.gsp_url, "--store-url", server.query_url, cwd=project
        )
        assert done.returncode == 0, done.stderr
        local = ox.Store.read_only(str(project / "build" / "store"))
        expected = sorted(g.value for g in local.named_graphs())
        assert RemoteStore(server.query_url, 10).named_graphs() == expected
        server.stop()
        failed = parley(
            "build", "--no-reasoner", "--load-into", server.gsp_url, "--store-url", server.query_url, cwd=project
        )
        assert failed.returncode == 1 and "run the load again" in failed.stderr
    finally:
        server.stop()


class _NotSparql(BaseHTTPRequestHandler):
    """Answers every request 200 with an HTML page, as a web server that is no SPARQL endpoint."""

    def do_POST(self):  # noqa: N802 - the http.server API
        body = b"<html><body>hello</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.mark.integration
def test_a_store_url_that_is_no_sparql_endpoint_is_a_502_naming_it(apps, remote):
    _, remote_app = apps
    store = remote_app.extensions["parley_site"].store
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _NotSparql)) as url:
        try:
            store.query_url = url + "/"
            error = assert_error_shape(remote_app.test_client().get("/sparql", query_string={"query": "ASK {}"}), 502)
            assert "text/html" in error["message"] and "PARLEY_STORE_URL" in error["hint"]
        finally:
            store.query_url = remote.query_url


class _Stalls(BaseHTTPRequestHandler):
    """Starts a SPARQL JSON answer, then sends nothing more until the client gives up."""

    def do_POST(self):  # noqa: N802 - the http.server API
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":["x"]},"results":{"bindings":[')
        self.wfile.flush()
        self.server.release.wait(30)

    def log_message(self, *args):
        pass


@pytest.mark.integration
def test_a_remote_that_stalls_mid_answer_is_a_504(mini_build, remote):
    app = make_app(mini_build, store_url=remote.query_url, query_timeout_s=1.0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stalls)
    server.release = threading.Event()
    try:
        with serving(server) as url:
            try:
                app.extensions["parley_site"].store.query_url = url + "/"
                response = app.test_client().get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?p ?o }"})
                assert_error_shape(response, 504)
            finally:
                server.release.set()
    finally:
        close_app(app)


class _AnswersInAnyFormat(BaseHTTPRequestHandler):
    """Answers every query in the first media type the request's Accept names, as Virtuoso does
    (which writes a CONSTRUCT's triples as SPARQL JSON rows when JSON is preferred), and keeps
    the Accept headers it was sent."""

    def do_POST(self):  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        accept = self.headers.get("Accept", "")
        self.server.accepts.append(accept)
        first = accept.split(",")[0].split(";")[0].strip()
        if first == "application/sparql-results+json":
            body = b'{"head":{"vars":["s","p","o"]},"results":{"bindings":[]}}'
        else:
            first, body = (
                "application/n-triples",
                b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n",
            )
        self.send_response(200)
        self.send_header("Content-Type", first)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_remote_is_asked_for_a_graph_for_construct_and_for_results_for_select(apps, remote):
    _, remote_app = apps
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AnswersInAnyFormat)
    server.accepts = []
    store = remote_app.extensions["parley_site"].store
    client = remote_app.test_client()
    with serving(server) as url:
        try:
            store.query_url = url + "/"
            constructed = client.get(
                "/sparql",
                query_string={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
                headers={"Accept": "text/turtle"},
            )
            assert constructed.status_code == 200, constructed.get_data(as_text=True)
            assert constructed.mimetype == "text/turtle" and b"example.org/o" in constructed.data
            selected = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
            assert selected.status_code == 200 and selected.json["head"]["vars"] == ["s", "p", "o"]
            construct_accept, select_accept = server.accepts
            assert "sparql-results" not in construct_accept and "n-triples" in construct_accept
            assert "sparql-results+json" in select_accept and "n-triples" not in select_accept
        finally:
            store.query_url = remote.query_url
