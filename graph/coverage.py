"""Number coverage: every number an article prints, in digits or in words, must be covered
by the quote of a claim, a fact or a source field, or be listed as out of scope with a reason.

``find_numbers(text)`` lists the numbers; ``coverage(article)`` says which are covered.
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


def coverage(article: ArticleCuration) -> Coverage:
    """Return which numbers of the article are covered by a quote or an out-of-scope entry."""
    spans = [(f.anchor.start, f.anchor.end) for f in article.source_facts + article.facts]
    spans += [(c.anchor.start, c.anchor.end) for c in article.claims]
    spans += [(o.anchor.start, o.anchor.end) for o in article.out_of_scope]
    numbers = find_numbers(article.text)
    uncovered = [n for n in numbers if not any(s <= n.start and n.end <= e for s, e in spans)]
    return Coverage(article, numbers, uncovered)


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
