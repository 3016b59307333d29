"""The defaults a new user gets, against a real ``parley serve``: every route answers the same
with the default relative build dir as with an absolute one (dump downloads included), and
every HTML page carries the protective headers."""

from __future__ import annotations

import pytest
import requests

from .conftest import start_parley

pytestmark = pytest.mark.integration

HEADERS = ("Content-Type", "ETag", "Last-Modified", "Content-Length", "Location", "Link", "Vary")


@pytest.fixture(scope="module")
def absolute_server(project):
    running = start_parley(project, "--build-dir", str((project / "build").resolve())).wait_ready()
    yield running
    running.stop()


def _differences(server, absolute_server, route: str, accept: str | None) -> list[str]:
    headers = {"Accept": accept} if accept else {}
    relative = requests.get(server.url + route, headers=headers, allow_redirects=False, timeout=30)
    absolute = requests.get(absolute_server.url + route, headers=headers, allow_redirects=False, timeout=30)
    if relative.status_code >= 500:
        return [f"{route}: {relative.status_code} {relative.text[:300]}"]
    # a body may name the URL it was asked at (the service description), which differs by port only
    same_host = absolute.content.replace(absolute_server.url.encode(), server.url.encode())
    if (relative.status_code, relative.content) != (absolute.status_code, same_host):
        return [f"{route}: {relative.status_code} and {absolute.status_code}, or the bodies differ"]
    found = []
    for name in HEADERS:
        if same_host != absolute.content and name in ("ETag", "Content-Length"):
            continue  # validators of a body that names its own endpoint URL
        # Memento links are absolute URLs of the server asked, which differ by port only
        theirs = absolute.headers.get(name)
        theirs = theirs.replace(absolute_server.url, server.url) if theirs else theirs
        if relative.headers.get(name) != theirs:
            found.append(f"{route}: {name} {relative.headers.get(name)!r} != {theirs!r}")
    return found


@pytest.mark.parametrize("accept", [None, "text/html", "text/turtle"])
def test_relative_and_absolute_build_dir_answer_the_same(server, absolute_server, routes, accept):
    """Every GET route of the app (``routes``, from its URL map) answers alike from both servers."""
    found = [line for route in routes for line in _differences(server, absolute_server, route, accept)]
    assert not found, "\n".join(found)


def test_every_html_page_carries_nosniff_csp_and_a_framing_policy(server, routes):
    for route in (r for r in routes if not r.startswith("/dumps/parley")):
        response = requests.get(server.url + route, headers={"Accept": "text/html"}, timeout=30)
        assert response.headers["X-Content-Type-Options"] == "nosniff", route
        if response.headers.get("Content-Type", "").startswith("text/html"):
            policy = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, route
            assert response.headers["X-Frame-Options"] == "DENY", route
