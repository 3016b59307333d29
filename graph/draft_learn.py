"""What a draft learns from the curated corpus (``curation/*.yaml``): ``learn(curation_dir)``.

Each curated file teaches the next draft. From the entities: their labels and names
(``graph.draft_names.known_labels``) and the variants a text uses for them (a person's surname,
"Russia's X" for "Russian X", "talks in X" for "X talks"). From the facts: the day each round,
exchange or event took place (``date``/``startDate``; an agreement takes the day of the round it
was reached at), the posts a person holds, the process that implements an agreement. From the
claims: the words around each curated figure of each measure (``Knowledge.words``, so a draft can
say which curated figures a new one resembles), the modality each measure is curated with most,
and who a quote's reporting subject stands for when the curator named someone else ("Kiev says"
curated as ``state/ukraine``). The files are read as plain YAML, as ``known_labels`` reads them:
a file in progress is read for what it holds, a file that is not YAML is skipped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .draft_names import Label, known_labels
from .draft_yaml import TODO

_REPORTING = r"(?:said|says|say|stated|told|added|announced|reported|wrote|remarked|claimed|confirmed|put)"
_WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Knowledge:
    """The curated corpus as a draft uses it (empty when nothing is curated yet)."""

    labels: list[Label] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # ref -> type
    names: dict[str, str] = field(default_factory=dict)  # ref -> name
    dates: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # YYYY-MM-DD -> refs
    posts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # person -> posts held
    implements: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # agreement -> processes
    places: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # ref -> places (facts)
    ordinals: dict[str, int] = field(default_factory=dict)  # round -> its ordinal (facts)
    words: dict[str, Counter] = field(default_factory=dict)  # measure -> words around its curated figures
    modality: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # measure -> (modality, n, of)
    stands_for: dict[str, str] = field(default_factory=dict)  # ref named as speaker -> ref curated
    worded: set[str] = field(default_factory=set)  # measures the corpus curates only in words, never a figure

    def of_type(self, *types: str) -> list[str]:
        return sorted(ref for ref, type_ in self.types.items() if type_ in types)


def learn(curation_dir: Path) -> Knowledge:
    """Read every curation file of ``curation_dir`` into a ``Knowledge``."""
    knowledge = Knowledge(labels=known_labels(curation_dir))
    claims: list[dict] = []
    facts: list[dict] = []
    for path in sorted(curation_dir.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        for entity in _dicts(data.get("entities")):
            if isinstance(entity.get("ref"), str) and isinstance(entity.get("type"), str):
                knowledge.types.setdefault(entity["ref"], entity["type"])
                knowledge.names.setdefault(entity["ref"], str(entity.get("name", "")))
        facts += _dicts(data.get("facts"))
        claims += _dicts(data.get("claims"))
    _facts(knowledge, facts)
    _claims(knowledge, claims)
    knowledge.labels = _with_variants(knowledge)
    return knowledge


def _dicts(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _facts(knowledge: Knowledge, facts: list[dict]) -> None:
    reached: dict[str, str] = {}
    for fact in facts:
        subject, prop, value = fact.get("subject"), fact.get("property"), fact.get("value")
        if not isinstance(subject, str):
            continue
        if prop in ("date", "startDate") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            knowledge.dates[str(value)].add(subject)
        elif prop == "holdsPost" and isinstance(value, str):
            knowledge.posts[subject].add(value)
        elif prop == "implements" and isinstance(value, str):
            knowledge.implements[value].add(subject)
        elif prop == "reachedAt" and isinstance(value, str):
            reached[subject] = value
        elif prop == "ordinal" and isinstance(value, int):
            knowledge.ordinals[subject] = value
        elif prop == "place" and isinstance(value, str):
            knowledge.places[subject].add(value)
    for agreement, round_ in reached.items():
        for _day, refs in list(knowledge.dates.items()):
            if round_ in refs:
                refs.add(agreement)
        knowledge.places[agreement] |= knowledge.places.get(round_, set())


def _claims(knowledge: Knowledge, claims: list[dict]) -> None:
    modalities: dict[str, Counter] = defaultdict(Counter)
    with_figure: set[str] = set()
    for claim in claims:
        measure, quote = claim.get("measure"), str(claim.get("quote", ""))
        if not isinstance(measure, str) or TODO in measure:  # a draft's candidate teaches nothing yet
            continue
        if isinstance(claim.get("modality"), str) and TODO not in claim["modality"]:
            modalities[measure][claim["modality"]] += 1
        figure = str(claim.get("figure", ""))
        (with_figure.add(measure) if "figure" in claim else knowledge.worded.add(measure))
        at = quote.find(figure) if figure else -1
        if at >= 0:
            near = _WORD.findall(quote[:at])[-8:] + _WORD.findall(quote[at + len(figure) :])[:8]
            knowledge.words.setdefault(measure, Counter()).update(w.lower() for w in near)
        speaker = claim.get("speaker")
        subject = re.search(r"(?:^|[,;.] |\b[Aa]nd )\s*([A-Z][\w'’]+)\s+(?:has\s+\w+\s+and\s+)?" + _REPORTING, quote)
        if isinstance(speaker, str) and subject:
            named = next((lab.ref for lab in knowledge.labels if lab.text == subject.group(1)), None)
            if named and named != speaker and knowledge.types.get(named) == "Place":
                knowledge.stands_for[named] = speaker
    knowledge.worded -= with_figure
    for measure, counts in modalities.items():
        modality, n = counts.most_common(1)[0]
        knowledge.modality[measure] = (modality, n, sum(counts.values()))


def _demonym_prefix(adjective: str, states: list[str]) -> str | None:
    """The state an adjective names ("Russian" -> "Russia", "Ukrainian" -> "Ukraine"), if any."""
    for state in states:
        stem = state[:-1] if state[-1] in "aey" else state
        if len(stem) >= 4 and adjective.startswith(stem) and adjective != state:
            return state
    return None


def _with_variants(knowledge: Knowledge) -> list[Label]:
    """The labels and the variants a text uses for them, longest first.

    A person's surname (the last word of a name or label, when no other person ends in it); for
    a label "Russian X" (an adjective of a state the corpus names), "Russia's X"; for "X talks"
    (a known place X), "talks in X".
    """
    labels = list(knowledge.labels)
    states = sorted({lab.text for lab in labels if lab.type == "State" and " " not in lab.text})
    places = {lab.text for lab in labels if lab.type in ("Place", "State")}
    surnames: dict[str, set[str]] = defaultdict(set)
    for lab in labels:
        if lab.type == "Person" and " " in lab.text:
            surname = lab.text.split()[-1]
            if len(surname) >= 4 and surname[0].isupper():
                surnames[surname].add(lab.ref)
    variants: list[Label] = []
    for surname, refs in surnames.items():
        if len(refs) == 1:
            ref = next(iter(refs))
            variants.append(Label(surname, ref, "Person", knowledge.names.get(ref, surname)))
    for lab in labels:
        words = lab.text.split()
        state = _demonym_prefix(words[0], states) if len(words) > 1 else None
        if state:
            variants.append(Label(f"{state}'s {' '.join(words[1:])}", lab.ref, lab.type, lab.name))
            variants.append(Label(f"{state}’s {' '.join(words[1:])}", lab.ref, lab.type, lab.name))
        if len(words) == 2 and words[0] in places and words[1].islower():
            variants.append(Label(f"{words[1]} in {words[0]}", lab.ref, lab.type, lab.name))
    known = {(lab.text, lab.ref) for lab in labels}
    labels += [v for v in variants if (v.text, v.ref) not in known]
    return sorted(set(labels), key=lambda label: (-len(label.text), label.text, label.ref))
