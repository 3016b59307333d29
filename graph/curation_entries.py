"""Checking the entries of one curation file against its article and the vocabulary, and
turning each that passes into its record (``graph.records``).

``check_entries(model, article, vocab, ctx)`` takes the file as its models made it
(``graph.curation_shape.parse_file``: only the entries whose shape passed), checks each entry
(source fields, entities, facts, claims, out-of-scope numbers and sentences) and adds the record
of each that passes to ``article``; it returns a ``SourceError`` with the file, the line and the
fix for every entry that fails (and gives the line of each, for ``graph.curation`` to note it as
failed: its figures are then not reported uncovered as well). Claims are checked in ``graph.curation_claims``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .curation_checks import EntryChecks, parse_decimal, speakers
from .curation_claims import claim_record
from .curation_models import (
    CurationFile,
    EntityEntry,
    FactEntry,
    OutOfScopeEntry,
    OutOfScopeSentenceEntry,
    Source,
)
from .curation_yaml import Context
from .errors import SourceError
from .namespaces import PARLEY, WHOLE
from .quotes import make_anchor
from .records import ArticleCuration, Entity, Fact, OutOfScope, OutOfScopeSentence
from .vocabulary import Vocabulary

SOURCE_FIELDS = {
    # field: (property, kind) where kind is "ref", "date", "text" (the quote itself)
    "headline": ("headline", "text"),
    "outlet": ("outlet", "ref"),
    "author": ("author", "ref"),
    "published": ("publishedOn", "date"),
    "page_date": ("pageDate", "date"),
    "dateline": ("dateline", "text"),
    "republisher": ("republishedBy", "ref"),
    "cites": ("citesSource", "ref"),
}


def check_entries(
    model: CurationFile, article: ArticleCuration, vocab: Vocabulary, ctx: Context, failed: set[int] | None = None
) -> list[SourceError]:
    """Add the record of every entry of ``model`` that passes its checks to ``article``; return the
    problems of the rest (and add the line of each entry that failed to ``failed``)."""
    checks = EntryChecks(article, vocab, ctx)
    problems: list[SourceError] = []
    failed = set() if failed is None else failed

    def each(entries: Iterable | None, check: Callable[[Any, EntryChecks], Any], records: list) -> None:
        for entry in entries or ():
            try:
                records.append(check(entry, checks))
            except SourceError as exc:
                problems.append(exc)
                failed.add(entry.line)

    if model.source is not None:
        for name in _fields_in_file_order(model.source):
            value = getattr(model.source, name)
            entries = value if isinstance(value, list) else [value]
            for entry in entries:
                try:
                    article.source_facts += source_facts(name, entry, checks, several=len(entries) > 1)
                except SourceError as exc:
                    problems.append(exc)
                    failed.add(entry.line)
    each(model.entities, entity_record, article.entities)
    each(model.facts, fact_record, article.facts)
    each(model.claims, claim_record, article.claims)
    each(model.out_of_scope, out_of_scope_record, article.out_of_scope)
    each(model.out_of_scope_sentences, out_of_scope_sentence_record, article.out_of_scope_sentences)
    return problems


def _fields_in_file_order(source: Source) -> list[str]:
    given = [name for name in source.key_lines if name in SOURCE_FIELDS]
    rest = [name for name in SOURCE_FIELDS if name not in given]
    return [name for name in given + rest if getattr(source, name) is not None]


def source_facts(name: str, entry: Any, checks: EntryChecks, several: bool = False) -> list[Fact]:
    """Return the facts of one entry of a source field (its dateline's places too); ``several``
    when the field lists more than one (`cites`), each then keyed by its ref."""
    prop_name, kind = SOURCE_FIELDS[name]
    article = checks.article
    line, what = entry.line, f"source {name}"
    anchor = checks.anchor(entry, what, line)
    if kind == "ref":
        obj = checks.ref(entry.ref, what, line, "ref")
        key = f"source-{name}-{entry.ref.partition('/')[2]}" if several else f"source-{name}"
    elif kind == "date":
        obj = Literal(entry.date, datatype=XSD.date)
        key = f"source-{name}"
    else:
        obj = Literal(anchor.exact)
        key = f"source-{name}"
    facts = [Fact(key, article.iri, PARLEY[prop_name], obj, anchor, entry.note, line)]
    for place in getattr(entry, "places", None) or []:
        facts.append(
            Fact(
                f"source-dateline-place-{place.partition('/')[2]}",
                article.iri,
                PARLEY["datelinePlace"],
                checks.ref(place, what, line, "place"),
                anchor,
                None,
                line,
            )
        )
    return facts


def entity_record(entry: EntityEntry, checks: EntryChecks) -> Entity:
    line, what = entry.line, f"entity '{entry.ref}'"
    anchor = checks.anchor(entry, what, line)
    checks.require_in_quote(entry.label, anchor, what, line, "label")
    return Entity(entry.ref, entry.type, entry.name, entry.label, anchor, line)


def fact_record(entry: FactEntry, checks: EntryChecks) -> Fact:
    line = entry.line
    key = checks.key(entry.key, "fact", line)
    what = f"fact '{key}'"
    subject = checks.ref(entry.subject, what, line, "subject")
    vocab = checks.vocab
    if entry.property in vocab.object_properties:
        obj = _object_value(entry.value, checks, what, line)
    elif entry.property in vocab.datatype_properties:
        rng = XSD.date if entry.property in DATES_AT_PRECISION else vocab.datatype_properties[entry.property]
        obj = _literal_value(entry.value, rng, checks, what, line, at_precision=entry.property in DATES_AT_PRECISION)
    else:
        raise checks.error(
            line,
            what,
            f"unknown property {entry.property!r}",
            "use the local name of an object or datatype property of ontology/parley.ttl",
        )
    anchor = checks.anchor(entry, what, line)
    return Fact(key, subject, PARLEY[entry.property], obj, anchor, entry.note, line, speakers=speakers(entry.speaker))


def _object_value(value: Any, checks: EntryChecks, what: str, line: int | None) -> URIRef:
    if isinstance(value, str) and "/" in value:
        kind, _, slug = value.partition("/")
        if kind in checks.vocab.schemes:
            return checks.concept(slug, kind, what, line, "value")
    return checks.ref(value, what, line, "value")


# Date properties whose value may be a month or a year where that is all the text prints ("since
# March 2022"): written as xsd:gYearMonth or xsd:gYear, never as a first or last day. The
# ontology gives them no range, since OWL's datatype map has no month or year.
DATES_AT_PRECISION = {"date"}


def _literal_value(
    value: Any, rng: URIRef | None, checks: EntryChecks, what: str, line: int | None, at_precision: bool = False
) -> Literal:
    if at_precision and isinstance(value, (str, int)) and not isinstance(value, bool):
        month = re.fullmatch(r"(\d{4})(?:-(0[1-9]|1[0-2]))?", str(value))
        if month is None:
            raise checks.error(
                line, what, f"value {value!r} is not a date", "write a day YYYY-MM-DD, a month YYYY-MM or a year YYYY"
            )
        return Literal(str(value), datatype=XSD.gYearMonth if month.group(2) else XSD.gYear)
    if rng == XSD.date:
        return Literal(checks.date(value, what, line, "value"), datatype=XSD.date)
    if rng in (XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger):
        if not isinstance(value, int) or isinstance(value, bool) or (rng == XSD.positiveInteger and value <= 0):
            raise checks.error(line, what, f"value {value!r} is not a {rng.split('#')[-1]}", "write a whole number")
        return Literal(value, datatype=WHOLE)  # as the store keeps every integer type (graph.ingest.WHOLE)
    if rng == XSD.decimal:
        number = parse_decimal(value)
        if number is None:
            raise checks.error(line, what, f"value {value!r} is not a number", "write a number")
        return number
    if not isinstance(value, str):
        raise checks.error(line, what, f"value {value!r} is not text", "quote the value as a string")
    return Literal(value)


def out_of_scope_record(entry: OutOfScopeEntry, checks: EntryChecks) -> OutOfScope:
    line, text = entry.line, str(entry.text)
    what = f"out_of_scope entry {entry.text!r}"
    anchor = checks.anchor(entry, what, line)
    checks.require_in_quote(text, anchor, what, line, "text")
    # narrow the anchor to the number itself within the quote
    offset = anchor.exact.index(text)
    narrowed = make_anchor(checks.article.text, anchor.start + offset, anchor.start + offset + len(text))
    return OutOfScope(text, narrowed, entry.reason, line)


def out_of_scope_sentence_record(entry: OutOfScopeSentenceEntry, checks: EntryChecks) -> OutOfScopeSentence:
    what = f"out_of_scope_sentences entry {entry.quote!r}"
    anchor = checks.anchor(entry, what, entry.line)
    return OutOfScopeSentence(anchor, entry.reason.strip(), entry.line)
