"""Who says a figure, and on what day: the reporting clause of a draft's sentence.

``speaker_of(text, s, e, start, mentions, memory, published)`` reads the clauses that report a
sentence: "X said", "X, which ..., said", "said X", "according to X", "X put the number at",
"X wrote on ...". X is an entity the text names (a known label, a variant such as a surname, a
new name the draft proposes: ``mentions``), "the ministry" or "the headquarters" (the last
entity named before whose name holds that word), or "it", "he", "she" (the last speaker of the
same kind). A clause after the figure (", the ministry said.") wins over one before it. The
stated date is the date right after the verb ("said on Monday", "wrote on June 3"), read by
``graph.draft_dates.dates_in`` against the publication date; "at the time" is the date the
sentence names, "in the same statement" the day of the last statement. A place the curated
corpus curates as standing for someone else ("Kiev says" as ``state/ukraine``,
``Knowledge.stands_for``) gives that one. No clause: the article itself speaks (``article``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .draft_dates import dates_in

VERBS = re.compile(
    r"\b(?:said|says|say|stated|states|told|tells|added|adds|announced|reported|reports|wrote|writes|"
    r"remarked|claimed|confirmed|noted|put|puts|mentioned|estimated|insisted)\b"
)
_GAP = re.compile(r"(?:\s*,[^,.;]{1,80},)?\s*(?:(?:has|had|have|also|later|earlier|then|again)\s+)*$")
_PRONOUN = re.compile(r"\b(it|he|she|they|we|I)\s+(?:(?:has|had|have|also|later|then)\s+)*$", re.IGNORECASE)
_ANAPHOR = re.compile(r"\b(?:the|its|their)\s+([a-z]+)\s+(?:(?:has|had|have|also|later|then)\s+)*$", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\s+(?:(?:the|its|their)\s+([a-z]+)\b)?", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """An entity the text names at ``start``-``end``."""

    start: int
    end: int
    ref: str
    type: str
    name: str


@dataclass
class Memory:
    """What the earlier sentences said: the last speaker and the day of the last statement."""

    speaker: Mention | None = None
    subject: Mention | None = None  # the entity the last sentence starts with ("The ministry gave ...")
    stated_on: str | None = None


@dataclass
class Speaker:
    ref: str
    why: str
    stated_on: str | None = None
    stated_how: str | None = None
    clause: tuple[int, int] | None = None  # the clause's span in the text, its dates not an as-of


def speaker_of(
    text: str,
    s: int,
    e: int,
    start: int,
    mentions: list[Mention],
    memory: Memory,
    published: dt.date | None,
    stands_for: dict[str, str] | None = None,
) -> Speaker:
    """The speaker of the figure at ``start`` of the sentence ``text[s:e]``."""
    clauses = [c for c in _clauses(text, s, e, mentions, memory) if c[0] is not None]
    if not clauses:
        sentence = text[s:e].lstrip()
        verb = VERBS.search(text, s, e)
        if verb and verb.group(0) != "put":
            said = text[max(s, verb.start() - 30) : verb.end()].split(",")[-1].strip()
            return Speaker("TODO", f"{said!r}: its subject is no entity the text names (an unnamed source?)")
        if sentence[:1] in '"“' and memory.speaker is not None:
            last = memory.speaker
            return Speaker(last.ref, f"a quotation, after the last speaker {last.name}")
        return Speaker("article", "no reporting clause in the sentence: the article itself")
    after = [c for c in clauses if c[1] > start]
    mention, verb_start, verb_end, why = after[0] if after else clauses[-1]
    ref = mention.ref
    if stands_for and ref in stands_for:
        why += f"; the curated corpus curates {mention.ref} as a speaker as {stands_for[ref]}"
        ref = stands_for[ref]
    speaker = Speaker(ref, why, clause=(mention.start if s <= mention.start < verb_start else verb_start, verb_end))
    _stated(text, speaker, verb_end, e, memory, published)
    last = memory.speaker
    if not speaker.stated_on and text[verb_start:verb_end] in ("added", "adds") and last and last.ref == ref:
        speaker.stated_on, speaker.stated_how = memory.stated_on, "'added': the statement of the sentence before"
    memory.speaker = Mention(mention.start, mention.end, ref, mention.type, mention.name)
    if speaker.stated_on:
        memory.stated_on = speaker.stated_on
    return speaker


def _clauses(text: str, s: int, e: int, mentions: list[Mention], memory: Memory):
    """(mention, verb start, verb end, why) of each reporting clause of the sentence, in order."""
    inside = [m for m in mentions if s <= m.start and m.end <= e]
    found = []
    for verb in VERBS.finditer(text, s, e):
        before = text[s : verb.start()]
        subject = next(
            (m for m in reversed(inside) if m.end <= verb.start() and _GAP.fullmatch(text[m.end : verb.start()])), None
        )
        if subject:
            found.append((subject, verb.start(), verb.end(), f"{text[subject.start : verb.end()]!r}"))
            continue
        pronoun, anaphor = _PRONOUN.search(before), _ANAPHOR.search(before)
        if pronoun:
            last = _antecedent(pronoun.group(1).lower(), memory)
            if last:
                said = f"{pronoun.group(0).strip()} {verb.group(0)}"
                found.append((last, s + pronoun.start(), verb.end(), f"{said!r}: {last.name}, named before"))
            continue
        if anaphor and verb.group(0) != "put":
            resolved = _head(anaphor.group(1), mentions, s + anaphor.start(), memory)
            if resolved:
                found.append(
                    (
                        resolved,
                        s + anaphor.start(),
                        verb.end(),
                        f"{text[s + anaphor.start() : verb.end()]!r}: {resolved.name}, named before",
                    )
                )
            continue
        after = next(
            (
                m
                for m in inside
                if 0 <= m.start - verb.end() <= 40
                and re.fullmatch(r"\s+(?:[A-Z][\w.]*\s+){0,3}", text[verb.end() : m.start])
            ),
            None,
        )
        if after and re.search(r",\s*$", before):
            found.append((after, verb.start(), verb.end(), f"{text[verb.start() : after.end]!r}"))
    for match in _ACCORDING.finditer(text, s, e):
        named = next((m for m in inside if m.start - match.end() in range(0, 6)), None)
        if named and re.match(r"['’]s\s", text[named.end : named.end + 3]):  # "Ukraine's Coordination Headquarters"
            named = next((m for m in inside if m.start == named.end + 3), named)
        if match.group(1) and not named:
            named = _head(match.group(1), mentions, s + match.start(), memory)
        if named:
            found.append((named, match.start(), match.end(), f"'according to' {named.name}"))
    return sorted(found, key=lambda c: c[1])


def _antecedent(pronoun: str, memory: Memory) -> Mention | None:
    """What "it", "he" or "she" stands for: the last sentence's subject when it fits, else the last speaker."""
    person = pronoun in ("he", "she", "i")
    for candidate in (memory.subject, memory.speaker):
        if candidate is not None and (candidate.type == "Person") == person:
            return candidate
    return None if person else memory.speaker


