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
loader's models refuse, so ``parley check`` lists what remains. The candidates are data
(``graph.draft_yaml.Candidate``), written by one renderer (``graph.draft_yaml.render``); the
names, figures and dates they hold are read by ``graph.draft_names``, ``graph.draft_figures``
and ``graph.draft_dates``. Only the standard library is used (and PyYAML, to read the other
curation files; rdflib only for the measure labels); sentences are split by a regular
expression (a full stop, question or exclamation mark, then a space and a capital, or a line
break; not after an initial or "Mr."), which may still split after an abbreviation such as
"U.S." and then gives a shorter quote, never a wrong one: every quote is a slice of the text.
"""

from __future__ import annotations

import datetime as dt
import re

from .coverage import find_numbers, sentences
from .draft_dates import MONTH_PATTERN
from .draft_dates import dates_in as _dates  # noqa: F401 (re-exported for the tests of the draft)
from .draft_figures import APPROXIMATIONS, figure_value, measure_labels, propose_measure  # noqa: F401 (re-exported)
from .draft_names import Label, known_labels, name_candidates, propose_kind  # noqa: F401 (re-exported)
from .draft_yaml import TODO, Candidate, Code, render

DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'/ -]{1,40}?),\s+(?P<date>" + MONTH_PATTERN + r"\s+\d{1,2})"
    # then "(Outlet)", a dash, or both: "KYIV, June 13 (Reuters) -", "Kyiv/Moscow, June 20 (NationPress)"
    r"(?:\s+(?P<outlet>\([^()\n]{2,40}\))(?:\s*[-–—])?|\s*[-–—])",
    re.MULTILINE,
)
MAX_QUOTE = 300
_NAME = r"[A-Z][\w&'-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w&'-]*)*"
# "citing Xinhua", "according to the Kremlin", "Interfax reported", "TASS news agency reported"
CITES = re.compile(
    r"\b(?:citing|according to)\s+(?:the\s+)?(?P<a>" + _NAME + r")"
    r"|(?P<b>" + _NAME + r")\s+(?:news agency\s+)?reported\b"
)


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
    head = [
        f"Draft curation of corpus/{article_file}, written by `parley add`. Every entry marked",
        "TODO is a candidate: confirm it, fix it or delete it, replace every TODO value, then run",
        "`parley check` until it passes (see curation/README.md).",
    ]
    if url:
        head.append(f"Source URL: {url}")
    new: dict[str, tuple[str, str, str]] = {}  # ref -> (type, name, why) of refs the source names
    source = _source(text, labels, outlet, published, new)
    dateline = DATELINE.search(text[:1000])
    # The dateline ends a sentence, and its numbers are covered by its own quote.
    spans = sentences(text, (dateline.end(),) if dateline else ())
    covered = [(dateline.start("place"), dateline.end("date"))] if dateline else []
    known, taken = _entities(text, labels, spans)
    skip = taken + ([(dateline.start(), dateline.end("date"))] if dateline else [])
    entities = known + _new_entities(text, labels, spans, skip, new)
    claims, out_of_scope = _numbers(text, number, spans, covered, day, measures or {})
    document = {
        "article": Code(article_file),
        "source": source,
        "entities": entities,
        "facts": Code("[]"),  # the draft proposes none: an empty flow list the curator fills
        "claims": claims,
        "out_of_scope": out_of_scope,
    }
    return render(document, head)


def _anchor(text: str, quote: str, start: int) -> dict:
    """Return the ``quote`` field, and ``occurrence`` when the quote occurs more than once."""
    fields: dict = {"quote": quote}
    if text.count(quote) > 1:
        fields["occurrence"] = text.count(quote, 0, start) + 1
    return fields


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def _source(text: str, labels: list[Label], outlet: str | None, published: str | None, new: dict) -> Candidate:
    """Return the ``source`` fields; put the refs they propose that no file declares in ``new``."""
    source = Candidate({})
    fields, comments = source.fields, source.field_comments
    first = text.split("\n", 1)[0].strip()
    if "\n" in text.strip() and first and len(first.split()) <= 20 and not first.endswith((".", ",", ":")):
        comments["headline"] = ["TODO: confirm the headline (the first line)"]
        fields["headline"] = {"quote": first}
    dateline = DATELINE.search(text[:1000])
    outlet_quote = None
    if dateline:
        place = dateline.group("place").strip()
        refs = []
        for part in re.split(r"\s*/\s*", place):
            known = next((lab.ref for lab in labels if lab.type == "Place" and lab.text.lower() == part.lower()), None)
            refs.append(Code(known or f"place/{_slug(part)}"))
            if not known:
                new.setdefault(refs[-1], ("Place", part.title() if part.isupper() else part, "a dateline place"))
        comments["dateline"] = ["TODO: confirm the dateline and its places (a place not declared yet needs an entity)"]
        fields["dateline"] = {"quote": text[dateline.start("place") : dateline.end("date")], "places": refs}
        outlet_quote = dateline.group("outlet")
    if outlet or outlet_quote:
        name = outlet or outlet_quote.strip("()")
        quote = outlet_quote if outlet_quote else (outlet if outlet in text else TODO)
        known = next((lab.ref for lab in labels if lab.text.lower() == name.lower()), None)
        if not known:
            new.setdefault("org/" + _slug(name), ("NewsOrganisation", name, "the outlet"))
        comments["outlet"] = ["TODO: confirm the outlet (a ref not declared yet needs an entity)"]
        fields["outlet"] = {"ref": Code(known or "org/" + _slug(name)), "quote": quote}
    cites = _cites(text, labels, new)
    if cites:
        comments["cites"] = ["TODO: confirm the cited sources (a ref not declared yet needs an entity)"]
        fields["cites"] = cites
    if published:
        comments["published"] = ["TODO: quote the date as the article prints it (given to `parley add --published`)"]
        fields["published"] = {"date": Code(published), "quote": Code(TODO)}
    return source


def _cites(text: str, labels: list[Label], new: dict) -> list[dict]:
    """Return a ``cites`` item for each source the text cites by name, known refs where found."""
    items, seen = [], set()
    for match in CITES.finditer(text):
        name = match.group("a") or match.group("b")
        if name.split()[0] in {"The", "It", "He", "She", "They", "We"} or name in seen:
            continue
        seen.add(name)
        known = next((lab.ref for lab in labels if lab.text == name), None)
        if not known:
            new.setdefault("org/" + _slug(name), ("NewsOrganisation", name, "a cited source"))
        items.append({"ref": Code(known or "org/" + _slug(name)), **_anchor(text, match.group(0), match.start())})
    return items


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


def _entities(
    text: str, labels: list[Label], spans: list[tuple[int, int]]
) -> tuple[list[Candidate], list[tuple[int, int]]]:
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
    candidates = []
    for label, start in sorted(found.values(), key=lambda item: item[1]):
        s, e = _sentence_at(spans, start, start + len(label.text), text)
        why = f"TODO: confirm {label.ref} (found by its label {label.text!r})"
        candidates.append(_entity(label.ref, label.type, label.name, label.text, text, s, e, why))
    return candidates, taken


def _new_entities(
    text: str, labels: list[Label], spans: list[tuple[int, int]], skip: list[tuple[int, int]], new: dict
) -> list[Candidate]:
    """Return an entity candidate, marked new, for each name no known label matched.

    ``new`` holds the refs the source fields propose (outlet, cited sources, dateline places);
    each becomes a candidate where its name occurs in the text.
    """
    candidates, done = [], set()
    names = {name: start for name, start in name_candidates(text, labels, skip, {s for s, _ in spans})}
    for ref, (type_, name, why) in new.items():
        match = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.IGNORECASE)
        if match is None:
            continue
        done.add(name.lower())
        s, e = _sentence_at(spans, match.start(), match.end(), text)
        todo = f"TODO: new entity, named by {why}; no curation file declares {ref}: check type, name, ref"
        candidates.append(_entity(ref, type_, name, match.group(0), text, s, e, todo))
    for name, start in sorted(names.items(), key=lambda item: item[1]):
        if name.lower() in done:
            continue
        kind, type_, why = propose_kind(text, name, start)
        slug_name = " ".join(w for w in name.split() if not re.fullmatch(r"[A-Z]\.", w)) if kind == "person" else name
        ref = f"{kind or TODO}/{_slug(re.sub(r'^the ', '', slug_name, flags=re.I))}"
        s, e = _sentence_at(spans, start, start + len(name), text)
        proposed = f"kind {kind} proposed from {why}" if kind else f"{why}: give its kind and type"
        todo = f"TODO: new entity {name!r} (no known label matches it); {proposed}"
        candidates.append(_entity(ref, type_ or TODO, slug_name, name, text, s, e, todo))
    return candidates


def _entity(ref: str, type_: str, name: str, label: str, text: str, s: int, e: int, todo: str) -> Candidate:
    fields = {"ref": Code(ref), "type": Code(type_), "name": name, "label": label, **_anchor(text, text[s:e], s)}
    return Candidate(fields, [todo])


def _numbers(
    text: str,
    number: str,
    spans: list[tuple[int, int]],
    covered: list[tuple[int, int]],
    published: dt.date | None = None,
    measures: dict[str, str] | None = None,
) -> tuple[list[Candidate], list[Candidate]]:
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
            out_of_scope.append(_in_date(text, start, end, s, *in_date))
            continue
        claim = _claim(text, number, start, end, s, sentence, dates, keys, measures or {})
        keys.add(claim.fields["key"])
        claims.append(claim)
    return claims, out_of_scope


def _in_date(text: str, start: int, end: int, s: int, date: str, ds: int, de: int, how: str | None) -> Candidate:
    """The out-of-scope candidate of a number that is part of a date."""
    comments = [f"TODO: part of the date {text[s + ds : s + de]!r}; cover it by a fact or keep this"]
    if how:
        comments.append(f"{date}: {how}")
    reason = f"a date ({date}), not a figure"
    fields = {
        "text": text[start:end],
        **_anchor(text, text[s + ds : s + de], s + ds),
        "reason": reason if TODO not in date else "TODO: " + reason,
    }
    return Candidate(fields, comments)


def _claim(
    text: str, number: str, start: int, end: int, s: int, sentence: str, dates: list, keys: set, measures: dict
) -> Candidate:
    """The claim candidate of the figure at ``start``-``end`` of the sentence starting at ``s``."""
    before = text[s:start].lower()
    approximation, fig_start = "exact", start
    for words, concept in APPROXIMATIONS:
        if re.search(r"(?<!\w)" + words + r"\s+$", before):
            approximation = concept
            fig_start = start - len(re.search(words + r"\s+$", before).group(0))
            break
    figure = text[fig_start:end]
    value = figure_value(text[start:end])
    bound = {"more-than": "min", "at-least": "min", "less-than": "max", "up-to": "max"}.get(approximation, "value")
    key = f"todo-{_slug(figure)}"
    while key in keys:
        key += "-x"
    measure = propose_measure(sentence, start - s, end - s, text[start:end], measures)
    give = "about, speaker, modality" + ("" if measure else ", measure")
    comments = [f"TODO: confirm the figure {figure!r}; give {give}"]
    if measure:
        comments.append(
            f"measure proposed from its label {measures[measure[0]]!r}: {', '.join(measure[1])} near the figure"
        )
    fields = {
        "key": Code(key),
        "about": Code(TODO),
        "measure": Code(measure[0] if measure else TODO),
        "figure": figure,
        "approximation": Code(approximation),
        bound: value if value is not None else Code(TODO),
        "speaker": Code(TODO),
        "modality": Code(TODO),
    }
    field_comments = {}
    if dates:
        if dates[0][3]:
            field_comments["as_of"] = [f"as_of {dates[0][0]}: {dates[0][3]}"]
        fields["as_of"] = Code(dates[0][0])
        field_comments["quote"] = [
            f"TODO: the sentence also names {sentence[ds:de]!r}: {date}" + (f" ({how})" if how else "")
            for date, ds, de, how in dates[1:]
        ]
    fields.update(_anchor(text, sentence, s))
    fields["note"] = f"TODO: drafted by parley add from {number}; check every value"
    return Candidate(fields, comments, field_comments)
