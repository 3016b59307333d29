"""The published artefacts and entry pages: home, types, timeline, ontology, shapes, VoID,
validation report and the query page.

``/`` gives the dataset's figures and entry points; ``/types`` and ``/types/{curie}`` list what
the graph holds by class; ``/timeline`` lists the events in date order with the quotes that date
them. ``/ontology`` (and its version IRI path, e.g. ``/ontology/0.1.0``) is documented in HTML
from the ontology graph itself, with an anchor per term so ``/ontology#Claim`` works, and served
as Turtle, RDF/XML, JSON-LD or N-Triples by Accept or extension. ``/shapes``, ``/void`` (also
``/.well-known/void``) and ``/validation`` serve the build's files as Turtle and summarise them
in HTML. ``/query`` is the query page (endpoint ``published.query_page``, which ``/sparql`` also
shows to a browser that sends no query); its example queries are ``server/queries/*.rq``.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from pathlib import Path
import pyoxigraph as ox
from flask import Blueprint, Flask, Response, redirect, render_template, request, url_for
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from graph.errors import NotFound
from graph.namespaces import BASE, ONTOLOGY, ONTOLOGY_GRAPH, PARLEY, PREFIXES

from .resources import (RDF_FORMATS, SERIALIZE_PREFIXES, choose, conditional, curie, not_acceptable,
                        quote_in_context, site, term)

bp = Blueprint("published", __name__)

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
ONTOLOGY_FORMATS: "OrderedDict[str, str]" = OrderedDict([
    ("html", "text/html"), ("ttl", "text/turtle"), ("rdf", "application/rdf+xml"),
    ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
])
TURTLE_FORMATS: "OrderedDict[str, str]" = OrderedDict([("html", "text/html"), ("ttl", "text/turtle")])
_LOCAL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

_COUNTS = """SELECT
  (COUNT(*) AS ?quads)
  (SUM(IF(?p = rdf:type && ?o = parley:Claim, 1, 0)) AS ?claims)
  (SUM(IF(?p = rdf:type && ?o = parley:Article, 1, 0)) AS ?articles)
  (SUM(IF(?p = parley:conflictsWith, 1, 0)) AS ?conflicts)
WHERE { GRAPH ?g { ?s ?p ?o } }"""
_ENTITIES = f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{BASE}graph/world> {{ ?s a ?type }} }}"""
_GRAPH_COUNT = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_TYPES = """SELECT ?type (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?type FILTER(isIRI(?x)) }
GROUP BY ?type ORDER BY DESC(?n)"""
_INSTANCES = "SELECT ?type ?x WHERE { ?x a ?type FILTER(isIRI(?x)) }"
_CONTESTED = """SELECT ?about ?measure (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c parley:conflictsWith ?d ; parley:about ?about ; parley:measure ?measure }
GROUP BY ?about ?measure ORDER BY DESC(?n) ?about"""
_ARTICLES = "SELECT ?a WHERE { ?a a parley:Article } ORDER BY ?a"
_EVENTS = """SELECT ?e ?type ?date ?start ?end WHERE {
  ?e a ?type . ?type rdfs:subClassOf* parley:Event .
  OPTIONAL { ?e parley:date ?date } OPTIONAL { ?e parley:startDate ?start }
  OPTIONAL { ?e parley:endDate ?end } }"""
_EVENT_SOURCES = """SELECT ?e ?prop ?source ?exact ?prefix ?suffix ?start ?end WHERE {
  ?e a ?type . ?type rdfs:subClassOf* parley:Event .
  ?att parley:attestedSubject ?e ; parley:attestedProperty ?prop ; parley:evidence ?ev .
  ?ev oa:hasSource ?source ; oa:hasSelector ?qs . ?qs oa:exact ?exact .
  OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix }
  OPTIONAL { ?ev oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end } }
ORDER BY ?e ?source ?start"""
_EVENT_ARTICLES = """SELECT DISTINCT ?e ?a WHERE {
  ?e a ?type . ?type rdfs:subClassOf* parley:Event .
  { ?e parley:mentionedIn ?a } UNION { ?c parley:about ?e ; parley:reportedIn ?a }
  UNION { ?att parley:attestedSubject ?e ; parley:evidence/oa:hasSource ?a } }"""
