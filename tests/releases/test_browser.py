"""The query page pinned to a release, in Debian's chromium: a query run on
``/query?release=0.1.0`` answers from release 0.1.0, and the share button gives the permalink
that opens the same query pinned to the same release (skipped without chromium, unless
PARLEY_REQUIRE_BROWSER is set)."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.helpers import make_app, served
from tests.pages.test_browser import browser, page  # noqa: F401 (fixtures)
from tests.releases.test_memento import ASK_PROMISED

pytestmark = [pytest.mark.integration, pytest.mark.browser]


@pytest.fixture(scope="module")
def live_releases(two_builds, released):
    app = make_app(two_builds[1], releases_dir=released)
    with served(app) as url:
        yield url


SELECT_MODALITY = ASK_PROMISED.replace("ASK {", "SELECT ?modality WHERE {").replace(
    "<https://w3id.org/parley/id/modality/promised>", "?modality"
)


@pytest.mark.parametrize(("version", "answer"), [("0.1.0", "agreed"), ("0.2.0", "promised")])
def test_a_pinned_query_runs_against_its_release_and_shares_a_permalink(live_releases, page, version, answer):  # noqa: F811
    page.goto(f"{live_releases}/query?release={version}&query={quote(SELECT_MODALITY)}")
    assert f"Pinned to release {version}" in page.locator("main").inner_text()
    rows = page.locator(".yasr table.dataTable tbody tr")  # a permalink runs its query on opening
    rows.first.wait_for()
    assert f"modality/{answer}" in rows.first.inner_text()
    link = page.locator("#permalink").get_attribute("href")
    assert parse_qs(urlsplit(link).query) == {"release": [version], "query": [SELECT_MODALITY]}
    assert page.problems == []


def test_the_share_button_makes_the_pinned_permalink_without_javascript(live_releases):
    import requests

    form = {"query": SELECT_MODALITY, "release": "0.1.0", "share": "1"}
    response = requests.get(f"{live_releases}/query", params=form, timeout=30)
    assert response.status_code == 200
    assert 'data-release="0.1.0"' in response.text and 'action="/releases/0.1.0/sparql"' in response.text
