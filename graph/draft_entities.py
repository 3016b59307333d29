"""The entities a draft proposes: those the curated corpus knows, and the new names of the text.

``known_entities`` matches the labels of the corpus and their variants (``graph.draft_learn``:
a surname of a known person is that person, never a new one), and adds what the dataset holds
for what the text names:

- a label that is a generic phrase ("the exchange", "prisoner swap", all lower case) of a dated
  entity (a round, an exchange, an event) counts only when the sentence names that entity's
  date; else it is left out, for it would link a swap of one day to a round of another;
- each printed date ("June 9", "9 June 2025") of a round, exchange, agreement or event the
  corpus dates (``Knowledge.dates``): the kind the words near it name ("agreement of June 2",
  "talks", else an exchange); a list of dates ("June 9, June 11 and June 13") shares its noun,
  and each date is its own entity;
- "the X agreement" (or deal, accord) for a place X: the one agreement reached there;
- "series of", "further", "rounds of" exchanges, or exchanges since the agreement: the process
  that implements that agreement;
- a title before a known person ("President Volodymyr Zelensky"): the post the person holds;
- a dateline place the corpus knows, with its label as printed ("MOSCOW").

``new_entities`` proposes a name no label matches only when its kind has a cue
(``graph.draft_names.propose_kind``, or a demonym in the text: "Freedonians" makes "Freedonia"
a state); the others are listed in the file's head comment. Platforms ("on Telegram", "in a post
on X"), titles alone ("Defence Minister") and names inside a heading are never proposed.
"""

from __future__ import annotations

import re

from .draft_dates import dates_in
from .draft_learn import Knowledge
from .draft_names import TITLES, Label, name_candidates, propose_kind
from .draft_scope import ORDINALS, TALK_NOUNS
from .draft_speakers import Mention
from .draft_yaml import TODO, Candidate, Code

_TYPE_CUES = [
    (re.compile(r"\b(?:agreement|deal|accord|agreed)\b", re.I), ("Agreement",)),
    (re.compile(r"\b(?:talks|negotiations|meeting|summit)\b", re.I), ("NegotiationRound", "Event")),
    (
        re.compile(r"\b(?:exchanges?|swaps?|handovers?|repatriations?|transfers?|releases?|rounds?|began)\b", re.I),
        ("ExchangeRound",),
    ),
]
_DATED = {"ExchangeRound", "NegotiationRound", "Event", "Agreement"}
_PLATFORM = re.compile(r"(?:\b(?:on|via|in a post on|on the messaging app|messaging app|platform|channel)\s+$)", re.I)
_PLATFORM_AFTER = re.compile(
    r"^\s*(?:post|posts|channel|account|page|messaging|app|video|message|statement on)\b", re.I
)


