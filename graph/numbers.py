"""The numbers and sentences of an article's text: what counts as a number, what it is worth, and
where a sentence ends.

``find_numbers(text)`` lists every number the text prints (digits, words, ordinals, Roman
numerals) with its offsets and line; ``number_value(token)`` is the value one prints;
``date_spans`` the numbers of a passage that print a given day or year ("June 2", "2025-06-02");
``sentences(text)`` splits the text into sentences by a regular expression, not a library.
``graph.coverage`` says which of them the curation covers; the draft reads them too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .records import DateRange

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


def number_value(token: str) -> Decimal | None:
    """Return the value of a number as ``find_numbers`` prints it ("1,212", "twenty-five", "second",
    "II"), or None for one that is no single value ("dozens", "hundreds")."""
    word = token.casefold()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", token):
        return Decimal(token.replace(",", ""))
    if token.upper() in _ROMAN_VALUES:
        return Decimal(_ROMAN_VALUES[token.upper()])
    if "-" in word:
        tens, _, unit = word.partition("-")
        return Decimal(10 * (_TENS.index(tens) + 2) + _UNITS.index(unit) + 1)
    if word in _UNITS:
        return Decimal(_UNITS.index(word) + 1)
    if word in _TENS:
        return Decimal(10 * (_TENS.index(word) + 2))
    if word in _ORDINAL_VALUES:
        return Decimal(_ORDINAL_VALUES[word])
    return _SCALE_VALUES.get(word)


_ROMAN_VALUES = {"II": 2, "III": 3, "IV": 4, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "XI": 11, "XII": 12}
_ORDINAL_VALUES = {word: n for n, word in enumerate(_ORDINALS[:12], 1)}
_SCALE_VALUES = {
    "hundred": Decimal(100),
    "thousand": Decimal(1000),
    "million": Decimal(10**6),
    "billion": Decimal(10**9),
    "dozen": Decimal(12),
}
_MONTHS = "January February March April May June July August September October November December".split()


def date_spans(text: str, start: int, end: int, date) -> list[tuple[int, int]]:
    """The spans of the numbers of ``text[start:end]`` that print the day or year of ``date``
    ("June 2", "2 June 2025", "Jun 16, 2025", "23-25 May", "2025-06-02", "since 2022")."""
    if isinstance(date, DateRange):
        return date_spans(text, start, end, date.earliest) + date_spans(text, start, end, date.latest)
    month = getattr(date, "month", None)
    day = getattr(date, "day", None) if isinstance(date, dt.date) else None
    spans = []
    for pattern in _date_patterns(date.year, month, day):
        for match in pattern.finditer(text, start, end):
            spans += [match.span(g) for g in ("y", "m", "d") if g in match.groupdict() and match.group(g)]
    return spans


@lru_cache(maxsize=4096)
def _date_patterns(the_year: int, month: int | None, day: int | None) -> tuple[re.Pattern, ...]:
    """The compiled patterns of one date: a corpus repeats its dates, and compiling them afresh
    for every quote was most of the coverage check of a large build."""
    patterns = [rf"(?<![\d.,])(?P<y>{the_year})(?![\d.,]\d)"]
    if month:
        name = _MONTHS[month - 1]
        months = rf"(?:{name}|{name[:3]}\.?)"
        year = rf"(?:,?\s+(?P<y>{the_year})\b)?"
        if day:
            days = rf"(?P<d>{day})(?:st|nd|rd|th)?"
            other = r"\d{1,2}(?:st|nd|rd|th)?"
            patterns += [
                rf"\b{months}\s+(?:{other}\s*[-–]\s*)?{days}\b{year}",
                rf"\b{months}\s+{days}\s*[-–]\s*{other}\b{year}",
                rf"\b{months}\s+(?:{other},?\s+)+(?:and|or|to|until)\s+{days}\b{year}",  # "June 11 and 13"
                rf"(?<![\d.,]){days}(?:\s*[-–]\s*{other})?\s+(?:of\s+)?{months}\b{year}",
                rf"(?<![\d.,]){other}\s*[-–]\s*{days}\s+(?:of\s+)?{months}\b{year}",
                rf"\b(?P<y>{the_year})-(?P<m>{month:02d})-(?P<d>{day:02d})\b",
            ]
        else:
            patterns.append(rf"\b{months}{year}")
    return tuple(re.compile(p) for p in patterns)
