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


def draft_curation(
    text: str,
    article_file: str,
    labels: list[Label],
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> str:
    """Return the YAML text of a draft curation file for the article ``text`` named ``article_file``."""
    number = article_file.split("_", 1)[0]
    out = [
        f"# Draft curation of corpus/{article_file}, written by `parley add`. Every entry marked",
        "# TODO is a candidate: confirm it, fix it or delete it, replace every TODO value, then run",
        "# `parley check` until it passes (see curation/README.md).",
    ]
    if url:
        out.append(f"# Source URL: {url}")
    out += [f"article: {article_file}", ""]
    out += _source(text, labels, outlet, published)
    dateline = DATELINE.search(text[:1000])
    # The dateline ends a sentence, and its numbers are covered by its own quote.
    spans = sentences(text, (dateline.end(),) if dateline else ())
    covered = [(dateline.start("place"), dateline.end("date"))] if dateline else []
    out += ["", "entities:"]
    out += _entities(text, labels, spans) or ["  []"]
    claims, out_of_scope = _numbers(text, number, spans, covered)
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


def _source(text: str, labels: list[Label], outlet: str | None, published: str | None) -> list[str]:
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
        lines.append("  # TODO: confirm the dateline and its places (a place not declared yet needs an entity)")
        quote = text[dateline.start("place") : dateline.end("date")]
        lines.append(f"  dateline: {{quote: {_q(quote)}, places: [{', '.join(refs)}]}}")
        outlet_quote = dateline.group("outlet")
    if outlet or outlet_quote:
        name = outlet or outlet_quote.strip("()")
        quote = outlet_quote if outlet_quote else (outlet if outlet in text else TODO)
        known = next((lab.ref for lab in labels if lab.text.lower() == name.lower()), None)
        lines.append("  # TODO: confirm the outlet (a ref not declared yet needs an entity)")
        lines.append(f"  outlet: {{ref: {known or 'org/' + _slug(name)}, quote: {_q(quote)}}}")
    cites = _cites(text, labels)
    if cites:
        lines.append("  # TODO: confirm the cited sources (a ref not declared yet needs an entity)")
        lines.append("  cites:")
        lines += cites
    if published:
        lines.append("  # TODO: quote the date as the article prints it (given to `parley add --published`)")
        lines.append(f"  published: {{date: {published}, quote: {TODO}}}")
    return lines if len(lines) > 1 else ["source: {}"]


def _cites(text: str, labels: list[Label]) -> list[str]:
    """Return a ``cites`` item for each source the text cites by name, known refs where found."""
    lines, seen = [], set()
    for match in CITES.finditer(text):
        name = match.group("a") or match.group("b")
        if name.split()[0] in {"The", "It", "He", "She", "They", "We"} or name in seen:
            continue
        seen.add(name)
        known = next((lab.ref for lab in labels if lab.text == name), None)
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


def _entities(text: str, labels: list[Label], spans: list[tuple[int, int]]) -> list[str]:
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
    return lines


def _dates(sentence: str) -> list[tuple[str, int, int]]:
    """Return (YYYY-MM-DD with TODO for a year not printed, start, end) for each date of the sentence."""
    found = []
    for match in DATE.finditer(sentence):
        month = match.group("m1") or match.group("m2")
        day = int(match.group("d1") or match.group("d2"))
        year = match.group("y1") or match.group("y2") or TODO
        index = next(i for i, m in enumerate(MONTHS) if m.lower().startswith(month.rstrip(".").lower()[:3]))
        if 1 <= day <= 31:
            found.append((f"{year}-{index + 1:02d}-{day:02d}", match.start(), match.end()))
    return found


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
        elif token in _SCALE_VALUES and current is not None:
            current *= _SCALE_VALUES[token]
            if _SCALE_VALUES[token] >= 1000:
                total, current = total + current, None
        elif token != "and":
            return None
    result = total + (current or 0)
    return result if result else None


def _numbers(
    text: str, number: str, spans: list[tuple[int, int]], covered: list[tuple[int, int]]
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
        dates = _dates(sentence)
        in_date = next(((d, ds, de) for d, ds, de in dates if s + ds <= start and end <= s + de), None)
        if in_date:
            date, ds, de = in_date
            out_of_scope.append(
                f"  # TODO: part of the date {text[s + ds : s + de]!r}; cover it by a fact or keep this"
            )
            out_of_scope.append(f"  - text: {_q(text[start:end])}")
            out_of_scope += _anchor(text, text[s + ds : s + de], s + ds, "    ")
            out_of_scope.append(f'    reason: "TODO: a date ({date}), not a figure"')
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
        claims.append(f"  # TODO: confirm the figure {figure!r}; give about, measure, speaker, modality")
        claims.append(f"  - key: {key}")
        claims.append(f"    about: {TODO}")
        claims.append(f"    measure: {TODO}")
        claims.append(f"    figure: {_q(figure)}")
        claims.append(f"    approximation: {approximation}")
        claims.append(f"    {bound}: {value if value is not None else TODO}")
        claims.append(f"    speaker: {TODO}")
        claims.append(f"    modality: {TODO}")
        if dates:
            claims.append(f"    as_of: {dates[0][0]}")
            if len(dates) > 1:
                claims.append(f"    # TODO: the sentence also names {', '.join(d for d, _, _ in dates[1:])}")
        claims += _anchor(text, sentence, s, "    ")
        claims.append(f"    note: {_q(f'TODO: drafted by parley add from {number}; check every value')}")
    return claims, out_of_scope
