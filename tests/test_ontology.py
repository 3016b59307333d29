"""The ontology is complete, described and consistent on its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.consistency import consistency
from graph.namespaces import ONTOLOGY, PARLEY
from graph.validate import _metadata
from graph.vocabulary import load_ontology_graph, load_vocabulary

from .conftest import require_or_skip

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ontology():
    return load_ontology_graph(ROOT / "ontology")


def test_ontology_metadata_and_term_documentation_are_complete(ontology):
    assert [p.line() for p in _metadata(ontology)] == []


def test_ontology_has_a_version_iri_under_its_own_iri(ontology):
    version = ontology.value(ONTOLOGY, OWL.versionIRI)
    info = ontology.value(ONTOLOGY, OWL.versionInfo)
    assert str(version) == f"{ONTOLOGY}/{info}"


@pytest.mark.parametrize(
    "target",
    [
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/ns/org#",
        "https://schema.org/",
        "http://semanticweb.cs.vu.nl/2009/11/sem/",
        "http://www.w3.org/ns/oa#",
    ],
)
def test_ontology_aligns_to_each_standard_without_importing_it(ontology, target):
    aligned = [
        o
        for s, p, o in ontology
        if str(s).startswith(str(PARLEY))
        and p in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch, RDFS.range)
        and str(o).startswith(target)
    ]
    assert aligned, f"no parley term is aligned to {target}"
    assert not list(ontology.objects(ONTOLOGY, OWL.imports))


def test_every_code_list_is_a_scheme_with_members():
    vocab = load_vocabulary(ROOT / "ontology")
    for scheme in ("measure", "approximation", "modality", "category", "basis", "proposal-type", "proposal-outcome"):
        assert vocab.schemes.get(scheme), f"code list {scheme} is empty"


def test_the_ontology_alone_is_consistent(ontology):
    require_or_skip(shutil.which("java") is not None, "a Java runtime (for HermiT)", "PARLEY_REQUIRE_JAVA")
    consistent, status = consistency(ontology)
    assert consistent, status


def test_an_inconsistent_graph_is_caught(ontology):
    require_or_skip(shutil.which("java") is not None, "a Java runtime (for HermiT)", "PARLEY_REQUIRE_JAVA")
    broken = load_ontology_graph(ROOT / "ontology")
    claim = URIRef("https://w3id.org/parley/id/claim/999-self-conflict")
    broken.add((claim, RDF.type, PARLEY.Claim))
    broken.add((claim, PARLEY.conflictsWith, claim))  # conflictsWith is irreflexive
    consistent, status = consistency(broken)
    assert not consistent
    assert "inconsistent" in status
