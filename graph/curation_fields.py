"""The values a curation entry's fields take, and what can be wrong with one.

The annotated types the models of ``graph.curation_models`` are made of (``Key``, ``Ref``,
``Quote``, ``Day``, ``Speaker`` ...), the form of a reference (``kind/slug``) and of an article's
file name, and the checks of one value that more than one model needs (``ref_problem``,
``speaker_problem``, ``object_problem``), each returning the problem and its fix. ``problem`` is
the error a rule across fields raises; ``graph.curation_shape`` reports it with its line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictFloat, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from .namespaces import KINDS, SLUG

ENTITY_TYPES = (
    "State",
    "Organisation",
    "NewsOrganisation",
    "Person",
    "Delegation",
    "Post",
    "Place",
    "Event",
    "NegotiationProcess",
    "NegotiationRound",
    "Agreement",
    "Provision",
    "Proposal",
    "ExchangeProcess",
    "ExchangeRound",
    "UnnamedSource",
)
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
REF_PATTERN = rf"^(?:{'|'.join(KINDS)})/{SLUG_PATTERN}$"
ARTICLE_FILE = re.compile(r"^(\d{3})_([0-9a-f]+)\.txt$")  # an article of corpus/: number and hex digits
ENTRY_ERROR = "entry"  # the type of the errors the rules across fields raise: problem and fix in its context


def problem(what_is_wrong: str, fix: str) -> PydanticCustomError:
    """Return the error a rule across fields raises: ``graph.curation_shape`` reports it as it is worded."""
    return PydanticCustomError(ENTRY_ERROR, "{problem}", {"problem": what_is_wrong, "fix": fix})


def ref_problem(value: Any, field_name: str) -> tuple[str, str] | None:
    """Return (problem, fix) when ``value`` is not a reference ``kind/slug``, else None."""
    if not isinstance(value, str) or "/" not in value:
        return (
            f"{field_name} {value!r} is not a reference `kind/slug`",
            "refer to things as e.g. `person/vladimir-medinsky`",
        )
    kind, _, slug = value.partition("/")
    if kind not in KINDS or not SLUG.match(slug):
        return (
            f"{field_name} {value!r} is not a valid reference",
            f"use one of the kinds {', '.join(KINDS)} and a slug of lower-case words joined by hyphens",
        )
    return None


Key = Annotated[
    StrictStr,
    Field(pattern=rf"^{SLUG_PATTERN}$", description="Unique in this file: lower-case words joined by hyphens."),
]
Ref = Annotated[
    StrictStr,
    Field(pattern=REF_PATTERN, description="A thing as `kind/slug`, e.g. `person/vladimir-medinsky`."),
]
Quote = Annotated[
    StrictStr,
    Field(min_length=1, description="Copied exactly from the article: spelling, punctuation, quotes and dashes."),
]
Occurrence = Annotated[
    StrictInt, Field(ge=1, description="Which occurrence of the quote is meant; only when it occurs more than once.")
]
Note = Annotated[StrictStr, Field(description="How a date or figure was read from context, for the reader.")]
Number = Annotated[StrictInt | StrictFloat, Field(description="A plain number without separators, e.g. 3012.")]
Code = Annotated[StrictStr, Field(description="The slug of a concept of ontology/codelists.ttl.")]


def _day(value: Any) -> Any:
    """Let through a date, or text that is one; refuse a time of day and a number (pydantic reads one as a timestamp)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


Day = Annotated[dt.date, BeforeValidator(_day)]


Speaker = Annotated[StrictStr, Field(description="A ref, or `article` for the article's own voice.")]


def speaker_problem(value: str | list[str]) -> tuple[str, str] | None:
    """Return (problem, fix) when the speakers of a claim or fact are not refs or one ``article``."""
    values = value if isinstance(value, list) else [value]
    if not values:
        return "has an empty speaker list", "name at least one speaker, or `article`"
    for speaker in values:
        if speaker != "article" and (found := ref_problem(speaker, "speaker")):
            return found
    if len(set(values)) != len(values):
        return "names a speaker twice", "list each speaker once"
    if "article" in values and len(values) > 1:
        return (
            "mixes `article` with named speakers",
            "name the speakers the text gives; `article` only when it names nobody",
        )
    return None


def object_problem(value: str | list[str] | None, numeric: bool) -> tuple[str, str] | None:
    """Return (problem, fix) when a claim's ``object`` is not one ref or a list of distinct refs, or is on a figure."""
    if value is None:
        return None
    if numeric:
        return (
            "has `object:` but is a figure",
            "drop `object:`: it names the entity a non-numeric claim states (with `stated_value`); "
            "a figure's value is its number",
        )
    values = value if isinstance(value, list) else [value]
    if not values:
        return "has an empty object list", "name at least one entity in `object:`, or drop it"
    for ref in values:
        if found := ref_problem(ref, "object"):
            return found[0], f"{found[1]}, declared under `entities:`; the words stay in `stated_value`"
    if len(set(values)) != len(values):
        return "names an object twice", "list each entity once in `object:`"
    return None
