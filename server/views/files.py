"""Pages made from the build's RDF files: the ontology's documentation, shapes, VoID, report.

These read rdflib graphs (the ontology from its named graph, the others from the build's
Turtle files) and return template contexts: ``ontology_context`` (an anchor per term, classes
and properties with their hierarchy, domains and ranges, the code lists), ``shapes_context``,
``void_context`` and ``validation_context``. Terms are shown through the one view-model of
``server.views.terms`` (``rdflib_term`` adapts rdflib nodes to it).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from graph.namespaces import BASE, ONTOLOGY, ONTOLOGY_GRAPH, PARLEY

from ..data.canned import query
from ..data.site import site
from ..problems import NotFound
from .terms import curie, iri_term


def _content_key(graph: Graph | None, node, depth: int = 0) -> str:
    """A key for a term that does not depend on blank-node ids: a blank node is keyed by what
    it says (its predicates and objects, a few levels deep), so two apps over one build show
    and sort its nodes the same way."""
    if not isinstance(node, BNode):
        return node.n3()
    if graph is None or depth > 3:
        return "[]"
    parts = sorted(f"{p.n3()} {_content_key(graph, o, depth + 1)}" for p, o in graph.predicate_objects(node))
    return "[" + "; ".join(parts) + "]"


def bnode_label(graph: Graph | None, node: BNode) -> str:
    """A stable label for a blank node (a digest of what it says)."""
    return "_:b" + hashlib.sha256(_content_key(graph, node).encode()).hexdigest()[:8]


def rdflib_term(node, graph: Graph | None = None) -> dict:
    """Template view of an rdflib term (like resources.term, for graphs read from files)."""
    if isinstance(node, URIRef):
        return iri_term(str(node))
    if isinstance(node, BNode):
        if graph is not None and (node, RDF.first, None) in graph:
            return {"kind": "list", "items": [rdflib_term(i, graph) for i in Collection(graph, node)]}
        if graph is not None:
            union = graph.value(node, OWL.unionOf)
            if union is not None:
                return {"kind": "union", "items": [rdflib_term(i, graph) for i in Collection(graph, union)]}
        return {"kind": "bnode", "label": bnode_label(graph, node)}
    datatype = str(node.datatype) if isinstance(node, Literal) and node.datatype else None
    return {
        "kind": "literal",
        "value": str(node),
        "lang": getattr(node, "language", None),
        "datatype": curie(datatype) if datatype and not datatype.endswith("#string") else None,
    }


def _rows(graph: Graph, subject, skip=()) -> list[dict]:
    groups: dict[str, list] = defaultdict(list)
    for p, o in graph.predicate_objects(subject):
        if p not in skip:
            groups[str(p)].append(o)
    rows = [
        {
            "predicate": iri_term(p),
            "values": [rdflib_term(v, graph) for v in sorted(vs, key=lambda v: _content_key(graph, v))],
        }
        for p, vs in groups.items()
    ]
    rows.sort(key=lambda r: (r["predicate"]["iri"] != str(RDF.type), r["predicate"]["label"].lower()))
    return rows


def read_turtle(path: Path) -> Graph:
    if not path.is_file():
        raise NotFound(f"the build has no {path.name}", hint="run `parley build` to make a complete build")
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def _text(graph: Graph, subject, *predicates) -> str | None:
    for predicate in predicates:
        for value in graph.objects(subject, predicate):
            if isinstance(value, Literal) and (value.language in (None, "en")):
                return str(value)
    return None


def ontology_context(g: Graph, version_iri: str | None) -> dict:
    """Return the context of the ontology's HTML documentation, from the ontology graph."""
    ns = str(PARLEY)

    def terms_of(kind):
        out = []
        for subject in sorted(set(g.subjects(RDF.type, kind))):
            if isinstance(subject, URIRef) and str(subject).startswith(ns):
                out.append(subject)
        return out

    def link(node):
        view = rdflib_term(node, g)
        if view.get("kind") == "iri" and view["iri"].startswith(ns):
            view["href"] = "#" + view["iri"][len(ns) :]
        return view

    def describe_term(subject, kind):
        local = str(subject)[len(ns) :]
        characteristics = [
            curie(str(t))
            for t in g.objects(subject, RDF.type)
            if t
            in (
                OWL.FunctionalProperty,
                OWL.SymmetricProperty,
                OWL.IrreflexiveProperty,
                OWL.TransitiveProperty,
                OWL.InverseFunctionalProperty,
            )
        ]
        return {
            "local": local,
            "iri": str(subject),
            "kind": kind,
            "label": _text(g, subject, RDFS.label, SKOS.prefLabel) or local,
            "definition": _text(g, subject, SKOS.definition, RDFS.comment),
            "super": [
                link(o)
                for o in sorted(g.objects(subject, RDFS.subClassOf), key=lambda o: _content_key(g, o))
                + sorted(g.objects(subject, RDFS.subPropertyOf), key=lambda o: _content_key(g, o))
            ],
            "subs": [link(o) for o in sorted(g.subjects(RDFS.subClassOf, subject), key=lambda o: _content_key(g, o))],
            "domain": [link(o) for o in g.objects(subject, RDFS.domain)],
            "range": [link(o) for o in g.objects(subject, RDFS.range)],
            "matches": [
                link(o)
                for o in sorted(g.objects(subject, SKOS.closeMatch), key=lambda o: _content_key(g, o))
                + sorted(g.objects(subject, SKOS.exactMatch), key=lambda o: _content_key(g, o))
            ],
            "characteristics": sorted(characteristics),
            "domain_of": [link(p) for p in sorted(g.subjects(RDFS.domain, subject))],
            "range_of": [link(p) for p in sorted(g.subjects(RDFS.range, subject))],
        }

    sections = [
        ("classes", "Classes", [describe_term(t, "class") for t in terms_of(OWL.Class)]),
        (
            "object-properties",
            "Object properties",
            [describe_term(t, "object property") for t in terms_of(OWL.ObjectProperty)],
        ),
        (
            "datatype-properties",
            "Datatype properties",
            [describe_term(t, "datatype property") for t in terms_of(OWL.DatatypeProperty)],
        ),
        (
            "annotation-properties",
            "Annotation properties",
            [describe_term(t, "annotation property") for t in terms_of(OWL.AnnotationProperty)],
        ),
        ("individuals", "Individuals", [describe_term(t, "individual") for t in terms_of(OWL.NamedIndividual)]),
    ]
    for _, _, items in sections:
        items.sort(key=lambda t: t["label"].lower())
    schemes = []
    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme)):
        concepts = []
        for concept in sorted(g.subjects(SKOS.inScheme, scheme)):
            concepts.append(
                {
                    "term": rdflib_term(concept, g),
                    "label": _text(g, concept, SKOS.prefLabel, RDFS.label) or str(concept),
                    "definition": _text(g, concept, SKOS.definition),
                    "notation": _text(g, concept, SKOS.notation),
                }
            )
        concepts.sort(key=lambda c: c["label"].lower())
        schemes.append(
            {
                "term": rdflib_term(scheme, g),
                "anchor": "scheme-" + str(scheme).rsplit("/", 1)[-1],
                "label": _text(g, scheme, SKOS.prefLabel, RDFS.label) or str(scheme),
                "definition": _text(g, scheme, SKOS.definition),
                "concepts": concepts,
            }
        )
    meta = {
        "title": _text(g, ONTOLOGY, DCTERMS.title) or "Parley ontology",
        "description": _text(g, ONTOLOGY, DCTERMS.description),
        "version_iri": version_iri,
        "version": _text(g, ONTOLOGY, OWL.versionInfo),
        "license": g.value(ONTOLOGY, DCTERMS.license),
        "created": g.value(ONTOLOGY, DCTERMS.created),
        "modified": g.value(ONTOLOGY, DCTERMS.modified),
        "namespace": ns,
    }
    return {"meta": meta, "sections": sections, "schemes": schemes}


