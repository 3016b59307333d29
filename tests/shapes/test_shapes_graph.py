"""The shapes graph itself: valid SHACL by SHACL's own shapes (SHACL-SHACL), described as a
published ontology, a human message on every shape and constraint, and closed code lists
(sh:in) that list exactly the concepts of their scheme in ontology/codelists.ttl."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, SH, SKOS

from .shapes_support import SHAPES

SHAPES_IRI = URIRef("https://w3id.org/parley/shapes")
# SHACL's own shapes for shapes graphs, as shipped inside pySHACL (no network).
SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"


@pytest.fixture(scope="module")
def shacl_shacl() -> Graph:
    return Graph().parse(SHACL_SHACL, format="turtle")


def shapes_with_messages(shapes_graph: Graph) -> list:
    """Every shape or constraint whose results carry its sh:message: node shapes, property
    shapes and SPARQL constraints. Shapes nested in sh:or/sh:xone/sh:qualifiedValueShape are
    left out: their results are reported with the message of the shape that holds them."""
    found = set(shapes_graph.subjects(RDF.type, SH.NodeShape))
    found |= set(shapes_graph.subjects(RDF.type, SH.PropertyShape))
    found |= set(shapes_graph.objects(None, SH.property))
    found |= set(shapes_graph.objects(None, SH.sparql))
    return sorted(found)


def in_lists(shapes_graph: Graph) -> list:
    return sorted(shapes_graph.subjects(SH["in"], None))


def test_shapes_graph_conforms_to_shacl_shacl(shapes_graph, shacl_shacl):
    conforms, _, text = pyshacl.validate(shapes_graph, shacl_graph=shacl_shacl, inference="none")
    assert conforms, f"shapes/parley.ttl is not valid SHACL:\n{text}"


def test_shacl_shacl_catches_a_broken_shape(shacl_shacl):
    """The meta-check can fail: a shape with a non-integer sh:minCount does not conform."""
    broken = Graph().parse(
        data="""
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            <https://w3id.org/parley/shapes#ExampleBrokenShape> a sh:NodeShape ;
                sh:property [ sh:path <https://w3id.org/parley/ontology#figure> ; sh:minCount "one" ] .
        """,
        format="turtle",
    )
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shacl_shacl, inference="none")
    assert not conforms


def test_shapes_graph_is_described_as_a_published_ontology(shapes_graph):
    assert (SHAPES_IRI, RDF.type, OWL.Ontology) in shapes_graph
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, OWL.versionIRI, OWL.versionInfo):
        assert shapes_graph.value(SHAPES_IRI, prop) is not None, f"<{SHAPES_IRI}> has no {prop}"
    version = str(shapes_graph.value(SHAPES_IRI, OWL.versionInfo))
    assert str(shapes_graph.value(SHAPES_IRI, OWL.versionIRI)) == f"{SHAPES_IRI}/{version}"


def test_shapes_file_is_stable_under_reparsing(shapes_graph):
    """Parsing the file twice gives the same graph (no blank-node or ordering surprises)."""
    again = Graph().parse(SHAPES, format="turtle")
    first, second = to_isomorphic(shapes_graph), to_isomorphic(again)
    if first != second:
        _, only_first, only_second = graph_diff(first, second)
        pytest.fail(
            "shapes graph changed on reparse:\n"
            + only_first.serialize(format="turtle")
            + "\n---\n"
            + only_second.serialize(format="turtle")
        )


@pytest.mark.parametrize(
    "shape",
    shapes_with_messages(Graph().parse(SHAPES, format="turtle")),
    ids=lambda shape: str(shape).rsplit("#", 1)[-1],
)
def test_every_shape_and_constraint_has_an_english_message(shape, shapes_graph):
    assert isinstance(shape, URIRef), "name every shape and constraint, so reports say which rule broke"
    messages = list(shapes_graph.objects(shape, SH.message))
    assert len(messages) == 1, f"{shape} needs exactly one sh:message, has {len(messages)}"
    message = messages[0]
    assert isinstance(message, Literal) and message.language == "en", f"{shape}: sh:message must be @en"
    assert len(str(message)) > 40, f"{shape}: say what is wrong and how to fix it in the curation file"


def test_every_code_list_scheme_is_closed_by_a_shape(shapes_graph, codelists_graph):
    schemes = set(codelists_graph.subjects(RDF.type, SKOS.ConceptScheme))
    closed = {shapes_graph.value(shape, DCTERMS.source) for shape in in_lists(shapes_graph)}
    assert schemes <= closed, (
        f"code-list schemes no sh:in list closes: {sorted(schemes - closed)}; add a property "
        "shape with sh:in and dcterms:source <scheme> to shapes/parley.ttl"
    )


@pytest.mark.parametrize(
    "shape",
    in_lists(Graph().parse(SHAPES, format="turtle")),
    ids=lambda shape: str(shape).rsplit("#", 1)[-1],
)
def test_sh_in_list_equals_its_code_list_scheme(shape, shapes_graph, codelists_graph):
    scheme = shapes_graph.value(shape, DCTERMS.source)
    assert scheme is not None, f"{shape}: name the code-list scheme of its sh:in with dcterms:source"
    listed = list(Collection(shapes_graph, shapes_graph.value(shape, SH["in"])))
    assert len(listed) == len(set(listed)), f"{shape}: sh:in lists a concept twice"
    concepts = set(codelists_graph.subjects(SKOS.inScheme, scheme))
    assert concepts, f"{shape}: scheme {scheme} has no concepts in ontology/codelists.ttl"
    missing = sorted(str(c) for c in concepts - set(listed))
    extra = sorted(str(c) for c in set(listed) - concepts)
    assert not missing and not extra, (
        f"the sh:in list of {shape} differs from scheme {scheme} in ontology/codelists.ttl: "
        f"add to the list in shapes/parley.ttl {missing}; remove from it (or add to the scheme) {extra}"
    )
