"""The curation format as data: pydantic models of a curation file and every entry in it.

``CurationFile`` is the shape of one ``curation/NNN_hash.yaml``: its sections, each entry's keys
and their types, with unknown keys refused (a misspelt ``occurence:`` is an error, not ignored),
the enumerations that need nothing but the YAML (entity types, the form of refs and keys), and
the rules across the fields of one entry as model validators (a claim is a figure with its
approximation or a stated value, never both; its speakers are refs or ``article``; its objects
are refs, on a stated value only; a range does not end before it starts). Each rule's problem and fix travel in a ``PydanticCustomError`` of
type ``entry`` that ``graph.curation_shape`` turns into a ``SourceError`` with its line. Every
entry keeps the line of its mapping (``line``) and of each key (``key_lines``) from the YAML
(``graph.curation_yaml``), so the checks after it can name the line. ``json_schema()`` is the
same models as a JSON Schema, for editors. What needs the article or the vocabulary (quotes,
codes, properties) is checked after, by ``graph.curation_entries``. The format is documented in
``curation/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)

from .curation_fields import (
    ENTITY_TYPES,
    Code,
    Day,
    Key,
    Note,
    Number,
    Occurrence,
    Quote,
    Ref,
    Speaker,
    object_problem,
    problem,
    ref_problem,
    speaker_problem,
)
from .rules import KINDS as RELATION_KINDS


class Located(BaseModel):
    """A mapping of the file that keeps its line and the line of each of its keys, in YAML order."""

    model_config = ConfigDict(extra="forbid")

    _line: int | None = PrivateAttr(None)
    _key_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_lines(cls, data: Any, handler):
        model = handler(data)
        model.locate(data)
        return model

    def locate(self, data: Any) -> None:
        """Take the lines ``graph.curation_yaml`` attached to ``data``, the mapping this model was made from."""
        self._line = getattr(data, "line", self._line)
        self._key_lines = dict(getattr(data, "key_lines", None) or self._key_lines)

    @property
    def line(self) -> int | None:
        """The line the mapping starts on (None when not made from YAML)."""
        return self._line

    @property
    def key_lines(self) -> dict[str, int]:
        """The line of each key the YAML gave, in the order it gave them."""
        return self._key_lines


class Entry(Located):
    """Common to every entry: anchored by a quote from the article."""

    quote: Quote
    occurrence: Occurrence | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _has_a_quote(self):
        if not self.quote.strip():
            raise problem("has no quote", "add `quote:` with the exact words from the article")
        return self


class SourceText(Entry):
    """A source field whose value is the quote itself (headline)."""


class SourceRef(Entry):
    """A source field naming a thing: outlet, author, republisher, a cited source."""

    ref: Ref


class SourceDate(Entry):
    """A source field holding a date: published, page_date."""

    date: Day = Field(description="YYYY-MM-DD.")


class SourceDateline(Entry):
    """The dateline, and the places it names."""

    places: list[Ref] | None = Field(None, description="Refs of the places the dateline names.")


class Source(Located):
    """What the article's own text says of itself. Every field is optional."""

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

    @model_validator(mode="after")
    def _has_a_name_and_label(self):
        for field_name in ("name", "label"):
            if not getattr(self, field_name).strip():
                raise problem(f"has no {field_name}", "give `name` (canonical) and `label` (as printed here)")
        return self


class DateRange(BaseModel):
    """A date the text bounds but does not give: the first and the last day it can be."""

    model_config = ConfigDict(extra="forbid")

    earliest: Day = Field(description="The first day it can be, YYYY-MM-DD.")
    latest: Day = Field(description="The last day it can be, YYYY-MM-DD.")


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

    @model_validator(mode="after")
    def _speakers_are_refs(self):
        if self.speaker is not None and (found := speaker_problem(self.speaker)):
            raise problem(*found)
        return self


class HandRelationEntry(BaseModel):
    """A relation a curator asserts by hand, with the reason (docs/claims.md)."""

    model_config = ConfigDict(extra="forbid")

    claim: StrictStr = Field(description="The other claim, as `NNN/key`.")
    reason: StrictStr = Field(min_length=5, description="Why the two claims relate so, for the reader.")


class OverrideEntry(BaseModel):
    """A curator's override of the relation the build derives between two claims (docs/claims.md)."""

    model_config = ConfigDict(extra="forbid")

    claim: StrictStr = Field(description="The other claim, as `NNN/key`.")
    kind: Literal[RELATION_KINDS] = Field(description="The relation kind that holds instead.")  # type: ignore[valid-type]
    reason: StrictStr = Field(min_length=5, description="Why the derived relation does not hold, for the reader.")


