"""Which measure a figure is of: what is counted, who gave it to whom, one round or a running total.

A measure label of the scheme (``ontology/codelists.ttl``) reads as a frame: "bodies received by
Russia" counts bodies, received, by Russia, in one round; "bodies returned to Ukraine,
cumulative" counts bodies returned to Ukraine, a running total; "prisoners exchanged per side",
"bodies agreed in total". ``read_frame`` reads the same frame from the words around a figure:

- the thing counted, the nearest noun of a kind ("bodies", "remains", "fallen" are bodies;
  "prisoners", "detainees", "people" released are prisoners);
- the direction: the verb that governs the figure, a giving one ("returned", "handed over",
  "released") or a receiving one ("received", "got back"), its subject (the state named
  nearest before it, "it"/"its own" for the subject before), "to X" and "from X", and the
  soldiers' side ("bodies of Ukrainian soldiers" go to Ukraine); a party left open is the one
  the article's last figure of the same thing named;
- a running total: "so far", "to date", "in total", "in all", "since", "already", "in return",
  "the number", "through these", or a perfect tense ("has returned", "had received");
- per side: "each", "per side", "from each side" next to the figure; "in total", "in all": total;
- agreed: "agreed", "pledged", "are to", "will"; offered: "ready to", "prepared to", "offer".

``choose_measure`` keeps the measures whose label frame the figure's frame fits and, of those,
the one whose curated figures (``Knowledge.words``) have the most words in common with it; the
reason says both. A figure no frame fits keeps the label-word match of ``propose_measure``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_THINGS = {
    "body": "bodies body remains corpses dead fallen deceased killed".split(),
    "prisoner": "prisoners prisoner pows pow detainees captives civilians people servicemen".split(),
    "child": "children child".split(),
}
_SOLDIERS = {"soldiers", "soldier", "troops", "men", "servicemen"}
_BODY_CUES = {"bodies", "remains", "fallen", "dead", "deceased", "killed", "corpses"}
_GIVE = re.compile(
    r"\b(?:return(?:s|ed|ing)?|hand(?:s|ed|ing)?(?: over| back)?|repatriat(?:e|es|ed|ing)|transferr?(?:s|ed|ing)?|"
    r"releas(?:e|es|ed|ing)|free(?:s|d)?|deliver(?:s|ed|ing)?|g[ai]ve|sent|send)\b"
)
_RECEIVE = re.compile(
    r"\b(?:receiv(?:e|es|ed|ing)|got|get|gets|came home|came back|brought (?:home|back)|bring(?:s)? (?:home|back))\b"
)
_EXCHANGE = re.compile(r"\b(?:exchang(?:e|es|ed|ing)|swap(?:s|ped|ping)?|trad(?:e|ed))\b")
_RUNNING = re.compile(
    r"\b(?:so far|to date|in total|in all|since|already|in return|the number|through these|"
    r"altogether|cumulative|overall|total)\b"
)
_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:(?:now|already|so far|also)\s+)?(?:been\s+)?\w+(?:ed|en|ne|ught|t)\b")
_AGREED = re.compile(r"\b(?:agreed|agree|agrees|pledged|pledge|are to|is to|were to|will|would|committed)\b")
_OFFERED = re.compile(r"\b(?:ready to|prepared to|willing to|offer(?:s|ed)?)\b")
_EACH = re.compile(r"\b(?:each|per side|apiece|for the same number|\d[\d,]*[- ]for[- ]\d)\b(?! other)")
_TOTAL = re.compile(r"\b(?:in total|in all|a total of|total of|altogether)\b")


@dataclass
class Frame:
    """What the words around a figure say it counts."""

    thing: str | None = None
    verb: str | None = None  # give, receive, exchange, agreed, offered
    giver: str | None = None
    receiver: str | None = None
    running: bool = False
    per_side: bool = False
    total: bool = False
    cues: list[str] = field(default_factory=list)


def label_frame(label: str) -> Frame | None:
    """The frame of a measure label ("bodies returned to Ukraine, cumulative"), None when it has none."""
    words = label.replace(",", "").split()
    thing = next((k for k, forms in _THINGS.items() if words and words[0].lower() in forms), None)
    if thing is None or len(words) < 2:
        return None
    verb = {"received": "receive", "returned": "give", "released": "give", "exchanged": "exchange", "agreed": "agreed"}
    frame = Frame(thing=thing, verb=verb.get(words[1], words[1]))
    party = re.search(r"\b(by|to) ([A-Z]\w+)", label)
    if party and party.group(1) == "by" and frame.verb == "give":
        frame.giver = party.group(2)
    elif party:
        frame.receiver = party.group(2)
    frame.running = "cumulative" in words
    frame.per_side = "per side" in label
    frame.total = "total" in words
    return frame


def read_frame(
    sentence: str, start: int, end: int, states: list[str], memory: dict, aliases: dict[str, str] | None = None
) -> Frame:
    """The frame the words of ``sentence`` around the figure at ``start``-``end`` give it.

    ``states`` are the states the corpus names ("Russia", "Ukraine"); ``memory`` holds the last
    frame of each thing the article's figures counted, whose parties fill those left open.
    """
    before, after = sentence[:start], sentence[end:]
    low_before, low_after = before.lower(), after.lower()
    unit = re.match(
        r"\s*(?:%|per ?cent|years?|months?|weeks?|days?|hours?|minutes?|km|kilomet|square|miles?)\b", low_after
    )
    frame = Frame(thing=None if unit else _thing(low_before, low_after) or memory.get("thing"))
    near = low_before[-60:] + " # " + low_after[:40]
    if _OFFERED.search(low_before[-50:]):
        frame.verb, frame.cues = "offered", frame.cues + [_OFFERED.search(low_before[-50:]).group(0)]
    elif _AGREED.search(low_before[-70:]):
        frame.verb, frame.cues = "agreed", frame.cues + [_AGREED.search(low_before[-70:]).group(0)]
    verbs = [(m.start(), "give", m.group(0)) for m in _GIVE.finditer(low_before)]
    verbs += [(m.start(), "receive", m.group(0)) for m in _RECEIVE.finditer(low_before)]
    verbs += [(m.start(), "exchange", m.group(0)) for m in _EXCHANGE.finditer(low_before)]
    if not verbs:  # "6,000 bodies were handed over", "1,200 prisoners were exchanged"
        verbs = [
            (len(before) + m.start(), kind, m.group(0))
            for kind, rx in (("give", _GIVE), ("receive", _RECEIVE), ("exchange", _EXCHANGE))
            for m in rx.finditer(low_after[:60])
        ]
        verbs = sorted(verbs)[:1]
    if verbs:
        at, kind, word = max(verbs) if verbs[0][0] < len(before) else verbs[0]
        frame.cues.append(word)
        if frame.verb is None:
            frame.verb = kind
        passive = re.search(
            r"\b(?:number|bodies|prisoners|remains|soldiers|been|were|was|are|is|be)\s+$", sentence[:at].lower()
        )
        subject = None if passive else _state_before(sentence[: min(at, len(before))], states, aliases or {})
        if re.search(r"\b(?:both|the two|the|all) (?:sides|countries|parties)\s+(?:\w+\s+)?$", sentence[:at].lower()):
            kind = "exchange"  # "both sides released 1,200": an exchange
            frame.verb = frame.verb if frame.verb in ("agreed", "offered") else kind
        if re.search(r"\bit\b|\bits own\b|\bwe\b", sentence[max(0, at - 25) : at + 40].lower()) and subject is None:
            subject = memory.get("subject")
        to = re.search(r"\bto (" + "|".join(map(re.escape, states)) + r")\b", sentence[at:]) if states else None
        source = re.search(r"\bfrom (" + "|".join(map(re.escape, states)) + r")\b", sentence[at:]) if states else None
        side = _soldiers_side(sentence[end : end + 40] + " " + sentence[max(0, start - 30) : start], states)
        own = bool(
            re.search(r"\bits (?:own )?(?:soldiers|servicemen|troops|dead|men)\b", sentence[end : end + 40].lower())
        )
        if kind == "give" or frame.verb in ("agreed", "offered"):
            frame.giver = subject or (source.group(1) if source else None)
            frame.receiver = (to.group(1) if to else None) or (frame.giver if own else side)
        elif kind == "receive":
            frame.receiver = subject or (to.group(1) if to else None) or side
            frame.giver = source.group(1) if source else None
    others = [s for s in states[:2]]
    if frame.giver and not frame.receiver and len(others) == 2 and frame.giver in others:
        frame.receiver = others[1 - others.index(frame.giver)]
    if frame.receiver and not frame.giver and len(others) == 2 and frame.receiver in others:
        frame.giver = others[1 - others.index(frame.receiver)]
    last = memory.get(frame.thing)
    if last and not (frame.giver or frame.receiver):
        frame.giver, frame.receiver = last.giver, last.receiver
        frame.cues.append(f"the parties of the last {frame.thing} figure")
    running = _RUNNING.search(low_before + " " + low_after[:70]) or _PERFECT.search(low_before[-40:] + low_after[:30])
    if running:
        frame.running = True
        frame.cues.append(running.group(0))
    each = _EACH.search(near)
    frame.per_side = bool(each)
    if each:
        frame.cues.append(each.group(0))
    total = _TOTAL.search(near)
    frame.total = bool(total)
    if frame.thing and (frame.giver or frame.receiver):
        memory[frame.thing] = frame
    if frame.thing:
        memory["thing"] = frame.thing
    return frame


def _thing(before: str, after: str) -> str | None:
    """What the figure counts: the first noun of a kind after it ("6,000 bodies"), else before ("bodies of 40")."""
    words_after = re.findall(r"[a-z]+", after)[:4]
    words_before = re.findall(r"[a-z]+", before)[-5:]
    for word in words_after:
        if word in _SOLDIERS:
            return "body" if _BODY_CUES & set(words_before + words_after) else "prisoner"
        kind = next((k for k, forms in _THINGS.items() if word in forms), None)
        if kind:
            return kind
    for word in reversed(re.findall(r"[a-z]+", before)):  # "the number of bodies returned ... to 6,060"
        kind = next((k for k, forms in _THINGS.items() if word in forms and word != "people"), None)
        if kind:
            return kind
    return None


def _state_before(text: str, states: list[str], aliases: dict[str, str]) -> str | None:
    """The state named nearest before the verb: "Russia", "Russia's", "the Russian side", or a place
    the corpus curates as standing for it ("Moscow has received")."""
    best, at = None, -1
    for alias, state in aliases.items():
        for match in re.finditer(r"\b" + re.escape(alias) + r"\b", text):
            if match.start() > at:
                best, at = state, match.start()
    for state in states:
        stem = state[:-1] if state[-1] in "aey" else state
        for match in re.finditer(r"\b(?:" + re.escape(state) + r"|" + re.escape(stem) + r"\w*an side)\b", text):
            if match.start() > at:
                best, at = state, match.start()
    return best


def _soldiers_side(text: str, states: list[str]) -> str | None:
    """The side of the soldiers counted: "bodies of Ukrainian soldiers" are Ukraine's."""
    for state in states:
        stem = state[:-1] if state[-1] in "aey" else state
        if len(stem) >= 4 and re.search(
            r"\b" + re.escape(stem) + r"\w*\s+(?:soldiers|servicemen|troops|prisoners)", text
        ):
            return state
    return None


