"""Fixtures for the shapes and QC tests: the shapes graph and the ontology with its code lists,
parsed once per session."""

from __future__ import annotations

import pytest
from rdflib import Graph

from .shapes_support import ONTOLOGY_FILES, SHAPES


@pytest.fixture(scope="session")
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="session")
def ontology_graph() -> Graph:
    graph = Graph()
    for path in ONTOLOGY_FILES:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def codelists_graph() -> Graph:
    return Graph().parse(ONTOLOGY_FILES[1], format="turtle")