MonthOrYear = Annotated[
    StrictStr | StrictInt,
    Field(description="A month YYYY-MM or a year YYYY, where the text gives only that."),
]


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
    object: StrictStr | list[StrictStr] | None = Field(
        None,
        description="A non-numeric claim only: the entity its words name as what it says (where the people "
        "it concerns are, who took part, under which agreement), a ref or a list of refs, each declared "
        "under `entities:`; the words stay in `stated_value`.",
    )
    speaker: Speaker | list[Speaker] = Field(
        description="Who the text names as saying it (a ref, or a list when it names several), "
        "or `article` for the article's own voice."
    )
    stated_on: Day | DateRange | MonthOrYear | None = Field(
        None,
        description="The day it was said, `{earliest, latest}` when the text bounds it but does not give it, "
        "or YYYY-MM / YYYY when the text gives only the month or year.",
    )
    as_of: Day | DateRange | MonthOrYear | None = Field(
        None,
        description="The day the figure holds, `{earliest, latest}` when the text only bounds it, "
        "or YYYY-MM / YYYY when the text gives only the month or year.",
    )
    modality: Code = Field(description="A concept of the modality scheme.")
    scope: StrictStr | None = Field(
        None, description="What the figure counts, where the measure leaves it open: a ref, or `unspecified`."
    )
    baseline: StrictStr | StrictInt | dt.date | None = Field(
        None,
        description="A running total only: what it counts from, a ref (`process/...`, `agreement/...`, "
        "`event/russia-ukraine-war`), a date YYYY-MM-DD (or YYYY-MM, YYYY as printed), or `unspecified` "
        "(the default).",
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

    @property
    def objects(self) -> list[str]:
        """The refs of ``object``, as a list (empty when there is none)."""
        if self.object is None:
            return []
        return self.object if isinstance(self.object, list) else [self.object]

    @property
    def numbers(self) -> dict[str, int | float]:
        """The value and bounds the claim gives, by name."""
        return {name: getattr(self, name) for name in ("value", "min", "max") if getattr(self, name) is not None}

    @model_validator(mode="after")
    def _is_a_figure_or_a_statement(self):
        if found := speaker_problem(self.speaker):
            raise problem(*found)
        if (self.figure is None) == (self.stated_value is None):
            raise problem(
                "needs exactly one of `figure` and `stated_value`",
                "give the number as printed in `figure`, or the words of a non-numeric claim in `stated_value`",
            )
        if self.figure is not None:
            if self.approximation is None:
                raise problem("`approximation` is missing", "add `approximation:` (see curation/README.md)")
            if self.value is not None and (self.min is not None or self.max is not None):
                raise problem(
                    "has both value and bounds", "give `value` for a stated number, or `min`/`max` for bounds"
                )
            if self.min is not None and self.max is not None and self.min > self.max:
                raise problem("min is greater than max", "swap or correct the bounds")
        elif self.approximation or self.numbers:
            raise problem(
                "a stated_value claim has numeric fields",
                "drop approximation/value/min/max, or use `figure` instead of `stated_value`",
            )
        for name in ("stated_on", "as_of"):
            date = getattr(self, name)
            if isinstance(date, DateRange) and date.earliest > date.latest:
                raise problem(f"{name}: earliest is after latest", "swap or correct the bounds")
            if isinstance(date, (str, int)) and not re.fullmatch(r"\d{4}(?:-(?:0[1-9]|1[0-2]))?", str(date)):
                raise problem(
                    f"{name} {date!r} is not a date", "write dates as YYYY-MM-DD, a month as YYYY-MM, a year as YYYY"
                )
        partial = re.fullmatch(r"\d{4}(?:-(?:0[1-9]|1[0-2]))?", str(self.baseline))
        if isinstance(self.baseline, int) and not partial:
            raise problem(f"baseline {self.baseline!r} is not a year", "write a year as YYYY, or give a ref")
        if isinstance(self.baseline, str) and self.baseline != "unspecified" and not partial:
            if found := ref_problem(self.baseline, "baseline"):
                raise problem(*found)
        if self.scope is not None and self.scope != "unspecified" and (found := ref_problem(self.scope, "scope")):
            raise problem(*found)
        if found := object_problem(self.object, self.figure is not None):
            raise problem(*found)
        return self


class OutOfScopeEntry(Entry):
    """A number the article prints that no claim or fact covers, with the reason."""

    text: StrictStr | StrictInt = Field(description="The number as printed; it must occur in the quote.")
    reason: StrictStr = Field(min_length=5, description="Why this number is not a claim.")

    @model_validator(mode="after")
    def _has_text_and_reason(self):
        if not str(self.text).strip():
            raise problem("has no text", "give the number as printed in `text`")
        if len(self.reason.strip()) < 5:
            raise problem("has no reason", "say in `reason` why this number is not a claim")
        return self


class OutOfScopeSentenceEntry(Entry):
    """A sentence of the article that states no fact: page furniture, an advertising line."""

    reason: StrictStr = Field(min_length=5, description="Why the sentence states nothing to curate.")

    @model_validator(mode="after")
    def _has_a_reason(self):
        if len(self.reason.strip()) < 5:
            raise problem("has no reason", "say in `reason` why the sentence states no fact")
        return self


class CurationFile(Located):
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
