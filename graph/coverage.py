"""Number and sentence coverage.

Every number an article prints, in digits or in words, must be curated: represented by an
entry that says what it is, not merely inside some quote. A number is covered by a claim whose
figure (or stated value) it is, by the day or year of a date an entry holds, by a fact whose
value it is (a number, a date, words other than the headline, a code that spells it such as
``category/young-soldiers-18-25``), by the label of an entity that has it in its name ("World War
II"), or by an ``out_of_scope`` entry with its reason. "first", "two" or "25" inside a claim's
quote are covered by none of these. Every sentence must be touched by the quote of an entity, a
fact, a claim or a source field, or be listed in ``out_of_scope_sentences`` with a reason (page
furniture, advertising: never a statement of fact).

A number or sentence that only the quote of an entry that failed its checks reaches (a misspelt
key drops the entry) is not reported as uncovered but as covered by that entry, named with its
file and line: the one problem is the entry, not its figures.

The numbers and sentences themselves come from ``graph.numbers``; ``coverage(article)`` says
which numbers are covered (``represented(article)`` the spans the entries curate) and
``sentence_coverage(article)`` which sentences are touched. The messages of both, and their fixes, are formed here only (``number_place``,
``sentence_place``, ``CorpusCoverage.uncovered``), for the build and ``parley check`` alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal
from rdflib.namespace import XSD

from .namespaces import ID, KINDS, PARLEY
from .numbers import NUMBER, NumberMention, date_spans, find_numbers, number_value, sentences
from .records import Anchor, ArticleCuration, FailedEntry, PartialDate


@dataclass
class Coverage:
    article: ArticleCuration
    numbers: list[NumberMention]
    uncovered: list[NumberMention]  # represented by no entry
    pending: list[tuple[NumberMention, FailedEntry]] = field(default_factory=list)  # in a failed entry's quote

    @property
    def covered(self) -> int:
        return len(self.numbers) - len(self.uncovered) - len(self.pending)

    @property
    def ratio(self) -> float:
        return 1.0 if not self.numbers else self.covered / len(self.numbers)


def _dates(value) -> list:
    """The date a fact's literal holds (a day, a month or a year), as a list of none or one."""
    if not isinstance(value, Literal):
        return []
    if value.datatype == XSD.date:
        return [value.toPython()] if isinstance(value.toPython(), dt.date) else []
    if value.datatype in (XSD.gYear, XSD.gYearMonth):
        year, _, month = str(value).partition("-")
        return [PartialDate(int(year), int(month) if month else None)]
    return []


def represented(article: ArticleCuration) -> list[tuple[int, int]]:
    """Return the spans of the article that its entries represent, each a number curated as such:
    a claim's figure or stated value, the day and year of its dates, a fact's value (a number, a
    date, words other than the headline), an out-of-scope entry's number, and a number inside the
    name of an entity of the file wherever the article prints that name. A quote that merely
    contains a number represents nothing."""
    text = article.text
    spans = [(o.anchor.start, o.anchor.end) for o in article.out_of_scope]
    taken: dict[tuple[int, int, str], int] = {}  # figures already given to a claim of the same quote
    for claim in article.claims:
        a = claim.anchor
        words = claim.figure if claim.figure is not None else claim.stated_value
        seen = taken.get((a.start, a.end, words), 0)
        spans.append(_occurrence(a, words, seen))
        taken[(a.start, a.end, words)] = seen + 1
        for date in (claim.stated_on, claim.as_of, claim.baseline_date):
            if date is not None:
                spans += date_spans(text, a.start, a.end, date)
    for entity in article.entities:  # a number in a name ("World War II"), wherever the name is printed
        spans.append(_occurrence(entity.anchor, entity.label))
        for name in {entity.label, entity.name}:
            if find_numbers(name):
                spans += [m.span() for m in _whole_name(name).finditer(text)]
    for fact in article.source_facts + article.facts:
        a, value = fact.anchor, fact.value
        if not isinstance(value, Literal):
            if _is_concept(value):  # a code that spells the number (category/young-soldiers-18-25)
                numbers = {number_value(n.text) for n in find_numbers(str(value).rpartition("/")[2])}
                spans += [
                    (a.start + n.start, a.start + n.end)
                    for n in find_numbers(a.exact)
                    if number_value(n.text) in numbers
                ]
            continue
        dates = _dates(value)
        if dates:
            spans += date_spans(text, a.start, a.end, dates[0])
        elif value.datatype is None and fact.prop != PARLEY.headline and str(value) in a.exact:
            spans.append(_occurrence(a, str(value)))
        elif value.datatype is not None:
            number = Decimal(str(value))
            spans += [
                (a.start + n.start, a.start + n.end) for n in find_numbers(a.exact) if number_value(n.text) == number
            ]
    return spans


