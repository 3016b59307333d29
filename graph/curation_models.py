"""The curation format as data: pydantic models of a curation file and every entry in it.

``CurationFile`` is the shape of one ``curation/NNN_hash.yaml``: its sections, each entry's keys
and their types, with unknown keys refused (a misspelt ``occurence:`` is an error, not ignored)
and the enumerations that need nothing but the YAML (entity types, the form of refs and keys).
``check_shape(data, ctx)`` checks parsed YAML against it and returns every problem at once,
each with its file, line and fix; ``json_schema()`` is the same models as a JSON Schema, for
editors. What needs the article or the vocabulary (quotes, codes, properties) is checked after,
by ``graph.curation_entries``. The format is documented in ``curation/README.md``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError

from .curation_yaml import Context
from .errors import SourceError
from .namespaces import KINDS

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
)
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
REF_PATTERN = rf"^(?:{'|'.join(KINDS)})/{SLUG_PATTERN}$"

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


class Entry(BaseModel):
    """Common to every entry: anchored by a quote from the article."""

    model_config = ConfigDict(extra="forbid")

    quote: Quote
    occurrence: Occurrence | None = None
    note: Note | None = None


class SourceText(Entry):
    """A source field whose value is the quote itself (headline)."""


class SourceRef(Entry):
    """A source field naming a thing: outlet, author, republisher, a cited source."""

    ref: Ref


class SourceDate(Entry):
    """A source field holding a date: published, page_date."""

    date: dt.date = Field(description="YYYY-MM-DD.")


class SourceDateline(Entry):
    """The dateline, and the places it names."""

    places: list[Ref] | None = Field(None, description="Refs of the places the dateline names.")


class Source(BaseModel):
    """What the article's own text says of itself. Every field is optional."""

    model_config = ConfigDict(extra="forbid")

    headline: SourceText | None = Field(None, description="The headline, as the quote.")
    outlet: SourceRef | None = Field(None, description="The news organisation that published it.")
    author: SourceRef | None = Field(None, description="Who wrote it.")
    published: SourceDate | None = Field(None, description="The publication date the article prints.")
    page_date: SourceDate | None = Field(None, description="Another date the page prints.")
    dateline: SourceDateline | None = Field(None, description="The dateline and the places it names.")
    republisher: SourceRef | None = Field(None, description="Who republished the article.")
    cites: list[SourceRef] | None = Field(None, description="Sources the article cites.")


class EntityEntry(Entry):
    """A thing the article names."""

    ref: Ref
    type: Literal[ENTITY_TYPES] = Field(description="The ontology class of the thing.")  # type: ignore[valid-type]
    name: StrictStr = Field(min_length=1, description="The canonical English name, the same in every file.")
    label: StrictStr = Field(min_length=1, description="The form this article prints; it must occur in the quote.")


Speaker = Annotated[StrictStr, Field(description="A ref, or `article` for the article's own voice.")]


class DateRange(BaseModel):
    """A date the text bounds but does not give: the first and the last day it can be."""

    model_config = ConfigDict(extra="forbid")

    earliest: dt.date = Field(description="The first day it can be, YYYY-MM-DD.")
    latest: dt.date = Field(description="The last day it can be, YYYY-MM-DD.")


class FactEntry(Entry):
    """A world-layer statement the article supports."""

    key: Key
    speaker: Speaker | list[Speaker] | None = Field(
        None,
        description="Who the text says states it (a ref, or several); omitted or `article`: the article's own voice.",
    )
    subject: Ref
    property: StrictStr = Field(description="Local name of a property of ontology/parley.ttl, e.g. `place`.")
    value: StrictInt | StrictFloat | dt.date | StrictStr = Field(
        description="A ref, a concept `scheme/slug`, or a literal of the property's range (dates YYYY-MM-DD)."
    )


class HandRelationEntry(BaseModel):
    """A relation a curator asserts by hand, with the reason (docs/claims.md)."""

    model_config = ConfigDict(extra="forbid")

    claim: StrictStr = Field(description="The other claim, as `NNN/key`.")
    reason: StrictStr = Field(min_length=5, description="Why the two claims relate so, for the reader.")


RELATION_KINDS = ("agrees", "consistent", "conflicts", "possibly-conflicts", "updates", "not-comparable")


class OverrideEntry(BaseModel):
    """A curator's override of the relation the build derives between two claims (docs/claims.md)."""

    model_config = ConfigDict(extra="forbid")

    claim: StrictStr = Field(description="The other claim, as `NNN/key`.")
    kind: Literal[RELATION_KINDS] = Field(description="The relation kind that holds instead.")  # type: ignore[valid-type]
    reason: StrictStr = Field(min_length=5, description="Why the derived relation does not hold, for the reader.")