def anchor(text: str, quote: str, start: int) -> dict:
    """The ``quote`` field, and ``occurrence`` when the quote occurs more than once."""
    fields: dict = {"quote": quote}
    if text.count(quote) > 1:
        fields["occurrence"] = text.count(quote, 0, start) + 1
    return fields


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def sentence_at(spans: list[tuple[int, int]], start: int, end: int, text: str, limit: int = 300) -> tuple[int, int]:
    """The sentence around ``start``-``end``; in a long sentence, a window of words around it."""
    for s, e in spans:
        if s <= start and end <= e:
            if e - s <= limit:
                return s, e
            ws, we = max(s, start - limit // 2), min(e, end + limit // 2)
            while ws > s and not text[ws - 1].isspace():
                ws += 1
            while we < e and not text[we].isspace():
                we -= 1
            return ws, we
    return start, end


def entity(ref: str, type_: str, name: str, label: str, text: str, s: int, e: int, todo: str) -> Candidate:
    fields = {"ref": Code(ref), "type": Code(type_), "name": name, "label": label, **anchor(text, text[s:e], s)}
    return Candidate(fields, [todo])


def known_entities(text, knowledge: Knowledge, spans, published, dateline=None, skip=()):
    """(candidates, matched spans, mentions) of the entities of the corpus the text names."""
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    found: dict[str, tuple[int, int, str, str]] = {}  # ref -> (start, end, label, why)

    def add(ref: str, start: int, end: int, why: str) -> None:
        type_ = knowledge.types.get(ref) or next((lab.type for lab in knowledge.labels if lab.ref == ref), TODO)
        mentions.append(Mention(start, end, ref, type_, knowledge.names.get(ref) or text[start:end]))
        if ref not in found or start < found[ref][0]:
            found[ref] = (start, end, text[start:end], why)

    for ref, start, end, why in _ordinal_rounds(text, knowledge):
        taken.append((start, end))
        add(ref, start, end, why)
    for label in knowledge.labels:  # longest first, so "Example City" is not also "City"
        for match in re.finditer(r"(?<!\w)" + re.escape(label.text) + r"(?!\w)", text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            dated = _generic(label) and label.type in _DATED and _date_of(label.ref, knowledge)
            if dated and not _date_matches(text, spans, match.start(), label.ref, knowledge, published):
                continue
            add(label.ref, match.start(), match.end(), f"found by its label {label.text!r}")
    dated = [d for d in _dated(text, spans, knowledge, published) if not any(a <= d[1] < b for a, b in skip)]
    for ref, start, end, why in dated + _named_agreements(text, knowledge):
        add(ref, start, end, why)
    for ref, start, end, why in _processes(text, knowledge, found) + _posts(text, knowledge, mentions):
        add(ref, start, end, why)
    if dateline:
        for part_start, part in dateline:
            ref = next(
                (lab.ref for lab in knowledge.labels if lab.type == "Place" and lab.text.lower() == part.lower()), None
            )
            if ref and ref not in found:
                add(ref, part_start, part_start + len(part), "the dateline's place")
    candidates = []
    for ref, (start, end, label, why) in sorted(found.items(), key=lambda item: item[1][0]):
        s, e = sentence_at(spans, start, end, text)
        type_ = knowledge.types.get(ref) or next((lab.type for lab in knowledge.labels if lab.ref == ref), TODO)
        name = knowledge.names.get(ref) or next((lab.name for lab in knowledge.labels if lab.ref == ref), label)
        candidates.append(entity(ref, type_, name, label, text, s, e, f"TODO: confirm {ref} ({why})"))
    return candidates, taken, mentions


def _generic(label: Label) -> bool:
    """True for a label that is a common phrase ("the exchange", "prisoner swap"), not a name."""
    return not re.search(r"[A-Z0-9]", label.text)


def _date_of(ref: str, knowledge: Knowledge) -> set[str]:
    return {day for day, refs in knowledge.dates.items() if ref in refs}


def _date_matches(text, spans, start, ref, knowledge: Knowledge, published) -> bool:
    s, e = sentence_at(spans, start, start + 1, text)
    days = {d for d, *_ in dates_in(text[s:e], published)}
    return bool(days & _date_of(ref, knowledge))


def _dated(text, spans, knowledge: Knowledge, published) -> list[tuple[str, int, int, str]]:
    """(ref, start, end, why) of the dated entities of the corpus for each date the text prints."""
    out = []
    for s, e in spans:
        sentence, cue = text[s:e], None
        last_end = None
        for date, ds, de, _how in dates_in(sentence, published):
            if not re.match(r"\d{4}-\d{2}-\d{2}$", date) or re.match(
                r"(?i)(?:on|last|this|next)?\s*\w+day\b", sentence[ds:de]
            ):
                continue
            if not re.search(r"\d", sentence[ds:de]):
                continue
            window = sentence[max(0, ds - 40) : ds] + " " + sentence[de : de + 15]
            if last_end is None or not re.fullmatch(r",?\s*(?:and\s+)?|\s*,\s*", sentence[last_end:ds]):
                cue = next((types for rx, types in _TYPE_CUES if rx.search(window)), None)
            last_end = de
            refs = sorted(knowledge.dates.get(date, ()))
            types = cue or ("ExchangeRound",)
            match = [r for r in refs if knowledge.types.get(r) in types]
            if len(match) == 1:
                out.append(
                    (match[0], s + ds, s + de, f"the dataset dates {match[0]} {date}, the date {sentence[ds:de]!r}")
                )
    return out


def _ordinal_rounds(text, knowledge: Knowledge) -> list[tuple[str, int, int, str]]:
    """'the second round of talks in Istanbul': the round of talks of the corpus with that ordinal (and place)."""
    out = []
    pattern = r"\b(" + "|".join(ORDINALS) + r")\s+" + TALK_NOUNS + r"(?:\s+in\s+([A-Z]\w+))?"
    for match in re.finditer(pattern, text):
        rounds = [
            r
            for r in knowledge.of_type("NegotiationRound")
            if knowledge.ordinals.get(r) == ORDINALS.index(match.group(1)) + 1
        ]
        if match.group(2):
            place = next(
                (lab.ref for lab in knowledge.labels if lab.text == match.group(2) and lab.type == "Place"), None
            )
            rounds = [r for r in rounds if place in knowledge.places.get(r, ())]
        if len(rounds) == 1:
            out.append(
                (
                    rounds[0],
                    match.start(),
                    match.end(),
                    f"{match.group(0)!r}: the round of talks the corpus gives that ordinal",
                )
            )
    return out


def _named_agreements(text, knowledge: Knowledge) -> list[tuple[str, int, int, str]]:
    """'the Istanbul agreement': the one agreement of the corpus reached at that place."""
    out = []
    places = {lab.text: lab.ref for lab in knowledge.labels if lab.type == "Place"}
    for match in (
        re.finditer(
            r"\b("
            + "|".join(map(re.escape, sorted(places, key=len, reverse=True)))
            + r")\s+(?:agreement|deal|accord)\b",
            text,
        )
        if places
        else ()
    ):
        place = places[match.group(1)]
        agreements = [r for r in knowledge.of_type("Agreement") if place in knowledge.places.get(r, ())]
        if len(agreements) == 1:
            out.append(
                (
                    agreements[0],
                    match.start(),
                    match.end(),
                    f"{match.group(0)!r}: the one agreement the corpus has reached at {place}",
                )
            )
    return out


def _processes(text, knowledge: Knowledge, found: dict) -> list[tuple[str, int, int, str]]:
    """'the series of exchanges', 'further exchanges', 'exchanges under the agreement': the process implementing it."""
    agreements = [ref for ref in found if knowledge.types.get(ref) == "Agreement"]
    out = []
    pattern = (
        r"\b(?:series of|further|rounds of)\s+(?:\w+\s+)?(?:exchanges|swaps|repatriations|handovers)\b"
        r"|\b(?:exchanges|swaps)\s+(?:under|since)\s+(?:the\s+)?\w*\s*(?:agreement|deal)\b"
        r"|\b(?:the|these|its)\s+(?:exchanges|swaps|rounds)\s+(?:of|under|since)\b"
    )
    for match in re.finditer(pattern, text, re.I):
        processes = sorted(
            {
                p
                for a in agreements
                for p in knowledge.implements.get(a, ())
                if knowledge.types.get(p) == "ExchangeProcess"
            }
        )
        if len(processes) == 1:
            out.append(
                (
                    processes[0],
                    match.start(),
                    match.end(),
                    f"{match.group(0)!r}: the process that implements {agreements[0]}",
                )
            )
            break
    return out


def _posts(text, knowledge: Knowledge, mentions: list[Mention]) -> list[tuple[str, int, int, str]]:
    """A title printed before a known person: the post of the corpus that person holds."""
    out = []
    for mention in list(mentions):
        if mention.type != "Person":
            continue
        title = re.search(r"((?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)\s+$", text[max(0, mention.start - 40) : mention.start])
        if not title or title.group(1).split()[-1].lower() not in TITLES:
            continue
        word = title.group(1).split()[-1].lower()
        posts = [p for p in knowledge.posts.get(mention.ref, ()) if word in knowledge.names.get(p, "").lower()]
        if len(posts) == 1:
            start = mention.start - len(title.group(0))
            out.append(
                (
                    posts[0],
                    start,
                    start + len(title.group(1)),
                    f"the title {title.group(1)!r} of {mention.ref}, who holds it",
                )
            )
    return out


def new_entities(text, knowledge: Knowledge, spans, skip, new: dict):
    """(candidates, mentions, names left out) of the names no known label matches.

    ``new`` holds the refs the source fields propose (outlet, cited sources, dateline places);
    each becomes a candidate where its name occurs in the text.
    """
    candidates, mentions, left_out, done = [], [], [], []
    for ref, (type_, name, why) in new.items():
        matches = list(re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.IGNORECASE))
        if not matches:
            continue
        done += [(m.start(), m.end()) for m in matches]
        mentions += [Mention(m.start(), m.end(), ref, type_, name) for m in matches]
        s, e = sentence_at(spans, matches[0].start(), matches[0].end(), text)
        todo = f"TODO: new entity, named by {why}; no curation file declares {ref}: check type, name, ref"
        candidates.append(entity(ref, type_, name, matches[0].group(0), text, s, e, todo))
    headings = [
        (s, e) for s, e in spans if s > 0 and not re.search(r"[.!?\"”:]\s*$", text[s:e]) and len(text[s:e].split()) <= 8
    ]
    for name, start in sorted(
        name_candidates(text, knowledge.labels, skip + done + headings, {s for s, _ in spans}), key=lambda n: n[1]
    ):
        if _platform(text, name, start) or all(w.lower().rstrip(".") in TITLES for w in name.split()):
            left_out.append(f"{name!r} (a platform or a title)")
            continue
        same = next((m for m in mentions if m.type == "Person" and " " in m.name and m.name.split()[-1] == name), None)
        if same:  # "Lubinets" after "Dmytro Lubinets": the same new person
            mentions += [
                Mention(m.start(), m.end(), same.ref, "Person", same.name)
                for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)
            ]
            continue
        kind, type_, why = propose_kind(text, name, start)
        if kind is None and re.search(r"\b" + re.escape(name.rstrip("aey")) + r"(?:ian|an|n|ese|ish)s?\b", text):
            kind, type_, why = "state", "State", "its demonym in the text"
        if kind is None:
            left_out.append(f"{name!r} ({why})")
            continue
        slug_name = " ".join(w for w in name.split() if not re.fullmatch(r"[A-Z]\.", w)) if kind == "person" else name
        ref = f"{kind}/{slug(re.sub(r'^the ', '', slug_name, flags=re.I))}"
        s, e = sentence_at(spans, start, start + len(name), text)
        todo = f"TODO: new entity {name!r} (no known label matches it); kind {kind} proposed from {why}"
        candidates.append(entity(ref, type_, slug_name, name, text, s, e, todo))
        for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            mentions.append(Mention(match.start(), match.end(), ref, type_, slug_name))
    return candidates, mentions, left_out


def _platform(text: str, name: str, start: int) -> bool:
    """True for a name printed as a platform: "on Telegram", "a Telegram post", "the messaging app Signal"."""
    before, after = text[max(0, start - 40) : start], text[start + len(name) : start + len(name) + 20]
    if re.search(r"\b(?:messaging app|app|platform|social network|social media)\s+$", before, re.I):
        return True
    return bool(_PLATFORM.search(before) and _PLATFORM_AFTER.match(after)) or bool(
        re.search(r"\b(?:a|an|its|his|her|their)\s+$", before) and _PLATFORM_AFTER.match(after)
    )
