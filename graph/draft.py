"""A first draft of an article's curation file, made offline from the article's text alone.

``draft_curation(text, article_file, labels, ...)`` returns the YAML text of a draft: the
source fields the text states simply (a headline, a ``CITY, Month D (Outlet) -`` dateline, the
``--url``/``--outlet``/``--published`` given to ``parley add``, the sources it cites by
name: "citing X", "according to X", "X reported"), an entity candidate for every
label of the existing graph found in the text (``known_labels(curation_dir)``), a claim
candidate for every number ``graph.coverage.find_numbers`` finds (its sentence as the quote,
the figure as printed, the approximation its words carry, the dates the sentence names) and an
out-of-scope candidate for each number that is part of a date. Every candidate is marked: a
``# TODO`` comment above it and ``TODO`` in each value only a curator can give, which the
loader's models refuse, so ``parley check`` lists what remains. Only the standard library is
used (and PyYAML, to read the other curation files); sentences are split by a regular
expression (a full stop, question or exclamation mark, then a space and a capital, or a line
break; not after an initial or "Mr."), which may still split after an abbreviation such as
"U.S." and then gives a shorter quote, never a wrong one: every quote is a slice of the text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .coverage import find_numbers, sentences

TODO = "TODO"
MONTHS = "January February March April May June July August September October November December".split()
_MONTH = r"(?:" + "|".join(MONTHS) + r"|" + "|".join(m[:3] for m in MONTHS) + r")\.?"
# "June 13", "June 13, 2025", "13 June", "13 June 2025"
DATE = re.compile(
    r"\b(?P<m1>" + _MONTH + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:19|20)\d{2})\b)?"
    r"|\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH + r")(?:,?\s+(?P<y2>(?:19|20)\d{2})\b)?"
)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'/ -]{1,40}?),\s+(?P<date>" + _MONTH + r"\s+\d{1,2})"
    # then "(Outlet)", a dash, or both: "KYIV, June 13 (Reuters) -", "Kyiv/Moscow, June 20 (NationPress)"
    r"(?:\s+(?P<outlet>\([^()\n]{2,40}\))(?:\s*[-–—])?|\s*[-–—])",
    re.MULTILINE,
)
# Words before a figure that say how exact it is, longest first; the concepts of the
# approximation scheme in ontology/codelists.ttl.
APPROXIMATIONS = [
    ("more than", "more-than"),
    ("in excess of", "more-than"),
    ("upwards of", "more-than"),
    ("fewer than", "less-than"),
    ("less than", "less-than"),
    ("at least", "at-least"),
    ("up to", "up-to"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("around", "about"),
    ("almost", "nearly"),
    ("nearly", "nearly"),
    ("about", "about"),
    ("some", "about"),
    ("over", "more-than"),
    ("under", "less-than"),
]
_UNIT_VALUES = {
    w: i + 1
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_UNIT_VALUES.update(
    {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
)
_SCALE_VALUES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "dozen": 12}
MAX_QUOTE = 300
_NAME = r"[A-Z][\w&'-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w&'-]*)*"
# "citing Xinhua", "according to the Kremlin", "Interfax reported", "TASS news agency reported"
CITES = re.compile(
    r"\b(?:citing|according to)\s+(?:the\s+)?(?P<a>" + _NAME + r")"
    r"|(?P<b>" + _NAME + r")\s+(?:news agency\s+)?reported\b"
)

WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
# "on Monday", "last Friday", "yesterday", "last week": resolved against --published
RELATIVE = re.compile(
    r"\b(?:(?P<which>on|last|this|next)\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b"
    r"|\b(?P<word>yesterday|today|tonight|last week|last month)\b",
    re.IGNORECASE,
)
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
# Words of the measure labels that say nothing of the measure, and spellings mapped to a label's word.
_LABEL_STOP = set("of the a an on to by per in for or and from which is its an".split())
_SYNONYMS = {"detain": "prisoner", "captiv": "prisoner", "pow": "prisoner", "remain": "body", "corps": "body"}
_ORDINAL_ORDER = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
_ORDINAL_WORDS = set(_ORDINAL_ORDER)


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


def measure_labels(vocab) -> dict[str, str]:
    """Return slug -> English label of every concept of the measure scheme (``ontology/codelists.ttl``)."""
    from rdflib.namespace import SKOS

    from .namespaces import ID

    labels = {}
    for slug in sorted(vocab.schemes.get("measure", ())):
        label = vocab.graph.value(ID[f"measure/{slug}"], SKOS.prefLabel)
        if label is not None:
            labels[slug] = str(label)
    return labels


def draft_curation(
    text: str,
    article_file: str,
    labels: list[Label],
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    measures: dict[str, str] | None = None,
) -> str:
    """Return the YAML text of a draft curation file for the article ``text`` named ``article_file``.

    ``measures`` (slug -> label, ``measure_labels``) lets a claim candidate propose its measure.
    """
    number = article_file.split("_", 1)[0]
    day = dt.date.fromisoformat(published) if published else None
    out = [
        f"# Draft curation of corpus/{article_file}, written by `parley add`. Every entry marked",
        "# TODO is a candidate: confirm it, fix it or delete it, replace every TODO value, then run",
        "# `parley check` until it passes (see curation/README.md).",
    ]
    if url:
        out.append(f"# Source URL: {url}")
    out += [f"article: {article_file}", ""]
    new: dict[str, tuple[str, str, str]] = {}  # ref -> (type, name, why) of refs the source names
    out += _source(text, labels, outlet, published, new)
    dateline = DATELINE.search(text[:1000])
    # The dateline ends a sentence, and its numbers are covered by its own quote.
    spans = sentences(text, (dateline.end(),) if dateline else ())
    covered = [(dateline.start("place"), dateline.end("date"))] if dateline else []
    out += ["", "entities:"]
    known, taken = _entities(text, labels, spans)
    skip = taken + ([(dateline.start(), dateline.end("date"))] if dateline else [])
    out += (known + _new_entities(text, labels, spans, skip, new)) or ["  []"]
    claims, out_of_scope = _numbers(text, number, spans, covered, day, measures or {})
    out += ["", "facts: []", "", "claims:"]
    out += claims or ["  []"]
    out += ["", "out_of_scope:"]
    out += out_of_scope or ["  []"]
    return "\n".join(out) + "\n"


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)


def _anchor(text: str, quote: str, start: int, indent: str) -> list[str]:
    """Return the ``quote:`` line, and ``occurrence:`` when the quote occurs more than once."""
    lines = [f"{indent}quote: {_q(quote)}"]
    if text.count(quote) > 1:
        lines.append(f"{indent}occurrence: {text.count(quote, 0, start) + 1}")
    return lines


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def _source(text: str, labels: list[Label], outlet: str | None, published: str | None, new: dict) -> list[str]:
    """Return the ``source:`` lines; put the refs they propose that no file declares in ``new``."""
    lines = ["source:"]
    first = text.split("\n", 1)[0].strip()
    if "\n" in text.strip() and first and len(first.split()) <= 20 and not first.endswith((".", ",", ":")):
        lines.append("  # TODO: confirm the headline (the first line)")
        lines.append(f"  headline: {{quote: {_q(first)}}}")
    dateline = DATELINE.search(text[:1000])
    outlet_quote = None
    if dateline:
        place = dateline.group("place").strip()
        refs = []
        for part in re.split(r"\s*/\s*", place):
            known = next((lab.ref for lab in labels if lab.type == "Place" and lab.text.lower() == part.lower()), None)
            refs.append(known or f"place/{_slug(part)}")
            if not known:
                new.setdefault(refs[-1], ("Place", part.title() if part.isupper() else part, "a dateline place"))
        lines.append("  # TODO: confirm the dateline and its places (a place not declared yet needs an entity)")
        quote = text[dateline.start("place") : dateline.end("date")]
        lines.append(f"  dateline: {{quote: {_q(quote)}, places: [{', '.join(refs)}]}}")
        outlet_quote = dateline.group("outlet")
    if outlet or outlet_quote:
        name = outlet or outlet_quote.strip("()")
        quote = outlet_quote if outlet_quote else (outlet if outlet in text else TODO)
        known = next((lab.ref for lab in labels if lab.text.lower() == name.lower()), None)
        if not known:
            new.setdefault("org/" + _slug(name), ("NewsOrganisation", name, "the outlet"))
        lines.append("  # TODO: confirm the outlet (a ref not declared yet needs an entity)")
        lines.append(f"  outlet: {{ref: {known or 'org/' + _slug(name)}, quote: {_q(quote)}}}")
    cites = _cites(text, labels, new)
    if cites:
        lines.append("  # TODO: confirm the cited sources (a ref not declared yet needs an entity)")
        lines.append("  cites:")
        lines += cites
    if published:
        lines.append("  # TODO: quote the date as the article prints it (given to `parley add --published`)")
        lines.append(f"  published: {{date: {published}, quote: {TODO}}}")
    return lines if len(lines) > 1 else ["source: {}"]


def _cites(text: str, labels: list[Label], new: dict) -> list[str]:
    """Return a ``cites`` item for each source the text cites by name, known refs where found."""
    lines, seen = [], set()
    for match in CITES.finditer(text):
        name = match.group("a") or match.group("b")
        if name.split()[0] in {"The", "It", "He", "She", "They", "We"} or name in seen:
            continue
        seen.add(name)
        known = next((lab.ref for lab in labels if lab.text == name), None)
        if not known:
            new.setdefault("org/" + _slug(name), ("NewsOrganisation", name, "a cited source"))
        quote = match.group(0)
        lines.append(f"    - {{ref: {known or 'org/' + _slug(name)}, quote: {_q(quote)}}}")
        if text.count(quote) > 1:
            lines[-1] = lines[-1][:-1] + f", occurrence: {text.count(quote, 0, match.start()) + 1}}}"
    return lines


def _sentence_at(spans: list[tuple[int, int]], start: int, end: int, text: str) -> tuple[int, int]:
    for s, e in spans:
        if s <= start and end <= e:
            if e - s <= MAX_QUOTE:
                return s, e
            # A long sentence: a window of words around the figure.
            ws = max(s, start - MAX_QUOTE // 2)
            we = min(e, end + MAX_QUOTE // 2)
            while ws > s and not text[ws - 1].isspace():
                ws += 1
            while we < e and not text[we].isspace():
                we -= 1
            return ws, we
    return start, end


def _entities(text: str, labels: list[Label], spans: list[tuple[int, int]]) -> tuple[list[str], list[tuple[int, int]]]:
    """Return the entity candidates found by known labels, and the spans of the text they matched."""
    taken: list[tuple[int, int]] = []
    found: dict[str, tuple[Label, int]] = {}
    for label in labels:  # longest first, so "Example City" is not also "City"
        for match in re.finditer(r"(?<!\w)" + re.escape(label.text) + r"(?!\w)", text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            if label.ref not in found or match.start() < found[label.ref][1]:
                found[label.ref] = (label, match.start())
    lines = []
    for label, start in sorted(found.values(), key=lambda item: item[1]):
        s, e = _sentence_at(spans, start, start + len(label.text), text)
        lines.append(f"  # TODO: confirm {label.ref} (found by its label {label.text!r})")
        lines.append(f"  - ref: {label.ref}")
        lines.append(f"    type: {label.type}")
        lines.append(f"    name: {_q(label.name)}")
        lines.append(f"    label: {_q(label.text)}")
        lines += _anchor(text, text[s:e], s, "    ")
    return lines, taken


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


def _new_entities(
    text: str, labels: list[Label], spans: list[tuple[int, int]], skip: list[tuple[int, int]], new: dict
) -> list[str]:
    """Return an entity candidate, marked new, for each name no known label matched.

    ``new`` holds the refs the source fields propose (outlet, cited sources, dateline places);
    each becomes a candidate where its name occurs in the text.
    """
    lines, done = [], set()
    names = {name: start for name, start in name_candidates(text, labels, skip, {s for s, _ in spans})}
    for ref, (type_, name, why) in new.items():
        match = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.IGNORECASE)
        if match is None:
            continue
        done.add(name.lower())
        label = match.group(0)
        s, e = _sentence_at(spans, match.start(), match.end(), text)
        lines.append(f"  # TODO: new entity, named by {why}; no curation file declares {ref}: check type, name, ref")
        lines += _entity_lines(ref, type_, name, label, text, s, e)
    for name, start in sorted(names.items(), key=lambda item: item[1]):
        if name.lower() in done:
            continue
        kind, type_, why = propose_kind(text, name, start)
        slug_name = " ".join(w for w in name.split() if not re.fullmatch(r"[A-Z]\.", w)) if kind == "person" else name
        ref = f"{kind or TODO}/{_slug(re.sub(r'^the ', '', slug_name, flags=re.I))}"
        s, e = _sentence_at(spans, start, start + len(name), text)
        proposed = f"kind {kind} proposed from {why}" if kind else f"{why}: give its kind and type"
        lines.append(f"  # TODO: new entity {name!r} (no known label matches it); {proposed}")
        lines += _entity_lines(ref, type_ or TODO, slug_name, name, text, s, e)
    return lines


def _entity_lines(ref: str, type_: str, name: str, label: str, text: str, s: int, e: int) -> list[str]:
    lines = [f"  - ref: {ref}", f"    type: {type_}", f"    name: {_q(name)}", f"    label: {_q(label)}"]
    return lines + _anchor(text, text[s:e], s, "    ")


def _dates(sentence: str, published: dt.date | None = None) -> list[tuple[str, int, int, str | None]]:
    """Return (YYYY-MM-DD, start, end, how) for each date the sentence names.

    A date without its year takes the year of ``published`` (the year before when that would
    put it more than half a year after publication), else ``TODO``; a relative day ("on
    Monday", "yesterday") is resolved against ``published``, and "last week" gives ``TODO``
    with the week it means. ``how`` says how, or is None for a date printed in full.
    """
    found = []
    for match in DATE.finditer(sentence):
        month = match.group("m1") or match.group("m2")
        day = int(match.group("d1") or match.group("d2"))
        year = match.group("y1") or match.group("y2")
        index = next(i for i, m in enumerate(MONTHS) if m.lower().startswith(month.rstrip(".").lower()[:3]))
        if not 1 <= day <= 31:
            continue
        how = None
        if year is None and published is not None:
            year = published.year
            try:
                if dt.date(year, index + 1, day) - published > dt.timedelta(days=183):
                    year -= 1
            except ValueError:
                continue
            how = f"year {year} from --published {published.isoformat()} (the text gives none)"
        found.append((f"{year or TODO}-{index + 1:02d}-{day:02d}", match.start(), match.end(), how))
    if published is None:
        return found
    for match in RELATIVE.finditer(sentence):
        if any(s <= match.start() < e for _, s, e, _ in found):
            continue
        said = match.group(0)
        weekday, word = match.group("weekday"), (match.group("word") or "").lower()
        base = f"from --published {published.isoformat()} ({WEEKDAYS[published.weekday()]})"
        if weekday:
            target = WEEKDAYS.index(weekday.capitalize())
            if (match.group("which") or "").lower() == "next":
                date = published + dt.timedelta(days=(target - published.weekday() - 1) % 7 + 1)
                how = f"{said!r}: the next {weekday.capitalize()} after publication, {base}"
            else:
                date = published - dt.timedelta(days=(published.weekday() - target) % 7)
                how = f"{said!r}: the last {weekday.capitalize()} on or before publication, {base}"
            found.append((date.isoformat(), match.start(), match.end(), how))
        elif word in {"today", "tonight"}:
            found.append((published.isoformat(), match.start(), match.end(), f"{said!r}: the day of publication"))
        elif word == "yesterday":
            date = published - dt.timedelta(days=1)
            found.append((date.isoformat(), match.start(), match.end(), f"{said!r}: the day before, {base}"))
        elif word == "last week":
            monday = published - dt.timedelta(days=published.weekday() + 7)
            how = f"{said!r}: some day of {monday.isoformat()} to {(monday + dt.timedelta(days=6)).isoformat()}, {base}"
            found.append((TODO, match.start(), match.end(), how))
        elif word == "last month":
            last = published.replace(day=1) - dt.timedelta(days=1)
            how = f"{said!r}: some day of {last.strftime('%Y-%m')}, {base}"
            found.append((TODO, match.start(), match.end(), how))
    return sorted(found, key=lambda d: d[1])


def _stem(word: str) -> str:
    word = word.lower()
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            word = word[: -len(suffix)] + replacement
            break
    word = word[:-1] if word.endswith("e") and len(word) > 3 else word
    return _SYNONYMS.get(word, word)


def propose_measure(sentence: str, start: int, end: int, figure: str, measures: dict[str, str]):
    """Return (slug, matched words) of the measure whose label the words near the figure match best, or None.

    Near is eight words either side in the sentence; a label fits when two of its words (one for
    an ordinal figure and an "ordinal" label) occur there and every name it holds ("Ukraine")
    is in the sentence; a label of a share only for a percentage; ties go to the first in label order.
    """
    before = re.findall(r"[A-Za-z]+", sentence[:start])[-8:]
    after = re.findall(r"[A-Za-z]+", sentence[end:])[:8]
    near = {_stem(w) for w in before + after}
    ordinal = figure.split()[-1].lower() in _ORDINAL_WORDS
    percent = bool(re.match(r"\s*(?:%|per ?cent)", sentence[end:]))
    best = None
    for slug, label in measures.items():
        words = re.findall(r"[A-Za-z]+", label)
        if any(w[0].isupper() and w not in sentence for w in words):
            continue
        if ordinal != ("ordinal" in words) or percent != bool({"share", "percent"} & set(words)):
            continue
        matched = [w for w in words if w.lower() not in _LABEL_STOP and _stem(w) in near]
        if len(matched) >= (1 if ordinal else 2) and (best is None or len(matched) > len(best[1])):
            best = (slug, matched)
    return best


def _value(figure: str) -> int | float | None:
    """The number a figure as printed means, when it is plain digits or simple words; else None."""
    total, current = 0, None
    for token in re.findall(r"\d+(?:[.,]\d+)*|[a-z]+", figure.lower()):
        if token[0].isdigit():
            if current is not None:
                return None
            digits = token.replace(",", "")
            current = float(digits) if "." in digits else int(digits)
        elif token in _UNIT_VALUES:
            current = (current or 0) + _UNIT_VALUES[token]
        elif token in _ORDINAL_WORDS and current is None and total == 0:
            current = _ORDINAL_ORDER.index(token) + 1
        elif token in _SCALE_VALUES and current is not None:
            current *= _SCALE_VALUES[token]
            if _SCALE_VALUES[token] >= 1000:
                total, current = total + current, None
        elif token != "and":
            return None
    result = total + (current or 0)
    return result if result else None


def _numbers(
    text: str,
    number: str,
    spans: list[tuple[int, int]],
    covered: list[tuple[int, int]],
    published: dt.date | None = None,
    measures: dict[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """Return the claim candidates and the out-of-scope candidates (numbers inside dates).

    Numbers inside a ``covered`` span (the dateline's quote) need no candidate.
    """
    mentions = [m for m in find_numbers(text) if not any(s <= m.start and m.end <= e for s, e in covered)]
    # "six hundred", "1.2 million": adjacent mentions joined by a space or hyphen are one figure.
    groups: list[list] = []
    for mention in mentions:
        if groups and re.fullmatch(r"[ -]", text[groups[-1][-1].end : mention.start]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    claims, out_of_scope, keys = [], [], set()
    for group in groups:
        start, end = group[0].start, group[-1].end
        s, e = _sentence_at(spans, start, end, text)
        sentence = text[s:e]
        dates = _dates(sentence, published)
        in_date = next(((d, ds, de, how) for d, ds, de, how in dates if s + ds <= start and end <= s + de), None)
        if in_date:
            date, ds, de, how = in_date
            out_of_scope.append(
                f"  # TODO: part of the date {text[s + ds : s + de]!r}; cover it by a fact or keep this"
            )
            if how:
                out_of_scope.append(f"  # {date}: {how}")
            out_of_scope.append(f"  - text: {_q(text[start:end])}")
            out_of_scope += _anchor(text, text[s + ds : s + de], s + ds, "    ")
            reason = f"a date ({date}), not a figure"
            out_of_scope.append(f"    reason: {_q(reason if TODO not in date else 'TODO: ' + reason)}")
            continue
        before = text[s:start].lower()
        approximation, fig_start = "exact", start
        for words, concept in APPROXIMATIONS:
            if re.search(r"(?<!\w)" + words + r"\s+$", before):
                approximation = concept
                fig_start = start - len(re.search(words + r"\s+$", before).group(0))
                break
        figure = text[fig_start:end]
        value = _value(text[start:end])
        bound = {"more-than": "min", "at-least": "min", "less-than": "max", "up-to": "max"}.get(approximation, "value")
        key = f"todo-{_slug(figure)}"
        while key in keys:
            key += "-x"
        keys.add(key)
        measure = propose_measure(sentence, start - s, end - s, text[start:end], measures or {})
        give = "about, speaker, modality" + ("" if measure else ", measure")
        claims.append(f"  # TODO: confirm the figure {figure!r}; give {give}")
        if measure:
            claims.append(
                f"  # measure proposed from its label {measures[measure[0]]!r}: {', '.join(measure[1])} near the figure"
            )
        claims.append(f"  - key: {key}")
        claims.append(f"    about: {TODO}")
        claims.append(f"    measure: {measure[0] if measure else TODO}")
        claims.append(f"    figure: {_q(figure)}")
        claims.append(f"    approximation: {approximation}")
        claims.append(f"    {bound}: {value if value is not None else TODO}")
        claims.append(f"    speaker: {TODO}")
        claims.append(f"    modality: {TODO}")
        if dates:
            if dates[0][3]:
                claims.append(f"    # as_of {dates[0][0]}: {dates[0][3]}")
            claims.append(f"    as_of: {dates[0][0]}")
            for date, ds, de, how in dates[1:]:
                claims.append(
                    f"    # TODO: the sentence also names {sentence[ds:de]!r}: {date}" + (f" ({how})" if how else "")
                )
        claims += _anchor(text, sentence, s, "    ")
        claims.append(f"    note: {_q(f'TODO: drafted by parley add from {number}; check every value')}")
    return claims, out_of_scope
