"""A real server on a free 127.0.0.1 port, read by real clients: Debian's chromium (through
Python playwright) opens the home page, a person, a claim with its highlighted quote and runs a
query on the query page, with no console errors; rdflib and plain HTTP fetch the linked data
and the dumps the way consumers do. Chromium-less machines skip the browser tests with a reason,
unless PARLEY_REQUIRE_BROWSER is set (CI), where they fail instead."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import threading
import urllib.request

import pytest
from rdflib import Graph, URIRef
from werkzeug.serving import make_server

from graph.namespaces import BASE
from tests.conftest import require_or_skip

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def live_server(pages_build):
    """The app served by werkzeug in a thread on a free port; yields its base URL."""
    from server import create_app

    app = create_app({"build_dir": pages_build})
    # One serving thread for the whole module: the SPARQL endpoint's query processes die with
    # the thread that started them (PR_SET_PDEATHSIG), so a thread per request would kill them.
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        endpoint = app.extensions.get("parley_sparql")
        if endpoint is not None:
            endpoint.close()


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    require_or_skip(chromium is not None, "Debian's chromium", "PARLEY_REQUIRE_BROWSER")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip(False, "the playwright Python package", "PARLEY_REQUIRE_BROWSER")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.problems = problems
    yield page
    context.close()


@pytest.mark.integration
@pytest.mark.browser
def test_reader_walks_home_person_claim_and_query_without_console_errors(live_server, page):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Parley"
    assert page.locator("dl.figures dd").first.inner_text().isdigit()

    page.goto(live_server + "/id/person/vladimir-medinsky")
    assert page.url.endswith("/doc/person/vladimir-medinsky.html")  # followed the 303
    assert page.locator("h1").inner_text() == "Vladimir Medinsky"
    assert page.locator("table.props").first.is_visible()

    page.goto(live_server + "/id/claim/000-bodies-total-to-date")
    mark = page.locator("article.claim.current mark")
    assert mark.inner_text() == "brings the total to date to 3,012"
    assert mark.is_visible()
    assert page.locator("article.claim").count() == 3          # the claim and the two it conflicts with
    assert "Vladimir Putin" in page.locator(".claim-grid").inner_text()

    page.goto(live_server + "/sparql")                           # a browser with no query: the query page
    page.get_by_role("link", name="Who led each delegation?").click()
    page.get_by_role("button", name="Run query").click()
    table = page.locator("table.results")
    table.wait_for()
    assert table.locator("tbody tr").count() >= 1
    link = table.locator("a[href='/id/delegation/russia-2025-06-02']").first
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/doc/delegation/russia-2025-06-02.html")
    assert page.locator("h1").inner_text() == "Russian delegation, 2 June 2025"
    assert page.problems == []


@pytest.mark.integration
@pytest.mark.browser
def test_query_page_without_javascript_submits_a_plain_form(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/query?example=02-bodies-returned-figures")
        assert "parley:measure" in page.locator("textarea#query").input_value()
        page.select_option("select#format", "json")
        page.get_by_role("button", name="Run query").click()
        page.wait_for_url("**/sparql?query=*")
        results = json.loads(page.locator("body").inner_text())
        figures = {row["figure"]["value"] for row in results["results"]["bindings"]}
        assert {"1,200", "3,012", "over 6,000", "3,600"} <= figures
    finally:
        context.close()


@pytest.mark.integration
def test_rdflib_dereferences_a_resource_through_the_303(live_server):
    graph = Graph()
    graph.parse(live_server + "/id/person/vladimir-medinsky", format="turtle")
    assert (URIRef(BASE + "id/person/vladimir-medinsky"), None, None) in graph
    graph = Graph()
    graph.parse(live_server + "/id/person/vladimir-medinsky", format="xml")
    assert (URIRef(BASE + "id/person/vladimir-medinsky"), None, None) in graph


@pytest.mark.integration
def test_rdflib_reads_a_dump_url_and_the_gz_checks_out(live_server, pages_build):
    graph = Graph()
    graph.parse(live_server + "/dumps/parley.ttl", format="turtle")
    assert len(graph) > 1000
    with urllib.request.urlopen(live_server + "/dumps/parley.ttl.gz") as response:
        assert response.headers["Content-Type"] == "application/gzip"
        assert response.headers.get("Content-Encoding") is None
        body = response.read()
    sums = (pages_build / "dumps" / "SHA256SUMS").read_text()
    assert f"{hashlib.sha256(body).hexdigest()}  parley.ttl.gz" in sums
    assert gzip.decompress(body).startswith(b"@prefix")
