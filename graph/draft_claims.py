"""The claims, facts and out-of-scope entries a draft proposes for the numbers of an article.

``numbers(text, ...)`` walks the numbers ``graph.numbers.find_numbers`` finds, in text order
(adjacent ones, "six hundred", are one figure). A number inside a date is out of scope (a date);
one that counts nothing a measure covers (``graph.draft_scope``: "the two sides", "under 25",
"a fourth convoy") is out of scope with its reason, or a fact (the ordinal of a round of talks);
every other number is a claim candidate with

- its figure and approximation as the phrase reads: "more than 6,000" is more than, "has
  handed over 6,000" is exact ("over" after a verb is a particle, not a bound);
- its measure (``graph.draft_measures``: the frame of the figure against the frames of the
  labels, the curated figures' words breaking ties; an ordinal or a share by its label words);
- its speaker and stated date (``graph.draft_speakers``);
- its as-of date: a date of the sentence that is neither the stated date, nor a baseline
  ("since June 2", "the agreement of June 2"), nor a deadline ("by August 1"); else "that day"
  the last claim's date; else the stated date; none for an ordinal or what was agreed;
- its modality: the one the curated corpus curates the measure with most, "estimated" after
  "could", "may", "might", "expected to".

Each value the draft proposes is written as a value, with the reason in the entry's TODO comment;
what only a curator can give (``about``) stays ``TODO``.
"""

from __future__ import annotations

import re
from collections import Counter

from .draft_dates import dates_in
from .draft_figures import _ORDINAL_WORDS, APPROXIMATIONS, _stem, figure_value, propose_measure
from .draft_learn import Knowledge
from .draft_measures import choose_measure, read_frame
from .draft_scope import EXCHANGE_NOUNS, not_a_figure
from .draft_speakers import Memory, observe, speaker_of
from .draft_yaml import TODO, Candidate, Code
from .numbers import find_numbers

_PARTICLE = re.compile(
    r"\b(?:hand(?:s|ed|ing)?|turn(?:s|ed|ing)?|tak(?:e|es|en|ing)|took|g[ai]v(?:e|en|es)|pass(?:ed|es)?|sign(?:s|ed)?)\s+$"
)
_HEDGE = re.compile(r"\b(?:could|may|might|expected to|likely|estimated|possibly)\b")
_NOT_AS_OF = re.compile(r"\b(?:since|of|by|until|before|from)\s+(?:(?:on|the)\s+)?$", re.IGNORECASE)


class Context:
    """What the walk over one article carries from figure to figure."""

    def __init__(self, text, spans, published, measures, knowledge, mentions, anchor, sentence_at):
        self.text, self.spans, self.published = text, spans, published
        self.measures, self.knowledge, self.mentions = measures, knowledge, mentions
        self.anchor, self.sentence_at = anchor, sentence_at
        self.memory, self.frames, self.observed, self.last_as_of = Memory(), {}, 0, None
        # The states the text names, by name or adjective ("Ukrainian soldiers"), most named first.
        names = {lab.text for lab in knowledge.labels if lab.type == "State" and " " not in lab.text}
        names |= {m.name for m in mentions if m.type == "State" and " " not in m.name}
        counts = Counter()
        for name in names:
            stem = name[:-1] if name[-1] in "aey" else name
            counts[name] = len(re.findall(r"\b" + re.escape(stem) + r"\w*", text))
        self.states = [name for name, n in counts.most_common() if n]
        # Places the corpus curates as standing for a state as a speaker ("Moscow", "Kiev").
        state_names = {lab.ref: lab.text for lab in knowledge.labels if lab.type == "State" and " " not in lab.text}
        self.aliases = {
            lab.text: state_names[knowledge.stands_for[lab.ref]]
            for lab in knowledge.labels
            if knowledge.stands_for.get(lab.ref) in state_names and lab.text.istitle()
        }


