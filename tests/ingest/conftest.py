"""Fixtures for the graph tests: a small fictional project (tests/fixtures/mini) copied into a
temporary directory with the real ontology and shapes, so a test can break it freely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"


def make_project(target: Path) -> Path:
    """Copy the mini corpus and curation plus the real ontology/ and shapes/ into ``target``."""
    for name in ("corpus", "curation"):
        shutil.copytree(MINI / name, target / name)
    for name in ("ontology", "shapes"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")
