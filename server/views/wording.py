"""Figures, dates and relations said as a reader says them, for the pages' running text.

The build writes what its rules read in a compact form (an interval ``[3012, 3012]``, a day
``2025-06-19``, an as-of text ``by 2025-06-19 (said then)``, a claim named ``004/key``), which
is right for data files and queries and wrong for a reader. These functions say the same in
words: ``number_words`` ("3,012"), ``day_text`` ("19 June 2025"), ``date_text`` (a day, a month,
a year or a range of days), ``interval_text`` ("between 1,000 and 1,200", "more than 6,000"),
``as_of_text`` ("as of 19 June 2025 at the latest (said then)") and ``reason_text``, a relation's
reason with each of these rewritten and each claim named by who said it. Nothing is added that
the build did not write: only its notation is changed. Pure functions, no store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

_DAY = re.compile(r"(?<![\w/-])(\d{4})-(\d{2})-(\d{2})\b(?!-)")  # not inside a key (exchanges-2025-06)
_MONTH = re.compile(r"(?<![\w/-])(\d{4})-(\d{2})\b(?!-)")
_KEY = re.compile(r"\s*\((?:[a-z]+(?:-[a-z]+)*)/[a-z0-9-]+\)")  # "(process/exchanges-2025-06)" after its label
_NUMBER = r"−?-?\d+(?:\.\d+)?|−∞|∞"
_INTERVAL = re.compile(rf"([\[(])({_NUMBER}), ({_NUMBER})([\])])")
_CLAIM_NAME = re.compile(r"\b(\d{3})/([a-z0-9][a-z0-9-]*[a-z0-9])\b")
_BASIS = {"said then": "when it was said", "published then": "when the article was published"}


def number_words(value) -> str:
    """A number with thousands separators and no needless decimals: "12,000", "0.18"."""
    try:
        number = Decimal(str(value).replace("−", "-"))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def day_text(day: dt.date, year: bool = True) -> str:
    """A day as a reader writes it: "19 June 2025" (``year=False``: "19 June")."""
    text = f"{day.day} {day:%B}"
    return f"{text} {day.year}" if year else text


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def date_text(text: str | None) -> str | None:
    """An ISO day, month or year (or "between DAY and DAY") in words; other text unchanged."""
    if text is None:
        return None
    value = text.strip()
    between = re.fullmatch(r"between (\S+) and (\S+)", value)
    if between:
        return range_text(_day(between.group(1)), _day(between.group(2))) or value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        day = _day(value)
        return day_text(day) if day else value
    if re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = int(value[:4]), int(value[5:])
        return f"{dt.date(year, month, 1):%B} {year}" if 1 <= month <= 12 else value
    return value


def range_text(first: dt.date | None, last: dt.date | None) -> str | None:
    """A range of days, short: "between 14 and 20 June 2025", "between 30 May and 2 June 2025"."""
    if first is None or last is None:
        return None
    if first == last:
        return day_text(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"between {first.day} and {day_text(last)}"
    return f"between {day_text(first, year=first.year != last.year)} and {day_text(last)}"


def interval_text(lo, hi, lo_closed: bool = True, hi_closed: bool = True, between: bool = True) -> str:
    """A figure's bounds in words: "3,012", "between 1,000 and 1,200" ("from 1,000 to 1,200" when
    not ``between``: beside another figure's "and"), "more than 6,000"."""
    if lo is None and hi is None:
        return "any number"
    if hi is None:
        return f"{'at least' if lo_closed else 'more than'} {number_words(lo)}"
    if lo is None:
        return f"{'at most' if hi_closed else 'less than'} {number_words(hi)}"
    if Decimal(str(lo)) == Decimal(str(hi)):
        return number_words(lo)
    if between:
        return f"between {number_words(lo)} and {number_words(hi)}"
    return f"from {number_words(lo)} to {number_words(hi)}"


def _interval_match(match: re.Match, between: bool = True) -> str:
    left, lo, hi, right = match.groups()
    low = None if lo in ("−∞", "-∞") else lo
    high = None if hi == "∞" else hi
    return interval_text(low, high, left == "[", right == "]", between)


_PAIR = re.compile(rf"({_INTERVAL.pattern}) and ({_INTERVAL.pattern})")


def _pair_match(match: re.Match) -> str:
    """Two intervals joined by "and": each said without an "and" of its own."""
    a, b = _INTERVAL.fullmatch(match.group(1)), _INTERVAL.fullmatch(match.group(6))
    return f"{_interval_match(a, False)} and {_interval_match(b, False)}"


_FIGURE_READ = re.compile(rf"“([^”]*)” ({_INTERVAL.pattern}) as of")


