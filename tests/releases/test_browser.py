"""The query page pinned to a release, in Debian's chromium: a query run on
``/query?release=0.1.0`` answers from release 0.1.0, and the share button gives the permalink
that opens the same query pinned to the same release (skipped without chromium, unless
PARLEY_REQUIRE_BROWSER is set)."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from werkzeug.serving import make_server

from tests.helpers import close_app, make_app
from tests.pages.test_browser import browser, page  # noqa: F401 (fixtures)
from tests.releases.test_memento import ASK_PROMISED

pytestmark = [pytest.mark.integration, pytest.mark.browser]


@pytest.fixture(scope="module")
def live_releases(two_builds, released):
    app = make_app(two_builds[1], releases_dir=released)
    server = make_server("127.0.0.1", 0, app, threaded=False)  # one thread: see tests/pages/test_browser.py
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        close_app(app)


@pytest.mark.parametrize(("version", "answer"), [("0.1.0", "Answer: no"), ("0.2.0", "Answer: yes")])
def test_a_pinned_query_runs_against_its_release_and_shares_a_permalink(live_releases, page, version, answer):  # noqa: F811
    page.goto(f"{live_releases}/query?release={version}&query={quote(ASK_PROMISED)}")
    assert f"Pinned to release {version}" in page.locator("main").inner_text()
    page.get_by_role("button", name="Run query").click()
    page.locator("#results p.answer").wait_for()
    assert page.locator("#results p.answer").inner_text() == answer
    page.get_by_role("button", name="Share a link to this query").click()
    page.wait_for_url("**/query?*")
    params = parse_qs(urlsplit(page.url).query)
    assert params["release"] == [version] and params["query"][0].strip() == ASK_PROMISED
    link = page.locator("p.permalink a")
    assert parse_qs(urlsplit(link.get_attribute("href")).query) == {"release": [version], "query": [ASK_PROMISED]}
    assert page.problems == []