_ONTOLOGY_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
DATE_PROPERTIES = {str(PARLEY.date), str(PARLEY.startDate), str(PARLEY.endDate)}


# ---------------------------------------------------------------------------------------
# Shared helpers


def _cached(name: str, compute):
    cache = site().cache
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def _int(rows, name) -> int:
    return int(rows[0][name].value) if rows and name in rows[0] else 0


def _rdflib_term(node, graph: Graph | None = None) -> dict:
    """Template view of an rdflib term (like resources.term, for graphs read from files)."""
    if isinstance(node, URIRef):
        return term(ox.NamedNode(str(node)))
    if isinstance(node, BNode):
        if graph is not None and (node, RDF.first, None) in graph:
            return {"kind": "list", "items": [_rdflib_term(i, graph) for i in Collection(graph, node)]}
        if graph is not None:
            union = graph.value(node, OWL.unionOf)
            if union is not None:
                return {"kind": "union", "items": [_rdflib_term(i, graph) for i in Collection(graph, union)]}
        return {"kind": "bnode", "label": "_:" + str(node)[:8]}
    datatype = str(node.datatype) if isinstance(node, Literal) and node.datatype else None
    return {"kind": "literal", "value": str(node), "lang": getattr(node, "language", None),
            "datatype": curie(datatype) if datatype and not datatype.endswith("#string") else None}


def _rows(graph: Graph, subject, skip=()) -> list[dict]:
    groups: dict[str, list] = defaultdict(list)
    for p, o in graph.predicate_objects(subject):
        if p not in skip:
            groups[str(p)].append(o)
    rows = [{"predicate": term(ox.NamedNode(p)), "values": [_rdflib_term(v, graph) for v in sorted(vs)]}
            for p, vs in groups.items()]
    rows.sort(key=lambda r: (r["predicate"]["iri"] != str(RDF.type), r["predicate"]["label"].lower()))
    return rows


def _read_turtle(path: Path) -> Graph:
    if not path.is_file():
        raise NotFound(f"the build has no {path.name}", hint="run `parley build` to make a complete build")
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def _file_response(path: Path, ext: str, formats: "OrderedDict[str, str]", render_html, negotiated: bool,
                   route: str) -> Response:
    """Serve a build file as Turtle (bytes as built), other RDF syntaxes, or its HTML summary."""
    if not path.is_file():
        raise NotFound(f"the build has no {path.name}", hint="run `parley build` to make a complete build")
    media = formats[ext]

    def make():
        if ext == "html":
            return Response(render_html(), mimetype="text/html")
        if ext == "ttl":
            return Response(path.read_bytes(), headers={"Content-Type": "text/turtle; charset=utf-8"})
        data = path.read_bytes()
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
        return Response(ox.serialize(triples, format=RDF_FORMATS[media], prefixes=SERIALIZE_PREFIXES),
                        mimetype=media)

    links = [f'<{route}.{e}>; rel="alternate"; type="{m}"' for e, m in formats.items()]
    headers = {"Content-Location": f"{route}.{ext}"} if negotiated else {}
    return conditional(make, site().etag("file", route, ext), vary=negotiated, links=links, headers=headers)


def _pick(ext: str | None, formats, default="text/html"):
    """Return (extension, negotiated?) for a route with optional extension; NotFound/406 handled."""
    if ext is not None:
        if ext not in formats:
            raise NotFound(f"no .{ext} representation here", hint="extensions are " + ", ".join(formats))
        return ext, False
    chosen = choose(formats, default=default)
    return chosen, True


# ---------------------------------------------------------------------------------------
# Home, types, timeline