def _figure_read(match: re.Match) -> str:
    """A figure as printed and as read: “about 1,000” (read as between 900 and 1,100), as of."""
    printed, read = match.group(1), _interval_match(_INTERVAL.fullmatch(match.group(2)))
    if read.replace(",", "") in printed.replace(",", ""):
        return f"“{printed}”, as of"
    return f"“{printed}” (read as {read}), as of"


def as_of_text(text: str | None) -> str:
    """The build's as-of text (``asOfText``) after "as of": "19 June 2025", "19 June 2025 at the
    latest (when it was said)", "some day between 14 and 20 June 2025", "a day not given"."""
    if not text or text.strip() == "unknown":
        return "a day not given"
    value = text.strip()
    basis = re.search(r"\s*\(([^()]*)\)\s*$", value)
    why = ""
    if basis:
        value = value[: basis.start()]
        why = f" ({_BASIS.get(basis.group(1), basis.group(1))})"
    if value.startswith("by "):
        return f"{date_text(value[3:])} at the latest{why}"
    if value.startswith("between "):
        return f"some day {date_text(value)}{why}"
    return f"{date_text(value)}{why}"


def words_in(text: str) -> str:
    """Text the build wrote, its intervals and ISO dates said in words (nothing else changed)."""
    text = re.sub(
        r"(as of|holds) (by \S+(?: \([^()]*\))?|between \S+ and \S+|unknown|\d{4}-\d{2}(?:-\d{2})?)",
        lambda m: f"{'holds as of' if m.group(1) == 'holds' else 'as of'} {as_of_text(m.group(2))}",
        text,
    )
    text = _FIGURE_READ.sub(_figure_read, text)
    text = _PAIR.sub(_pair_match, text)
    text = _INTERVAL.sub(_interval_match, text)
    text = _KEY.sub("", text)
    text = re.sub(r"between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})", lambda m: date_text(m.group(0)), text)
    text = _DAY.sub(lambda m: date_text(m.group(0)), text)
    return _MONTH.sub(lambda m: date_text(m.group(0)), text)


def reason_text(text: str, speaker_of: Callable[[str], str | None] | None = None) -> str:
    """A relation's reason in words: its intervals and dates (``words_in``), and each claim it
    names as ``NNN/key`` named by who said it (``speaker_of`` maps ``NNN-key`` to the name)."""
    if speaker_of is not None:

        def name(match: re.Match) -> str:
            found = speaker_of(f"{match.group(1)}-{match.group(2)}")
            return found or match.group(0)

        text = _CLAIM_NAME.sub(name, text)
    return words_in(text)


# How a relation the build labels "NNN-key KIND NNN-key" reads between its two claims.
RELATION_VERBS = {
    "agrees": "agrees with",
    "consistent": "is consistent with",
    "conflicts": "conflicts with",
    "possibly conflicts": "possibly conflicts with",
    "updates": "updates",
    "not comparable": "is not comparable with",
}
_RELATION_LABEL = re.compile(rf"(\d{{3}}-[a-z0-9-]+) ({'|'.join(RELATION_VERBS)}) (\d{{3}}-[a-z0-9-]+)")


def relation_text(text: str, claim_name: Callable[[str], str | None]) -> str | None:
    """A claim relation's label ("000-a agrees 001-b") in words, each claim by ``claim_name``
    (of its key, ``NNN-key``); None when the text is not such a label."""
    found = _RELATION_LABEL.fullmatch(text.strip())
    if not found:
        return None
    a, kind, b = found.groups()
    return f"{claim_name(a) or a} {RELATION_VERBS[kind]} {claim_name(b) or b}"


def yes_no(value: str) -> str:
    """An xsd:boolean in words."""
    return {"true": "yes", "1": "yes", "false": "no", "0": "no"}.get(value.strip(), value)


def datetime_text(value: str) -> str:
    """An xsd:dateTime in words, to the minute: "7 December 2026, 14:11 UTC"."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    zone = " UTC" if moment.tzinfo is not None else ""
    return f"{day_text(moment.date())}, {moment:%H:%M}{zone}"


def _single(text: str) -> str:
    """Straight double quotes as single curly ones: what a quote within a quote takes."""
    return re.sub(r'(^|[\s(\[“‘—–-])"', r"\1‘", text).replace('"', "’")


def nested_quotes(text: str | None) -> str | None:
    """A label that quotes text which has quotes of its own: the inner ones made single, so no
    two double quote marks meet (“‘rescued’ rather than abducted”, not “"rescued" rather…”)."""
    if not text or '"' not in text or "“" not in text:
        return text
    return re.sub(r"“([^”]*)”", lambda m: "“" + _single(m.group(1)) + "”", text)


def quoted(text: str | None) -> str:
    """Text in double quotes, its own double quotes made single; a text already in quotes kept."""
    if not text:
        return ""
    value = text.strip()
    if value[0] in "“«" and value[-1] in "”»":
        return value
    return "“" + _single(value) + "”"
