"""The readers' views in a real browser (Debian's chromium through playwright) over a real server
on the real build: search from the box in the header and open a result; narrow a search by its
type facet and see the matches marked; filter the claims table by a facet and download its
CSV; no console error or CSP violation on the way; no horizontal overflow at 390 px on the new
pages. The reconciliation service (batches and data extension) is read over real HTTP with
``requests``, as OpenRefine calls it (a form-encoded POST from another origin)."""

# ruff: noqa: F811 (the browser and page fixtures are imported from test_browser and named as arguments)

from __future__ import annotations

import csv
import json

import pytest
import requests

from graph.namespaces import BASE
from tests.helpers import make_app, served
from tests.pages.test_browser import CSP_LISTENER, browser, page  # noqa: F401 (fixtures)

MEDINSKY = BASE + "id/person/vladimir-medinsky"
UMEROV = BASE + "id/person/rustem-umerov"
NEW_PAGES = [
    "/search",
    "/search?q=medinsk",
    "/search?q=prisoner+exchange&page=2",
    "/search?q=Kiev",
    "/search?q=Medinsky&type=person&type=claim",
    "/claims",
    f"/claims?speaker={MEDINSKY}&sort=statedOn&order=desc",
    f"/reconcile/preview?id={UMEROV}",
]


@pytest.fixture(scope="module")
def real_server(build_dir):
    """The app over the real build, served by werkzeug in one thread on a free port."""
    app = make_app(build_dir)
    with served(app) as url:
        yield url


def _clean(page) -> None:
    assert page.problems == []
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.integration
@pytest.mark.browser
def test_search_from_the_header_box_and_open_a_result(real_server, page):
    page.goto(real_server + "/timeline")
    box = page.locator("header form.site-search input[name=q]")
    box.fill("medinsk")
    box.press("Enter")
    page.wait_for_url("**/search?q=medinsk")
    first = page.locator("ol.search-results a.search-hit").first
    assert first.inner_text() == "Vladimir Medinsky"
    first.click()
    page.wait_for_url("**/doc/person/vladimir-medinsky.html")
    assert "Vladimir Medinsky" in page.locator("h1").inner_text()
    _clean(page)


@pytest.mark.integration
@pytest.mark.browser
def test_narrow_a_search_by_type_and_see_the_matches_marked(real_server, page):
    page.goto(real_server + "/search?q=Kiev")
    assert "Kyiv" in page.locator("p.search-variants").inner_text()  # Kyiv's other name searched too
    place = page.locator("nav.search-facet a", has_text="place")
    count = int(place.locator("xpath=following-sibling::span[@class='count']").inner_text())
    place.click()
    page.wait_for_url("**/search?q=Kiev&type=place")
    hits = page.locator("ol.search-results > li")
    assert hits.count() == count > 0
    assert page.locator("ol.search-results a.search-hit").first.inner_text() == "Kyiv"
    marks = page.locator("ol.search-results mark")
    assert marks.count() >= count and set(marks.all_inner_texts()) <= {"Kiev", "Kyiv"}
    assert page.locator("nav.search-facet a[aria-current=true]").inner_text() == "place"
    # the box keeps the filter: a new query is searched among places
    page.locator("form.search-page input[name=q]").fill("Istanbul")
    page.locator("form.search-page button").click()
    page.wait_for_url("**/search?q=Istanbul&type=place")
    assert page.locator("ol.search-results a.search-hit").first.inner_text() == "Istanbul"
    _clean(page)


