"""What every section's check asks of an entry: is its quote in the article, is its key the
file's only one, is its code in the vocabulary, is a word of it in its quote.

``EntryChecks`` holds what those questions need (the article, the vocabulary, where errors
point, the keys used so far in the file) and raises a ``SourceError`` naming the file, the line
and the fix when the answer is no. The entries it is given have passed the models of
``graph.curation_models``: their keys, types and forms are not checked again here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .curation_fields import ref_problem
from .curation_models import Entry
from .curation_yaml import Context, display
from .errors import SourceError
from .namespaces import ID
from .quotes import find_quote, make_anchor, nearest_passage
from .records import Anchor, ArticleCuration, DateRange, PartialDate
from .vocabulary import Vocabulary

_MONTHS = "January February March April May June July August September October November December".split()


def parse_decimal(value: Any) -> Literal | None:
    """Return a number as an xsd:integer or xsd:decimal literal, or None when it is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if number == number.to_integral_value() and "." not in str(value):
        return Literal(int(number), datatype=XSD.integer)
    return Literal(number, datatype=XSD.decimal)


def as_date(value: Any) -> dt.date | None:
    """Return ``value`` as a day when it is one (a date, or text YYYY-MM-DD), else None."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def prints_date(quote: str, date: dt.date | DateRange) -> bool:
    """Whether the quote prints the day, month and year of ``date`` (both ends of a range)."""
    if isinstance(date, DateRange):
        return prints_date(quote, date.earliest) and prints_date(quote, date.latest)
    if isinstance(date, PartialDate):
        return str(date.year) in quote and (date.month is None or _MONTHS[date.month - 1] in quote)
    month = _MONTHS[date.month - 1]
    day = rf"(?:{month}\.?\s+{date.day}\b|\b{date.day}\s+{month}|{month[:3]}\s+{date.day}\b)"
    return bool(re.search(day, quote)) and str(date.year) in quote or date.isoformat() in quote


def speakers(value: str | list[str] | None) -> list[URIRef | None]:
    """The speakers of a claim or fact as the models checked them: IRIs, None for ``article`` (or none given)."""
    values = value if isinstance(value, list) else [value]
    return [None if v in ("article", None) else ID[v] for v in values]


class EntryChecks:
    """The questions every section asks of its entries, for one curation file and its article."""

    def __init__(self, article: ArticleCuration, vocab: Vocabulary, ctx: Context):
        self.article = article
        self.vocab = vocab
        self.ctx = ctx
        self.keys: dict[str, int] = {}  # key -> the line of the entry that used it first

    def error(self, line: int | None, what: str, problem: str, fix: str) -> SourceError:
        return self.ctx.error(line, what, problem, fix)

    def anchor(self, entry: Entry, what: str, line: int | None) -> Anchor:
        """Return where the entry's quote is in the article; raise when it is not there once.

        The error names the line of the ``quote`` key (not the entry's first line); a quote not
        found gives the nearest passage of the article and the words that differ, and one found
        more than once how to make it unique.
        """
        text = self.article.text
        found = find_quote(text, entry.quote, entry.occurrence)
        if isinstance(found, str):
            line = entry.key_lines.get("quote", line)
            where = f" ({display(self.article.path, self.ctx.path.parent.parent)})"
            fix = (
                "copy the quote character for character from the article, curly quotes, dashes and whitespace included"
            )
            if text.count(entry.quote) > 1:
                fix = (
                    "lengthen the quote until it occurs once, or add 'occurrence: N' (which occurrence, "
                    "counted from the start of the article) to the entry"
                )
            elif entry.quote not in text:
                near = nearest_passage(text, entry.quote)
                if near:
                    passage, differ = near
                    found += f'; nearest passage: "{passage}"'
                    if differ:
                        found += f" (differs in: {differ})"
                    fix = "copy the nearest passage character for character if it is the one meant, or correct the words that differ"
            raise self.error(line, what, found + where, fix)
        return make_anchor(text, *found)

    def key(self, key: str, what: str, line: int | None) -> str:
        """Return ``key`` and remember it; raise when an entry before it used it."""
        if key in self.keys:
            raise self.error(
                line,
                f"{what} '{key}'",
                f"duplicate key (first used on line {self.keys[key]})",
                "give each entry of the file its own key",
            )
        self.keys[key] = line
        return key

    def ref(self, value: Any, what: str, line: int | None, field_name: str) -> URIRef:
        """Return the IRI of a reference ``kind/slug``; raise when it is none."""
        found = ref_problem(value, field_name)
        if found:
            raise self.error(line, what, *found)
        return ID[value]

    def concept(self, value: Any, scheme: str, what: str, line: int | None, field_name: str) -> URIRef:
        """Return the IRI of the concept ``value`` of ``scheme``; raise when the code lists have none."""
        iri = self.vocab.concept(scheme, str(value)) if isinstance(value, str) else None
        if iri is None:
            known = ", ".join(sorted(self.vocab.schemes.get(scheme, ())))
            raise self.error(
                line,
                what,
                f"unknown {field_name} {value!r}",
                f"use one of the {scheme} codes ({known}) or add the code to ontology/codelists.ttl",
            )
        return iri

    def date(self, value: Any, what: str, line: int | None, field_name: str) -> dt.date:
        """Return ``value`` as a day; raise when it is none."""
        date = as_date(value)
        if date is None:
            raise self.error(
                line,
                what,
                f"{field_name} {value!r} is not a date",
                "write dates as YYYY-MM-DD; give a vague date as a range (startDate/endDate) and explain it in `note`",
            )
        return date

    def require_in_quote(self, needle: str, anchor: Anchor, what: str, line: int | None, field_name: str) -> None:
        """Raise when ``needle`` (a label, a figure as printed) is not in the entry's quote."""
        if needle not in anchor.exact:
            raise self.error(
                line,
                what,
                f"{field_name} {needle!r} does not occur in its quote",
                f"make the quote include {needle!r} exactly as printed",
            )