def _figures() -> dict:
    s = site()
    rows = s.store.select(_COUNTS)
    figures = {
        "triples": _int(rows, "quads"), "claims": _int(rows, "claims"), "articles": _int(rows, "articles"),
        "conflict_links": _int(rows, "conflicts") // 2,
        "entities": _int(s.store.select(_ENTITIES), "n"),
        "graphs": _int(s.store.select(_GRAPH_COUNT), "n"),
    }
    void_path = s.build_dir / "void.ttl"
    if void_path.is_file():
        void = Graph().parse(void_path, format="turtle")
        value = next(iter(void.objects(URIRef(BASE + "dataset"), URIRef("http://rdfs.org/ns/void#triples"))), None)
        figures["void_triples"] = int(value) if value is not None else None
    return figures


def _validation_summary() -> dict | None:
    path = site().build_dir / "validation.ttl"
    if not path.is_file():
        return None
    graph = Graph().parse(path, format="turtle")
    conforms = next(iter(graph.objects(None, SH.conforms)), None)
    results = list(graph.subjects(RDF.type, SH.ValidationResult))
    return {"conforms": None if conforms is None else bool(conforms.toPython()), "results": len(results)}


@bp.route("/", methods=["GET", "HEAD"])
def home():
    """The dataset's figures and its entry points."""
    s = site()

    def make():
        ns = str(PARLEY)
        types = [t for t in _type_counts() if t["iri"].startswith(ns)]
        contested = [{"about": term(r["about"]), "measure": term(r["measure"]), "claims": int(r["n"].value)}
                     for r in s.store.select(_CONTESTED)]
        articles = [term(r["a"]) for r in s.store.select(_ARTICLES)]
        body = render_template("home.html", figures=_cached("figures", _figures), types=types,
                               contested=contested, articles=articles,
                               validation=_cached("validation", _validation_summary))
        return Response(body, mimetype="text/html")

    return conditional(make, s.etag("home"), vary=False)


def _type_counts() -> list[dict]:
    def compute():
        out = []
        for row in site().store.select(_TYPES):
            t = term(row["type"])
            t["count"] = int(row["n"].value)
            t["list_href"] = url_for("published.type_list", name=curie(t["iri"])) if curie(t["iri"]) != t["iri"] else None
            out.append(t)
        return out
    return _cached("types", compute)


@bp.route("/types", methods=["GET", "HEAD"])
def types():
    """Every class the graph has instances of, with counts."""
    def make():
        return Response(render_template("types.html", types=_type_counts()), mimetype="text/html")
    return conditional(make, site().etag("types"), vary=False)


@bp.route("/types/<name>", methods=["GET", "HEAD"])
def type_list(name: str):
    """The instances of one class, named by CURIE (``parley:Person``, ``skos:Concept``)."""
    prefix, _, local = name.partition(":")
    if prefix not in PREFIXES or not _LOCAL.match(local):
        raise NotFound(f"no class {name!r} here",
                       hint="name a class by CURIE with a known prefix, e.g. /types/parley:Person")
    iri = str(PREFIXES[prefix]) + local
    s = site()
    items = [term(r["x"]) for r in s.store.select(_INSTANCES, {"type": ox.NamedNode(iri)})]
    if not items:
        raise NotFound(f"the graph has no instance of {name}", hint="see /types for the classes it has")
    items.sort(key=lambda t: t["label"].lower())

    def make():
        return Response(render_template("type_list.html", cls=term(ox.NamedNode(iri)), name=name, items=items),
                        mimetype="text/html")
    return conditional(make, s.etag("types", name), vary=False)


