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
import re

from .curation_checks import EntryChecks, parse_decimal, prints_date, speakers
from .curation_models import ClaimEntry, DateRange
from .namespaces import ID, PARLEY
from .records import Claim, HandRelation, Override, PartialDate
from .records import DateRange as DateRangeRecord

# What a note names when it says where a date read from context comes from (curation/README.md).
DATE_BASIS = re.compile(
    r"\b(?:datelines?|published|publication|articles? \d{3}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"yesterday|today|tomorrow|the (?:same )?day|the year|the (?:\w+ )?round|the statement|the exchange|"
    r"the report|the sentence|the (?:same )?passage|"
    r"the (?:[\w-]+ ){0,3}(?:return|repatriation|handover|talks|meeting|agreement|exchange|statement))\b",
    re.IGNORECASE,
)


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
        claim.objects = [ID[ref] for ref in entry.objects]
    for name in ("stated_on", "as_of"):
        date = _date(getattr(entry, name))
        if date is None:
            continue
        setattr(claim, name, date)
        if prints_date(anchor.exact, date):
            continue
        if not claim.note:
            raise checks.error(
                line,
                what,
                f"{name} is read from context (its quote does not print that day and year), with no note",
                "say in `note` how the date was read (a year from the round it follows, 'on Thursday' "
                "before a dated dateline); a date from another article must say which",
            )
        if not DATE_BASIS.search(claim.note):
            raise checks.error(
                line,
                what,
                f"{name} is read from context, but its note names no basis for it",
                "name in `note` what the date is read from: the dateline, the publication date, another "
                "article by number ('article 002'), a weekday ('on Thursday'), or the dated round or "
                "statement the text ties it to",
            )
    if entry.scope is not None:
        claim.scope = PARLEY.unspecifiedScope if entry.scope == "unspecified" else ID[entry.scope]
    _running_total(entry, claim, checks, what, line)
    for name in ("conflicts_with", "corroborates"):
        links = getattr(entry, name) or []
        setattr(claim, name, [HandRelation(link.claim, link.reason.strip()) for link in links])
    claim.overrides = [Override(o.claim, o.kind, o.reason.strip()) for o in entry.overrides or ()]
    return claim


def _running_total(entry: ClaimEntry, claim: Claim, checks: EntryChecks, what: str, line: int) -> None:
    """A running total's baseline (only on a cumulative measure) and whether its sides are open."""
    claim.sides_open = entry.sides == "open"
    cumulative = checks.vocab.measure_kind(claim.measure) == "cumulative"
    if entry.baseline is not None and not cumulative:
        raise checks.error(
            line,
            what,
            f"has a baseline, but its measure {entry.measure!r} is not a running total",
            "drop `baseline:`; only claims of a cumulative measure count from a baseline (docs/claims.md)",
        )
    if not cumulative or claim.figure is None:
        return
    if entry.baseline is None or entry.baseline == "unspecified":
        claim.baseline = PARLEY.unspecifiedBaseline
    elif isinstance(entry.baseline, (dt.date, int)) or re.fullmatch(r"\d{4}(?:-\d{2})?", entry.baseline):
        claim.baseline_date = _date(entry.baseline)  # a day, or a month or year as printed
    else:
        claim.baseline = ID[entry.baseline]


def _date(value) -> dt.date | DateRangeRecord | PartialDate | None:
    """The record of a date: a day, a range, or a month or year at the precision printed."""
    if isinstance(value, DateRange):
        return DateRangeRecord(value.earliest, value.latest)
    if isinstance(value, (str, int)):
        year, _, month = str(value).partition("-")
        return PartialDate(int(year), int(month) if month else None)
    return value
