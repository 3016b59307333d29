"""A real server over the mini build on a free 127.0.0.1 port, read by real clients: Debian's
chromium (through Python playwright) opens the home page, a person, a claim with its highlighted
quote and runs a query on the query page, with no console errors; every HTML page, the query
page included, loads without a Content-Security-Policy violation; rdflib and plain HTTP fetch
the linked data and the dumps the way consumers do. Chromium-less machines skip the browser
tests with a reason, unless PARLEY_REQUIRE_BROWSER is set (CI), where they fail instead."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import urllib.request

import pytest
from rdflib import Graph, URIRef

from graph.namespaces import BASE
from tests.conftest import require_or_skip
from tests.helpers import make_app, served
from tests.pages.conftest import (
    ARTICLE,
    CLAIM,
    DELEGATION,
    PERSON,
    TOTAL_QUOTE,
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def live_server(mini_build):
    """The app served by werkzeug in a thread on a free port; yields its base URL."""
    app = make_app(mini_build)
    with served(app) as url:
        yield url


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


# Recorded in the page itself: a securitypolicyviolation event for anything the CSP blocked.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""

# Every kind of HTML page the site serves, the query page (with and without an example) and an
# HTML error page included.
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
    "/validation",
    "/dumps/",
    f"/doc/{PERSON}.html",
    f"/doc/{CLAIM}.html",
    f"/doc/{ARTICLE}.html",
    "/doc/org/escape-test.html",
    "/doc/graph/world.html",
    "/id/person/nobody-at-all",
]


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
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
    assert page.locator("dl.figures dd").first.inner_text().replace(",", "").isdigit()

    page.goto(live_server + f"/id/{PERSON}")
    assert page.url.endswith(f"/doc/{PERSON}.html")  # followed the 303
    assert page.locator("h1").inner_text() == "Rufus Firefly"
    assert page.locator("table.props").first.is_visible()

    page.goto(live_server + f"/id/{CLAIM}")
    mark = page.locator("article.claim.current mark")
    assert mark.inner_text() == TOTAL_QUOTE
    assert mark.is_visible()
    assert page.locator("article.claim").count() == 3  # the claim and the two it possibly conflicts with
    assert "Vera Trentino" in page.locator(".claim-grid").inner_text()

    page.goto(live_server + "/sparql")  # a browser with no query: the query page (YASGUI)
    page.locator(".yasqe .CodeMirror").wait_for()
    page.get_by_role("link", name="Who led each delegation?").click()
    page.locator(".yasqe .CodeMirror").click()
    page.keyboard.press("Control+Enter")
    table = page.locator(".yasr table.dataTable")
    table.locator("tbody tr").first.wait_for()
    assert table.locator("tbody tr").count() >= 1
    link = table.locator(f"a[href='/id/{DELEGATION}']").first
    assert link.is_visible()
    box = link.bounding_box()
    # YASR shows a long IRI cut short, and a first click on it shows it whole; then it is a link
    page.mouse.click(box["x"] + 5, box["y"] + box["height"] / 2)
    if not page.url.endswith(".html"):
        link.click()
    page.wait_for_url(f"**/doc/{DELEGATION}.html")
    assert page.locator("h1").inner_text() == "Freedonian delegation, 2 June 2000"
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
        assert {"400", "1,012", "more than 2,000", "nearly 1,000"} <= figures
    finally:
        context.close()


@pytest.mark.integration
def test_rdflib_dereferences_a_resource_through_the_303(live_server):
    graph = Graph()
    graph.parse(live_server + f"/id/{PERSON}", format="turtle")
    assert (URIRef(BASE + f"id/{PERSON}"), None, None) in graph
    graph = Graph()
    graph.parse(live_server + f"/id/{PERSON}", format="xml")
    assert (URIRef(BASE + f"id/{PERSON}"), None, None) in graph


@pytest.mark.integration
def test_rdflib_reads_a_dump_url_and_the_gz_checks_out(live_server, mini_build):
    graph = Graph()
    graph.parse(live_server + "/dumps/parley.ttl", format="turtle")
    assert len(graph) > 1000
    with urllib.request.urlopen(live_server + "/dumps/parley.ttl.gz") as response:
        assert response.headers["Content-Type"] == "application/gzip"
        assert response.headers.get("Content-Encoding") is None
        body = response.read()
    sums = (mini_build / "dumps" / "SHA256SUMS").read_text()
    assert f"{hashlib.sha256(body).hexdigest()}  parley.ttl.gz" in sums
    assert gzip.decompress(body).startswith(b"@prefix")


@pytest.mark.integration
@pytest.mark.browser
def test_no_page_violates_the_content_security_policy(live_server, page):
    """Scripts and styles come from the site itself: no page (the query page, with its editor, included)
    needs anything the policy blocks: no securitypolicyviolation event, no "Refused to ..." console error."""
    for path in HTML_PAGES:
        response = page.goto(live_server + path)
        assert response is not None and "frame-ancestors" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        assert page.evaluate("window.__cspViolations") == [], path
    page.goto(live_server + "/query")
    page.get_by_role("link", name="Who led each delegation?").click()  # the query page's script at work
    page.wait_for_load_state("load")
    assert page.evaluate("window.__cspViolations") == []
    refused = [p for p in page.problems if "Content Security Policy" in p or "Refused to" in p]
    assert refused == []