def _timeline() -> dict:
    s = site()
    events: "OrderedDict[str, dict]" = OrderedDict()
    for row in s.store.select(_EVENTS):
        e = row["e"].value
        item = events.setdefault(e, {"event": term(row["e"]), "types": set(), "date": None, "start": None,
                                     "end": None, "quotes": [], "articles": []})
        if row["type"].value != str(PARLEY.Event) or not item["types"]:
            item["types"].add(row["type"].value)
        for key in ("date", "start", "end"):
            if key in row:
                item[key] = row[key].value
    for row in s.store.select(_EVENT_SOURCES):
        item = events.get(row["e"].value)
        if item is None or len(item["quotes"]) >= 4:
            continue
        get = lambda k: row[k].value if k in row else None  # noqa: E731
        item["quotes"].append({
            "property": term(row["prop"]), "source": term(row["source"]),
            "dates": row["prop"].value in DATE_PROPERTIES,
            "quote": quote_in_context(get("source"), get("exact"), get("start"), get("end"), get("prefix"),
                                      get("suffix"))})
    for row in s.store.select(_EVENT_ARTICLES):
        item = events.get(row["e"].value)
        if item is not None:
            item["articles"].append(term(row["a"]))
    dated, undated = [], []
    for item in events.values():
        specific = [t for t in item["types"] if t != str(PARLEY.Event)] or list(item["types"])
        item["types"] = [term(ox.NamedNode(t)) for t in sorted(specific)]
        item["quotes"].sort(key=lambda q: not q["dates"])
        item["articles"].sort(key=lambda t: t["label"])
        item["when"] = item["date"] or item["start"] or item["end"]
        (dated if item["when"] else undated).append(item)
    dated.sort(key=lambda i: (i["when"], i["end"] or "", i["event"]["label"]))
    undated.sort(key=lambda i: i["event"]["label"])
    return {"dated": dated, "undated": undated}


@bp.route("/timeline", methods=["GET", "HEAD"])
def timeline():
    """Events in date order with the articles and quotes that date them."""
    def make():
        return Response(render_template("timeline.html", **_cached("timeline", _timeline)), mimetype="text/html")
    return conditional(make, site().etag("timeline"), vary=False)


# ---------------------------------------------------------------------------------------
# Ontology


def _ontology_triples() -> list[ox.Triple]:
    return _cached("ontology_triples", lambda: site().store.triples(
        _ONTOLOGY_TRIPLES, {"g": ox.NamedNode(str(ONTOLOGY_GRAPH))}))


def _ontology_graph() -> Graph:
    def compute():
        graph = Graph()
        graph.parse(data=ox.serialize(_ontology_triples(), format=ox.RdfFormat.N_TRIPLES).decode("utf-8"),
                    format="nt")
        return graph
    return _cached("ontology_graph", compute)


def _version_iri() -> str | None:
    value = _ontology_graph().value(ONTOLOGY, OWL.versionIRI)
    return str(value) if value is not None else None


def _text(graph: Graph, subject, *predicates) -> str | None:
    for predicate in predicates:
        for value in graph.objects(subject, predicate):
            if isinstance(value, Literal) and (value.language in (None, "en")):
                return str(value)
    return None


