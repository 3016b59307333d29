"""Two builds of the mini fixture with one curated change between them, released as 0.1.0 and 0.2.0."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graph.release import release
from tests.mini import build_mini, make_project

CLAIM = "https://w3id.org/parley/id/claim/001-prisoners-agreed"


def change_modality(project: Path) -> None:
    """The one curated change: the first claim of 001 becomes 'promised' instead of 'agreed'."""
    path = next((project / "curation").glob("001_*.yaml"))
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"^    modality: agreed$", "    modality: promised", text, count=1, flags=re.M)
    assert changed != text, f"{path}: no `modality: agreed` to change; update tests/releases/conftest.py"
    path.write_text(changed, encoding="utf-8")


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("two-builds")
    first = build_mini(base / "build-1", make_project(base / "project-1"))
    second_project = base / "project-2"
    shutil.copytree(base / "project-1", second_project)
    change_modality(second_project)
    second = build_mini(base / "build-2", second_project)
    return first, second


@pytest.fixture(scope="session")
def released(two_builds, tmp_path_factory) -> Path:
    """A releases directory holding 0.1.0 (the first build) and 0.2.0 (the changed one). Read only."""
    releases_dir = tmp_path_factory.mktemp("released") / "releases"
    release(two_builds[0], releases_dir, "0.1.0", date="2026-12-01")
    release(two_builds[1], releases_dir, "0.2.0", date="2026-12-02")
    return releases_dir


@pytest.fixture
def releases_copy(released, tmp_path) -> Path:
    """A private copy of ``released`` that a test may try to write into."""
    return Path(shutil.copytree(released, tmp_path / "releases", symlinks=True))
