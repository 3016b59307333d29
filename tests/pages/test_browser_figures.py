"""Figures in dispute in a real browser (Debian's chromium through playwright) over a real server
on the real build: at 390 and 1280 px every figure set's page shows the chart in the layout for
that width, with a mark per charted figure, no two labels (or date labels) meeting, every label
inside the chart, nothing wider than the screen, and no console error or CSP violation; the marks
are links reached with the keyboard, each named for screen readers; the chart is there without
JavaScript too; the pages that link the sets fit a 390 px screen."""

# ruff: noqa: F811 (the browser, page and server fixtures are imported and named as arguments)

from __future__ import annotations

import pytest

from graph.namespaces import BASE
from tests.pages.test_browser import CSP_LISTENER, browser, page  # noqa: F401 (fixtures)
from tests.pages.test_browser_readers import assert_fits_390px, real_server  # noqa: F401 (fixture)

SETS = [
    "state-russia--bodies-returned-to-ukraine-total",
    "provision-2025-06-02-bodies--bodies-agreed-per-side",
    "provision-2025-06-02-bodies--bodies-agreed-total",
    "exchange-2025-06-13-bodies--bodies-received-by-ukraine",
    "proposal-children-return-list--children-on-list",
    "state-russia--bodies-offered",
]
PAGE = "/id/figures/state-russia--bodies-returned-to-ukraine-total"

# The visible chart's labels and date labels as laid out on screen, and what overflows.
LAYOUT = """() => {
  const svg = [...document.querySelectorAll('svg.chart')].find(s => s.getBoundingClientRect().width > 0);
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const labels = [...svg.querySelectorAll('text.mark-label')].map(t => ({text: t.textContent, ...box(t.getBoundingClientRect())}));
  const days = [...svg.querySelectorAll('text.day-label')].map(t => ({text: t.textContent, ...box(t.getBoundingClientRect())}));
  return {
    layout: svg.getAttribute('class'), chart: box(svg.getBoundingClientRect()), labels, days,
    marks: svg.querySelectorAll('a.mark-link').length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""


def _meet(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", SETS)
def test_the_chart_labels_never_meet_and_nothing_overflows(real_server, browser, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        response = page.goto(f"{real_server}/id/figures/{name}")
        assert response.status == 200 and page.url.endswith(f"/doc/figures/{name}.html")
        found = page.evaluate(LAYOUT)
        assert found["layout"] == ("chart chart-narrow" if width < 600 else "chart chart-wide")
        assert found["overflow"] <= 0, f"the page is {found['overflow']}px wider than a {width}px screen"
        chart = found["chart"]
        assert 0 < chart["right"] <= width
        assert found["marks"] == len(found["labels"]) >= 2
        boxes = found["labels"] + found["days"]
        meeting = [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _meet(a, b)]
        assert meeting == [], f"labels meet at {width}px: {meeting}"
        for label in found["labels"]:
            assert chart["left"] - 1 <= label["left"] and label["right"] <= chart["right"] + 1, label
            assert chart["top"] - 1 <= label["top"] and label["bottom"] <= chart["bottom"] + 1, label
        rows = page.locator("table.figures-table tr.figure-row").count()
        assert rows >= found["marks"]
        assert problems == [] and page.evaluate("window.__cspViolations") == []
    finally:
        context.close()


@pytest.mark.integration
@pytest.mark.browser
def test_the_marks_are_links_reached_by_keyboard_and_named_for_screen_readers(real_server, page):
    page.goto(real_server + PAGE)
    marks = page.locator("svg.chart-wide a.mark-link")
    count = marks.count()
    assert count == 5
    names = []
    for _ in range(200):  # tab through the page until every mark of the chart has had the focus
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement; return a && a.matches('svg.chart-wide a.mark-link')"
            " ? [a.getAttribute('aria-label'), a.getAttribute('href')] : null; }"
        )
        if focused:
            names.append(tuple(focused))
        if len(names) == count:
            break
    assert len(names) == count, "every mark takes the focus in turn"
    assert all(href.startswith("/id/claim/") for _, href in names)
    assert any("Vladimir Putin" in name and "6,000" in name for name, _ in names)
    snapshot = page.locator("svg.chart-wide").aria_snapshot()
    assert "link" in snapshot and "Vladimir Putin" in snapshot, snapshot  # not hidden as one image
    page.keyboard.press("Enter")
    page.wait_for_url("**/doc/claim/*.html")
    assert page.problems == []


@pytest.mark.integration
@pytest.mark.browser
def test_the_chart_is_there_without_javascript(real_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(real_server + PAGE)
        chart = page.locator("svg.chart-narrow")
        assert chart.is_visible() and not page.locator("svg.chart-wide").is_visible()
        assert chart.locator("a.mark-link").count() == 5
    finally:
        context.close()


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["/compare", "/", "/doc/state/russia.html", "/doc/claim/001-putin-bodies-returned-6000.html"]
)
def test_the_pages_that_link_the_figures_fit_a_390px_screen_without_errors(real_server, browser, path):
    def links_a_set(page):
        assert page.locator(f"a[href^='/id/figures/'], a[href^='{BASE}id/figures/']").count() >= 1

    assert_fits_390px(browser, real_server, path, links_a_set)
