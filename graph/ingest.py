"""Turn the checked corpus and curation into an rdflib Dataset.

``build_dataset(corpus, vocab, run)`` returns a Dataset with the ontology graph, the world
graph (entities and undisputed facts), one graph per article (the article, its claims,
quantities, evidence and attestations) and the provenance graph. Every triple is in exactly
one graph. IRIs come from article numbers, refs and curation keys, never from counters, so a
re-ingest gives the same IRIs. The layout is documented in ``docs/data-model.md``.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.plugins.stores.memory import Memory

from .article_names import article_label
from .disputes import add_figure_sets
from .namespaces import (
    ID,
    OA,
    ONTOLOGY_GRAPH,
    PARLEY,
    WHOLE,
    WORLD_GRAPH,
    article_graph,
    bind_prefixes,
)
from .provenance import BuildRun, add_provenance
from .records import Anchor, ArticleCuration, Claim, Corpus, DateRange, date_literal
from .relations import add_relations
from .vocabulary import Vocabulary


class InterningMemory(Memory):
    """rdflib's memory store, holding one object for each IRI and blank node.

    rdflib makes a new term object at every namespace lookup (``PARLEY.speaker``) and every
    ``ID[...]``, and the store keeps the objects of each triple it is given in its indexes and
    its map of contexts, so a predicate was held once a triple. Each subject, predicate and IRI
    object is replaced by the first equal one the store was given (a literal is left as it is:
    most are one of a kind).
    """

    def __init__(self) -> None:
        super().__init__()
        self._terms: dict = {}

    def add(self, triple, context, quoted: bool = False) -> None:
        s, p, o = triple
        terms = self._terms
        s, p = terms.setdefault(s, s), terms.setdefault(p, p)
        if not isinstance(o, Literal):
            o = terms.setdefault(o, o)
        super().add((s, p, o), context, quoted)


def build_dataset(corpus: Corpus, vocab: Vocabulary, run: BuildRun) -> Dataset:
    """Return the dataset for the corpus: ontology, world, per-article and provenance graphs."""
    dataset = Dataset(store=InterningMemory())
    bind_prefixes(dataset)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    for triple in vocab.graph:
        ontology.add(triple)
    world = dataset.graph(WORLD_GRAPH)
    names = {ID[ref]: entity.name for ref, entity in corpus.entities.items()}
    # An article speaking in its own voice is named as it is labelled.
    names.update({article.iri: article_label(article, names) for article in corpus.articles})
    _add_entities(world, corpus)
    claim_iris = {}
    for article in corpus.articles:
        for claim in article.claims:
            claim_iris[f"{article.number}/{claim.key}"] = claim_iri(article, claim)
    for article in corpus.articles:
        graph = dataset.graph(article_graph(article.slug))
        _add_article(graph, article, names[article.iri])
        mention_keys: dict[str, int] = {}
        for entity in article.entities:
            base_key = "mention-" + entity.ref.replace("/", "-")
            mention_keys[base_key] = mention_keys.get(base_key, 0) + 1
            key = base_key if mention_keys[base_key] == 1 else f"{base_key}-{mention_keys[base_key]}"
            world.add((ID[entity.ref], PARLEY.mentionedIn, article.iri))
            prop = SKOS.prefLabel if entity.label == entity.name else SKOS.altLabel
            _add_attestation(
                graph, article, key, ID[entity.ref], prop, Literal(entity.label, lang="en"), entity.anchor, None
            )
        for fact in article.source_facts:
            graph.add((fact.subject, fact.prop, fact.value))
            _add_attestation(
                graph, article, fact.key, fact.subject, fact.prop, fact.value, fact.anchor, fact.note, fact.speakers
            )
        for fact in article.facts:
            world.add((fact.subject, fact.prop, fact.value))
            _add_attestation(
                graph, article, fact.key, fact.subject, fact.prop, fact.value, fact.anchor, fact.note, fact.speakers
            )
        for claim in article.claims:
            _add_claim(graph, article, claim, vocab, names, claim_iris)
    add_relations(dataset, corpus)  # derived and hand-asserted relations between claims
    add_figure_sets(dataset)  # each subject and measure with several figures, and their relations
    add_provenance(dataset, corpus, run)
    return dataset


def claim_iri(article: ArticleCuration, claim: Claim) -> URIRef:
    return ID[f"claim/{article.number}-{claim.key}"]


def evidence_iri(article: ArticleCuration, key: str) -> URIRef:
    return ID[f"evidence/{article.number}-{key}"]


def _add_entities(world: Graph, corpus: Corpus) -> None:
    labels: dict[str, set[str]] = {}
    for article in corpus.articles:
        for entity in article.entities:
            labels.setdefault(entity.ref, set()).add(entity.label)
    for ref, entity in corpus.entities.items():
        iri = ID[ref]
        world.add((iri, RDF.type, PARLEY[entity.type]))
        world.add((iri, RDFS.label, Literal(entity.name, lang="en")))
        world.add((iri, SKOS.prefLabel, Literal(entity.name, lang="en")))
        for label in labels[ref] - {entity.name}:
            world.add((iri, SKOS.altLabel, Literal(label, lang="en")))


def _add_article(graph: Graph, article: ArticleCuration, label: str) -> None:
    iri = article.iri
    graph.add((iri, RDF.type, PARLEY.Article))
    graph.add((iri, RDFS.label, Literal(label, lang="en")))
    graph.add((iri, PARLEY.sourceFile, Literal(f"corpus/{article.path.name}")))
    graph.add((iri, PARLEY.sha256, Literal(article.sha256)))
    graph.add((iri, PARLEY.characters, Literal(len(article.text), datatype=WHOLE)))
    graph.add((iri, PARLEY.text, Literal(article.text)))


def _add_evidence(graph: Graph, article: ArticleCuration, key: str, anchor: Anchor) -> URIRef:
    iri = evidence_iri(article, key)
    quote, position = URIRef(f"{iri}#quote"), URIRef(f"{iri}#position")
    graph.add((iri, RDF.type, OA.SpecificResource))
    graph.add((iri, OA.hasSource, article.iri))
    graph.add((iri, OA.hasSelector, quote))
    graph.add((iri, OA.hasSelector, position))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(anchor.exact)))
    graph.add((quote, OA.prefix, Literal(anchor.prefix)))
    graph.add((quote, OA.suffix, Literal(anchor.suffix)))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(anchor.start, datatype=WHOLE)))
    graph.add((position, OA.end, Literal(anchor.end, datatype=WHOLE)))
    return iri


def _add_attestation(
    graph: Graph,
    article: ArticleCuration,
    key: str,
    subject: URIRef,
    prop: URIRef,
    value,
    anchor: Anchor,
    note: str | None,
    speakers: list[URIRef | None] = (None,),
) -> None:
    """Add the attestation of one world statement; its speakers say who says so (None: the article)."""
    iri = ID[f"attestation/{article.number}-{key}"]
    graph.add((iri, RDF.type, PARLEY.Attestation))
    graph.add((iri, PARLEY.attestedSubject, subject))
    graph.add((iri, PARLEY.attestedProperty, prop))
    graph.add((iri, PARLEY.attestedValue, value))
    graph.add((iri, PARLEY.evidence, _add_evidence(graph, article, key, anchor)))
    for speaker in speakers:
        graph.add((iri, PARLEY.speaker, speaker if speaker is not None else article.iri))
    if note:
        graph.add((iri, PARLEY.curationNote, Literal(str(note).strip(), lang="en")))


def _add_claim(
    graph: Graph,
    article: ArticleCuration,
    claim: Claim,
    vocab: Vocabulary,
    names: dict[URIRef, str],
    claim_iris: dict[str, URIRef],
) -> None:
    iri = claim_iri(article, claim)
    graph.add((iri, RDF.type, PARLEY.Claim))
    speakers = claim.speakers or [claim.speaker]
    speaker_name = " and ".join(names.get(speaker or article.iri, str(speaker)) for speaker in speakers)
    what = claim.figure if claim.figure is not None else f"“{claim.stated_value}”"
    measure_label = vocab.label(claim.measure) or str(claim.measure).rsplit("/", 1)[-1]
    graph.add((iri, RDFS.label, Literal(f"{speaker_name}: {what} ({measure_label})", lang="en")))
    graph.add((iri, PARLEY.about, claim.about))
    graph.add((iri, PARLEY.measure, claim.measure))
    for speaker in speakers:
        graph.add((iri, PARLEY.speaker, speaker if speaker is not None else article.iri))
    graph.add((iri, PARLEY.modality, claim.modality))
    graph.add((iri, PARLEY.reportedIn, article.iri))
    graph.add((iri, PARLEY.evidence, _add_evidence(graph, article, claim.key, claim.anchor)))
    if claim.figure is not None:
        quantity = URIRef(f"{iri}#quantity")
        graph.add((iri, PARLEY.quantity, quantity))
        graph.add((quantity, RDF.type, PARLEY.Quantity))
        graph.add((quantity, PARLEY.figure, Literal(claim.figure)))
        graph.add((quantity, PARLEY.approximation, claim.approximation))
        for name, prop in (("value", PARLEY.value), ("min", PARLEY.minValue), ("max", PARLEY.maxValue)):
            number = getattr(claim, name)
            if number is not None:
                graph.add((quantity, prop, number))
    else:
        graph.add((iri, PARLEY.statedValue, Literal(claim.stated_value)))
        for entity in claim.objects:  # the entities the words name; the words stay the value
            graph.add((iri, PARLEY.statedObject, entity))
    for date, name in ((claim.stated_on, "statedOn"), (claim.as_of, "asOf")):
        if isinstance(date, DateRange):  # the text bounds the day but does not give it
            graph.add((iri, PARLEY[f"{name}Earliest"], Literal(date.earliest, datatype=XSD.date)))
            graph.add((iri, PARLEY[f"{name}Latest"], Literal(date.latest, datatype=XSD.date)))
        elif date:
            graph.add((iri, PARLEY[name], date_literal(date)))  # a day, or a month or year as printed
    if claim.baseline is not None:
        graph.add((iri, PARLEY.baseline, claim.baseline))
    if claim.baseline_date is not None:
        graph.add((iri, PARLEY.baselineDate, date_literal(claim.baseline_date)))
    if claim.sides_open:
        graph.add((iri, PARLEY.sidesOpen, Literal(True)))
    if claim.note:
        graph.add((iri, PARLEY.curationNote, Literal(str(claim.note).strip(), lang="en")))
