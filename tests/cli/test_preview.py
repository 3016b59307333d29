"""``parley preview`` as a user runs it: on a copy of the mini project with the fixture article
just added (its draft full of TODOs), on a free 127.0.0.1 port; the curation view is fetched
with requests, a YAML file is changed, and the view is seen rebuilt. In a real browser (Debian's
chromium through playwright) the view renders its highlights with no console error and no
Content-Security-Policy violation."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys

import pytest
import requests

from parley.live import LiveServer, free_port, wait_until
from tests.mini import ROOT, make_project

from .conftest import clean_env, parley

ARTICLES = ROOT / "tests" / "fixtures" / "articles"
ARTICLE = ARTICLES / "freedonia_exchange.txt"
NAME = f"005_{hashlib.sha256(ARTICLE.read_bytes()).hexdigest()[:16]}"
WAIT_S = 120  # how long to wait for a start or a rebuild before failing; not a timing assert


def wait_for(predicate, what: str):
    return wait_until(predicate, what, timeout_s=WAIT_S, poll_s=0.2)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """A running ``parley preview`` over a project with a fresh draft; yields (base URL, project)."""
    project = make_project(tmp_path_factory.mktemp("preview") / "project")
    added = parley("add", "--root", str(project), str(ARTICLE), "--published", "2000-07-08", cwd=project.parent)
    assert added.returncode == 0, str(added)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "parley",
        "preview",
        "--root",
        str(project),
        "--port",
        str(port),
        "--interval",
        "0.2",
    ]
    server = LiveServer(
        command,
        port=port,
        logs=project.parent,
        name="preview",
        cwd=project.parent,
        env=clean_env(),
        ready_path="/preview/",
    )
    try:
        server.start(timeout_s=WAIT_S)
        yield server.url, project
    finally:
        code = server.stop()
        assert code == 0, server.log()
        assert "Traceback" not in server.log()


def view(base: str) -> str:
    response = requests.get(f"{base}/preview/{NAME}", timeout=10)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"].startswith("text/html")
    return response.text


def text_of(page: str) -> str:
    """The article's text as the view marks it up (not the legend)."""
    return page.split('id="article-text">', 1)[1].split("</div>", 1)[0]


def test_the_curation_view_highlights_quotes_by_kind_and_lists_the_todos_with_file_and_line(preview):
    base, project = preview
    page = view(base)
    text = text_of(page)
    assert 'class="q-entity' in text and "q-fact" in text and "q-excluded" in text
    # a number only a draft claim (which fails its checks: it is full of TODOs) covers is marked
    # where it stands as covered by an entry that failed, not as uncovered, and the side list
    # names that entry with its file and line
    failed = (
        r'<span class="[^"]*q-failed[^"]*" title="[^"]*number in an entry that failed its checks[^"]*">1,150</span>'
    )
    assert re.search(failed, text)
    assert not re.search(r'q-uncovered[^"]*"[^>]*>1,150<', text)
    side = page.split("<h3>Numbers in entries that failed</h3>", 1)[1].split("</ul>", 1)[0]
    assert re.search(
        rf"1,150: covered by claim &#39;[^&]+&#39; \(<code>curation/{NAME}\.yaml:\d+</code>\), which failed", side
    )
    assert "q-untouched" in text  # "Sylvania said it still holds 1,150 Freedonians." has no quote yet
    draft = (project / "curation" / f"{NAME}.yaml").read_text(encoding="utf-8").splitlines()
    todo_lines = [n for n, line in enumerate(draft, 1) if "TODO" in line]
    for line in todo_lines:
        assert f'<code class="where">curation/{NAME}.yaml:{line}</code>' in page
    # the legend names every kind
    for name in (
        "entity quote",
        "fact quote",
        "claim quote",
        "number not covered",
        "number in an entry that failed its checks",
    ):
        assert f">{name}</span>" in page
    # the preview is the real site: the served build answers the linked-data routes too
    assert requests.get(f"{base}/doc/person/vera-trentino.html", timeout=10).status_code == 200
    assert requests.get(f"{base}/preview/no-such-article", timeout=10).status_code == 404


def test_a_changed_yaml_file_is_rebuilt_into_the_view(preview):
    base, project = preview
    path = project / "curation" / f"{NAME}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "q-claim" not in text_of(view(base))  # every drafted claim still has TODOs, so none is built
    confirmed = text.replace(
        "  - key: todo-1-150\n    about: TODO\n    measure: TODO",
        "  - key: still-held\n    about: state/sylvania\n    measure: prisoners-exchanged-per-side",
    )
    # the claim's own lines (up to the next entry or section): its speaker and modality confirmed
    start = confirmed.index("  - key: still-held")
    end = min(i for i in (confirmed.find("\n  - ", start + 1), confirmed.find("\n\n", start)) if i > 0)
    block = re.sub(r"speaker: \S+", "speaker: state/sylvania", confirmed[start:end])
    confirmed = confirmed[:start] + re.sub(r"modality: \S+", "modality: done", block) + confirmed[end:]
    assert confirmed != text
    path.write_text(confirmed, encoding="utf-8")

    def rebuilt():
        page = view(base)
        return page if "q-claim" in text_of(page) else None

    page = wait_for(rebuilt, "the rebuilt view")
    assert re.search(r'<span class="[^"]*q-claim[^"]*"[^>]*>[^<]*1,150', text_of(page)), "the claim is highlighted"
    assert "curation/" + NAME + ".yaml:" in page


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective));
"""


@pytest.mark.integration
@pytest.mark.browser
def test_the_curation_view_renders_in_a_browser_without_console_errors(preview):
    from tests.conftest import require_or_skip

    chromium = shutil.which("chromium")
    require_or_skip(chromium is not None, "Debian's chromium", "PARLEY_REQUIRE_BROWSER")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip(False, "the playwright Python package", "PARLEY_REQUIRE_BROWSER")
    from tests.pages.test_browser import CHROMIUM_ARGS

    base, _project = preview
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(CSP_LISTENER)
            problems = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{base}/preview/{NAME}")
            number = page.locator("#article-text .q-failed").first
            assert number.is_visible()
            # the stylesheet applied: a number a failed entry covers has its own border, an entity its underline style
            assert number.evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"
            entity = page.locator("#article-text .q-entity").first
            assert entity.evaluate("e => getComputedStyle(e).textDecorationStyle") == "dotted"
            assert page.locator(".legend li").count() == 7
            assert page.locator(".todo-lines li").count() > 0
            assert page.evaluate("window.__cspViolations") == []
            assert problems == []
        finally:
            browser.close()
