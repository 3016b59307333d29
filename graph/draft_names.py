"""The names of an article a draft proposes as entities: the labels of the entities the other
curation files declare (``known_labels``), and the capitalised names no label matches
(``name_candidates``), each with the kind of thing its neighbours suggest (``propose_kind``:
a title before a person, "in" before a place, "Ministry" in an organisation's name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .draft_dates import MONTHS, WEEKDAYS
from .draft_yaml import TODO

# Cues for the kind of a name that matches no known label.
TITLES = set(
    "president minister envoy spokesman spokeswoman spokesperson negotiator ambassador official adviser "
    "advisor aide general commander chief mr ms mrs dr secretary chancellor deputy lawyer ombudsman "
    "commissioner leader journalist correspondent senator governor mayor colonel captain lieutenant".split()
)
NEWS_WORDS = set("News Times Post Press Herald Gazette Ledger Journal Tribune Telegraph Reuters TV Radio".split())
ORG_WORDS = set(
    "Ministry Committee Council Society Agency Office Service Cross Crescent Union Organisation Organization "
    "Bank Party Army Navy Forces Institute Court Commission Fund Foundation Association Centre Center Group "
    "Kremlin Parliament Duma Rada Staff Headquarters Department Bureau Directorate Guard Nations".split()
)
STATE_WORDS = set("Republic Kingdom Federation Emirates States".split())
PLACE_CUES = {"in", "at", "near", "outside", "to"}
# Capitalised words that start sentences or name times, never a thing of the graph by themselves.
NOT_NAMES = set(
    "The A An And But Or If In On At By For From To Of As After Before During While When Where Which Who "
    "He She It They We I You His Her Its Their Our This That These Those There Here Some Many Most Both "
    "Each Every No Not Also Yet Still Then Thus However Meanwhile Earlier Later Today Yesterday Mr Ms Mrs Dr".split()
    + MONTHS
    + [m[:3] for m in MONTHS]
    + WEEKDAYS
)
_CAPITAL = re.compile(
    r"(?<![\w'’.-])(?:[A-Z][\w'’&-]*|[A-Z]\.)(?:\s+(?:(?:of|the|for|and)\s+)?(?:[A-Z][\w'’&-]*|[A-Z]\.))*"
)


@dataclass(frozen=True)
class Label:
    """A label of the existing graph: the form printed, and the entity it names."""

    text: str
    ref: str
    type: str
    name: str


def known_labels(curation_dir: Path) -> list[Label]:
    """Return every label and name declared in the curation files of ``curation_dir``, longest first.

    The files are read as plain YAML rather than through ``graph.curation.load_corpus``, which
    checks each file against its article and fails on any file in progress (a draft included);
    a file that is not valid YAML is skipped.
    """
    labels: dict[tuple[str, str], Label] = {}
    for path in sorted(curation_dir.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        entities = data.get("entities") if isinstance(data, dict) else None
        for entity in entities if isinstance(entities, list) else []:
            if not isinstance(entity, dict) or not all(isinstance(entity.get(k), str) for k in ("ref", "type", "name")):
                continue
            for text in {entity["name"], entity.get("label")}:
                # A lower-case single word ("received", "return") labels an event in its own
                # article; found anywhere else it is almost always noise.
                generic = isinstance(text, str) and text.islower() and " " not in text
                if isinstance(text, str) and len(text) > 1 and TODO not in text and not generic:
                    labels.setdefault((text, entity["ref"]), Label(text, entity["ref"], entity["type"], entity["name"]))
    return sorted(labels.values(), key=lambda label: (-len(label.text), label.text, label.ref))


def name_candidates(
    text: str, labels: list[Label], skip: list[tuple[int, int]], starts: set[int] = frozenset()
) -> list[tuple[str, int]]:
    """Return (name, offset) of each capitalised name of the text that no known label matched.

    Left out: words that start a sentence or name a time (``NOT_NAMES``), words in ``skip``
    (the known labels' matches, the dateline), demonyms ("Sylvanian", "Freedonians",
    "Ukrainian-held"), and the headline when it is in title case. A word that starts a sentence
    (``starts``, the sentences' offsets) counts only when it is capitalised elsewhere too, so
    "Regrettably" is no name but "Belarus" is.
    """
    inside = {m.group(0) for m in re.finditer(r"(?<=[a-z,;] )[A-Z][\w'’-]*", text)}
    known = {label.text for label in labels}
    first = text.split("\n", 1)[0]
    headline_caps = sum(w[:1].isupper() for w in first.split()) > len(first.split()) / 2
    found, seen = [], set()
    for match in _CAPITAL.finditer(text):
        start, name = match.start(), match.group(0)
        words = name.split()
        while words and (
            re.sub(r"['’]s$", "", words[0]).rstrip(".") in NOT_NAMES  # "The Kremlin" -> "Kremlin"
            or start in starts
            and words[0] not in inside
            and not _has_demonym(words[0], text)
        ):
            start += text.index(words[0], start) - start + len(words[0])
            start += len(text[start:]) - len(text[start:].lstrip())
            words = words[1:]
        while words and words[-1] in {"of", "the", "for", "and"}:
            words = words[:-1]
        title = max((i for i, w in enumerate(words[:3]) if w.lower().rstrip(".") in TITLES), default=None)
        if title is not None and title < len(words) - 1:  # "Foreign Minister Jan Kowal" -> "Jan Kowal"
            start = text.index(words[title + 1], start + sum(len(w) + 1 for w in words[:title]))
            words = words[title + 1 :]
        if words and re.search(r"['’]s$", words[-1]):  # "Europe's" -> "Europe"
            words[-1] = words[-1][:-2]
        name = " ".join(words)
        end = start + len(name)
        if not words or any(a < end and start < b for a, b in skip) or name in seen:
            continue
        if headline_caps and start < len(first):
            continue
        if len(words) == 1 and (name.isupper() and len(name) > 5 or len(name) < 2):
            continue
        if all(_demonym(w.split("-")[0], known) or w in {"and", "of", "the", "for"} for w in words):
            continue
        if not re.fullmatch(re.escape(name), text[start:end]):
            continue
        seen.add(name)
        found.append((name, start))
    return found


def _has_demonym(word: str, text: str) -> bool:
    """True when the text also names the people of ``word`` ("Freedonians" for "Freedonia")."""
    stem = word.rstrip("aey")
    return len(stem) >= 4 and bool(re.search(r"\b" + re.escape(stem) + r"(?:ian|an|n|ese|ish)s?\b", text))


def _demonym(word: str, known: set[str]) -> bool:
    """True for "Sylvanian", "Freedonians", "Ukrainian": an adjective or people, not a thing of the graph."""
    stems = {word[:-1], word[:-2], word[:-3] + "e", word[:-4] + "e", word[:-4] + "a", word[:-3] + "a"}
    return bool(stems & known) or bool(re.search(r"(?:ian|ians|ese|ish)$", word))


def propose_kind(text: str, name: str, start: int) -> tuple[str | None, str | None, str]:
    """Return (kind, type, why) proposed for a new name from the cues around it; (None, None, why) when none."""
    words = name.split()
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 40) : start])[-3:]
    after = text[start + len(name) : start + len(name) + 12]
    if set(words) & NEWS_WORDS:
        return "org", "NewsOrganisation", f"{sorted(set(words) & NEWS_WORDS)[0]!r} in the name"
    if set(words) & STATE_WORDS:
        return "state", "State", f"{sorted(set(words) & STATE_WORDS)[0]!r} in the name"
    if set(words) & ORG_WORDS:
        return "org", "Organisation", f"{sorted(set(words) & ORG_WORDS)[0]!r} in the name"
    title = next((w for w in reversed(before) if w.lower() in TITLES), None)
    if title:
        return "person", "Person", f"the title {title!r} before it"
    if before and before[-1] in PLACE_CUES and len(words) <= 3:
        return "place", "Place", f"{before[-1]!r} before it"
    if 2 <= len(words) <= 3 and re.match(r",? (?:said|says|told|added)\b", after):
        return "person", "Person", "a two- or three-word name that speaks"
    return None, None, "no cue in the text"
