"""Checking the entries of one curation file: entities, facts, claims, source fields and
out-of-scope numbers, each against its article (quotes), the vocabulary (properties, codes)
and the file's own keys. ``FileLoader`` fills an ``ArticleCuration`` and collects a
``SourceError`` with the file, the line and the fix for every entry that fails, in ``problems``.
The shape of the file (keys, types) is checked before, by ``graph.curation_models``; entries
named in ``skip`` failed that check and are not looked at again.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .curation_models import ENTITY_TYPES
from .curation_yaml import Context, display
from .errors import SourceError
from .namespaces import ID, KINDS, PARLEY, SLUG
from .quotes import find_quote, make_anchor
from .records import (
    Anchor,
    ArticleCuration,
    Claim,
    DateRange,
    Entity,
    Fact,
    HandRelation,
    OutOfScope,
    OutOfScopeSentence,
    Override,
    PartialDate,
)
from .vocabulary import Vocabulary

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ARTICLE_FILE = re.compile(r"^(\d{3})_([0-9a-f]+)\.txt$")
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


def _parse_decimal(value: Any) -> Literal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if number == number.to_integral_value() and "." not in str(value):
        return Literal(int(number), datatype=XSD.integer)
    return Literal(number, datatype=XSD.decimal)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


# What a note names when it says where a date read from context comes from (curation/README.md).
DATE_BASIS = re.compile(
    r"\b(?:datelines?|published|publication|articles? \d{3}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"yesterday|today|tomorrow|the (?:same )?day|the year|the (?:\w+ )?round|the statement|the exchange|"
    r"the report|the sentence|the (?:same )?passage|the (?:[\w-]+ ){0,3}(?:return|repatriation|handover|talks|meeting|agreement|exchange|statement))\b",
    re.IGNORECASE,
)
_MONTHS = "January February March April May June July August September October November December".split()


def _prints_date(quote: str, date: dt.date | DateRange) -> bool:
    """Whether the quote prints the day, month and year of ``date`` (both ends of a range)."""
    if isinstance(date, DateRange):
        return _prints_date(quote, date.earliest) and _prints_date(quote, date.latest)
    if isinstance(date, PartialDate):
        month = _MONTHS[date.month - 1] if date.month else ""
        return str(date.year) in quote and month in quote
    month = _MONTHS[date.month - 1]
    day = rf"(?:{month}\.?\s+{date.day}\b|\b{date.day}\s+{month}|{month[:3]}\s+{date.day}\b)"
    return bool(re.search(day, quote)) and str(date.year) in quote or date.isoformat() in quote


class FileLoader:
    """Checks the entries of one curation file and adds them to its ``ArticleCuration``."""

    def __init__(self, article: ArticleCuration, vocab: Vocabulary, ctx: Context, skip: frozenset = frozenset()):
        self.article = article
        self.vocab = vocab
        self.ctx = ctx
        self.skip = skip  # (section,) or (section, index) that failed the shape check
        self.keys: dict[str, int] = {}
        self.problems: list[SourceError] = []

    def _each(self, entries: Any, section: str):
        """Yield the entries of a section to check, collecting the problem of each that fails."""
        if (section,) in self.skip:
            return
        for index, entry in enumerate(self._list(entries, section)):
            if (section, index) not in self.skip and isinstance(entry, dict):
                yield entry

    def _collect(self, check, *args) -> None:
        try:
            check(*args)
        except SourceError as exc:
            self.problems.append(exc)

    # -- shared pieces

    def anchor(self, entry: dict, what: str, line: int) -> Anchor:
        quote = entry.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            raise self.ctx.error(line, what, "has no quote", "add `quote:` with the exact words from the article")
        found = find_quote(self.article.text, quote, entry.get("occurrence"))  # a whole number: the models
        if isinstance(found, str):
            raise self.ctx.error(
                line,
                what,
                found + f" ({display(self.article.path, self.ctx.path.parent.parent)})",
                "copy the quote character for character from the article, curly quotes, dashes and whitespace included",
            )
        return make_anchor(self.article.text, *found)

    def key(self, entry: dict, what: str, line: int) -> str:
        key = entry.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            raise self.ctx.error(
                line,
                what,
                f"key {key!r} is missing or not lower-case words joined by hyphens",
                "give it a key like `bodies-returned-june-13`",
            )
        if key in self.keys:
            raise self.ctx.error(
                line,
                f"{what} '{key}'",
                f"duplicate key (first used on line {self.keys[key]})",
                "give each entry of the file its own key",
            )
        self.keys[key] = line
        return key

    def ref(self, value: Any, what: str, line: int, field_name: str) -> URIRef:
        if not isinstance(value, str) or "/" not in value:
            raise self.ctx.error(
                line,
                what,
                f"{field_name} {value!r} is not a reference `kind/slug`",
                "refer to things as e.g. `person/vladimir-medinsky`",
            )
        kind, _, slug = value.partition("/")
        if kind not in KINDS or not SLUG.match(slug):
            raise self.ctx.error(
                line,
                what,
                f"{field_name} {value!r} is not a valid reference",
                f"use one of the kinds {', '.join(KINDS)} and a slug of lower-case words joined by hyphens",
            )
        return ID[value]

    def concept(self, value: Any, scheme: str, what: str, line: int, field_name: str) -> URIRef:
        iri = self.vocab.concept(scheme, str(value)) if isinstance(value, str) else None
        if iri is None:
            known = ", ".join(sorted(self.vocab.schemes.get(scheme, ())))
            raise self.ctx.error(
                line,
                what,
                f"unknown {field_name} {value!r}",
                f"use one of the {scheme} codes ({known}) or add the code to ontology/codelists.ttl",
            )
        return iri

    def date(self, value: Any, what: str, line: int, field_name: str) -> dt.date:
        date = _as_date(value)
        if date is None:
            raise self.ctx.error(
                line,
                what,
                f"{field_name} {value!r} is not a date",
                "write dates as YYYY-MM-DD; give a vague date as a range (startDate/endDate) and explain it in `note`",
            )
        return date

    def require_in_quote(self, needle: str, anchor: Anchor, what: str, line: int, field_name: str) -> None:
        if needle not in anchor.exact:
            raise self.ctx.error(
                line,
                what,
                f"{field_name} {needle!r} does not occur in its quote",
                f"make the quote include {needle!r} exactly as printed",
            )

    # -- sections

    def source(self, source: Any) -> None:
        if source is None or ("source",) in self.skip:
            return
        if not isinstance(source, dict):
            raise self.ctx.error(None, "source", "is not a mapping", "see curation/README.md")
        for name, value in source.items():
            self._collect(self._source_field, source, name, value)

    def _source_field(self, source: dict, name: str, value: Any) -> None:
        line0 = getattr(source, "line", None)  # the models refused unknown fields
        prop_name, kind = SOURCE_FIELDS[name]
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            line = getattr(entry, "line", line0)
            what = f"source {name}"
            if not isinstance(entry, dict):
                raise self.ctx.error(
                    line,
                    what,
                    "is not a mapping with a quote",
                    'write e.g. `outlet: {ref: org/tass, quote: "..."}`',
                )
            anchor = self.anchor(entry, what, line)
            if kind == "ref":
                obj = self.ref(entry.get("ref"), what, line, "ref")
                key = f"source-{name}-{entry['ref'].partition('/')[2]}" if len(entries) > 1 else f"source-{name}"
            elif kind == "date":
                obj = Literal(self.date(entry.get("date"), what, line, "date"), datatype=XSD.date)
                key = f"source-{name}"
            else:
                obj = Literal(anchor.exact)
                key = f"source-{name}"
            self.article.source_facts.append(
                Fact(key, self.article.iri, PARLEY[prop_name], obj, anchor, entry.get("note"), line)
            )
            if name == "dateline":
                for place in entry.get("places", []) or []:
                    obj = self.ref(place, what, line, "place")
                    self.article.source_facts.append(
                        Fact(
                            f"source-dateline-place-{place.partition('/')[2]}",
                            self.article.iri,
                            PARLEY["datelinePlace"],
                            obj,
                            anchor,
                            None,
                            line,
                        )
                    )

    def entities(self, entries: Any) -> None:
        for entry in self._each(entries, "entities"):
            self._collect(self._entity, entry)

    def _entity(self, entry: dict) -> None:
        line = entry.line
        ref = entry.get("ref")
        what = f"entity '{ref}'"
        self.ref(ref, what, line, "ref")
        etype = entry.get("type")
        if etype not in ENTITY_TYPES:
            raise self.ctx.error(line, what, f"unknown type {etype!r}", "use one of " + ", ".join(ENTITY_TYPES))
        name, label = entry.get("name"), entry.get("label")
        for field_name, value in (("name", name), ("label", label)):
            if not isinstance(value, str) or not value.strip():
                raise self.ctx.error(
                    line, what, f"has no {field_name}", "give `name` (canonical) and `label` (as printed here)"
                )
        anchor = self.anchor(entry, what, line)
        self.require_in_quote(label, anchor, what, line, "label")
        self.article.entities.append(Entity(ref, etype, name, label, anchor, line))

    def facts(self, entries: Any) -> None:
        for entry in self._each(entries, "facts"):
            self._collect(self._fact, entry)

    def _fact(self, entry: dict) -> None:
        line = entry.line
        key = self.key(entry, "fact", line)
        what = f"fact '{key}'"
        subject = self.ref(entry.get("subject"), what, line, "subject")
        prop_name = entry.get("property")
        value = entry.get("value")
        if prop_name in self.vocab.object_properties:
            obj = self._object_value(value, what, line)
        elif prop_name in self.vocab.datatype_properties:
            obj = self._literal_value(value, self.vocab.datatype_properties[prop_name], what, line)
        else:
            raise self.ctx.error(
                line,
                what,
                f"unknown property {prop_name!r}",
                "use the local name of an object or datatype property of ontology/parley.ttl",
            )
        anchor = self.anchor(entry, what, line)
        speakers = self.speakers(entry.get("speaker"), what, line) if entry.get("speaker") is not None else [None]
        self.article.facts.append(
            Fact(key, subject, PARLEY[prop_name], obj, anchor, entry.get("note"), line, speakers=speakers)
        )

    def speakers(self, value: Any, what: str, line: int) -> list[URIRef | None]:
        """The speakers of a claim or fact: refs, ``article`` (None) for the article's own voice."""
        values = value if isinstance(value, list) else [value]
        if not values:
            raise self.ctx.error(line, what, "has an empty speaker list", "name at least one speaker, or `article`")
        speakers = [None if v == "article" else self.ref(v, what, line, "speaker") for v in values]
        if len(set(speakers)) != len(speakers):
            raise self.ctx.error(line, what, "names a speaker twice", "list each speaker once")
        if None in speakers and len(speakers) > 1:
            raise self.ctx.error(
                line,
                what,
                "mixes `article` with named speakers",
                "name the speakers the text gives; `article` only when it names nobody",
            )
        return speakers

    def date_or_range(self, value: Any, what: str, line: int, field_name: str) -> dt.date | DateRange | PartialDate:
        partial = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", str(value)) if isinstance(value, (str, int)) else None
        if partial and not isinstance(value, bool):
            year, month = int(partial.group(1)), int(partial.group(2)) if partial.group(2) else None
            if month is not None and not 1 <= month <= 12:
                raise self.ctx.error(line, what, f"{field_name} {value!r} is not a month", "write a month as YYYY-MM")
            return PartialDate(year, month)
        if isinstance(value, dict):
            earliest = self.date(value.get("earliest"), what, line, f"{field_name}.earliest")
            latest = self.date(value.get("latest"), what, line, f"{field_name}.latest")
            if earliest > latest:
                raise self.ctx.error(
                    line, what, f"{field_name}: earliest is after latest", "swap or correct the bounds"
                )
            return DateRange(earliest, latest)
        return self.date(value, what, line, field_name)

    def _object_value(self, value: Any, what: str, line: int) -> URIRef:
        if isinstance(value, str) and "/" in value:
            kind, _, slug = value.partition("/")
            if kind in self.vocab.schemes:
                return self.concept(slug, kind, what, line, "value")
        return self.ref(value, what, line, "value")

    def _literal_value(self, value: Any, rng: URIRef | None, what: str, line: int) -> Literal:
        if rng == XSD.date:
            return Literal(self.date(value, what, line, "value"), datatype=XSD.date)
        if rng in (XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger):
            if not isinstance(value, int) or isinstance(value, bool) or (rng == XSD.positiveInteger and value <= 0):
                raise self.ctx.error(
                    line, what, f"value {value!r} is not a {rng.split('#')[-1]}", "write a whole number"
                )
            return Literal(value, datatype=rng)
        if rng == XSD.decimal:
            number = _parse_decimal(value)
            if number is None:
                raise self.ctx.error(line, what, f"value {value!r} is not a number", "write a number")
            return number
        if not isinstance(value, str):
            raise self.ctx.error(line, what, f"value {value!r} is not text", "quote the value as a string")
        return Literal(value)

    def claims(self, entries: Any) -> None:
        for entry in self._each(entries, "claims"):
            self._collect(self._claim, entry)

    def _claim(self, entry: dict) -> None:
        line = entry.line
        key = self.key(entry, "claim", line)
        what = f"claim '{key}'"
        anchor = self.anchor(entry, what, line)
        speaker_value = entry.get("speaker")
        if speaker_value is None:
            raise self.ctx.error(
                line,
                what,
                "has no speaker",
                "name who made the claim (`person/...`, `org/...`) or `article` for the article's own voice",
            )
        speakers = self.speakers(speaker_value, what, line)
        claim = Claim(
            key=key,
            about=self.ref(entry.get("about"), what, line, "about"),
            measure=self.concept(entry.get("measure"), "measure", what, line, "measure"),
            speaker=speakers[0],
            speakers=speakers,
            modality=self.concept(entry.get("modality"), "modality", what, line, "modality"),
            anchor=anchor,
            line=line,
            note=entry.get("note"),
        )
        figure, stated = entry.get("figure"), entry.get("stated_value")
        if (figure is None) == (stated is None):
            raise self.ctx.error(
                line,
                what,
                "needs exactly one of `figure` and `stated_value`",
                "give the number as printed in `figure`, or the words of a non-numeric claim in `stated_value`",
            )
        if figure is not None:
            figure = str(figure)
            self.require_in_quote(figure, anchor, what, line, "figure")
            claim.figure = figure
            claim.approximation = self.concept(entry.get("approximation"), "approximation", what, line, "approximation")
            for name in ("value", "min", "max"):
                if entry.get(name) is not None:
                    number = _parse_decimal(entry[name])
                    if number is None:
                        raise self.ctx.error(
                            line,
                            what,
                            f"{name} {entry[name]!r} is not a number",
                            f"write {name} as a plain number without separators, e.g. 3012",
                        )
                    setattr(claim, name, number)
            if claim.value is not None and (claim.min is not None or claim.max is not None):
                raise self.ctx.error(
                    line,
                    what,
                    "has both value and bounds",
                    "give `value` for a stated number, or `min`/`max` for bounds",
                )
            if claim.min is not None and claim.max is not None and claim.min.toPython() > claim.max.toPython():
                raise self.ctx.error(line, what, "min is greater than max", "swap or correct the bounds")
        else:
            if entry.get("approximation") or any(entry.get(n) is not None for n in ("value", "min", "max")):
                raise self.ctx.error(
                    line,
                    what,
                    "a stated_value claim has numeric fields",
                    "drop approximation/value/min/max, or use `figure` instead of `stated_value`",
                )
            stated = str(stated)
            self.require_in_quote(stated, anchor, what, line, "stated_value")
            claim.stated_value = stated
        for name in ("stated_on", "as_of"):
            if entry.get(name) is not None:
                setattr(claim, name, self.date_or_range(entry[name], what, line, name))
                if _prints_date(anchor.exact, getattr(claim, name)):
                    continue
                if not claim.note:
                    raise self.ctx.error(
                        line,
                        what,
                        f"{name} is read from context (its quote does not print that day and year), with no note",
                        "say in `note` how the date was read (a year from the round it follows, 'on Thursday' "
                        "before a dated dateline); a date from another article must say which",
                    )
                if not DATE_BASIS.search(claim.note):
                    raise self.ctx.error(
                        line,
                        what,
                        f"{name} is read from context, but its note names no basis for it",
                        "name in `note` what the date is read from: the dateline, the publication date, another "
                        "article by number ('article 002'), a weekday ('on Thursday'), or the dated round or "
                        "statement the text ties it to",
                    )
        scope = entry.get("scope")
        if scope is not None:
            claim.scope = PARLEY.unspecifiedScope if scope == "unspecified" else self.ref(scope, what, line, "scope")
        self._running_total(entry, claim, what, line)
        for name in ("conflicts_with", "corroborates"):
            links = entry.get(name) or []  # the models checked each is {claim, reason}
            setattr(claim, name, [HandRelation(str(link["claim"]), str(link["reason"]).strip()) for link in links])
        claim.overrides = [
            Override(str(o["claim"]), str(o["kind"]), str(o["reason"]).strip()) for o in entry.get("overrides") or []
        ]
        self.article.claims.append(claim)

    def _running_total(self, entry: dict, claim: Claim, what: str, line: int) -> None:
        """A running total's baseline (only on a cumulative measure) and whether its sides are open."""
        claim.sides_open = entry.get("sides") == "open"
        baseline = entry.get("baseline")
        cumulative = self.vocab.measure_kind(claim.measure) == "cumulative"
        if baseline is not None and not cumulative:
            raise self.ctx.error(
                line,
                what,
                f"has a baseline, but its measure {str(claim.measure).rsplit('/', 1)[-1]!r} is not a running total",
                "drop `baseline:`; only claims of a cumulative measure count from a baseline (docs/claims.md)",
            )
        if not cumulative or claim.figure is None:
            return
        if baseline is None or baseline == "unspecified":
            claim.baseline = PARLEY.unspecifiedBaseline
        elif isinstance(baseline, dt.date) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(baseline)):
            claim.baseline_date = self.date(baseline, what, line, "baseline")
        else:
            claim.baseline = self.ref(baseline, what, line, "baseline")

    def out_of_scope(self, entries: Any) -> None:
        for entry in self._each(entries, "out_of_scope"):
            self._collect(self._out_of_scope_entry, entry)

    def _out_of_scope_entry(self, entry: dict) -> None:
        line = entry.line
        text = entry.get("text")
        what = f"out_of_scope entry {text!r}"
        if not isinstance(text, (str, int)) or not str(text).strip():
            raise self.ctx.error(line, what, "has no text", "give the number as printed in `text`")
        reason = entry.get("reason")
        if not isinstance(reason, str) or len(reason.strip()) < 5:
            raise self.ctx.error(line, what, "has no reason", "say in `reason` why this number is not a claim")
        anchor = self.anchor(entry, what, line)
        self.require_in_quote(str(text), anchor, what, line, "text")
        # narrow the anchor to the number itself within the quote
        offset = anchor.exact.index(str(text))
        narrowed = make_anchor(self.article.text, anchor.start + offset, anchor.start + offset + len(str(text)))
        self.article.out_of_scope.append(OutOfScope(str(text), narrowed, reason, line))

    def out_of_scope_sentences(self, entries: Any) -> None:
        for entry in self._each(entries, "out_of_scope_sentences"):
            self._collect(self._out_of_scope_sentence, entry)

    def _out_of_scope_sentence(self, entry: dict) -> None:
        line = entry.line
        what = f"out_of_scope_sentences entry {entry.get('quote')!r}"
        reason = entry.get("reason")
        if not isinstance(reason, str) or len(reason.strip()) < 5:
            raise self.ctx.error(line, what, "has no reason", "say in `reason` why the sentence states no fact")
        anchor = self.anchor(entry, what, line)
        self.article.out_of_scope_sentences.append(OutOfScopeSentence(anchor, reason.strip(), line))

    def _list(self, entries: Any, section: str) -> list:
        if entries is None:
            return []
        if not isinstance(entries, list):
            raise self.ctx.error(None, section, "is not a list", f"write `{section}:` followed by `- ...` entries")
        return entries  # an entry that is not a mapping was reported by the shape check
