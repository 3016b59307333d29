"""The records a checked curation yields: articles with their entities, facts, claims and
out-of-scope numbers, each anchored to a passage of its article (``Anchor``).

``graph.curation.load_corpus`` makes them; the ingest (``graph.ingest``) and the coverage
check (``graph.coverage``) read them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import ID


@dataclass(frozen=True)
class Anchor:
    """A passage of an article: the exact quote, where it is, and its context."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass
class Entity:
    ref: str
    type: str
    name: str
    label: str
    anchor: Anchor
    line: int


@dataclass
class Fact:
    key: str
    subject: URIRef
    prop: URIRef
    value: URIRef | Literal
    anchor: Anchor
    note: str | None
    line: int
    speakers: list[URIRef | None] = field(default_factory=lambda: [None])  # None: the article's own voice


@dataclass(frozen=True)
class DateRange:
    """A date the text bounds but does not give."""

    earliest: dt.date
    latest: dt.date


@dataclass(frozen=True)
class PartialDate:
    """A date the text gives to the month or the year only ("in May", "since 2022"), kept at that
    precision: never written as a first or last day."""

    year: int
    month: int | None = None

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


def days(date: dt.date | PartialDate | DateRange) -> tuple[dt.date, dt.date]:
    """Return the first and the last day ``date`` can be: the day itself, its month or year, or its range."""
    if isinstance(date, PartialDate | DateRange):
        return date.earliest, date.latest
    return date, date


def date_literal(date: dt.date | PartialDate) -> Literal:
    """Return the RDF literal of a date at its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if isinstance(date, PartialDate):
        return Literal(date.isoformat(), datatype=XSD.gYearMonth if date.month else XSD.gYear)
    return Literal(date, datatype=XSD.date)


@dataclass(frozen=True)
class HandRelation:
    """A relation a curator asserts from a claim to another (``NNN/key``), with the reason."""

    target: str
    reason: str


@dataclass(frozen=True)
class Override:
    """A curator's override of the derived relation from a claim to another (``NNN/key``)."""

    target: str
    kind: str
    reason: str


@dataclass
class Claim:
    key: str
    about: URIRef
    measure: URIRef
    speaker: URIRef | None  # the first speaker; None: the article's own voice
    modality: URIRef
    anchor: Anchor
    line: int
    figure: str | None = None
    approximation: URIRef | None = None
    value: Literal | None = None
    min: Literal | None = None
    max: Literal | None = None
    stated_value: str | None = None
    objects: list[URIRef] = field(default_factory=list)  # the entities a stated value names (`object:`)
    stated_on: dt.date | DateRange | PartialDate | None = None
    as_of: dt.date | DateRange | PartialDate | None = None
    note: str | None = None
    speakers: list[URIRef | None] = field(default_factory=list)  # every speaker the text names, in order
    scope: URIRef | None = None  # None: what the measure counts; else an agreement, or parley:unspecifiedScope
    baseline: URIRef | None = None  # a running total's baseline, or parley:unspecifiedBaseline
    baseline_date: dt.date | PartialDate | None = None  # a baseline given as a date, at the precision printed
    sides_open: bool = False  # per side or in total left open by the text
    conflicts_with: list[HandRelation] = field(default_factory=list)
    corroborates: list[HandRelation] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)


@dataclass
class OutOfScope:
    text: str
    anchor: Anchor
    reason: str
    line: int


@dataclass
class OutOfScopeSentence:
    anchor: Anchor
    reason: str
    line: int


@dataclass(frozen=True)
class FailedEntry:
    """An entry of a curation file that failed its checks (and so is left out), with the passages
    of the article its quote points at: the quote itself, every occurrence of it, or the nearest
    passage when it is not found. The coverage check says the numbers there are covered by it."""

    what: str  # as the problems name it: "claim 'key'", "source published"
    where: str  # curation/FILE.yaml:LINE
    spans: tuple[tuple[int, int], ...]
    words: tuple[str, ...] = ()  # its figure, stated value or out-of-scope text, as written


@dataclass
class ArticleCuration:
    """One article and everything its curation file says about it, checked."""

    number: str
    stem: str
    path: Path
    text: str
    sha256: str
    curation_path: Path
    curation_sha256: str
    source_facts: list[Fact] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    out_of_scope: list[OutOfScope] = field(default_factory=list)
    out_of_scope_sentences: list[OutOfScopeSentence] = field(default_factory=list)
    failed: list[FailedEntry] = field(default_factory=list)  # entries that failed their checks

    @property
    def slug(self) -> str:
        return self.stem.replace("_", "-")

    @property
    def iri(self) -> URIRef:
        return ID[f"article/{self.slug}"]


@dataclass
class Corpus:
    articles: list[ArticleCuration]
    entities: dict[str, Entity]  # first declaration of each ref, in file order
    missing: list[Path] = field(default_factory=list)  # articles without curation (partial loads only)
    # references declared in no curation file, when some files are missing (partial loads
    # only): a missing file may declare them, so they are listed, not failed
    unknown_refs: list = field(default_factory=list)
