"""Paths and helpers shared by the shapes and QC tests: where the shapes, QC queries, ontology
and fixtures are, and a loader for the TriG fixtures."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "shapes" / "parley.ttl"
QC_DIR = ROOT / "shapes" / "qc"
ONTOLOGY_FILES = (ROOT / "ontology" / "parley.ttl", ROOT / "ontology" / "codelists.ttl")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base.trig"


def load_dataset(*paths: Path) -> Dataset:
    """Return a Dataset holding the named graphs of every TriG file in ``paths``."""
    dataset = Dataset()
    for path in paths:
        # From text: rdflib 7.6's Dataset.parse(path) leaves the file open (a ResourceWarning).
        dataset.parse(data=path.read_text(encoding="utf-8"), format="trig")
    return dataset
