"""Small screens and assistive technology (issue 21, part 7) in a real browser (Debian's chromium
through playwright) over a real server on the real build, at 390 and 1280 px: no page runs wider
than the screen, no number or date breaks across lines, list tables become cards on a phone, the
skip link is the first thing the keyboard reaches, the current section is marked aria-current,
the charts' marks take the focus in turn and are named for screen readers, and no page logs a
console error or a CSP violation. Screenshots of a claim page, /claims and the chart pages go to
/tmp/parley-shots/ (not committed), for a reader to look at."""

# ruff: noqa: F811 (the browser and server fixtures are imported and named as arguments)

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.test_browser import CSP_LISTENER, browser  # noqa: F401 (fixture)
from tests.pages.test_browser_readers import real_server  # noqa: F401 (fixture)

SHOTS = Path("/tmp/parley-shots")
CLAIM_PAGE = "/doc/claim/000-bodies-total-to-date.html"
PAGES = {
    "home": "/",
    "claims": "/claims",
    "compare": "/compare",
    "claim": CLAIM_PAGE,
    "exchange": "/doc/exchange/2025-06-13-bodies.html",
    "person": "/doc/person/vladimir-putin.html",
    "measure": "/doc/measure/bodies-returned-to-ukraine-total.html",
    "timeline": "/timeline",
    "figures": "/doc/figures/state-russia--bodies-returned-to-ukraine-total.html",
    "round": "/doc/round/2025-06-02-istanbul.html",
}
CURRENT = {"/": "Home", "/claims": "Claims", "/timeline": "Timeline"}

# Every number or date the page shows as one (figures, counts, days): those whose text runs over
# more than one line, with the lines it takes (a Range's client rectangles, one per line box).
BROKEN = """() => {
  const broken = [];
  for (const el of document.querySelectorAll('.num, time, .date, td.num, dd.num')) {
    if (!el.getClientRects().length || !el.textContent.trim()) continue;  // not shown at this width
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size > 1) broken.push(`${el.tagName}.${el.className}: ${el.textContent.trim()} (${tops.size} lines)`);
  }
  return broken;
}"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _open(browser, server: str, path: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    response = page.goto(server + path)
    assert response.status == 200, path
    return context, page


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_overflows_no_number_breaks_and_no_error(real_server, browser, name, width):
    path = PAGES[name]
    context, page = _open(browser, real_server, path, width)
    try:
        assert page.evaluate(OVERFLOW) <= 0, f"{path} is wider than a {width}px screen"
        assert page.evaluate(BROKEN) == [], f"numbers or dates break across lines at {width}px on {path}"
        if width < 600:  # a list table is a card per row, each cell named by its column
            for table in page.locator("table.cards, table.claims-table").all()[:3]:
                assert table.evaluate("t => getComputedStyle(t.querySelector('tr')).display") == "block"
                assert table.evaluate("t => getComputedStyle(t.querySelector('thead')).position") == "absolute"
        if name in ("claims", "claim", "timeline", "exchange", "figures"):
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert page.problems == []
        assert page.evaluate("window.__cspViolations") == []
    finally:
        context.close()


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/claims", CLAIM_PAGE, "/timeline"])
def test_the_skip_link_is_the_first_stop_of_the_keyboard_and_leads_to_the_main_content(real_server, browser, path):
    context, page = _open(browser, real_server, path, 390)
    try:
        page.keyboard.press("Tab")
        first = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
        assert first == ["skip-link", "#main"]
        assert page.locator("a.skip-link").is_visible()  # shown once it has the focus
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        if path in CURRENT:
            current = page.locator('header.site nav a[aria-current="page"]')
            assert current.count() == 1 and current.inner_text() == CURRENT[path]
        else:
            assert page.locator('header.site nav a[aria-current="page"]').count() == 0
    finally:
        context.close()


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.parametrize("name", ["exchange", "person", "measure", "timeline"])
def test_every_chart_mark_takes_the_focus_and_is_named_for_screen_readers(real_server, browser, name):
    context, page = _open(browser, real_server, PAGES[name], 1280)
    try:
        marks = page.locator(".page-charts svg.chart-wide a.mark-link")
        count = marks.count()
        assert count >= 2
        named = marks.evaluate_all(
            "links => links.map(a => [a.getAttribute('aria-label'), a.closest('[aria-hidden=true]') === null])"
        )
        assert all(label and visible for label, visible in named)
        reached = set()
        for _ in range(400):  # tab through the page until every mark of the wide charts has had the focus
            page.keyboard.press("Tab")
            label = page.evaluate(
                "() => { const a = document.activeElement;"
                " return a && a.matches('.page-charts svg.chart-wide a.mark-link') ? a.getAttribute('aria-label') : null; }"
            )
            if label:
                reached.add(label)
            if len(reached) == len({label for label, _ in named}):
                break
        assert reached == {label for label, _ in named}
        snapshot = page.locator(".page-charts svg.chart-wide").first.aria_snapshot()
        assert "link" in snapshot, snapshot  # the marks are links to assistive technology, not one image
        assert page.problems == [] and page.evaluate("window.__cspViolations") == []
    finally:
        context.close()


# The visible timeline charts' labels as laid out on screen.
TIMELINE_LABELS = """() => [...document.querySelectorAll('svg.timeline-chart')]
  .filter(s => s.getBoundingClientRect().width > 0)
  .map(s => ({chart: s.getBoundingClientRect().toJSON(),
              labels: [...s.querySelectorAll('text.mark-label')].map(t => ({text: t.textContent, ...t.getBoundingClientRect().toJSON()}))}))"""


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_timeline_labels_never_meet_and_stay_inside_their_chart(real_server, browser, width):
    context, page = _open(browser, real_server, "/timeline", width)
    try:
        charts = page.evaluate(TIMELINE_LABELS)
        assert len(charts) >= 1 and sum(len(c["labels"]) for c in charts) >= 10
        for c in charts:
            labels, box = c["labels"], c["chart"]
            meeting = [
                (a["text"], b["text"])
                for i, a in enumerate(labels)
                for b in labels[i + 1 :]
                if a["left"] < b["right"]
                and b["left"] < a["right"]
                and a["top"] < b["bottom"]
                and b["top"] < a["bottom"]
            ]
            assert meeting == [], f"timeline labels meet at {width}px: {meeting}"
            for label in labels:
                assert box["left"] - 1 <= label["left"] and label["right"] <= box["right"] + 1, label
                assert box["top"] - 1 <= label["top"] and label["bottom"] <= box["bottom"] + 1, label
    finally:
        context.close()