def _ontology_context() -> dict:
    g = _ontology_graph()
    ns = str(PARLEY)

    def terms_of(kind):
        out = []
        for subject in sorted(set(g.subjects(RDF.type, kind))):
            if isinstance(subject, URIRef) and str(subject).startswith(ns):
                out.append(subject)
        return out

    def link(node):
        view = _rdflib_term(node, g)
        if view.get("kind") == "iri" and view["iri"].startswith(ns):
            view["href"] = "#" + view["iri"][len(ns):]
        return view

    def describe_term(subject, kind):
        local = str(subject)[len(ns):]
        characteristics = [curie(str(t)) for t in g.objects(subject, RDF.type)
                           if t in (OWL.FunctionalProperty, OWL.SymmetricProperty, OWL.IrreflexiveProperty,
                                    OWL.TransitiveProperty, OWL.InverseFunctionalProperty)]
        return {
            "local": local, "iri": str(subject), "kind": kind,
            "label": _text(g, subject, RDFS.label, SKOS.prefLabel) or local,
            "definition": _text(g, subject, SKOS.definition, RDFS.comment),
            "super": [link(o) for o in sorted(g.objects(subject, RDFS.subClassOf))
                      + sorted(g.objects(subject, RDFS.subPropertyOf))],
            "subs": [link(o) for o in sorted(g.subjects(RDFS.subClassOf, subject))],
            "domain": [link(o) for o in g.objects(subject, RDFS.domain)],
            "range": [link(o) for o in g.objects(subject, RDFS.range)],
            "matches": [link(o) for o in sorted(g.objects(subject, SKOS.closeMatch))
                        + sorted(g.objects(subject, SKOS.exactMatch))],
            "characteristics": sorted(characteristics),
            "domain_of": [link(p) for p in sorted(g.subjects(RDFS.domain, subject))],
            "range_of": [link(p) for p in sorted(g.subjects(RDFS.range, subject))],
        }

    sections = [
        ("classes", "Classes", [describe_term(t, "class") for t in terms_of(OWL.Class)]),
        ("object-properties", "Object properties",
         [describe_term(t, "object property") for t in terms_of(OWL.ObjectProperty)]),
        ("datatype-properties", "Datatype properties",
         [describe_term(t, "datatype property") for t in terms_of(OWL.DatatypeProperty)]),
        ("annotation-properties", "Annotation properties",
         [describe_term(t, "annotation property") for t in terms_of(OWL.AnnotationProperty)]),
    ]
    for _, _, items in sections:
        items.sort(key=lambda t: t["label"].lower())
    schemes = []
    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme)):
        concepts = []
        for concept in sorted(g.subjects(SKOS.inScheme, scheme)):
            concepts.append({"term": _rdflib_term(concept, g),
                             "label": _text(g, concept, SKOS.prefLabel, RDFS.label) or str(concept),
                             "definition": _text(g, concept, SKOS.definition),
                             "notation": _text(g, concept, SKOS.notation)})
        concepts.sort(key=lambda c: c["label"].lower())
        schemes.append({"term": _rdflib_term(scheme, g), "anchor": "scheme-" + str(scheme).rsplit("/", 1)[-1],
                        "label": _text(g, scheme, SKOS.prefLabel, RDFS.label) or str(scheme),
                        "definition": _text(g, scheme, SKOS.definition), "concepts": concepts})
    meta = {
        "title": _text(g, ONTOLOGY, DCTERMS.title) or "Parley ontology",
        "description": _text(g, ONTOLOGY, DCTERMS.description),
        "version_iri": _version_iri(), "version": _text(g, ONTOLOGY, OWL.versionInfo),
        "license": g.value(ONTOLOGY, DCTERMS.license), "created": g.value(ONTOLOGY, DCTERMS.created),
        "modified": g.value(ONTOLOGY, DCTERMS.modified), "namespace": ns,
    }
    return {"meta": meta, "sections": sections, "schemes": schemes}


def _serve_ontology(ext: str | None, route: str) -> Response:
    ext, negotiated = _pick(ext, ONTOLOGY_FORMATS)
    if ext is None:
        return not_acceptable(ONTOLOGY_FORMATS.values())
    triples = _ontology_triples()
    if not triples:
        raise NotFound("the store has no ontology graph", hint="rebuild with `parley build`")
    media = ONTOLOGY_FORMATS[ext]

    def make():
        if ext == "html":
            context = _cached("ontology_context", _ontology_context)
            return Response(render_template("ontology.html", formats=ONTOLOGY_FORMATS, route=route, **context),
                            mimetype="text/html")
        response = Response(ox.serialize(triples, format=RDF_FORMATS[media], prefixes=SERIALIZE_PREFIXES),
                            mimetype=media)
        if media in ("text/turtle", "application/n-triples"):
            response.headers["Content-Type"] = f"{media}; charset=utf-8"
        return response

    links = [f'<{route}.{e}>; rel="alternate"; type="{m}"' for e, m in ONTOLOGY_FORMATS.items()]
    headers = {"Content-Location": f"{route}.{ext}"} if negotiated else {}
    return conditional(make, site().etag("ontology", route, ext), vary=negotiated, links=links, headers=headers)


