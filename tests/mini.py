"""The small fictional project every test package shares (``tests/fixtures/mini``).

``make_project(target)`` copies its corpus and curation, with the real ontology and shapes,
into ``target``; ``build_mini(out)`` builds it with the project's own build code (the same
``graph.build.build`` that ``parley build`` runs), so the server tests read a real build:
store, dumps, SHA256SUMS, VoID, validation report and build.json.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def make_project(target: Path) -> Path:
    """Copy the mini corpus and curation plus the real ontology/ and shapes/ into ``target``."""
    for name in ("corpus", "curation"):
        shutil.copytree(MINI / name, target / name)
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, target / name)
    return target


def build_mini(out: Path, project: Path | None = None) -> Path:
    """Build the mini project into ``out`` (no reasoner: the graph tests run HermiT) and return it."""
    from graph.build import build

    project = project or make_project(Path(out).parent / "mini-project")
    build(out=Path(out), root=project, reasoner=False)
    return Path(out)
