"""The JSON-LD context the site publishes (``/context.jsonld``) and the documents it compacts.

The context is derived, never hand-kept: a prefix for each namespace of
``graph.namespaces.PREFIXES`` (and ``foaf:``, which documents use for ``foaf:primaryTopic``),
and a term for each property the ontology graph declares in Parley's namespace, named by its
local name, with ``"@type": "@id"`` for object properties and the datatype of the range for
datatype (and annotation) properties whose range is an XSD type other than ``xsd:string``; an
annotation property whose range is a class is IRI-valued too. A term that would
shadow a prefix is left out (the prefixed name still works). JSON-LD documents of the site are
compacted against it by rdflib and carry the part of it they use (``used_context``): every
prefix and the terms that occur, so they read the same offline; the whole context is published
at ``CONTEXT_IRI``.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from graph.namespaces import BASE, ONTOLOGY_GRAPH, PARLEY, PREFIXES

from ..data.canned import query
from ..data.site import Site

#: where the context lives: {base}context.jsonld, served at /context.jsonld
CONTEXT_IRI = BASE + "context.jsonld"
CONTEXT_PATH = "/context.jsonld"
FOAF = "http://xmlns.com/foaf/0.1/"

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
_OBJECT_PROPERTY = "http://www.w3.org/2002/07/owl#ObjectProperty"
_DATATYPE_PROPERTY = "http://www.w3.org/2002/07/owl#DatatypeProperty"
_ANNOTATION_PROPERTY = "http://www.w3.org/2002/07/owl#AnnotationProperty"
_PROPERTY_KINDS = (_OBJECT_PROPERTY, _DATATYPE_PROPERTY, _ANNOTATION_PROPERTY)
_XSD = "http://www.w3.org/2001/XMLSchema#"


def namespaces() -> dict[str, str]:
    """Prefix -> namespace IRI, as the context declares them."""
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()} | {"foaf": FOAF}


def build_context(ontology: list[ox.Triple]) -> dict:
    """Return the context object (``{"@context": {...}}``) for the ontology's triples."""
    kinds: dict[str, str] = {}
    ranges: dict[str, str] = {}
    for t in ontology:
        if not isinstance(t.subject, ox.NamedNode) or not t.subject.value.startswith(str(PARLEY)):
            continue
        if t.predicate.value == _RDF_TYPE and t.object.value in _PROPERTY_KINDS:
            kinds[t.subject.value] = t.object.value
        elif t.predicate.value == _RANGE and isinstance(t.object, ox.NamedNode):
            ranges[t.subject.value] = t.object.value
    prefixes = namespaces()
    terms: dict[str, object] = dict(sorted(prefixes.items()))
    for iri in sorted(kinds):
        name = iri[len(str(PARLEY)) :]
        if not name or name in prefixes:
            continue
        compact = "parley:" + name
        datatype = ranges.get(iri, "")
        iri_valued = kinds[iri] == _ANNOTATION_PROPERTY and datatype and not datatype.startswith(_XSD)
        if kinds[iri] == _OBJECT_PROPERTY or iri_valued:
            terms[name] = {"@id": compact, "@type": "@id"}
        elif datatype.startswith(_XSD) and datatype != _XSD + "string":
            terms[name] = {"@id": compact, "@type": "xsd:" + datatype[len(_XSD) :]}
        else:
            terms[name] = compact
    return {"@context": terms}


def _keys(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            _keys(value, found)
    elif isinstance(node, list):
        for item in node:
            _keys(item, found)
    return found


def used_context(document: dict, context: dict) -> dict:
    """The part of ``context`` (a ``@context`` object) a compacted ``document`` needs: every
    prefix (a value's or type's prefixed name may use any) and the terms used as keys."""
    keys = _keys({k: v for k, v in document.items() if k != "@context"}, set())
    prefixes = namespaces()
    return {name: value for name, value in context.items() if name in prefixes or name in keys}


def site_context(site: Site) -> dict:
    """The published context of this build (made once per app)."""

    def compute() -> dict:
        triples = site.store.triples(query("graph-triples"), {"g": ox.NamedNode(str(ONTOLOGY_GRAPH))})
        return build_context(triples)

    return site.once("jsonld-context", compute)


def context_body(site: Site) -> bytes:
    """The context as served: indented JSON, UTF-8."""
    return (json.dumps(site_context(site), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
