"""Fixtures for the page, dereferencing, published-artefact and dump tests.

``write_small_build(out)`` writes a small build shaped exactly like docs/data-model.md says the
real one is (ontology, world, two article graphs and provenance; a person, a delegation, a
negotiation round, an exchange round, conflicting claims with quantities, evidence and
attestations; a dumps directory with SHA256SUMS, void.ttl and validation.ttl), so these tests do
not wait for the real build. The session fixture ``pages_build`` makes it once; ``app`` and
``client`` are per test.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from graph.namespaces import (DATASET, ID, OA, ONTOLOGY, ONTOLOGY_GRAPH, PARLEY, PROVENANCE_GRAPH,
                              PREFIXES, SHAPES, WORLD_GRAPH, article_graph, bind_prefixes)

ROOT = Path(__file__).resolve().parents[2]
ESCAPE_LABEL = "Escape test </script><script>alert(1)</script> & <b>bold</b>"
BUILD_TIME = "2026-11-22T00:00:00Z"

# (article number, claim key, measure, figure, approximation, value/min, speaker, stated on,
#  as of, modality, about, exact quote)
CLAIMS = [
    ("000", "bodies-received-june-13", "bodies-received-by-ukraine", "1,200", "exact", ("value", 1200),
     "org/ukraine-coordination-headquarters", "2025-06-13", "2025-06-13", "done",
     "exchange/2025-06-13-bodies", "the bodies of 1,200 killed were returned"),
    ("000", "bodies-total-to-date", "bodies-returned-to-ukraine-total", "3,012", "exact", ("value", 3012),
     "article", None, "2025-06-13", "done", "agreement/2025-06-02-istanbul",
     "brings the total to date to 3,012"),
    ("001", "putin-bodies-returned-total", "bodies-returned-to-ukraine-total", "over 6,000", "more-than",
     ("minValue", 6000), "person/vladimir-putin", "2025-06-19", None, "done",
     "agreement/2025-06-02-istanbul", "We have returned over 6,000 bodies of fallen Ukrainian servicemen"),
    ("001", "bodies-returned-3600", "bodies-returned-to-ukraine-total", "3,600", "exact", ("value", 3600),
     "article", None, None, "done", "agreement/2025-06-02-istanbul",
     "the bodies of 3,600 deceased soldiers have been returned to Ukraine"),
]
CONFLICTS = [("000/bodies-total-to-date", "001/putin-bodies-returned-total"),
             ("000/bodies-total-to-date", "001/bodies-returned-3600"),
             ("001/putin-bodies-returned-total", "001/bodies-returned-3600")]
ARTICLES = {"000": "000_36ce8dffabdc45fd", "001": "001_0ee01c4a5faa6e0f", "003": "003_fceafe4a02e0290a"}

SHAPES_TTL = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix parley: <https://w3id.org/parley/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/parley/shapes#ClaimShape> a sh:NodeShape ;
    rdfs:label "claim shape" ;
    sh:targetClass parley:Claim ;
    sh:property [ sh:path parley:reportedIn ; sh:minCount 1 ; sh:class parley:Article ;
                  sh:message "A claim names the article that reports it." ] .
"""


def _article_slug(number: str) -> str:
    return ARTICLES[number].replace("_", "-")


def _claim(number: str, key: str) -> URIRef:
    return ID[f"claim/{number}-{key}"]


def _evidence(g, key: str, article: URIRef, text: str, exact: str) -> URIRef:
    start = text.index(exact)
    end = start + len(exact)
    ev = ID[f"evidence/{key}"]
    quote, position = URIRef(ev + "#quote"), URIRef(ev + "#position")
    g.add((ev, RDF.type, OA.SpecificResource))
    g.add((ev, OA.hasSource, article))
    g.add((ev, OA.hasSelector, quote))
    g.add((ev, OA.hasSelector, position))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(exact)))
    g.add((quote, OA.prefix, Literal(text[max(0, start - 32):start])))
    g.add((quote, OA.suffix, Literal(text[end:end + 32])))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    return ev


