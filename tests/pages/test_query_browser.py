"""The query page on YASGUI and the pages at phone width, in Debian's chromium against a real
server over the mini build: a query runs with Ctrl+Enter and its results appear as a table
whose dataset IRIs link here; its permalink opens the page and runs it, and the results
download as CSV; the example picker
loads a query; the share button and the permalink keep the query as edited (not the example
the address named); no console error and no Content-Security-Policy violation on the way; without
JavaScript the form works (requests, as a script would send it, with the format honoured); and
no page is wider than a 390 px screen."""

from __future__ import annotations

import csv
import gc
import io
from urllib.parse import quote

import pytest
import requests

from tests.pages.conftest import DELEGATION
from tests.pages.test_browser import HTML_PAGES, browser, live_server, page  # noqa: F401

pytestmark = [pytest.mark.integration]


@pytest.fixture(scope="module", autouse=True)
def _garbage_collected_here(mini_build):
    """Collect, on this (the main) thread, what the session's build left in reference cycles
    before the server thread starts: pyoxigraph refuses to free a query's result on a thread
    other than the one that made it, and a collection the server thread happened to run
    would do exactly that (seen as an unraisable RuntimeError in whichever test runs then)."""
    gc.collect()


SELECT_PEOPLE = (
    "PREFIX parley: <https://w3id.org/parley/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?person ?name WHERE { ?person a parley:Person ; rdfs:label ?name } ORDER BY ?name"
)


def _results(tab):
    rows = tab.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for()
    return rows


def _no_problems(tab):
    assert tab.evaluate("window.__cspViolations") == []
    assert tab.problems == []


@pytest.mark.browser
def test_ctrl_enter_runs_an_example_query_and_results_link_to_pages(live_server, page):  # noqa: F811
    page.goto(live_server + "/query")
    editor = page.locator(".yasqe .CodeMirror")
    editor.wait_for()
    assert page.locator("#query-form").is_hidden()  # YASGUI replaces the plain form
    page.get_by_role("link", name="Who led each delegation?").click()
    assert "parley:Delegation" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    editor.click()
    page.keyboard.press("Control+Enter")
    rows = _results(page)
    assert rows.count() >= 1
    link = page.locator(f".yasr a[href='/id/{DELEGATION}']").first
    assert link.is_visible()
    # sortable: the table's headers sort it
    assert (
        page.locator(".yasr table.dataTable thead th.sorting, .yasr table.dataTable thead th.dt-orderable-asc").count()
        >= 1
    )
    permalink = page.locator("#permalink").get_attribute("href")
    assert permalink.startswith("/query?query=") and "parley%3ADelegation" in permalink
    _no_problems(page)


@pytest.mark.browser
def test_a_permalink_opens_the_query_runs_it_and_the_results_download(live_server, page):  # noqa: F811
    page.goto(live_server + "/query?query=" + quote(SELECT_PEOPLE, safe=""))
    rows = _results(page)  # no click: the permalink runs the query
    assert rows.count() >= 1
    assert "Rufus Firefly" in page.locator(".yasr table.dataTable").inner_text()
    value = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert value == SELECT_PEOPLE
    # the results download as CSV, made in the page from the answer (no second request)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download result").click()
    with open(download.value.path(), encoding="utf-8") as saved:
        rows = list(csv.DictReader(saved))
    assert {row["name"] for row in rows} >= {"Rufus Firefly", "Vera Trentino"}
    _no_problems(page)


@pytest.mark.browser
def test_every_page_fits_a_390_px_screen(live_server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        narrow = context.new_page()
        for path in [*HTML_PAGES, "/releases/", "/query?query=" + quote(SELECT_PEOPLE, safe="")]:
            narrow.goto(live_server + path)
            narrow.wait_for_load_state("load")
            if "query=" in path:
                _results(narrow)
            width = narrow.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide at 390 px"
    finally:
        context.close()


def test_without_javascript_the_form_sends_the_query_in_the_format_chosen(live_server):  # noqa: F811
    form = requests.get(live_server + "/query", timeout=30)
    assert '<form id="query-form" method="get" action="/sparql"' in form.text
    assert '<select id="format" name="format">' in form.text
    # what the browser sends when the form is submitted: GET /sparql?query=...&format=...
    answer = requests.get(live_server + "/sparql", params={"query": SELECT_PEOPLE, "format": "csv"}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert "Rufus Firefly" in {row["name"] for row in rows}
    answer = requests.get(live_server + "/sparql", params={"query": SELECT_PEOPLE, "format": "xml"}, timeout=30)
    assert answer.headers["Content-Type"].startswith("application/sparql-results+xml")


EDITED = "SELECT ?person WHERE { ?person a parley:Person } # edited after the example"


@pytest.mark.browser
def test_the_share_button_and_permalink_keep_the_edited_query(live_server, page):  # noqa: F811
    page.goto(live_server + "/query?example=01-delegation-heads")
    page.locator(".yasqe .CodeMirror").wait_for()
    assert "parley:Delegation" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    # edit as a reader would: select everything in the editor and paste over it
    page.locator(".yasqe .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(EDITED)
    assert page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()") == EDITED
    page.locator(".yasqe_share").click()
    shared = page.locator(".yasqe_sharePopup input").input_value()
    assert shared == live_server + "/query?query=" + quote(EDITED, safe="")
    assert "example=" not in shared
    assert page.locator("#permalink").get_attribute("href") == "/query?query=" + quote(EDITED, safe="")
    assert page.url == shared  # the address bar follows the edit, so copying it shares the query too
    # opening the shared link shows the edited query, not the example, and runs it
    page.goto(shared)
    _results(page)
    assert page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()") == EDITED
    _no_problems(page)
