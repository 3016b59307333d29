"""Numbers of a draft that are not figures of a measure, and what the draft proposes for them.

``not_a_figure(sentence, start, end, figure)`` returns ``(kind, reason)`` for a number that
counts nothing a measure of the scheme covers, else None:

- ``parties``: "the two sides", "both countries", "the two delegations" name the parties;
- ``age``: "under 25", "aged 19, 22 and 41", "between 20 and 35", "25-year-old" is an age of the
  people counted, not a count;
- ``time``: "10 a.m.", "at 9 GMT" is a time of day;
- ``ordinal``: an ordinal of a thing that is not a round of exchanges ("a fourth convoy", "the
  first time"); an ordinal of a round of talks ("the second round of talks") is a fact of that
  round (``kind`` ``fact``), an ordinal of an exchange, swap, handover or round of exchanges
  is a figure (None).
"""

from __future__ import annotations

import re

ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
EXCHANGE_NOUNS = r"(?:prisoner |body |bodies )?(?:exchange|swap|handover|hand-over|repatriation|transfer|release)s?"
TALK_NOUNS = (
    r"(?:(?:round|session) of (?:peace |direct )?(?:talks|negotiations|discussions)|meeting|summit|(?:peace )?talks)"
)
_PARTIES = re.compile(r"(?:\b(?:the|both|all)\s+)$", re.IGNORECASE)
_PARTY_NOUNS = re.compile(
    r"\s+(?:warring\s+)?(?:sides|countries|parties|delegations|leaders|presidents|governments|nations|states)\b"
)
# "under 25", "aged 19, 22 and 41", "between 20 and 35"
_AGE_BEFORE = re.compile(
    r"\b(?:under|over|aged|age of|older than|younger than|between)(?:\s+\d+(?:\s*,|\s+and|\s+or|\s+to))*\s+$",
    re.IGNORECASE,
)
_TIME = re.compile(r"^(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|hours? GMT|GMT|UTC)", re.IGNORECASE)
_AGE_AFTER = re.compile(r"^(?:\s*(?:,|\.|;|$)|\s+years?\b|-year|\s+(?:and|or|to)\s+\d+)")
_COUNTED = re.compile(
    r"^\s+(?:[a-z]+\s+)?(?:prisoners|bodies|people|soldiers|children|detainees|civilians|men|women)\b"
)


def not_a_figure(sentence: str, start: int, end: int, figure: str) -> tuple[str, str] | None:
    """(kind, reason) when the number at ``start``-``end`` of ``sentence`` is no figure of a measure."""
    before, after = sentence[:start], sentence[end:]
    word = figure.lower().split()[-1]
    if word in ("two", "three", "both") and _PARTIES.search(before) and _PARTY_NOUNS.match(after):
        noun = _PARTY_NOUNS.match(after).group(0).strip()
        return (
            "parties",
            f"'{sentence[_PARTIES.search(before).start() : end].strip()} {noun}' names the parties, it is not a figure",
        )
    if (
        _AGE_BEFORE.search(before)
        and (_AGE_AFTER.match(after) or re.match(r"^-year", after))
        and not _COUNTED.match(after)
    ):
        value = re.sub(r"[^\d]", "", figure)
        if value and int(value) <= 120:
            said = sentence[_AGE_BEFORE.search(before).start() : end]
            return "age", f"{said!r} is an age of the people counted, which no measure of the scheme covers"
    if _TIME.match(after) and re.fullmatch(r"\d{1,2}", figure):
        return "time", f"{sentence[start:end] + _TIME.match(after).group(0)!r} is a time of day, not a figure"
    if re.match(r"^\d+-year-old", sentence[start:]):
        return "age", f"{sentence[start:end]!r}-year-old is an age, which no measure of the scheme covers"
    if word in ORDINALS:
        return _ordinal(sentence, end, word)
    return None


def _ordinal(sentence: str, end: int, word: str) -> tuple[str, str] | None:
    after = sentence[end:].lower()
    if re.match(r"^\s+(?:such\s+)?(?:[a-z]+\s+)?" + EXCHANGE_NOUNS + r"\b", after) or re.match(
        r"^\s+round(?:s)? of (?:prisoner |body )?(?:exchanges|swaps|repatriations)", after
    ):
        return None
    if re.match(r"^\s+(?:such\s+)?" + TALK_NOUNS + r"\b", after):
        return (
            "fact",
            f"the ordinal of a round of talks ({word}): a fact of that round (property ordinal), not a figure",
        )
    noun = re.match(r"^\s+([a-z]+)", after)
    if noun and noun.group(1) not in ("of", "and", "or", "under", "since", "in", "to", "such"):
        return (
            "ordinal",
            f"the ordinal of a {noun.group(1)} ({word}), not of a round of exchanges: no measure covers it",
        )
    return None