def shapes_context(g: Graph) -> dict:
    """Return the context of the shapes page, from the shapes graph."""
    shapes = []
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(SH.targetClass, None))):
        props = []
        for ps in sorted(g.objects(shape, SH.property), key=lambda o: _content_key(g, o)):
            path = g.value(ps, SH.path)
            props.append(
                {
                    "path": rdflib_term(path, g) if path is not None else None,
                    "rows": _rows(g, ps, skip=(SH.path, RDF.type)),
                }
            )
        props.sort(key=lambda p: (p["path"] or {}).get("label", ""))
        sparql = [
            {"message": _text(g, c, SH.message), "select": _text(g, c, SH.select)}
            for c in sorted(g.objects(shape, SH.sparql), key=lambda o: _content_key(g, o))
        ]
        shapes.append(
            {
                "iri": str(shape),
                "anchor": str(shape).rsplit("#", 1)[-1],
                "label": _text(g, shape, RDFS.label) or str(shape).rsplit("#", 1)[-1],
                "rows": _rows(g, shape, skip=(SH.property, SH.sparql)),
                "properties": props,
                "sparql": sparql,
            }
        )
    return {"shapes": shapes}


def void_context(g: Graph) -> dict:
    """Return the context of the VoID page, from the VoID graph."""
    subjects = sorted(
        set(s for s in g.subjects() if isinstance(s, URIRef)), key=lambda s: (str(s) != BASE + "dataset", str(s))
    )
    sections = [
        {
            "iri": str(s),
            "label": _text(g, s, DCTERMS.title, RDFS.label) or curie(str(s)),
            "anchor": str(s).rsplit("#", 1)[1] if "#" in str(s) else None,
            "rows": _rows(g, s),
        }
        for s in subjects
    ]
    return {"sections": sections}


