"""The counts pages print of the corpus come from the build, never from the template: the
footer of every page says how many articles the build holds ("four news articles" for the mini
build, "six" once a fifth and a sixth article are built with it), in ``parley serve`` and in
``parley preview`` alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.build import build
from server.preview import Preview
from tests.helpers import close_app, make_app
from tests.mini import ROOT, make_project

from .conftest import fetch

ARTICLES = ROOT / "tests" / "fixtures" / "articles"
ADDED = {  # the fixture article: the name it is filed under
    "freedonia_exchange": "005_7a4e0dc44daef9e0",
    "envoys_meet_again": "006_7281d3dab03313ee",
}


def _footer(body: str) -> str:
    return body.split('<footer class="site">', 1)[1].split("</footer>", 1)[0]


@pytest.fixture(scope="module")
def six(tmp_path_factory) -> Path:
    """The mini project (four articles) with two more filed and curated."""
    project = make_project(tmp_path_factory.mktemp("six") / "project")
    for fixture, name in ADDED.items():
        shutil.copyfile(ARTICLES / f"{fixture}.txt", project / "corpus" / f"{name}.txt")
        shutil.copyfile(ARTICLES / f"{fixture}.curation.yaml", project / "curation" / f"{name}.yaml")
    return project


@pytest.mark.parametrize("path", ["/", "/types", "/timeline"])
def test_the_footer_counts_the_mini_builds_articles(client, path):
    response = fetch(client, path)
    assert response.status_code == 200
    footer = _footer(response.get_data(as_text=True))
    assert "as reported by four news articles." in footer, footer
    assert "five" not in footer


def test_a_build_with_a_sixth_article_says_six(six, tmp_path):
    out = build(out=tmp_path / "build", root=six, reasoner=False)
    assert out.articles == 6
    app = make_app(tmp_path / "build")
    try:
        client = app.test_client()
        for path in ("/", "/types", "/no/such/page"):
            body = fetch(client, path, headers={"Accept": "text/html"}).get_data(as_text=True)
            assert "as reported by six news articles." in _footer(body), path
    finally:
        close_app(app)


def test_the_preview_of_six_articles_says_six(six, tmp_path):
    preview = Preview(six, tmp_path / "preview")
    try:
        assert preview.rebuild()
        client = preview.app.test_client()
        for path in ("/", "/preview/"):
            body = fetch(client, path).get_data(as_text=True)
            assert "as reported by six news articles." in _footer(body), path
    finally:
        preview.stop()