@pytest.mark.integration
@pytest.mark.browser
def test_search_works_without_javascript(real_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(real_server + "/search")
        page.locator("form.search-page input[name=q]").fill("Rustam")
        page.locator("form.search-page button").click()
        page.wait_for_url("**/search?q=Rustam")
        assert page.locator("a.search-hit").first.inner_text() == "Rustem Umerov"
    finally:
        context.close()


@pytest.mark.integration
@pytest.mark.browser
def test_filter_the_claims_table_and_download_its_csv(real_server, page, tmp_path):
    page.goto(real_server + "/claims")
    facet = page.locator(f"a.facet-value[data-facet=speaker][data-iri='{MEDINSKY}']")
    count = int(facet.locator("xpath=following-sibling::span[@class='count']").inner_text())
    facet.click()
    page.wait_for_url("**/claims?speaker=*")
    rows = page.locator("table.claims-table tbody tr")
    assert rows.count() == count > 0
    for i in range(count):
        assert "Vladimir Medinsky" in rows.nth(i).locator("td").nth(1).inner_text()
    assert page.locator(f"a.facet-value.selected[data-iri='{MEDINSKY}']").count() == 1
    with page.expect_download() as info:
        page.locator("a.export", has_text="CSV").click()
    path = tmp_path / "claims.csv"
    info.value.save_as(path)
    with path.open(newline="", encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == count
    assert all(MEDINSKY in r["speaker"].split() for r in exported)
    # the first row opens its claim page
    page.locator("table.claims-table a.claim-link").first.click()
    page.wait_for_url("**/doc/claim/*.html")
    _clean(page)


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.parametrize("path", NEW_PAGES)
def test_new_pages_fit_a_390px_screen_without_errors(real_server, browser, path):
    assert_fits_390px(browser, real_server, path)


def assert_fits_390px(browser, server: str, path: str, check=None) -> None:
    """Open ``path`` on a 390 px screen: a 200, no horizontal overflow, no console error or CSP
    violation; ``check(page)`` runs on the loaded page before the context closes."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        response = page.goto(server + path)
        assert response.status == 200
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 390px screen"
        if check is not None:
            check(page)
        assert problems == []
        assert page.evaluate("window.__cspViolations") == []
    finally:
        context.close()


@pytest.mark.integration
def test_reconcile_a_name_over_http_as_openrefine_does(real_server):
    origin = {"Origin": "http://127.0.0.1:3333"}
    manifest = requests.get(real_server + "/reconcile", headers=origin, timeout=10)
    assert manifest.status_code == 200 and manifest.headers["Access-Control-Allow-Origin"] == "*"
    queries = {"q0": {"query": "Rustam Umerov", "type": "https://w3id.org/parley/ontology#Person", "limit": 3}}
    response = requests.post(
        real_server + "/reconcile", data={"queries": json.dumps(queries)}, headers=origin, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    top = response.json()["q0"]["result"][0]
    assert top["id"] == UMEROV and top["match"] is True
    view = requests.get(manifest.json()["view"]["url"].replace("{{id}}", top["id"]), timeout=10)
    assert view.status_code == 200 and "Rustem Umerov" in view.text  # followed the 303s to the page


@pytest.mark.integration
def test_extend_reconciled_entities_over_http_as_openrefine_does(real_server):
    origin = {"Origin": "http://127.0.0.1:3333"}
    manifest = requests.get(real_server + "/reconcile", headers=origin, timeout=10).json()
    proposal = manifest["extend"]["propose_properties"]
    person = "https://w3id.org/parley/ontology#Person"
    proposed = requests.get(
        proposal["service_url"] + proposal["service_path"], params={"type": person}, headers=origin, timeout=10
    )
    assert proposed.status_code == 200 and proposed.headers["Access-Control-Allow-Origin"] == "*"
    properties = [{"id": p["id"]} for p in proposed.json()["properties"]]
    extend = {"ids": [UMEROV, MEDINSKY], "properties": properties}
    response = requests.post(
        real_server + "/reconcile", data={"extend": json.dumps(extend)}, headers=origin, timeout=10
    )
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert [m["id"] for m in body["meta"]] == [p["id"] for p in properties]
    posts = body["rows"][UMEROV]["https://w3id.org/parley/ontology#holdsPost"]
    assert posts and all(v["id"].startswith(BASE + "id/post/") and v["name"] for v in posts)


@pytest.mark.integration
@pytest.mark.browser
def test_reconcile_a_name_in_the_browser_and_open_its_preview_card(real_server, page):
    """A browser page sends a reconciliation batch as OpenRefine's client does (form-encoded
    ``queries``), takes the best candidate and opens the service's preview card for it."""
    page.goto(real_server + "/")
    page.wait_for_load_state("networkidle")  # the icon too: leaving earlier would abort its request
    answer = page.evaluate(
        """async () => {
            const body = new URLSearchParams({queries: JSON.stringify({q0: {query: "Rustam Umerov", limit: 3}})});
            const response = await fetch("/reconcile", {method: "POST", body});
            return {status: response.status, json: await response.json()};
        }"""
    )
    assert answer["status"] == 200
    best = answer["json"]["q0"]["result"][0]
    assert best["id"] == UMEROV and best["match"] is True and best["name"] == "Rustem Umerov"
    page.goto(f"{real_server}/reconcile/preview?id={best['id']}")
    assert "Rustem Umerov" in page.locator("body").inner_text()
    _clean(page)