def build_dataset() -> Dataset:
    """Return the small dataset: ontology, world, article graphs and provenance."""
    ds = Dataset()
    bind_prefixes(ds)
    onto = ds.graph(ONTOLOGY_GRAPH)
    for name in ("parley.ttl", "codelists.ttl"):
        onto.parse(ROOT / "ontology" / name, format="turtle")

    world = ds.graph(WORLD_GRAPH)
    entities = {
        "person/vladimir-medinsky": (PARLEY.Person, "Vladimir Medinsky"),
        "person/vladimir-putin": (PARLEY.Person, "Vladimir Putin"),
        "state/russia": (PARLEY.State, "Russia"),
        "state/ukraine": (PARLEY.State, "Ukraine"),
        "org/ukraine-coordination-headquarters": (
            PARLEY.Organisation, "Coordination Headquarters for the Treatment of Prisoners of War"),
        "org/icrc": (PARLEY.Organisation, "International Committee of the Red Cross"),
        "org/escape-test": (PARLEY.Organisation, ESCAPE_LABEL),
        "place/istanbul": (PARLEY.Place, "Istanbul"),
        "delegation/russia-2025-06-02": (PARLEY.Delegation, "Russian delegation, 2 June 2025"),
        "round/2025-06-02-istanbul": (PARLEY.NegotiationRound, "Istanbul talks, 2 June 2025"),
        "agreement/2025-06-02-istanbul": (PARLEY.Agreement, "Istanbul agreement of 2 June 2025"),
        "exchange/2025-06-13-bodies": (PARLEY.ExchangeRound, "Return of bodies, 13 June 2025"),
        "exchange/2025-05-23-prisoners": (PARLEY.ExchangeRound, "Prisoner exchange, 23-25 May 2025"),
    }
    for ref, (cls, label) in entities.items():
        world.add((ID[ref], RDF.type, cls))
        world.add((ID[ref], RDFS.label, Literal(label, lang="en")))
        world.add((ID[ref], SKOS.prefLabel, Literal(label, lang="en")))
    world.add((ID["person/vladimir-medinsky"], SKOS.altLabel, Literal("Medinsky", lang="en")))
    d = ID["delegation/russia-2025-06-02"]
    world.add((d, PARLEY.headedBy, ID["person/vladimir-medinsky"]))
    world.add((d, PARLEY.represents, ID["state/russia"]))
    world.add((d, PARLEY.attended, ID["round/2025-06-02-istanbul"]))
    r = ID["round/2025-06-02-istanbul"]
    world.add((r, PARLEY.place, ID["place/istanbul"]))
    world.add((r, PARLEY.date, Literal("2025-06-02", datatype=XSD.date)))
    world.add((r, PARLEY.ordinal, Literal(2, datatype=XSD.positiveInteger)))
    world.add((ID["agreement/2025-06-02-istanbul"], PARLEY.reachedAt, r))
    x = ID["exchange/2025-06-13-bodies"]
    world.add((x, PARLEY.date, Literal("2025-06-13", datatype=XSD.date)))
    world.add((x, PARLEY.implements, ID["agreement/2025-06-02-istanbul"]))
    world.add((x, PARLEY.facilitatedBy, ID["org/icrc"]))
    world.add((x, PARLEY.exchanged, ID["category/bodies"]))
    x2 = ID["exchange/2025-05-23-prisoners"]
    world.add((x2, PARLEY.startDate, Literal("2025-05-23", datatype=XSD.date)))
    world.add((x2, PARLEY.endDate, Literal("2025-05-25", datatype=XSD.date)))

    texts = {}
    for number, stem in ARTICLES.items():
        text = (ROOT / "corpus" / f"{stem}.txt").read_text(encoding="utf-8")
        texts[number] = text
        slug = _article_slug(number)
        art = ID[f"article/{slug}"]
        g = ds.graph(article_graph(slug))
        g.add((art, RDF.type, PARLEY.Article))
        g.add((art, RDFS.label, Literal(f"Article {number}", lang="en")))
        g.add((art, PARLEY.sourceFile, Literal(f"corpus/{stem}.txt")))
        g.add((art, PARLEY.sha256, Literal(hashlib.sha256(text.encode()).hexdigest())))
        g.add((art, PARLEY.characters, Literal(len(text), datatype=XSD.integer)))
        g.add((art, PARLEY.text, Literal(text)))
        if number == "003":
            world.add((ID["person/vladimir-medinsky"], PARLEY.mentionedIn, art))
    art000 = ID[f"article/{_article_slug('000')}"]
    ds.graph(article_graph(_article_slug("000"))).add(
        (art000, PARLEY.publishedOn, Literal("2025-06-13", datatype=XSD.date)))

    for (number, key, measure, figure, approx, (vprop, value), speaker, stated, as_of, modality,
         about, exact) in CLAIMS:
        slug = _article_slug(number)
        g = ds.graph(article_graph(slug))
        art = ID[f"article/{slug}"]
        c = _claim(number, key)
        q = URIRef(c + "#quantity")
        g.add((c, RDF.type, PARLEY.Claim))
        g.add((c, RDFS.label, Literal(f"{figure}: {measure.replace('-', ' ')}", lang="en")))
        g.add((c, PARLEY.about, ID[about]))
        g.add((c, PARLEY.measure, ID[f"measure/{measure}"]))
        g.add((c, PARLEY.quantity, q))
        g.add((q, RDF.type, PARLEY.Quantity))
        g.add((q, PARLEY.figure, Literal(figure)))
        g.add((q, PARLEY.approximation, ID[f"approximation/{approx}"]))
        g.add((q, PARLEY[vprop], Literal(value, datatype=XSD.integer)))
        g.add((c, PARLEY.speaker, art if speaker == "article" else ID[speaker]))
        if stated:
            g.add((c, PARLEY.statedOn, Literal(stated, datatype=XSD.date)))
        if as_of:
            g.add((c, PARLEY.asOf, Literal(as_of, datatype=XSD.date)))
        g.add((c, PARLEY.modality, ID[f"modality/{modality}"]))
        g.add((c, PARLEY.reportedIn, art))
        g.add((c, PARLEY.evidence, _evidence(g, f"{number}-{key}", art, texts[number], exact)))
    for a, b in CONFLICTS:
        ca, cb = _claim(*a.split("/")), _claim(*b.split("/"))
        ds.graph(article_graph(_article_slug(a[:3]))).add((ca, PARLEY.conflictsWith, cb))
        ds.graph(article_graph(_article_slug(b[:3]))).add((cb, PARLEY.conflictsWith, ca))

    # An attestation of the round's date, quoted from article 001.
    slug = _article_slug("001")
    g = ds.graph(article_graph(slug))
    att = ID["attestation/001-round-2-date"]
    g.add((att, RDF.type, PARLEY.Attestation))
    g.add((att, PARLEY.attestedSubject, r))
    g.add((att, PARLEY.attestedProperty, PARLEY.date))
    g.add((att, PARLEY.attestedValue, Literal("2025-06-02", datatype=XSD.date)))
    g.add((att, PARLEY.evidence, _evidence(g, "001-round-2-date", ID[f"article/{slug}"], texts["001"],
                                           "The second round of peace discussions occurred in Istanbul on June 2.")))
    slug = _article_slug("003")
    g = ds.graph(article_graph(slug))
    att = ID["attestation/003-medinsky-heads"]
    g.add((att, RDF.type, PARLEY.Attestation))
    g.add((att, PARLEY.attestedSubject, d))
    g.add((att, PARLEY.attestedProperty, PARLEY.headedBy))
    g.add((att, PARLEY.attestedValue, ID["person/vladimir-medinsky"]))
    g.add((att, PARLEY.evidence, _evidence(g, "003-medinsky-heads", ID[f"article/{slug}"], texts["003"],
                                           "Medinsky, who heads the Russian team")))

    prov = ds.graph(PROVENANCE_GRAPH)
    activity = ID["activity/ingest"]
    prov.add((activity, RDF.type, PROV.Activity))
    prov.add((activity, PROV.endedAtTime, Literal(BUILD_TIME, datatype=XSD.dateTime)))
    agent = ID["agent/parley-0.1.0"]
    prov.add((activity, PROV.wasAssociatedWith, agent))
    prov.add((agent, RDF.type, PROV.SoftwareAgent))
    prov.add((agent, RDFS.label, Literal("Parley 0.1.0")))
    for graph_iri in [WORLD_GRAPH, ONTOLOGY_GRAPH] + [article_graph(_article_slug(n)) for n in ARTICLES]:
        prov.add((graph_iri, PROV.wasGeneratedBy, activity))
    return ds


