"""``parley diff``: what changed between two releases or builds, by stable IRI, as data and as text.

``diff(old, new)`` reads each directory's ``dumps/parley.nq.gz`` and compares the union of its
graphs triple by triple (the data model puts every triple in exactly one named graph, so a
triple is what a statement is; a triple moved between graphs unchanged is not a change).
Triples are grouped by the resource they describe: a hash IRI (``claim/...#quantity``) belongs
to the IRI before the ``#``, and an ``oa:SpecificResource`` belongs to the claim or attestation
whose ``parley:evidence`` it is. Each resource is then a **claim** (``parley:Claim``), a
**fact** (``parley:Attestation``: a curated world fact, source field or mention, as
docs/data-model.md says), an **entity** (a thing under ``{base}id/{kind}/`` of a curated kind)
or **other** (articles, curation files, the ingest activity, ontology terms) and is added,
removed or changed, with the old and new values of each changed property.

The changelog as RDF uses PROV-O and schema.org, not terms of our own: the changelog is a
``prov:Activity`` that ``prov:used`` the old release's dataset and ``prov:generated`` the new
one; each change is a ``schema:AddAction``, ``schema:DeleteAction`` or ``schema:UpdateAction``
(schema.org's actions are the established words for "this was added / removed / updated") whose
``schema:object`` is the resource's IRI, with ``dcterms:type`` naming its kind, and whose
old and new statements are standard RDF reifications (``rdf:Statement``) linked by
``prov:invalidated`` (the values it no longer has) and ``prov:generated`` (the values it has
now). ``Changelog.text()`` is the human rendering.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from .dump import from_ox
from .errors import ConfigError, SourceError
from .namespaces import ID, KINDS, PARLEY, SCHEMA, bind_prefixes

DUMP = Path("dumps") / "parley.nq.gz"
KIND_ORDER = ("entity", "fact", "claim", "other")
Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


@dataclass(frozen=True)
class Change:
    """One resource added, removed or changed, with the triples it lost and gained."""

    iri: str
    kind: str  # entity, fact, claim, other
    action: str  # added, removed, changed
    removed: tuple[Triple, ...] = ()
    added: tuple[Triple, ...] = ()

    def values(self) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
        """Return ``{(subject, property): (old values, new values)}`` in N-Triples notation."""
        table: dict[tuple[str, str], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for index, triples in ((0, self.removed), (1, self.added)):
            for s, p, o in triples:
                table[(s.value, p.value)][index].append(str(o))
        return {key: (sorted(old), sorted(new)) for key, (old, new) in sorted(table.items())}


@dataclass
class Changelog:
    """What changed from ``old`` to ``new``; ``changes`` are sorted by kind, then IRI."""

    old: str | None
    new: str
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str | None = None, action: str | None = None) -> list[Change]:
        """Return the changes of one kind and/or action."""
        return [c for c in self.changes if (kind is None or c.kind == kind) and (action is None or c.action == action)]

    def counts(self) -> dict[str, dict[str, int]]:
        """Return ``{kind: {action: count}}`` for every kind and action."""
        return {k: {a: len(self.of(k, a)) for a in ("added", "removed", "changed")} for k in KIND_ORDER}

    def text(self) -> str:
        """Return the changelog as plain text, one resource per paragraph."""
        head = f"Changes from {self.old} to {self.new}" if self.old else f"{self.new}: first release, no changes"
        lines = [head, ""]
        for kind in KIND_ORDER:
            counts = self.counts()[kind]
            lines.append(f"{kind}: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed")
        for change in self.changes:
            lines += ["", f"{change.action} {change.kind} <{change.iri}>"]
            for (subject, prop), (old, new) in change.values().items():
                where = "" if subject == change.iri else f" (of <{subject}>)"
                lines.append(f"  <{prop}>{where}")
                lines += [f"    - {value}" for value in old]
                lines += [f"    + {value}" for value in new]
        return "\n".join(lines) + "\n"

    def graph(self, changelog: URIRef, old_dataset: URIRef | None, new_dataset: URIRef) -> Graph:
        """Return the changelog as RDF (PROV-O and schema.org actions, see the module docstring)."""
        graph = Graph()
        bind_prefixes(graph)
        graph.add((changelog, RDF.type, PROV.Activity))
        label = f"Changes from {self.old} to {self.new}" if self.old else f"{self.new}: first release, no changes"
        graph.add((changelog, RDFS.label, Literal(label, lang="en")))
        graph.add((changelog, PROV.generated, new_dataset))
        if old_dataset is not None:
            graph.add((changelog, PROV.used, old_dataset))
        actions = {"added": SCHEMA.AddAction, "removed": SCHEMA.DeleteAction, "changed": SCHEMA.UpdateAction}
        for number, change in enumerate(self.changes, start=1):
            node = URIRef(f"{changelog}#change-{number}")
            graph.add((changelog, DCTERMS.hasPart, node))
            graph.add((node, RDF.type, actions[change.action]))
            graph.add((node, SCHEMA.object, URIRef(change.iri)))
            graph.add((node, DCTERMS.type, Literal(change.kind)))
            for link, triples, tag in (
                (PROV.invalidated, change.removed, "old"),
                (PROV.generated, change.added, "new"),
            ):
                for index, (s, p, o) in enumerate(triples, start=1):
                    statement = URIRef(f"{node}-{tag}-{index}")
                    graph.add((node, link, statement))
                    graph.add((statement, RDF.type, RDF.Statement))
                    graph.add((statement, RDF.subject, from_ox(s)))
                    graph.add((statement, RDF.predicate, from_ox(p)))
                    graph.add((statement, RDF.object, from_ox(o)))
        return graph


def read_triples(directory: Path) -> set[Triple]:
    """Return the union of the graphs of ``directory/dumps/parley.nq.gz`` as a set of triples."""
    path = Path(directory) / DUMP
    if not path.is_file():
        raise ConfigError(
            f"{path}: no N-Quads dump here", hint="pass a release directory or a build directory (`parley build`)"
        )
    try:
        data = gzip.decompress(path.read_bytes())
        return {_triple(q) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}
    except (OSError, SyntaxError, EOFError) as exc:
        raise SourceError(
            f"{path}: not a readable gzipped N-Quads dump: {exc}", hint="rebuild or re-release it"
        ) from exc


def _triple(quad: ox.Quad) -> Triple:
    return (quad.subject, quad.predicate, quad.object)


_RDF_TYPE = ox.NamedNode(str(RDF.type))
_EVIDENCE = ox.NamedNode(str(PARLEY.evidence))
_KIND_OF_CLASS = {str(PARLEY.Claim): "claim", str(PARLEY.Attestation): "fact"}


def _owners(triples: set[Triple]) -> dict[str, str]:
    """Return ``{subject IRI: owner IRI}`` for subjects described as part of another resource."""
    owners = {}
    for s, p, o in triples:
        if p == _EVIDENCE and isinstance(o, ox.NamedNode) and isinstance(s, ox.NamedNode):
            owners[o.value] = s.value.split("#", 1)[0]
    return owners


def _kinds(triples: set[Triple]) -> dict[str, str]:
    kinds = {}
    for s, p, o in triples:
        if p == _RDF_TYPE and isinstance(s, ox.NamedNode) and o.value in _KIND_OF_CLASS:
            kinds[s.value] = _KIND_OF_CLASS[o.value]
    return kinds


def _owner(subject, owners: dict[str, str]) -> str:
    iri = subject.value.split("#", 1)[0] if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
    return owners.get(iri, iri)


def _kind(iri: str, kinds: dict[str, str]) -> str:
    if iri in kinds:
        return kinds[iri]
    if iri.startswith(str(ID)) and iri[len(str(ID)) :].split("/", 1)[0] in KINDS:
        return "entity"
    return "other"


def diff(old: Path | None, new: Path, *, old_name: str | None = None, new_name: str | None = None) -> Changelog:
    """Return the changelog from the release or build ``old`` to ``new`` (``old`` None: the first release).

    Raises ConfigError when a directory has no N-Quads dump, SourceError when a dump is unreadable.
    """
    before = read_triples(old) if old is not None else set()
    after = read_triples(new)
    log = Changelog(old=(old_name or str(old)) if old is not None else None, new=new_name or str(new))
    if old is None:
        return log
    owners = {**_owners(before), **_owners(after)}
    kinds = {**_kinds(before), **_kinds(after)}
    lost: dict[str, list[Triple]] = defaultdict(list)
    gained: dict[str, list[Triple]] = defaultdict(list)
    for triple in before - after:
        lost[_owner(triple[0], owners)].append(triple)
    for triple in after - before:
        gained[_owner(triple[0], owners)].append(triple)
    described_before = {_owner(t[0], owners) for t in before}
    described_after = {_owner(t[0], owners) for t in after}
    for iri in sorted(set(lost) | set(gained)):
        if iri not in described_before:
            action = "added"
        elif iri not in described_after:
            action = "removed"
        else:
            action = "changed"
        log.changes.append(
            Change(
                iri=iri,
                kind=_kind(iri, kinds),
                action=action,
                removed=tuple(sorted(lost.get(iri, []), key=_sort_key)),
                added=tuple(sorted(gained.get(iri, []), key=_sort_key)),
            )
        )
    log.changes.sort(key=lambda c: (KIND_ORDER.index(c.kind), c.iri))
    return log


def _sort_key(triple: Triple) -> tuple[str, str, str]:
    return (str(triple[0]), str(triple[1]), str(triple[2]))
