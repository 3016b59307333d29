"""Validate a dataset before anything is published.

Four checks: SHACL (the Core shapes on pyshacl-turbo over the union of the dataset's graphs, the
SHACL-SPARQL constraints on pyoxigraph), OWL 2 consistency (``graph.consistency``: HermiT over an N-Triples copy in a fresh ``World``), the QC
queries (``shapes/qc/*-violation.rq``) and the ontology's metadata (title, licence, version,
a label and definition on every term). ``validate(dataset, root)`` returns an ``Outcome``
whose ``human()`` names the curation file, the claim or fact, the shape and the fix, and whose
``report_graph`` is the sh:ValidationReport.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, NamespaceManager, split_uri

from .consistency import consistency
from .dump import from_ox, sorted_quads
from .errors import ConfigError
from .namespaces import ID, ONTOLOGY, PARLEY, VANN, bind_prefixes
from .shacl_sparql import add_sparql_results

log = logging.getLogger(__name__)

SHAPES_FILE = "parley.ttl"
ONTOLOGY_METADATA = (
    (DCTERMS.title, "dcterms:title"),
    (DCTERMS.description, "dcterms:description"),
    (DCTERMS.license, "dcterms:license"),
    (DCTERMS.creator, "dcterms:creator"),
    (DCTERMS.created, "dcterms:created"),
    (DCTERMS.modified, "dcterms:modified"),
    (OWL.versionIRI, "owl:versionIRI"),
    (OWL.versionInfo, "owl:versionInfo"),
    (VANN.preferredNamespacePrefix, "vann:preferredNamespacePrefix"),
    (VANN.preferredNamespaceUri, "vann:preferredNamespaceUri"),
)


@dataclass
class Problem:
    """One thing wrong, said so that a curator can fix it."""

    check: str  # shacl, reasoner, qc, metadata
    where: str  # curation file and entry, or ontology term
    message: str
    hint: str = ""
    shape: str = ""

    def line(self) -> str:
        text = f"[{self.check}] {self.where}: {self.message}"
        if self.shape:
            text += f" (shape {self.shape})"
        if self.hint:
            text += f"; fix: {self.hint}"
        return text


@dataclass
class Outcome:
    conforms: bool
    report_graph: Graph
    problems: list[Problem] = field(default_factory=list)
    reasoner: str = "not run"
    checks: dict[str, str] = field(default_factory=dict)

    def human(self) -> str:
        lines = [f"{name}: {status}" for name, status in self.checks.items()]
        lines += [p.line() for p in self.problems]
        lines.append("valid" if self.conforms else f"INVALID: {len(self.problems)} problem(s)")
        return "\n".join(lines)

    def report_turtle(self) -> str:
        return self.report_graph.serialize(format="turtle")


class LeanNamespaceManager(NamespaceManager):
    """rdflib's NamespaceManager, except that ``normalizeUri`` does not file every IRI's namespace in its trie.

    pyshacl writes the message of every result, the passing branches of ``sh:or`` included, with
    ``n3()``, which calls ``normalizeUri``; that files each new namespace in a prefix trie by a
    linear scan of the trie's level, which is quadratic in the number of namespaces, and a build
    has one per claim and piece of evidence (``claim/000-key#``): minutes at a million triples.
    The trie only serves ``compute_qname``'s search for a longer namespace that an IRI starts
    with, and the namespace split off an IRI is never longer than one split off another IRI that
    it starts with, so leaving those out changes no result; a namespace with a bound prefix goes
    through rdflib's own ``normalizeUri`` as before (``bind`` files the bound ones).
    """

    def normalizeUri(self, rdfTerm: str) -> str:  # noqa: N802, N803 - rdflib's names
        try:
            namespace, _name = split_uri(rdfTerm)
        except ValueError:
            return super().normalizeUri(rdfTerm)
        if self.store.prefix(URIRef(str(namespace))) is not None:
            return super().normalizeUri(rdfTerm)
        return f"?{rdfTerm}" if isinstance(rdfTerm, Variable) else f"<{rdfTerm}>"


def union_graph(dataset: Dataset) -> Graph:
    """Return one Graph holding the triples of every graph of the dataset."""
    union = Graph()
    union.namespace_manager = LeanNamespaceManager(union, bind_namespaces="rdflib")
    bind_prefixes(union)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def load_shapes(shapes_dir: Path) -> Graph:
    path = shapes_dir / SHAPES_FILE
    if not path.is_file():
        raise ConfigError(f"{path}: shapes file missing", hint="restore shapes/parley.ttl from git")
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types on bad Turtle
        raise ConfigError(f"{path}: not valid Turtle: {exc}", hint="fix the syntax error it names") from None
    return graph


def validate(
    dataset: Dataset | None,
    root: Path,
    *,
    reasoner: bool = True,
    store: ox.Store | None = None,
    quads: list[ox.Quad] | None = None,
    cache_dir: Path | None = None,
) -> Outcome:
    """Run every check over the dataset; return the outcome (never raises for invalid data).

    Every check reads the dataset's ``quads`` (``sorted_quads``) or the pyoxigraph ``store`` of
    them (each made here when the caller has none; a caller that passes both may pass no
    ``dataset``): SHACL in units of bounded size
    (``graph.shacl_units``, from the quads: the store turns derived integer types into
    ``xsd:integer``), the SHACL-SPARQL constraints, the QC queries and the metadata as SPARQL
    over the store, the reasoner over an N-Triples copy written from the quads; no rdflib union
    of every graph is made. With a ``cache_dir`` (``graph.build_cache``), the SHACL units that
    passed before over the same triples are not validated again.
    """
    locator = Locator(root)
    problems: list[Problem] = []
    checks: dict[str, str] = {}
    if quads is None:
        quads = sorted_quads(dataset)
    if store is None:
        store = ox.Store()
        store.extend(quads)
    cache = None
    if cache_dir is not None:
        from .build_cache import UnitCache

        cache = UnitCache.for_shapes(cache_dir, root / "shapes" / SHAPES_FILE)
    report_graph, shacl_problems = _shacl(quads, store, load_shapes(root / "shapes"), locator, cache)
    problems += shacl_problems
    checks["SHACL"] = "conforms" if not shacl_problems else f"{len(shacl_problems)} violation(s)"

    qc_problems = _qc(dataset, store, root / "shapes" / "qc", locator)
    problems += qc_problems
    checks["QC queries"] = "no rows" if not qc_problems else f"{len(qc_problems)} row(s)"

    meta_problems = _metadata(metadata_graph(store))
    problems += meta_problems
    checks["ontology metadata"] = "complete" if not meta_problems else f"{len(meta_problems)} gap(s)"

    reasoner_status = "skipped (--no-reasoner)"
    if reasoner:
        consistent, reasoner_status = consistency(quads)
        if not consistent:
            problems.append(
                Problem(
                    "reasoner",
                    "dataset",
                    reasoner_status,
                    "look for a resource typed with disjoint classes or a functional property with two values",
                )
            )
    checks["OWL consistency (HermiT)"] = reasoner_status
    return Outcome(
        conforms=not problems, report_graph=report_graph, problems=problems, reasoner=reasoner_status, checks=checks
    )


def core_shapes(shapes: Graph) -> Graph:
    """Return the shapes without their ``sh:sparql`` constraints (``add_sparql_results`` runs those)."""
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


def _prefixed() -> Graph:
    graph = Graph()
    graph.namespace_manager = LeanNamespaceManager(graph, bind_namespaces="rdflib")
    bind_prefixes(graph)
    return graph


def _shacl(
    quads: list[ox.Quad], store: ox.Store, shapes: Graph, locator: Locator, cache=None
) -> tuple[Graph, list[Problem]]:
    # pyshacl-turbo, not pySHACL: the same report on the Core shapes, 8x faster (bench/shacl_compare.py)
    from pyshacl_turbo import compile_shapes

    from .shacl_units import validate_units

    core = core_shapes(shapes)
    program = compile_shapes(core, advanced=True)
    names = _prefixed()
    report_graph = validate_units(
        quads, core, lambda data, focus: program.validate(data, allow_warnings=True, focus_nodes=focus)[1], cache=cache
    )
    add_sparql_results(report_graph, store, shapes)
    problems = []
    for result in sorted(
        report_graph.subjects(RDF.type, SH.ValidationResult), key=lambda r: str(report_graph.value(r, SH.focusNode))
    ):
        severity = report_graph.value(result, SH.resultSeverity)
        if severity != SH.Violation:
            continue
        focus = report_graph.value(result, SH.focusNode)
        path = report_graph.value(result, SH.resultPath)
        message = report_graph.value(result, SH.resultMessage)
        shape = report_graph.value(result, SH.sourceShape)
        where = locator.locate(focus)
        if path is not None and not isinstance(path, BNode):
            where += f", property {names.namespace_manager.normalizeUri(path)}"
        shape_name = _short(shape, names)
        constraint = report_graph.value(result, SH.sourceConstraint)
        if isinstance(constraint, URIRef):
            shape_name += f", constraint {_short(constraint, names)}"
        problems.append(Problem("shacl", where, str(message or "constraint violated"), shape=shape_name))
    bind_prefixes(report_graph)
    return report_graph, problems


_METADATA_QUERY = """
SELECT ?s ?p ?o ?ontology ?ns WHERE {
  { ?s ?p ?o FILTER (?s = ?ontology || STRSTARTS(STR(?s), ?ns)) } UNION { ?s a skos:Concept ; ?p ?o }
}"""


def metadata_graph(store: ox.Store) -> Graph:
    """Return what ``_metadata`` reads: every triple of the ontology, of a ``parley:`` term or of a
    SKOS concept, in any graph."""
    graph = Graph()
    solutions = store.query(
        _METADATA_QUERY,
        prefixes={"skos": str(SKOS)},
        use_default_graph_as_union=True,
        substitutions={
            ox.Variable("ontology"): ox.NamedNode(str(ONTOLOGY)),
            ox.Variable("ns"): ox.Literal(str(PARLEY)),
        },
    )
    for row in solutions:
        graph.add((from_ox(row["s"]), from_ox(row["p"]), from_ox(row["o"])))
    return graph


def _qc(dataset: Dataset | None, store: ox.Store, qc_dir: Path, locator: Locator) -> list[Problem]:
    if not qc_dir.is_dir():
        return []
    from .qc import run_qc

    problems = []
    for result in run_qc(dataset, qc_dir, store=store):
        for row in result.rows:
            focus = row.get("focus") if isinstance(row, dict) else None
            where = locator.locate(focus) if focus is not None else result.name
            message = result.message
            if row.get("otherClaim") is not None:  # a check between two claims names the second too
                message += f" (with {locator.locate(row['otherClaim'])})"
            problems.append(Problem("qc", where, message, result.hint, shape=result.name))
    return problems


def _metadata(union: Graph) -> list[Problem]:
    problems = []
    for prop, name in ONTOLOGY_METADATA:
        if union.value(ONTOLOGY, prop) is None:
            problems.append(
                Problem("metadata", "ontology/parley.ttl", f"the ontology has no {name}", f"add {name} to <{ONTOLOGY}>")
            )
    ns = str(PARLEY)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for kind in kinds:
        for term in sorted(set(union.subjects(RDF.type, kind))):
            if not isinstance(term, URIRef) or not str(term).startswith(ns):
                continue
            for prop, name in ((RDFS.label, "rdfs:label"), (SKOS.definition, "skos:definition")):
                if not any(isinstance(v, Literal) and v.language == "en" for v in union.objects(term, prop)):
                    problems.append(
                        Problem(
                            "metadata",
                            f"ontology/parley.ttl, parley:{str(term)[len(ns) :]}",
                            f"no English {name}",
                            f'add {name} "..."@en',
                        )
                    )
    for concept in sorted(set(union.subjects(RDF.type, SKOS.Concept))):
        for prop, name in ((SKOS.prefLabel, "skos:prefLabel"), (SKOS.definition, "skos:definition")):
            if not any(isinstance(v, Literal) and v.language == "en" for v in union.objects(concept, prop)):
                problems.append(
                    Problem(
                        "metadata", f"ontology/codelists.ttl, <{concept}>", f"no English {name}", f'add {name} "..."@en'
                    )
                )
    return problems


def _short(term, graph: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "(anonymous shape)"
    return graph.namespace_manager.normalizeUri(term)


class Locator:
    """Say where in the sources a resource comes from: curation file and entry."""

    _PATTERN = re.compile(r"^(claim|attestation|evidence)/(\d{3})-([a-z0-9-]+?)(?:#.*)?$")

    def __init__(self, root: Path):
        self.files = {p.name[:3]: f"curation/{p.name}" for p in sorted((root / "curation").glob("*.yaml"))}

    def locate(self, node) -> str:
        if node is None:
            return "dataset"
        text = str(node)
        if not text.startswith(str(ID)):
            return f"<{text}>"
        local = text[len(str(ID)) :]
        match = self._PATTERN.match(local)
        if match:
            kind, number, key = match.groups()
            entry = {"claim": "claim", "attestation": "fact", "evidence": "quote of"}[kind]
            return f"{self.files.get(number, 'curation/' + number)}: {entry} '{key}'"
        if local.startswith("article/"):
            return f"corpus/{local[len('article/') :].replace('-', '_', 1)}.txt"
        return f"entity '{local}' (its entities/facts entries in curation/)"