def _ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def dataset_quads(ds: Dataset) -> list[ox.Quad]:
    """Return the dataset's quads as pyoxigraph quads (named graphs only, as the build writes)."""
    quads = []
    for graph in ds.graphs():
        if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue
        name = ox.NamedNode(str(graph.identifier))
        for s, p, o in graph:
            quads.append(ox.Quad(_ox(s), _ox(p), _ox(o), name))
    return sorted(quads, key=str)


def write_small_build(out: Path) -> Path:
    """Write a complete small build (store, dumps, void.ttl, validation.ttl) to ``out``."""
    quads = dataset_quads(build_dataset())
    out.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(out / "store"))
    store.extend(quads)
    store.flush()
    del store

    dumps = out / "dumps"
    dumps.mkdir(exist_ok=True)
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    triples = sorted({q.triple for q in quads}, key=str)
    ontology = [q.triple for q in quads if q.graph_name.value == str(ONTOLOGY_GRAPH)]
    files = {
        "parley.nq.gz": gzip.compress(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), mtime=0),
        "parley.trig.gz": gzip.compress(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes), mtime=0),
        "parley.ttl.gz": gzip.compress(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes), mtime=0),
        "parley.jsonld.gz": gzip.compress(ox.serialize(triples, format=ox.RdfFormat.JSON_LD), mtime=0),
        "ontology.ttl": ox.serialize(ontology, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        "shapes.ttl": SHAPES_TTL.encode(),
    }
    for name, data in files.items():
        (dumps / name).write_bytes(data)
    (dumps / "SHA256SUMS").write_text(
        "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())))

    count = len(triples)
    void = ("@prefix void: <http://rdfs.org/ns/void#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            f"<{DATASET}> a void:Dataset, dcat:Dataset ;\n  dcterms:title \"Parley\"@en ;\n"
            f"  dcterms:modified \"{BUILD_TIME}\"^^xsd:dateTime ;\n"
            f"  void:triples {count} ;\n  void:entities 13 ;\n"
            f"  dcterms:conformsTo <{SHAPES}> ;\n  void:vocabulary <{ONTOLOGY}> ;\n"
            f"  void:sparqlEndpoint <https://w3id.org/parley/sparql> ;\n"
            f"  void:dataDump <https://w3id.org/parley/dumps/parley.nq.gz> .\n")
    (out / "void.ttl").write_text(void)
    validation = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                  "@prefix parley: <https://w3id.org/parley/ontology#> .\n"
                  "[] a sh:ValidationReport ; sh:conforms true ;\n"
                  "  sh:result [ a sh:ValidationResult ; sh:resultSeverity sh:Warning ;\n"
                  "    sh:focusNode <https://w3id.org/parley/id/claim/001-bodies-returned-3600> ;\n"
                  "    sh:resultPath parley:asOf ;\n"
                  "    sh:sourceShape <https://w3id.org/parley/shapes#ClaimShape> ;\n"
                  "    sh:resultMessage \"A claim has no as-of date.\" ] .\n")
    (out / "validation.ttl").write_text(validation)
    return out


@pytest.fixture(scope="session")
def pages_build(tmp_path_factory) -> Path:
    """A small build shaped like the real one (see the module docstring), made once."""
    return write_small_build(tmp_path_factory.mktemp("pages-build") / "build")


@pytest.fixture
def app(pages_build):
    from server import create_app

    app = create_app({"build_dir": pages_build})
    app.config["TESTING"] = True
    yield app
    endpoint = app.extensions.get("parley_sparql")
    if endpoint is not None:  # the SPARQL endpoint's query processes, if a test started them
        endpoint.close()


@pytest.fixture
def client(app):
    return app.test_client()
