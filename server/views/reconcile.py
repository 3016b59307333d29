"""The reconciliation service's view of the build: which classes are entities (not the
statements: claims, attestations, quantities, claim relations, figure sets), what the graph
says of each entity (``entity-facts.rq``, read once per app), and what the Reconciliation
Service API 0.2 makes of it: a candidate's description (its types, then up to three of its
facts, each "property: values" in the graph's own labels, never more), the properties proposed
for a type (those its entities have, most used first), the entities whose values match a
query's ``properties``, the rows of a data extension, and the facts a preview shows.
``routes.reconcile`` reads the requests and answers them.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
from rdflib.namespace import SKOS, XSD

from graph.namespaces import BASE, PARLEY

from ..data.canned import query
from ..data.search import normalize
from ..data.site import site
from .terms import label

NOT_ENTITIES = frozenset(str(PARLEY[c]) for c in ("Claim", "Attestation", "Quantity", "ClaimRelation", "FigureSet"))
ALSO_CALLED = str(SKOS.altLabel)
DESCRIBED_FACTS = 3  # properties a description names
DESCRIBED_VALUES = 3  # values of each
IDENTIFIER_SPACE = BASE + "id/"
_INTEGERS = {str(XSD.integer), str(XSD.int), str(XSD.long), str(XSD.nonNegativeInteger), str(XSD.positiveInteger)}
_NUMBERS = {str(XSD.decimal), str(XSD.double), str(XSD.float)}


def entity_classes(classes: list[dict]) -> list[dict]:
    """The classes of the index (``SearchIndex.classes``) whose instances are entities here:
    the ontology's own classes with instances, less the statements."""
    return [c for c in classes if c["instances"] and c["iri"] not in NOT_ENTITIES and c["iri"].startswith(str(PARLEY))]


def _read_facts() -> dict[str, dict[str, list]]:
    facts: dict[str, dict[str, list]] = {}
    for row in site().store.select(query("entity-facts")):
        values = facts.setdefault(row["entity"].value, {}).setdefault(row["property"].value, [])
        values.append(row["value"])
    return facts


def facts() -> dict[str, dict[str, list]]:
    """Entity IRI -> property IRI -> its values (pyoxigraph terms), for every entity."""
    return site().once("reconcile-facts", _read_facts)


def property_name(iri: str) -> str:
    """A property's name: its label; an id that is no IRI (a client's mistake) names itself."""
    if iri == ALSO_CALLED:
        return "also called"
    try:
        ox.NamedNode(iri)
    except ValueError:
        return iri
    return label(iri)


def _said(value) -> str:
    """A value as a reader reads it: an IRI by its label, a literal as written."""
    return label(value.value) if isinstance(value, ox.NamedNode) else value.value


def description(iri: str, type_names: list[str], matched: str | None = None) -> str:
    """What the graph says of ``iri``, shortly: "person; holds post: Defence Minister of Ukraine";
    ``matched``, a variant name the query matched, is said after the types ("also called ...")."""
    parts = [", ".join(type_names)] if type_names else []
    if matched:
        parts.append(f"also called “{matched}”")
    said = facts().get(iri, {})
    for prop in sorted((p for p in said if p != ALSO_CALLED), key=property_name)[:DESCRIBED_FACTS]:
        values = sorted({_said(v) for v in said[prop]})
        shown = ", ".join(values[:DESCRIBED_VALUES]) + (" …" if len(values) > DESCRIBED_VALUES else "")
        parts.append(f"{property_name(prop)}: {shown}")
    return "; ".join(p for p in parts if p)


def _is(value, asked) -> bool:
    """Whether a stored value is one a query's property value asks for: the same IRI (``"v":
    IRI`` or ``{"id": IRI}``), or the same text (a literal's, or an entity's label), case and
    accents aside; a number equal to a number."""
    if isinstance(asked, dict):
        return isinstance(value, ox.NamedNode) and value.value == asked.get("id")
    if isinstance(asked, bool):
        return value.value == ("true" if asked else "false")
    if isinstance(asked, int | float):
        try:
            return float(value.value) == float(asked)
        except ValueError:
            return False
    if isinstance(value, ox.NamedNode) and value.value == asked:
        return True
    return normalize(_said(value)).strip() == normalize(str(asked)).strip()


def with_properties(conditions: list[tuple[str, list]]) -> set[str]:
    """The entities that, for every (property, values asked), have one of the values asked."""
    return {
        iri
        for iri, said in facts().items()
        if all(any(_is(v, a) for v in said.get(p, ()) for a in asked) for p, asked in conditions)
    }


def proposed_properties(type_iri: str, types_of, limit: int | None) -> list[dict]:
    """The properties the entities of ``type_iri`` have (``types_of(iri)`` gives an entity's
    types), most used first: ``{"id", "name"}`` as the 0.2 property proposal has them."""
    used: Counter = Counter()
    for iri, said in facts().items():
        if type_iri in types_of(iri):
            used.update(said.keys())
    ranked = sorted(used, key=lambda p: (-used[p], property_name(p)))
    return [{"id": p, "name": property_name(p)} for p in ranked[:limit]]


def extension_value(value) -> dict:
    """One property value as the 0.2 data extension response has it."""
    if isinstance(value, ox.NamedNode):
        if value.value.startswith(IDENTIFIER_SPACE):
            return {"id": value.value, "name": label(value.value)}
        return {"str": value.value}
    datatype = value.datatype.value if isinstance(value, ox.Literal) else None
    try:
        if datatype in _INTEGERS:
            return {"int": int(value.value)}
        if datatype in _NUMBERS:
            return {"float": float(value.value)}
    except ValueError:
        pass
    return {"str": value.value}  # dates too, as written: a date has no time of day to invent


def extension(ids: list[str], properties: list[str]) -> dict:
    """The 0.2 data extension response: ``meta`` (each property's id and name) and ``rows``
    (each id's values of each property; an unknown id or property has none)."""
    known = facts()
    rows = {}
    for iri in ids:
        said = known.get(iri, {})
        rows[iri] = {p: [extension_value(v) for v in said.get(p, ())] for p in properties}
    return {"meta": [{"id": p, "name": property_name(p)} for p in properties], "rows": rows}


def preview_facts(iri: str) -> list[dict]:
    """Every fact of ``iri`` for its preview card: property name and the values as read."""
    said = facts().get(iri, {})
    return [
        {"name": property_name(p), "values": sorted({_said(v) for v in said[p]})}
        for p in sorted(said, key=property_name)
    ]