@bp.route("/ontology", methods=["GET", "HEAD"])
@bp.route("/ontology.<ext>", methods=["GET", "HEAD"])
def ontology(ext: str | None = None):
    """The ontology and its code lists: HTML documentation or RDF, by Accept or extension."""
    return _serve_ontology(ext, "/ontology")


@bp.route("/ontology/<version>", methods=["GET", "HEAD"])
def ontology_version(version: str):
    """The ontology at its version IRI (``owl:versionIRI``); other versions are not served here."""
    # A version such as 0.1.0 has dots: the last part is an extension only when it names a format.
    stem, ext = version, None
    if "." in version and version.rsplit(".", 1)[1] in ONTOLOGY_FORMATS:
        stem, ext = version.rsplit(".", 1)
    if _version_iri() != f"{ONTOLOGY}/{stem}":
        raise NotFound(f"no ontology version {stem!r} in this build",
                       hint=f"this build has {_version_iri() or 'no version IRI'}")
    return _serve_ontology(ext, f"/ontology/{stem}")


# ---------------------------------------------------------------------------------------
# Shapes, VoID, validation


def _shapes_html() -> str:
    g = _read_turtle(site().build_dir / "dumps" / "shapes.ttl")
    shapes = []
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(SH.targetClass, None))):
        props = []
        for ps in g.objects(shape, SH.property):
            path = g.value(ps, SH.path)
            props.append({"path": _rdflib_term(path, g) if path is not None else None,
                          "rows": _rows(g, ps, skip=(SH.path, RDF.type))})
        props.sort(key=lambda p: (p["path"] or {}).get("label", ""))
        sparql = [{"message": _text(g, c, SH.message), "select": _text(g, c, SH.select)}
                  for c in g.objects(shape, SH.sparql)]
        shapes.append({"iri": str(shape), "anchor": str(shape).rsplit("#", 1)[-1],
                       "label": _text(g, shape, RDFS.label) or str(shape).rsplit("#", 1)[-1],
                       "rows": _rows(g, shape, skip=(SH.property, SH.sparql)), "properties": props,
                       "sparql": sparql})
    return render_template("shapes.html", shapes=shapes, formats=TURTLE_FORMATS)


@bp.route("/shapes", methods=["GET", "HEAD"])
@bp.route("/shapes.<ext>", methods=["GET", "HEAD"])
def shapes(ext: str | None = None):
    """The SHACL shapes the data conforms to: Turtle as built, or an HTML listing."""
    ext, negotiated = _pick(ext, TURTLE_FORMATS)
    if ext is None:
        return not_acceptable(TURTLE_FORMATS.values())
    return _file_response(site().build_dir / "dumps" / "shapes.ttl", ext, TURTLE_FORMATS, _shapes_html,
                          negotiated, "/shapes")


