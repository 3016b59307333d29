"""Number and sentence coverage.

Every number an article prints, in digits or in words, must be covered by the quote of a
claim, a fact or a source field, or be listed as out of scope with a reason; every sentence
must be touched by the quote of an entity, a fact, a claim or a source field, or be listed in
``out_of_scope_sentences`` with a reason (page furniture, advertising: never a statement of fact).

``find_numbers(text)`` lists the numbers and ``coverage(article)`` says which are covered;
``sentences(text)`` splits the text into sentences (a regular expression, not a library) and
``sentence_coverage(article)`` says which are touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import ArticleCuration

_UNITS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = "hundred thousand million billion dozen dozens hundreds thousands millions".split()
_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth half quarter").split()
_WORDS = _UNITS + _TENS + _SCALES + _ORDINALS

NUMBER = re.compile(
    r"\d+(?:[.,]\d+)*"
    r"|\b(?:" + "|".join(_TENS) + r")-(?:" + "|".join(_UNITS[:9]) + r")\b"
    r"|\b(?:" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b"
    r"|\b(?:II|III|IV|VI|VII|VIII|IX|XI|XII)\b",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^(?:II|III|IV|VI|VII|VIII|IX|XI|XII)$")
# Not after an initial ("Rufus T. Firefly") or a title ("Mr. Kuleba").
SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<![\s(][A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMrs\.)"
    r"[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])"
)


@dataclass(frozen=True)
class NumberMention:
    text: str
    start: int
    end: int
    line: int
    column: int


@dataclass
class Coverage:
    article: ArticleCuration
    numbers: list[NumberMention]
    uncovered: list[NumberMention]

    @property
    def covered(self) -> int:
        return len(self.numbers) - len(self.uncovered)

    @property
    def ratio(self) -> float:
        return 1.0 if not self.numbers else self.covered / len(self.numbers)


def find_numbers(text: str) -> list[NumberMention]:
    """Return every number the text prints, with its code-point offsets and line/column."""
    found = []
    for match in NUMBER.finditer(text):
        token = match.group(0)
        if token.isalpha() and token.upper() == token and not _ROMAN.match(token):
            continue
        if _ROMAN.match(token.upper()) and token != token.upper():
            continue  # "iv" in a word is not a numeral
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append(NumberMention(token, match.start(), match.end(), line, column))
    return found


def sentences(text: str, breaks: tuple[int, ...] = ()) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of each sentence of ``text``, stripped of surrounding space.

    ``breaks`` are further offsets where a sentence ends (the end of a dateline).
    """
    spans = []
    offset = 0
    for line in text.split("\n"):
        ends = [(m.start(), m.end()) for m in SENTENCE_END.finditer(line)]
        ends += [(b - offset, b - offset) for b in breaks if offset < b < offset + len(line)]
        start = 0
        for end, after in sorted(ends):
            spans.append((offset + start, offset + end))
            start = after
        spans.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    stripped = []
    for start, end in spans:
        chunk = text[start:end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            stripped.append((start + left, start + right))
    return stripped


def coverage(article: ArticleCuration) -> Coverage:
    """Return which numbers of the article are covered by a quote or an out-of-scope entry."""
    spans = [(f.anchor.start, f.anchor.end) for f in article.source_facts + article.facts]
    spans += [(c.anchor.start, c.anchor.end) for c in article.claims]
    spans += [(o.anchor.start, o.anchor.end) for o in article.out_of_scope]
    numbers = find_numbers(article.text)
    uncovered = [n for n in numbers if not any(s <= n.start and n.end <= e for s, e in spans)]
    return Coverage(article, numbers, uncovered)


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
    uncovered: list[SentenceMention]
    out_of_scope: list[SentenceMention]

    @property
    def covered(self) -> int:
        return len(self.sentences) - len(self.uncovered)

    @property
    def ratio(self) -> float:
        return 1.0 if not self.sentences else self.covered / len(self.sentences)


def _touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def sentence_coverage(article: ArticleCuration) -> SentenceCoverage:
    """Return which sentences of the article a quote touches, and which are listed out of scope."""
    spans = [(f.anchor.start, f.anchor.end) for f in article.source_facts + article.facts]
    spans += [(e.anchor.start, e.anchor.end) for e in article.entities]
    spans += [(c.anchor.start, c.anchor.end) for c in article.claims]
    excluded = [(o.anchor.start, o.anchor.end) for o in article.out_of_scope_sentences]
    text = article.text
    found, uncovered, out = [], [], []
    for start, end in sentences(text):
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        mention = SentenceMention(text[start:end], start, end, line, column)
        found.append(mention)
        if _touches(spans, start, end):
            continue
        (out if _touches(excluded, start, end) else uncovered).append(mention)
    return SentenceCoverage(article, found, uncovered, out)


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
        """Return ``corpus/FILE:LINE:COLUMN (curation/FILE) 'sentence'`` for every uncovered sentence."""
        return [
            f"corpus/{c.article.path.name}:{s.line}:{s.column} (curation/{c.article.curation_path.name}) "
            f"sentence {_short(s.text)!r}"
            for c in self.articles
            for s in c.uncovered
        ]


def _short(sentence: str, limit: int = 120) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


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
        """Return ``corpus/FILE:LINE:COLUMN 'number'`` for every uncovered number."""
        return [
            f"corpus/{c.article.path.name}:{n.line}:{n.column} {n.text!r}" for c in self.articles for n in c.uncovered
        ]


def corpus_coverage(articles) -> CorpusCoverage:
    """Return the coverage of each article of the corpus."""
    return CorpusCoverage([coverage(article) for article in articles])