def numbers(
    text: str, number: str, covered: list[tuple[int, int]], ctx: Context, in_date
) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
    """Return the claim, fact and out-of-scope candidates of the numbers of ``text``."""
    found = [m for m in find_numbers(text) if not any(s <= m.start and m.end <= e for s, e in covered)]
    groups: list[list] = []
    for mention in found:
        if groups and re.fullmatch(r"[ -]", text[groups[-1][-1].end : mention.start]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    claims, facts, out_of_scope, keys = [], [], [], set()
    for group in groups:
        start, end = group[0].start, group[-1].end
        s, e = ctx.sentence_at(ctx.spans, start, end, text)
        _observe_until(ctx, s)
        sentence = text[s:e]
        dates = dates_in(sentence, ctx.published)
        inside = next(((d, ds, de, how) for d, ds, de, how in dates if s + ds <= start and end <= s + de), None)
        if inside:
            out_of_scope.append(in_date(text, start, end, s, *inside))
            continue
        scope = not_a_figure(sentence, start - s, end - s, text[start:end])
        if scope:
            (facts if scope[0] == "fact" else out_of_scope).append(
                _not_a_figure(text, number, start, end, s, e, scope, ctx, len(facts))
            )
            continue
        claim = _claim(text, number, start, end, s, e, dates, keys, ctx)
        keys.add(claim.fields["key"])
        claims.append(claim)
    return claims, facts, out_of_scope


def _observe_until(ctx: Context, s: int) -> None:
    """Let the speakers' memory read the sentences before ``s`` not read yet."""
    for a, b in ctx.spans:
        if ctx.observed <= a < s:
            observe(ctx.text, a, b, ctx.mentions, ctx.memory)
            ctx.observed = b


def _not_a_figure(text, number, start, end, s, e, scope, ctx: Context, index: int) -> Candidate:
    kind, reason = scope
    quote = text[s:e]
    if kind == "fact":
        round_ = next(
            (m.ref for m in ctx.mentions if s <= m.start < e and ctx.knowledge.types.get(m.ref) == "NegotiationRound"),
            None,
        )
        fields = {
            "key": Code(f"todo-ordinal-{index + 1}"),
            "subject": Code(round_ or TODO),
            "property": Code("ordinal"),
            "value": figure_value(text[start:end]) or Code(TODO),
            **ctx.anchor(text, quote, s),
        }
        why = f"; {round_} is the round of talks the sentence names" if round_ else "; give the round's ref"
        return Candidate(fields, [f"TODO: {reason}{why}"])
    fields = {"text": text[start:end], **ctx.anchor(text, quote, s), "reason": reason}
    return Candidate(
        fields, [f"TODO: {text[start:end]!r} is not a figure of a measure ({kind}); confirm or make it a claim"]
    )


def _approximation(text: str, s: int, start: int) -> tuple[str, int, str | None]:
    """(concept, figure start, why) the words before the figure give."""
    before = text[s:start].lower()
    for words, concept in APPROXIMATIONS:
        match = re.search(r"(?<!\w)" + words + r"\s+$", before)
        if not match:
            continue
        if words == "over" and _PARTICLE.search(before[: match.start()]):
            return (
                "exact",
                start,
                f"'{before[match.start() - 12 : match.end()].strip()}': 'over' is a verb's particle, not a bound",
            )
        return concept, start - len(match.group(0)), None
    return "exact", start, None


def _claim(text, number, start, end, s, e, dates, keys, ctx: Context) -> Candidate:
    """The claim candidate of the figure at ``start``-``end`` of the sentence ``text[s:e]``."""
    sentence = text[s:e]
    approximation, fig_start, particle = _approximation(text, s, start)
    figure = text[fig_start:end]
    value = figure_value(text[start:end])
    bound = {"more-than": "min", "at-least": "min", "less-than": "max", "up-to": "max"}.get(approximation, "value")
    key = f"todo-{re.sub(r'[^a-z0-9]+', '-', figure.lower()).strip('-') or 'x'}"
    while key in keys:
        key += "-x"
    speaker = speaker_of(text, s, e, start, ctx.mentions, ctx.memory, ctx.published, ctx.knowledge.stands_for)
    masked = _masked(text, s, e, ctx)
    frame = read_frame(masked, start - s, end - s, ctx.states, ctx.frames, ctx.aliases)
    ordinal = text[start:end].lower() in _ORDINAL_WORDS
    measure, why_measure = _measure(sentence, start - s, end - s, text[start:end], ordinal, frame, ctx)
    as_of, why_as_of = _as_of(sentence, s, dates, speaker, ordinal or frame.verb in ("agreed", "offered"), ctx)
    stated = speaker.stated_on if speaker.stated_on != "at-the-time" else (as_of if isinstance(as_of, str) else None)
    modality, why_modality = _modality(sentence, measure, ctx.knowledge)
    comments = [f"TODO: confirm the figure {figure!r}; give about" + ("" if measure else ", measure")]
    if measure:
        comments.append(f"measure {measure}: {why_measure}")
    comments.append(f"speaker {speaker.ref}: {speaker.why}")
    if modality:
        comments.append(f"modality {modality}: {why_modality}")
    if particle:
        comments.append(f"approximation exact: {particle}")
    fields = {
        "key": Code(key),
        "about": Code(TODO),
        "measure": Code(measure or TODO),
        "figure": figure,
        "approximation": Code(approximation),
        bound: value if value is not None else Code(TODO),
        "speaker": Code(speaker.ref),
    }
    field_comments = {}
    if stated:
        fields["stated_on"] = Code(stated)
        field_comments["stated_on"] = [f"stated_on {stated}: {speaker.stated_how}"]
    if as_of:
        fields["as_of"] = _date_value(as_of)
        ctx.last_as_of = as_of
        if why_as_of:
            field_comments["as_of"] = [f"as_of {as_of}: {why_as_of}"]
    fields["modality"] = Code(modality or TODO)
    others = [(d, ds, de, how) for d, ds, de, how in dates if d != as_of]
    field_comments["quote"] = [
        f"TODO: the sentence also names {sentence[ds:de]!r}: {d}" + (f" ({how})" if how else "")
        for d, ds, de, how in others
    ]
    fields.update(ctx.anchor(text, sentence, s))
    # How the dates were read goes in the note (the loader asks for it when the quote does not print
    # the day): the curator deletes the TODO sentence and keeps the rest.
    read = [f"stated_on {speaker.stated_how}" if stated and speaker.stated_how else ""]
    read.append(f"as_of {why_as_of}" if as_of and why_as_of else "")
    how = "; ".join(r for r in read if r)
    fields["note"] = f"TODO: drafted by parley add from {number}; check every value." + (f" {how}" if how else "")
    return Candidate(fields, comments, field_comments)


def _date_value(date: str):
    """A day or month as it is; an interval "A/B" as {earliest: A, latest: B}."""
    if "/" in date:
        earliest, latest = date.split("/")
        return {"earliest": Code(earliest), "latest": Code(latest)}
    return Code(date)


def _masked(text: str, s: int, e: int, ctx: Context) -> str:
    """The sentence with the names of organisations, people and places blanked, but the states they name kept."""
    chars = list(text[s:e])
    for m in ctx.mentions:
        if s <= m.start and m.end <= e and m.type != "State" and text[m.start : m.end] not in ctx.aliases:
            for word in re.finditer(r"[\w'’]+", text[m.start : m.end]):
                if not any(word.group(0).startswith(st[:-1] if st[-1] in "aey" else st) for st in ctx.states):
                    for i in range(m.start + word.start() - s, m.start + word.end() - s):
                        chars[i] = " "
    return "".join(chars)


def _measure(sentence, start, end, figure, ordinal, frame, ctx: Context):
    """(slug, why) of the measure proposed for the figure, or (None, None)."""
    if ordinal:
        words = {_stem(w) for w in re.findall(r"[A-Za-z]+", sentence)}
        for slug, label in ctx.measures.items():
            rest = [w for w in re.findall(r"[a-z]+", label) if w not in ("ordinal", "of", "an", "a", "the")]
            named = [w for w in rest if _stem(w) in words] or re.findall(EXCHANGE_NOUNS, sentence.lower())[:1]
            if "ordinal" in label and named:
                return slug, f"an ordinal, and the sentence names {', '.join(named)}"
        return None, None
    if not re.match(r"\s*(?:%|per ?cent)", sentence[end:]):
        near = [
            w.lower()
            for w in re.findall(r"[A-Za-z]+", sentence[:start])[-8:] + re.findall(r"[A-Za-z]+", sentence[end:])[:8]
        ]
        chosen = choose_measure(frame, ctx.measures, ctx.knowledge.words, near)
        if chosen:
            return chosen
    numeric = {slug: label for slug, label in ctx.measures.items() if slug not in ctx.knowledge.worded}
    found = propose_measure(sentence, start, end, figure, numeric)
    if found:
        return found[0], f"its label {ctx.measures[found[0]]!r}: {', '.join(found[1])} near the figure"
    return None, None


def _as_of(sentence, s, dates, speaker, undated, ctx: Context):
    """(date, why) of the as-of date proposed; (None, None) when none fits."""
    if undated:
        return None, None
    clause = speaker.clause
    for date, ds, _de, how in dates:
        if clause and clause[0] <= s + ds < clause[1]:
            continue
        if _NOT_AS_OF.search(sentence[:ds]) or TODO in date:
            continue
        return date, how
    if re.search(r"\b(?:that|the same) day\b", sentence) and ctx.last_as_of:
        return ctx.last_as_of, "'that day': the day of the claim before"
    if speaker.stated_on and speaker.stated_on != "at-the-time":
        return speaker.stated_on, f"the day it was said ({speaker.stated_how})"
    return None, None


def _modality(sentence: str, measure: str | None, knowledge: Knowledge):
    """(modality, why): "estimated" after a hedge, else the one the corpus curates the measure with most."""
    hedge = _HEDGE.search(sentence.lower())
    if hedge:
        return "estimated", f"{hedge.group(0)!r} in the sentence"
    if measure and measure in knowledge.modality:
        modality, n, of = knowledge.modality[measure]
        return modality, f"{n} of the {of} curated claims of {measure} are {modality}"
    return None, None
