"""A first draft of an article's curation file, made offline from the article's text and what
the curated corpus teaches (``graph.draft_learn.learn``).

``draft_curation(text, article_file, labels, ..., knowledge=learn(curation_dir))`` returns the
YAML text of a draft: the source fields the text states simply (a headline, a ``CITY, Month D
(Outlet) -`` dateline, the ``--url``/``--outlet``/``--published`` given to ``parley add``, the
sources it cites by name: "citing X", "according to X", "X reported"); the entities
(``graph.draft_entities``: the known labels and their variants, a surname of a known person,
the rounds and agreements the dataset dates for the dates the text prints, new names with a cue
for their kind); a claim candidate for every number that is a figure (``graph.draft_claims``:
its measure, speaker, approximation, stated and as-of dates and modality, each with its reason);
a fact for the ordinal of a round of talks; and an out-of-scope candidate for a number inside a
date or one that counts nothing a measure covers ("the two sides", "under 25", "a fourth
convoy"). Every candidate is marked: a ``# TODO`` comment above it (the reasons) and ``TODO`` in
each value only a curator can give (``about``), which the loader's models refuse, so ``parley
check`` lists what remains. The candidates are data (``graph.draft_yaml.Candidate``), written by
one renderer (``graph.draft_yaml.render``). Only the standard library is used (and PyYAML, to
read the curation files; rdflib only for the measure labels); no network, no model. Sentences
are split by a regular expression (``graph.numbers.sentences``), which may still split after an
abbreviation such as "U.S." and then gives a shorter quote, never a wrong one: every quote is a
slice of the text.
"""

from __future__ import annotations

import datetime as dt
import re

from .draft_claims import Context, numbers
from .draft_dates import MONTH_PATTERN
from .draft_dates import dates_in as _dates  # noqa: F401 (re-exported for the tests of the draft)
from .draft_entities import anchor, known_entities, new_entities, sentence_at, slug
from .draft_figures import APPROXIMATIONS, figure_value, measure_labels, propose_measure  # noqa: F401 (re-exported)
from .draft_learn import Knowledge, learn  # noqa: F401 (re-exported)
from .draft_names import Label, known_labels, name_candidates, propose_kind  # noqa: F401 (re-exported)
from .draft_yaml import TODO, Candidate, Code, render
from .numbers import sentences

DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'/ -]{1,40}?),\s+(?P<date>" + MONTH_PATTERN + r"\s+\d{1,2})"
    # then "(Outlet)", a dash, or both: "KYIV, June 13 (Reuters) -", "Kyiv/Moscow, June 20 (NationPress)"
    r"(?:\s+(?P<outlet>\([^()\n]{2,40}\))(?:\s*[-–—])?|\s*[-–—])",
    re.MULTILINE,
)
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
    knowledge: Knowledge | None = None,
) -> str:
    """Return the YAML text of a draft curation file for the article ``text`` named ``article_file``.

    ``measures`` (slug -> label, ``measure_labels``) lets a claim candidate propose its measure;
    ``knowledge`` (``learn(curation_dir)``) is what the curated corpus teaches the draft (labels
    and their variants, dated rounds, the words around curated figures); without it the draft
    knows only ``labels``.
    """
    knowledge = knowledge or _bare(labels)
    labels = knowledge.labels
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
    places = []
    if dateline:
        at = dateline.start("place")
        for part in re.split(r"(\s*/\s*)", dateline.group("place")):
            if part.strip() and "/" not in part:
                places.append((at, part.strip()))
            at += len(part)
    dateline_span = [(dateline.start(), dateline.end())] if dateline else []
    known, taken, mentions = known_entities(text, knowledge, spans, day, places, dateline_span)
    skip = taken + ([(dateline.start(), dateline.end("date"))] if dateline else [])
    fresh, fresh_mentions, left_out = new_entities(text, knowledge, spans, skip, new)
    if left_out:
        head.append("Names not proposed as entities (add any that is one): " + "; ".join(left_out))
    mentions = sorted(mentions + fresh_mentions, key=lambda m: m.start)
    ctx = Context(text, spans, day, measures or {}, knowledge, mentions, anchor, sentence_at)
    claims, facts, out_of_scope = numbers(text, number, covered, ctx, _in_date)
    document = {
        "article": Code(article_file),
        "source": source,
        "entities": known + fresh,
        "facts": facts or Code("[]"),  # an empty flow list the curator fills
        "claims": claims,
        "out_of_scope": out_of_scope,
    }
    return render(document, head)


def _bare(labels: list[Label]) -> Knowledge:
    """What a draft knows from labels alone (no curated corpus given)."""
    knowledge = Knowledge(labels=list(labels))
    for label in labels:
        knowledge.types.setdefault(label.ref, label.type)
        knowledge.names.setdefault(label.ref, label.name)
    return knowledge


_anchor, _slug = anchor, slug


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
    """Return a ``cites`` item for each news organisation the text cites by name (known refs where
    found; a known entity of another type, a person or a ministry, is a speaker, not a cited source)."""
    items, seen = [], set()
    for match in CITES.finditer(text):
        name = match.group("a") or match.group("b")
        if name.split()[0] in {"The", "It", "He", "She", "They", "We"} or name in seen:
            continue
        seen.add(name)
        # "Ukraine's Coordination Headquarters for ...": a known label after a possessive is that entity
        at = match.start("a") if match.group("a") else match.start("b")
        rest = re.sub(r"^\w+['’]s\s+", "", text[at : at + 200])
        label = next(
            (lab for lab in labels if lab.text == name or re.match(re.escape(lab.text) + r"(?!\w)", rest)), None
        )
        if label is not None and label.type != "NewsOrganisation":
            continue  # a person or a ministry cited is a claim's speaker; a cited source is a news organisation
        known = label.ref if label is not None else None
        if not known:
            new.setdefault("org/" + _slug(name), ("NewsOrganisation", name, "a cited source"))
        items.append({"ref": Code(known or "org/" + _slug(name)), **_anchor(text, match.group(0), match.start())})
    return items


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