def choose_measure(frame: Frame, measures: dict[str, str], words: dict[str, Counter], near: list[str]):
    """(slug, reason) of the measure whose label frame ``frame`` fits, the curated words breaking ties; or None."""
    fits = []
    for slug, label in measures.items():
        target = label_frame(label)
        if target is None or target.thing != frame.thing or frame.thing is None:
            continue
        if not _fits(frame, target):
            continue
        shared = sorted({w for w in near if words.get(slug, Counter())[w]})
        fits.append((len(shared), slug, shared))
    if not fits:
        return None
    fits.sort(key=lambda f: (-f[0], f[1]))
    n, slug, shared = fits[0]
    parties = f"{frame.giver or '?'} to {frame.receiver or '?'}"
    reason = f"the words {', '.join(repr(c) for c in frame.cues)} read as {frame.thing}, {frame.verb}, {parties}"
    reason += ", a running total" if frame.running else ""
    reason += ", per side" if frame.per_side else (", in total" if frame.total else "")
    if shared:
        reason += f"; {n} of its words ({', '.join(shared[:5])}) are near curated figures of {slug}"
    return slug, reason


def _fits(frame: Frame, target: Frame) -> bool:
    """True when the figure's frame reads as the label's frame."""
    if frame.verb in ("agreed", "offered") or target.verb in ("agreed", "offered"):
        if frame.verb != target.verb:
            return False
        return target.per_side == frame.per_side or (target.total and not frame.per_side)
    if frame.per_side or target.per_side:
        return frame.per_side and target.per_side and target.verb == "exchange"
    if target.verb == "exchange":
        return frame.verb == "exchange" and target.total
    if target.running:
        return frame.running and target.receiver == frame.receiver
    if target.verb == "receive":
        # a round received; a running total of prisoners is curated as received by (no cumulative label)
        return (
            frame.verb in ("receive", "give")
            and target.receiver == frame.receiver
            and not (frame.running and frame.thing == "body")
        )
    if target.verb == "give":
        return frame.verb == "give" and target.giver == frame.giver
    return False