class ClaimEntry(Entry):
    """A figure or a contested statement: `figure` (with approximation and value or min/max) or `stated_value`."""

    key: Key
    about: Ref
    measure: Code = Field(description="A concept of the measure scheme.")
    figure: StrictStr | StrictInt | None = Field(None, description="As printed, qualifying words included.")
    approximation: Code | None = Field(None, description="A concept of the approximation scheme.")
    value: Number | None = None
    min: Number | None = None
    max: Number | None = None
    stated_value: StrictStr | None = Field(None, description="Words copied from the quote, for a non-numeric claim.")
    speaker: Speaker | list[Speaker] = Field(
        description="Who the text names as saying it (a ref, or a list when it names several), "
        "or `article` for the article's own voice."
    )
    stated_on: dt.date | DateRange | None = Field(
        None, description="The day it was said, or `{earliest, latest}` when the text bounds it but does not give it."
    )
    as_of: dt.date | DateRange | None = Field(
        None, description="The day the figure holds, or `{earliest, latest}` when the text only bounds it."
    )
    modality: Code = Field(description="A concept of the modality scheme.")
    scope: StrictStr | None = Field(
        None, description="What the figure counts, where the measure leaves it open: a ref, or `unspecified`."
    )
    baseline: StrictStr | dt.date | None = Field(
        None,
        description="A running total only: what it counts from, a ref (`process/...`, `agreement/...`, "
        "`event/russia-ukraine-war`), a date YYYY-MM-DD, or `unspecified` (the default).",
    )
    sides: Literal["open"] | None = Field(
        None, description="`open` where the text leaves open whether the figure is per side or in total."
    )
    overrides: list[OverrideEntry] | None = Field(
        None,
        description="Derived relations this claim's curator overrides: `{claim: NNN/key, kind: ..., reason: ...}`.",
    )
    conflicts_with: list[HandRelationEntry] | None = Field(
        None, description="Claims this one conflicts with, by hand: `{claim: NNN/key, reason: ...}`."
    )
    corroborates: list[HandRelationEntry] | None = Field(
        None, description="Claims this one corroborates, by hand: `{claim: NNN/key, reason: ...}`."
    )


class OutOfScopeEntry(Entry):
    """A number the article prints that no claim or fact covers, with the reason."""

    text: StrictStr | StrictInt = Field(description="The number as printed; it must occur in the quote.")
    reason: StrictStr = Field(min_length=5, description="Why this number is not a claim.")


class OutOfScopeSentenceEntry(Entry):
    """A sentence of the article that states no fact: page furniture, an advertising line."""

    reason: StrictStr = Field(min_length=5, description="Why the sentence states nothing to curate.")


class CurationFile(BaseModel):
    """One curation file: what one article of corpus/ says (see curation/README.md)."""

    model_config = ConfigDict(extra="forbid", title="Parley curation file")

    article: StrictStr = Field(
        pattern=r"^\d{3}_[0-9a-f]+\.txt$",
        description="The article's file name in corpus/, e.g. `001_0ee01c4a5faa6e0f.txt`.",
    )
    source: Source | None = Field(None, description="What the article's own text says of itself.")
    entities: list[EntityEntry] | None = Field(None, description="Every entity the article names.")
    facts: list[FactEntry] | None = Field(None, description="World-layer statements the article supports.")
    claims: list[ClaimEntry] | None = Field(None, description="Every figure and every contested statement.")
    out_of_scope: list[OutOfScopeEntry] | None = Field(
        default=None, description="Numbers the article prints that are deliberately left out."
    )
    out_of_scope_sentences: list[OutOfScopeSentenceEntry] | None = Field(
        default=None,
        description="Sentences that state no fact (page furniture, advertising), each with the reason; "
        "a statement of fact is never out of scope.",
    )


def json_schema() -> dict:
    """Return the JSON Schema (draft 2020-12) of a curation file."""
    schema = CurationFile.model_json_schema()
    for model in [schema, *schema["$defs"].values()]:
        for prop in model.get("properties", {}).values():
            # an optional field's description sits inside its anyOf; editors show the property's own
            inner = [option["description"] for option in prop.get("anyOf", ()) if "description" in option]
            if inner and "description" not in prop:
                prop["description"] = inner[0]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# -- errors, with their lines

_SECTION_WHAT = {"entities": ("entity", "ref"), "facts": ("fact", "key"), "claims": ("claim", "key")}


def check_shape(data: Any, ctx: Context) -> tuple[list[SourceError], frozenset[tuple]]:
    """Return every problem of shape, type, unknown key or enumeration in ``data``, in line order,
    and where they are: ``(section, index)`` of each entry at fault, ``(section,)`` of a whole
    section (nothing wrong: two empty results)."""
    try:
        CurationFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    else:
        return [], frozenset()
    grouped: dict[tuple, list[dict]] = {}
    bad = set()
    for error in errors:
        path, line = _resolve(data, error["loc"], error["type"])
        grouped.setdefault(path, []).append({**error, "line": line})
        loc = error["loc"]
        bad.add(tuple(loc[:2]) if len(loc) > 1 and isinstance(loc[1], int) else tuple(loc[:1]))
    problems = [(group[0]["line"] or 0, _problem(data, path, group, ctx)) for path, group in grouped.items()]
    return [problem for _, problem in sorted(problems, key=lambda item: item[0])], frozenset(bad)


