"""Checking one claim of a curation file against its article and the vocabulary, and making
its ``Claim`` record.

``claim_record(entry, checks)`` takes a ``ClaimEntry`` that passed the models (a figure with
its approximation or a stated value, speakers that are refs, bounds in order) and asks what
only the article and the code lists can answer: its quote is in the article, its figure or
stated value in its quote, its measure, modality and approximation are codes, and a date its
quote does not print is explained in its note. It raises a ``SourceError`` with the file, the
line and the fix at the first thing wrong.
"""

from __future__ import annotations

import datetime as dt

from .curation_checks import EntryChecks, parse_decimal, prints_date, speakers
from .curation_models import ClaimEntry, DateRange
from .namespaces import ID, PARLEY
from .records import Claim, HandRelation
from .records import DateRange as DateRangeRecord


def claim_record(entry: ClaimEntry, checks: EntryChecks) -> Claim:
    """Return the record of a claim that passes its checks; raise SourceError naming what is wrong."""
    line = entry.line
    key = checks.key(entry.key, "claim", line)
    what = f"claim '{key}'"
    anchor = checks.anchor(entry, what, line)
    voices = speakers(entry.speaker)
    claim = Claim(
        key=key,
        about=ID[entry.about],
        measure=checks.concept(entry.measure, "measure", what, line, "measure"),
        speaker=voices[0],
        speakers=voices,
        modality=checks.concept(entry.modality, "modality", what, line, "modality"),
        anchor=anchor,
        line=line,
        note=entry.note,
    )
    if entry.figure is not None:
        figure = str(entry.figure)
        checks.require_in_quote(figure, anchor, what, line, "figure")
        claim.figure = figure
        claim.approximation = checks.concept(entry.approximation, "approximation", what, line, "approximation")
        for name, number in entry.numbers.items():
            setattr(claim, name, parse_decimal(number))
    else:
        checks.require_in_quote(entry.stated_value, anchor, what, line, "stated_value")
        claim.stated_value = entry.stated_value
    for name in ("stated_on", "as_of"):
        date = _date(getattr(entry, name))
        if date is None:
            continue
        setattr(claim, name, date)
        if not claim.note and not prints_date(anchor.exact, date):
            raise checks.error(
                line,
                what,
                f"{name} is read from context (its quote does not print that day and year), with no note",
                "say in `note` how the date was read (a year from the round it follows, 'on Thursday' "
                "before a dated dateline); a date from another article must say which",
            )
    if entry.scope is not None:
        claim.scope = PARLEY.unspecifiedScope if entry.scope == "unspecified" else ID[entry.scope]
    for name in ("conflicts_with", "corroborates"):
        links = getattr(entry, name) or []
        setattr(claim, name, [HandRelation(link.claim, link.reason.strip()) for link in links])
    return claim


def _date(value: dt.date | DateRange | None) -> dt.date | DateRangeRecord | None:
    if isinstance(value, DateRange):
        return DateRangeRecord(value.earliest, value.latest)
    return value