VOID_FORMATS: "OrderedDict[str, str]" = OrderedDict([
    ("html", "text/html"), ("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
    ("rdf", "application/rdf+xml"), ("nt", "application/n-triples")])


def _void_html() -> str:
    g = _read_turtle(site().build_dir / "void.ttl")
    subjects = sorted(set(s for s in g.subjects() if isinstance(s, URIRef)),
                      key=lambda s: (str(s) != BASE + "dataset", str(s)))
    sections = [{"iri": str(s), "label": _text(g, s, DCTERMS.title, RDFS.label) or curie(str(s)),
                 "anchor": str(s).rsplit("#", 1)[1] if "#" in str(s) else None, "rows": _rows(g, s)}
                for s in subjects]
    return render_template("void.html", sections=sections, formats=VOID_FORMATS)


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
@bp.route("/void", methods=["GET", "HEAD"])
@bp.route("/void.<ext>", methods=["GET", "HEAD"])
def void(ext: str | None = None):
    """The VoID/DCAT description of the dataset and its dumps."""
    ext, negotiated = _pick(ext, VOID_FORMATS)
    if ext is None:
        return not_acceptable(VOID_FORMATS.values())
    return _file_response(site().build_dir / "void.ttl", ext, VOID_FORMATS, _void_html, negotiated, "/void")


@bp.route("/dataset", methods=["GET", "HEAD"])
def dataset():
    """The dataset's IRI: 303 See Other to its VoID description."""
    response = redirect(url_for("published.void"), code=303)
    return response


def _validation_html() -> str:
    g = _read_turtle(site().build_dir / "validation.ttl")
    conforms = next(iter(g.objects(None, SH.conforms)), None)
    results = []
    for r in g.subjects(RDF.type, SH.ValidationResult):
        def one(p):
            value = g.value(r, p)
            return _rdflib_term(value, g) if value is not None else None
        results.append({"severity": one(SH.resultSeverity), "focus": one(SH.focusNode), "path": one(SH.resultPath),
                        "value": one(SH.value), "shape": one(SH.sourceShape),
                        "message": _text(g, r, SH.resultMessage)})
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(key=lambda r: (order.get((r["severity"] or {}).get("label", "").rsplit(":", 1)[-1], 3),
                                (r["focus"] or {}).get("label", "")))
    by_severity = defaultdict(int)
    for r in results:
        by_severity[(r["severity"] or {}).get("label", "unknown").rsplit(":", 1)[-1]] += 1
    return render_template("validation.html", conforms=None if conforms is None else bool(conforms.toPython()),
                           results=results, by_severity=dict(by_severity), formats=TURTLE_FORMATS)


@bp.route("/validation", methods=["GET", "HEAD"])
@bp.route("/validation.<ext>", methods=["GET", "HEAD"])
def validation(ext: str | None = None):
    """The build's latest SHACL validation report: HTML summary or Turtle."""
    ext, negotiated = _pick(ext, TURTLE_FORMATS)
    if ext is None:
        return not_acceptable(TURTLE_FORMATS.values())
    return _file_response(site().build_dir / "validation.ttl", ext, TURTLE_FORMATS, _validation_html,
                          negotiated, "/validation")


# ---------------------------------------------------------------------------------------
# Query page


def load_examples(directory: Path = QUERIES_DIR) -> list[dict]:
    """Return the canned queries: name, title (``# title:``), description (other ``#`` lines), text."""
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title, description = path.stem.replace("-", " "), []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            body = line.lstrip("#").strip()
            if body.lower().startswith("title:"):
                title = body[len("title:"):].strip()
            elif body:
                description.append(body)
        examples.append({"name": path.stem, "title": title, "description": " ".join(description), "text": text})
    return examples


def default_query() -> str:
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()]
    return "\n".join(lines) + "\n\nSELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n"


def _vendor_assets() -> dict:
    vendor = Path(__file__).resolve().parent / "static" / "vendor"
    files = {"cm_js": "codemirror/codemirror.js", "cm_css": "codemirror/codemirror.css",
             "cm_sparql": "codemirror/sparql.js"}
    return {k: v for k, v in files.items() if (vendor / v).is_file()}


@bp.route("/query", methods=["GET", "HEAD"])
def query_page():
    """The query page: editor, example queries, results table; a plain form without JavaScript."""
    examples = _cached("examples", load_examples)
    chosen = request.args.get("example")
    text = next((e["text"] for e in examples if e["name"] == chosen), None) if chosen else None
    if chosen and text is None:
        raise NotFound(f"no example query {chosen!r}", hint="pick one of the examples listed on /query")
    body = render_template("query.html", examples=examples, query_text=text or default_query(), chosen=chosen,
                           base=BASE, prefixes={p: str(ns) for p, ns in PREFIXES.items()},
                           assets=_vendor_assets())
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


def register(app: Flask) -> None:
    """Attach the home, timeline, ontology, shapes, VoID, validation and query pages."""
    app.register_blueprint(bp)
