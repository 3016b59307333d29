"""A build that reuses its cache (graph.build_cache) gives the same bytes as a clean one: a
synthetic project is built without its last article, the article is added and the project built
again with the cache; a clean build of the whole project, with no cache, must write the same
dumps, VoID, validation report and build.json, and the second build revalidates only the
units the new article changed."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from graph.build import build
from graph.build_cache import CACHE_DIR, UnitCache
from tests.helpers import load_bench_script

generate = load_bench_script("generate")
SAME = ("build.json", "void.ttl", "validation.ttl", "search.sqlite", "dumps")


def _files(build_dir: Path) -> dict[str, bytes]:
    out = {}
    for name in SAME:
        path = build_dir / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                out[str(file.relative_to(build_dir))] = file.read_bytes()
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "project"
    generate.generate(root, 25000, seed=1)  # about 10 articles: some share no claim group with the last
    return root


def _units_line(caplog) -> str:
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("SHACL units:")]
    assert lines, "the cache logs what it reused"
    return lines[-1]


def test_adding_an_article_with_the_cache_gives_the_clean_build(project, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    caplog.set_level(logging.INFO, logger="graph.build_cache")
    article = sorted((project / "corpus").glob("*.txt"))[-1]
    curation = project / "curation" / f"{article.stem}.yaml"
    held = tmp_path / "held"
    held.mkdir()
    shutil.move(article, held / article.name)
    shutil.move(curation, held / curation.name)

    incremental = tmp_path / "incremental" / "build"
    build(incremental, project, reasoner=False)
    first = _units_line(caplog)
    assert first.startswith("SHACL units: 0 reused"), first
    assert (incremental.parent / CACHE_DIR / "shacl").is_dir()

    shutil.move(held / article.name, article)
    shutil.move(held / curation.name, curation)
    build(incremental, project, reasoner=False)
    second = _units_line(caplog)
    reused, validated = int(second.split()[2]), int(second.split(",")[1].split()[0])
    assert reused > 0 and validated > 0, second

    clean = tmp_path / "clean" / "build"
    build(clean, project, reasoner=False, cache=False)
    assert not (clean.parent / CACHE_DIR).exists()
    a, b = _files(incremental), _files(clean)
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], f"{name} differs between the cached and the clean build"


def test_an_unchanged_project_reuses_every_unit(project, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    caplog.set_level(logging.INFO, logger="graph.build_cache")
    out = tmp_path / "build"
    build(out, project, reasoner=False)
    build(out, project, reasoner=False)
    line = _units_line(caplog)
    assert line.endswith(", 0 validated"), line


def test_a_cache_that_cannot_be_written_only_warns(tmp_path, caplog):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory would go", encoding="utf-8")
    cache = UnitCache(blocker, "salt")
    key = cache.key([], [])
    assert not cache.passed(key)
    with caplog.at_level(logging.WARNING, logger="graph.build_cache"):
        cache.record(key)
        cache.prune()
    assert any("cannot keep the SHACL cache" in r.getMessage() for r in caplog.records)
    assert not cache.passed(key)