def observe(text: str, s: int, e: int, mentions: list[Mention], memory: Memory) -> None:
    """Remember the entity the sentence ``text[s:e]`` starts with (a name, or "the ministry" resolved)."""
    head = text[s:e]
    lead = len(head) - len(head.lstrip())
    first = next((m for m in mentions if m.start == s + lead), None)
    if first is None:
        anaphor = re.match(r"\s*(?:The|Its)\s+([a-z]+)\b", head)
        first = _head(anaphor.group(1), mentions, s, memory) if anaphor else None
    memory.subject = first
    clauses = [c for c in _clauses(text, s, e, mentions, memory) if c[0] is not None]
    if clauses:  # "Zelensky wrote." before a quotation: he is the last speaker
        memory.speaker = clauses[-1][0]


def _head(word: str, mentions: list[Mention], before: int, memory: Memory) -> Mention | None:
    """The last entity named before ``before`` whose name or label holds ``word`` ("the ministry")."""
    stem = word.lower().rstrip("s")
    if len(stem) < 4:
        return None
    for mention in sorted(mentions, key=lambda m: -m.start):
        if mention.start < before and stem in mention.name.lower():
            return mention
    return None


def _stated(text: str, speaker: Speaker, verb_end: int, e: int, memory: Memory, published: dt.date | None) -> None:
    """Set the day the clause says it was said: 'said on Monday', 'at the time', 'in the same statement'."""
    rest = text[verb_end:e]
    if re.match(r"\s+at the time\b", rest):
        speaker.stated_how = "'said at the time': the day the sentence names"
        speaker.stated_on = "at-the-time"
        return
    if re.match(r"\s+in the same statement\b", rest) and memory.stated_on:
        speaker.stated_on, speaker.stated_how = (
            memory.stated_on,
            "'in the same statement': the day of the last statement",
        )
        return
    # "said on Monday", "told Reuters on Monday", "said in a statement on June 13"
    audience = r"(?:(?:[A-Z][\w.]*|reporters|journalists|the press|a briefing|a news conference)\s+){0,3}?"
    near = re.match(r"\s+" + audience + r"(?:on|in|last|this|yesterday|today)\b[^,.;]{0,30}", rest)
    if not near:
        return
    for date, _ds, de, how in dates_in(near.group(0), published):
        if "TODO" not in date and "/" not in date:
            speaker.stated_on, speaker.stated_how = date, how or "printed in full"
            speaker.clause = (speaker.clause[0], verb_end + de)
            return
