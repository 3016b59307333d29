"""Fixtures for the graph tests: a small fictional project (tests/fixtures/mini) copied into a
temporary directory with the real ontology and shapes, so a test can break it freely."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mini import MINI, ROOT, make_project  # noqa: F401 (MINI and ROOT are used by tests)


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")
