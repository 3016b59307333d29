"""Fixtures for the relation tests: a copy of the real project a test may change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.mini import ROOT


@pytest.fixture
def real_project(tmp_path) -> Path:
    """Copy the real corpus, curation, ontology and shapes into a temporary project."""
    target = tmp_path / "project"
    for name in ("corpus", "curation", "ontology", "shapes"):
        shutil.copytree(ROOT / name, target / name)
    return target


def add_claim(project: Path, number: str, entry: str) -> None:
    """Insert a claim entry (YAML, indented as in the file) first in the claims of article ``number``."""
    path = next((project / "curation").glob(f"{number}_*.yaml"))
    text = path.read_text(encoding="utf-8")
    assert text.count("\nclaims:\n") == 1
    path.write_text(text.replace("\nclaims:\n", "\nclaims:\n" + entry, 1), encoding="utf-8")
