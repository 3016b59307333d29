"""The benchmark generator (``bench/generate.py``): a tiny synthetic project builds with the real
build, passes validation, is the same for the same seed, lands near its target size, and its
pages are served like any build's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import close_app, load_bench_script, make_app

TARGET = 5000


generate = load_bench_script("generate")


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for d in ("corpus", "curation") for p in sorted((root / d).iterdir())
    }


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A tiny generated project, built by the real build (as ``--build`` does)."""
    from graph.build import build

    root = tmp_path_factory.mktemp("synthetic") / "project"
    generate.generate(root, TARGET, seed=1)
    build(out=root / "build", root=root, reasoner=False)
    return root


def test_the_build_passes_validation_and_lands_near_the_target(synthetic):
    info = json.loads((synthetic / "build" / "build.json").read_text(encoding="utf-8"))
    assert abs(info["triples"] - TARGET) <= TARGET * 0.10, info["triples"]
    assert info["checks"]["SHACL"] == "conforms"
    assert info["checks"]["QC queries"] == "no rows"
    assert info["claims"] > 0 and info["entities"] > 0
    assert info["sentences"] == info["sentences_covered"]


def test_the_same_seed_gives_the_same_files_and_another_seed_others(synthetic, tmp_path):
    again = tmp_path / "again"
    generate.generate(again, TARGET, seed=1)
    assert _files(again) == _files(synthetic)
    other = tmp_path / "other"
    generate.generate(other, TARGET, seed=2)
    assert _files(other) != _files(synthetic)


def test_everything_is_visibly_synthetic(synthetic):
    for path in sorted((synthetic / "corpus").iterdir()):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("Synthetic report ")
        assert "Synthetic Wire" in text
        assert "Ukrain" not in text and "Russia" not in text


def test_a_synthetic_person_is_served(synthetic):
    app = make_app(synthetic / "build")
    try:
        client = app.test_client()
        response = client.get("/doc/person/synthetic-person-0000.html")
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        html = response.get_data(as_text=True)
        assert "Synthetic Person 0000" in html
        assert "claim/" in html  # the claims the person made link from the page
    finally:
        close_app(app)
