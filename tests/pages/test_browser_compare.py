"""The comparison page in a real browser (Debian's chromium through playwright) over a real server
on the real build: its chart renders (the SVG is visible, laid out, and has a mark per figure of
the table), the page raises no console error or CSP violation, and it fits a 390 px screen, as
do the pages that link it (home, a claim) and a person's page with the claims he made; the
chart is there with JavaScript off too."""

# ruff: noqa: F811 (the browser, page and server fixtures are imported and named as arguments)

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from graph.namespaces import BASE
from tests.pages.test_browser import browser, page  # noqa: F401 (fixtures)
from tests.pages.test_browser_readers import assert_fits_390px, real_server  # noqa: F401 (fixture)

PAGE = "/compare?" + urlencode(
    {"subject": BASE + "id/state/russia", "measure": BASE + "id/measure/bodies-returned-to-ukraine-total"}
)


@pytest.mark.integration
@pytest.mark.browser
def test_the_comparison_chart_renders_with_a_mark_per_figure(real_server, page):
    response = page.goto(real_server + PAGE)
    assert response.status == 200
    chart = page.locator("figure.compare-chart svg.chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    rows = page.locator("table.compare-table tbody tr.figure-row").count()
    marks = chart.locator("g.mark")
    assert marks.count() == rows >= 3
    for i in range(marks.count()):
        mark = marks.nth(i).bounding_box()
        assert mark is not None and mark["height"] > 0, "every mark is drawn inside the chart"
        assert box["y"] <= mark["y"] and mark["y"] + mark["height"] <= box["y"] + box["height"] + 1
    assert chart.locator("g.mark.range line.bar").count() >= 1
    # a mark links its row of the table
    marks.first.click()
    assert page.evaluate("location.hash").startswith("#figure-")
    assert page.problems == []
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.parametrize(
    "path", [PAGE, "/compare", "/", "/doc/person/vladimir-putin.html", "/doc/claim/001-putin-bodies-returned-6000.html"]
)
def test_the_comparison_pages_fit_a_390px_screen_without_errors(real_server, browser, path):
    def chart_fits(page):
        if path == PAGE:
            width = page.locator("svg.chart").bounding_box()["width"]
            assert 0 < width <= 390

    assert_fits_390px(browser, real_server, path, chart_fits)


@pytest.mark.integration
@pytest.mark.browser
def test_the_chart_is_there_without_javascript(real_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(real_server + PAGE)
        chart = page.locator("svg.chart")
        assert chart.is_visible()
        assert chart.locator("g.mark").count() == page.locator("tr.figure-row").count()
    finally:
        context.close()