def _resolve(data: Any, loc: tuple, kind: str) -> tuple[tuple, int | None]:
    """The part of ``loc`` that names a place in ``data`` (union tags dropped), and its line."""
    node, path = data, ()
    line = getattr(data, "line", None)
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = getattr(node, "key_lines", {}).get(part, line)
            node, path = node[part], (*path, part)
            line = getattr(node, "line", line) if isinstance(node, dict) else line
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node, path = node[part], (*path, part)
            line = getattr(node, "line", line)
        else:
            if kind == "missing" and isinstance(part, str):
                path = (*path, part)
            break
    return path, line


def _problem(data: Any, path: tuple, group: list[dict], ctx: Context) -> SourceError:
    first = group[0]
    field = path[-1] if path and isinstance(path[-1], str) else None
    what = _what(data, path[:-1] if first["type"] in ("extra_forbidden", "missing") else path)
    if first["type"] == "extra_forbidden":
        model = _model_at(path[:-1])
        fields = list(model.model_fields) if model else []
        known = ", ".join(
            [f for f in fields if f not in Entry.model_fields] + [f for f in fields if f in Entry.model_fields]
        )
        close = difflib.get_close_matches(str(field), fields, n=1)
        guess = f" (did you mean `{close[0]}`?)" if close else ""
        return ctx.error(
            first["line"], what, f"unknown key '{field}'{guess}", f"correct or remove it; known keys: {known}"
        )
    if first["type"] == "missing":
        return ctx.error(first["line"], what, f"`{field}` is missing", f"add `{field}:` (see curation/README.md)")
    messages = sorted({_message(e) for e in group})
    got = _at(data, path)
    subject = f"`{field}` {got!r}" if field else f"{got!r}"
    return ctx.error(first["line"], what, f"{subject}: {' or '.join(messages)}", _fix(field, first))


_MESSAGES = {
    "int_type": "is not a number",
    "int_parsing": "is not a number",
    "float_type": "is not a number",
    "float_parsing": "is not a number",
    "string_type": "is not text",
    "date_type": "is not a date",
    "date_parsing": "is not a date",
    "date_from_datetime_inexact": "is not a date",
    "list_type": "is not a list",
    "model_type": "is not a mapping",
    "model_attributes_type": "is not a mapping",
}


def _message(error: dict) -> str:
    if error["type"] in _MESSAGES:
        return _MESSAGES[error["type"]]
    if error["type"] == "literal_error":
        return "is not a known type"
    if error["type"] == "string_pattern_mismatch":
        return "is not of the right form"
    return error["msg"][0].lower() + error["msg"][1:]


def _fix(field: str | None, error: dict) -> str:
    if error["type"] == "list_type":
        return f"write `{field}:` followed by one `- ...` item a line"
    if error["type"] in ("model_type", "model_attributes_type") and {"conflicts_with", "corroborates"} & set(
        error["loc"]
    ):
        return "write each as `{claim: NNN/key, reason: why}`: a relation asserted by hand needs its reason (docs/claims.md)"
    if error["type"] in ("model_type", "model_attributes_type"):
        return "write it as `key: value` lines (see curation/README.md)"
    if field == "type":
        return "use one of " + ", ".join(ENTITY_TYPES)
    if field in ("ref", "subject", "about") or (error["type"] == "string_pattern_mismatch" and field == "places"):
        return f"refer to things as `kind/slug` with a kind of {', '.join(KINDS)}, e.g. `person/vladimir-medinsky`"
    if field == "key":
        return "give it a key of lower-case words joined by hyphens, e.g. `bodies-returned-june-13`"
    if field == "article":
        return "write `article: NNN_hash.txt`, the article's file name in corpus/"
    if field in ("value", "min", "max"):
        return "write a plain number without separators, e.g. 3012"
    if field in ("date", "stated_on", "as_of"):
        return "write dates as YYYY-MM-DD"
    return "see the format in curation/README.md or `parley schema`"


def _what(data: Any, path: tuple) -> str:
    """Name the entry at ``path`` as the loader's messages do: ``claim 'key'``, ``source outlet``."""
    if not path:
        return "file"
    section = path[0]
    if section in _SECTION_WHAT and len(path) > 1:
        kind, name = _SECTION_WHAT[section]
        entry = _at(data, path[:2])
        label = entry.get(name) if isinstance(entry, dict) else None
        return f"{kind} '{label}'" if label else f"{kind} {path[1] + 1} of {section}"
    if section == "out_of_scope_sentences" and len(path) > 1:
        entry = _at(data, path[:2])
        return f"out_of_scope_sentences entry {entry.get('quote') if isinstance(entry, dict) else None!r}"
    if section == "out_of_scope" and len(path) > 1:
        entry = _at(data, path[:2])
        return f"out_of_scope entry {entry.get('text') if isinstance(entry, dict) else None!r}"
    if section == "source" and len(path) > 1:
        return f"source {path[1]}"
    return str(section)


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _model_at(path: tuple) -> type[BaseModel] | None:
    model: Any = CurationFile
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(model, type) else None
        if field is None:
            return None
        model = _model_of(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