def _occurrence(anchor: Anchor, words: str, nth: int = 0) -> tuple[int, int]:
    """The span of the ``nth`` occurrence of ``words`` as whole words in the anchor (the last when
    fewer); (0, 0) when none."""
    found = [m.start() for m in _whole_words(words).finditer(anchor.exact)] if words else []
    if not found:
        return (0, 0)
    offset = found[min(nth, len(found) - 1)]
    return anchor.start + offset, anchor.start + offset + len(words)


@lru_cache(maxsize=8192)
def _whole_words(words: str) -> re.Pattern:
    """``words`` as whole words: a figure "1" is not the "1" inside "0001" or "2,100" (compiled
    once per figure: a large corpus repeats them)."""
    return re.compile(rf"(?<![\w.,]){re.escape(words)}(?![\w]|[.,]\d)")


@lru_cache(maxsize=8192)
def _whole_name(name: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _is_concept(iri) -> bool:
    return str(iri).startswith(str(ID)) and str(iri)[len(str(ID)) :].partition("/")[0] not in KINDS


def _within(spans, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _failed_over(failed: list[FailedEntry], number: NumberMention) -> FailedEntry | None:
    """The failed entry whose quote holds the number: first one whose figure or text names it."""
    over = [f for f in failed if _within(f.spans, number.start, number.end)]
    named = [f for f in over if any(number.text in NUMBER.findall(words) for words in f.words)]
    return (named or over or [None])[0]


def coverage(article: ArticleCuration) -> Coverage:
    """Return which numbers of the article an entry represents, which none does, and which lie
    in the quote of an entry that failed its checks (covered by it once it is fixed)."""
    spans = represented(article)
    uncovered, pending = [], []
    numbers = find_numbers(article.text)
    for number in numbers:
        if _within(spans, number.start, number.end):
            continue
        failed = _failed_over(article.failed, number)
        if failed is None:
            uncovered.append(number)
        else:
            pending.append((number, failed))
    return Coverage(article, numbers, uncovered, pending)


@dataclass(frozen=True)
class SentenceMention:
    text: str
    start: int
    end: int
    line: int
    column: int


@dataclass
class SentenceCoverage:
    article: ArticleCuration
    sentences: list[SentenceMention]
    uncovered: list[SentenceMention]  # touched by no quote, and not listed out of scope
    out_of_scope: list[SentenceMention]
    pending: list[tuple[SentenceMention, FailedEntry]] = field(default_factory=list)  # touched by a failed entry

    @property
    def covered(self) -> int:
        return len(self.sentences) - len(self.uncovered) - len(self.pending)

    @property
    def ratio(self) -> float:
        return 1.0 if not self.sentences else self.covered / len(self.sentences)


def _touches(spans, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def sentence_coverage(article: ArticleCuration) -> SentenceCoverage:
    """Return which sentences of the article a quote touches, which are listed out of scope, and
    which only the quote of an entry that failed its checks touches."""
    spans = [(f.anchor.start, f.anchor.end) for f in article.source_facts + article.facts]
    spans += [(e.anchor.start, e.anchor.end) for e in article.entities]
    spans += [(c.anchor.start, c.anchor.end) for c in article.claims]
    excluded = [(o.anchor.start, o.anchor.end) for o in article.out_of_scope_sentences]
    text = article.text
    found, uncovered, out, pending = [], [], [], []
    for start, end in sentences(text):
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        mention = SentenceMention(text[start:end], start, end, line, column)
        found.append(mention)
        if _touches(spans, start, end):
            continue
        if _touches(excluded, start, end):
            out.append(mention)
            continue
        failed = next((f for f in article.failed if _touches(f.spans, start, end)), None)
        if failed is None:
            uncovered.append(mention)
        else:
            pending.append((mention, failed))
    return SentenceCoverage(article, found, uncovered, out, pending)


# What each kind of coverage problem says, and its fix: formed here only, for the build's error
# and for `parley check`'s list alike.
NUMBER_PROBLEM = "not covered: no claim's figure, fact's value or out_of_scope entry represents it"
NUMBER_FIX = (
    "add a claim whose figure is the number (or a fact whose value it is), or an out_of_scope entry with its "
    "reason, in the article's curation file; a quote that merely contains the number does not cover it "
    "(curation/README.md, Coverage)"
)
SENTENCE_PROBLEM = "touched by no entity, fact, claim or source quote"
SENTENCE_FIX = (
    "add an entity, fact or claim whose quote lies in the sentence (a statement of fact becomes a fact or a "
    "claim), or, for page furniture or advertising only, an `out_of_scope_sentences` entry with its reason, "
    "in the article's curation file"
)
FAILED_PROBLEM = "covered by {what} ({where}), an entry that failed its checks: fix that entry (its problem is listed)"
FAILED_FIX = "fix each entry named (its problem is listed with its line): what its quote covers is then covered"


def number_place(article: ArticleCuration, number: NumberMention) -> str:
    """``corpus/FILE:LINE:COLUMN 'number'``: where a number is."""
    return f"corpus/{article.path.name}:{number.line}:{number.column} {number.text!r}"


def sentence_place(article: ArticleCuration, sentence: SentenceMention) -> str:
    """``corpus/FILE:LINE:COLUMN (curation/FILE) sentence '...'``: where a sentence is, cut to its first words."""
    return (
        f"corpus/{article.path.name}:{sentence.line}:{sentence.column} (curation/{article.curation_path.name}) "
        f"sentence {_short(sentence.text)!r}"
    )


def _short(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _failed(entry: FailedEntry) -> str:
    return FAILED_PROBLEM.format(what=entry.what, where=entry.where)


@dataclass
class CorpusSentenceCoverage:
    """Sentence coverage of every article, with the totals and the uncovered sentences located."""

    articles: list[SentenceCoverage]

    @property
    def total(self) -> int:
        return sum(len(c.sentences) for c in self.articles)

    @property
    def covered(self) -> int:
        return sum(c.covered for c in self.articles)

    @property
    def out_of_scope(self) -> int:
        return sum(len(c.out_of_scope) for c in self.articles)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / max(self.total, 1)

    def uncovered(self) -> list[str]:
        """Return ``PLACE: what is wrong`` for every sentence not covered, in article order: touched
        by no quote, or only by the quote of an entry that failed its checks."""
        lines = []
        for c in self.articles:
            found = [(s, SENTENCE_PROBLEM) for s in c.uncovered] + [(s, _failed(f)) for s, f in c.pending]
            lines += [f"{sentence_place(c.article, s)}: {why}" for s, why in sorted(found, key=lambda x: x[0].start)]
        return lines


def corpus_sentence_coverage(articles) -> CorpusSentenceCoverage:
    """Return the sentence coverage of each article of the corpus."""
    return CorpusSentenceCoverage([sentence_coverage(article) for article in articles])


@dataclass
class CorpusCoverage:
    """Coverage of every article, with the totals and the uncovered numbers located."""

    articles: list[Coverage]

    @property
    def total(self) -> int:
        return sum(len(c.numbers) for c in self.articles)

    @property
    def covered(self) -> int:
        return sum(c.covered for c in self.articles)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / max(self.total, 1)

    def uncovered(self) -> list[str]:
        """Return ``PLACE: what is wrong`` for every number not covered, in article order: represented
        by no entry, or in the quote of an entry that failed its checks (not a second problem)."""
        lines = []
        for c in self.articles:
            found = [(n, NUMBER_PROBLEM) for n in c.uncovered] + [(n, _failed(f)) for n, f in c.pending]
            lines += [f"{number_place(c.article, n)}: {why}" for n, why in sorted(found, key=lambda x: x[0].start)]
        return lines


def corpus_coverage(articles) -> CorpusCoverage:
    """Return the coverage of each article of the corpus."""
    return CorpusCoverage([coverage(article) for article in articles])