def _ratio(covered: int, total: int) -> str:
    return f"{100.0 * covered / total:.0f}%" if total else "no items"


def build_checks(info: dict, shacl_results: int) -> list[dict]:
    """Every check the build ran, from ``build.json``: name, status, whether it passed, figures.

    SHACL, the QC queries, the ontology metadata and the reasoner report their status as the
    build wrote it; number and sentence coverage give totals and a row per article.
    """
    checks = info.get("checks") or {}
    passing = {"conforms", "no rows", "complete", "consistent"}

    def status(name: str) -> dict:
        text = checks.get(name)
        return {"status": text or "not recorded in build.json", "ok": text in passing if text else None}

    out = [
        {"name": "SHACL", **status("SHACL"), "figures": f"{shacl_results:,} result(s) in the report"},
        {
            "name": "QC queries",
            **status("QC queries"),
            "figures": f"{info['qc_queries']:,} queries run" if "qc_queries" in info else "",
        },
        {"name": "Ontology metadata", **status("ontology metadata"), "figures": ""},
        {"name": "Reasoner: OWL consistency (HermiT)", **status("OWL consistency (HermiT)"), "figures": ""},
    ]
    numbers, covered = info.get("numbers"), info.get("numbers_covered")
    per_numbers = info.get("number_coverage") or {}
    out.append(
        {
            "name": "Number coverage",
            "status": _ratio(covered, numbers) if numbers is not None else "not recorded in build.json",
            "ok": (covered == numbers) if numbers is not None else None,
            "figures": f"{covered:,} of {numbers:,} numbers in the articles covered by a quote"
            if numbers is not None
            else "",
            "articles": [
                {"article": k, "total": v["numbers"], "covered": v["covered"], "out_of_scope": None}
                for k, v in sorted(per_numbers.items())
            ],
        }
    )
    sentences, s_covered = info.get("sentences"), info.get("sentences_covered")
    per_sentences = info.get("sentence_coverage") or {}
    out.append(
        {
            "name": "Sentence coverage",
            "status": _ratio(s_covered, sentences) if sentences is not None else "not recorded in build.json",
            "ok": (s_covered == sentences) if sentences is not None else None,
            "figures": f"{s_covered:,} of {sentences:,} sentences touched by a quote or out of scope "
            f"({info.get('sentences_out_of_scope', 0):,} out of scope)"
            if sentences is not None
            else "",
            "articles": [
                {"article": k, "total": v["sentences"], "covered": v["covered"], "out_of_scope": v["out_of_scope"]}
                for k, v in sorted(per_sentences.items())
            ],
        }
    )
    return out


def validation_context(g: Graph) -> dict:
    """Return the context of the validation page, from the sh:ValidationReport graph."""
    conforms = next(iter(g.objects(None, SH.conforms)), None)
    results = []
    for r in sorted(g.subjects(RDF.type, SH.ValidationResult), key=lambda o: _content_key(g, o)):

        def one(p, r=r):
            value = g.value(r, p)
            return rdflib_term(value, g) if value is not None else None

        results.append(
            {
                "severity": one(SH.resultSeverity),
                "focus": one(SH.focusNode),
                "path": one(SH.resultPath),
                "value": one(SH.value),
                "shape": one(SH.sourceShape),
                "message": _text(g, r, SH.resultMessage),
            }
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(
        key=lambda r: (
            order.get((r["severity"] or {}).get("label", "").rsplit(":", 1)[-1], 3),
            (r["focus"] or {}).get("label", ""),
        )
    )
    by_severity = defaultdict(int)
    for r in results:
        by_severity[(r["severity"] or {}).get("label", "unknown").rsplit(":", 1)[-1]] += 1
    return {
        "conforms": None if conforms is None else bool(conforms.toPython()),
        "results": results,
        "by_severity": dict(by_severity),
    }


def ontology_triples() -> list[ox.Triple]:
    """The ontology's triples, as the build holds them (read once per app)."""
    return site().once(
        "ontology-triples",
        lambda: site().store.triples(query("graph-triples"), {"g": ox.NamedNode(str(ONTOLOGY_GRAPH))}),
    )


def ontology_graph() -> Graph:
    """The ontology as an rdflib graph (made once per app)."""

    def compute() -> Graph:
        graph = Graph()
        graph.parse(data=ox.serialize(ontology_triples(), format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        return graph

    return site().once("ontology-graph", compute)


def version_iri() -> str | None:
    """The ontology's ``owl:versionIRI``, if it has one."""
    value = ontology_graph().value(ONTOLOGY, OWL.versionIRI)
    return str(value) if value is not None else None
