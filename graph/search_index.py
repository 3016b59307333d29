"""The build's search index: one SQLite file (``search.sqlite``) with an FTS5 table over every
label, variant label (``skos:altLabel``) and quoted passage of the dataset.

``write_search_index(QuadSource(quads), path)`` is called by ``parley build`` over its sorted
quads (an rdflib Dataset serves as well), into its temporary directory, so the index swaps in
with the store it describes. Each row names the resource a hit leads to (``target``: the labelled thing, the claim a quote supports, or the subject of an
attestation), what kind of text it is (``label``, ``altLabel``, ``quote`` for a claim's
passage, ``mention`` for an attestation's) and the target's types. The FTS5 table uses the trigram tokenizer, so a query matches any substring (a prefix
such as "medinsk") and, asked as trigrams joined by OR, tolerates a misspelt letter ("Rustam");
``server.data.search`` ranks the candidates. ``classes`` keeps the ontology's classes with their
labels (the reconciliation service's types).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .dump import file_sha256, from_ox
from .errors import ConfigError
from .namespaces import PARLEY

OA = "http://www.w3.org/ns/oa#"
SEARCH_INDEX = "search.sqlite"
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE resources (iri TEXT PRIMARY KEY, label TEXT NOT NULL, types TEXT NOT NULL);
CREATE TABLE classes (iri TEXT PRIMARY KEY, label TEXT NOT NULL, instances INTEGER NOT NULL);
CREATE VIRTUAL TABLE entries USING fts5(text, target UNINDEXED, kind UNINDEXED, tokenize = 'trigram');
"""

_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title)


def _english(value) -> bool:
    return isinstance(value, Literal) and (value.language is None or value.language.lower().startswith("en"))


def _rows(dataset: Dataset | QuadSource) -> tuple[dict[str, str], dict[str, set[str]], list[tuple[str, str, str]]]:
    labels: dict[str, str] = {}
    types: dict[str, set[str]] = {}
    entries: set[tuple[str, str, str]] = set()
    for predicate in _LABELS:  # the best kind of label first, as the server's labels query ranks them
        for s, _p, o, _g in sorted(dataset.quads((None, predicate, None, None))):
            if isinstance(s, URIRef) and _english(o):
                labels.setdefault(str(s), str(o))
                entries.add((str(o), str(s), "label"))
    for s, _p, o, _g in dataset.quads((None, SKOS.altLabel, None, None)):
        if isinstance(s, URIRef) and _english(o):
            entries.add((str(o), str(s), "altLabel"))
    for s, _p, o, _g in dataset.quads((None, RDF.type, None, None)):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            types.setdefault(str(s), set()).add(str(o))
    # quotes: ?x parley:evidence ?ev . ?ev oa:hasSelector ?sel . ?sel oa:exact ?text
    selectors: dict = {}
    for sel, _p, text, _g in dataset.quads((None, URIRef(OA + "exact"), None, None)):
        selectors[sel] = str(text)
    evidence: dict = {}
    for ev, _p, sel, _g in dataset.quads((None, URIRef(OA + "hasSelector"), None, None)):
        if sel in selectors:
            evidence.setdefault(ev, set()).add(selectors[sel])
    subjects = {str(a): str(s) for a, _p, s, _g in dataset.quads((None, PARLEY.attestedSubject, None, None))}
    for x, _p, ev, _g in dataset.quads((None, PARLEY.evidence, None, None)):
        if isinstance(x, URIRef):
            target = subjects.get(str(x))  # an attestation's passage mentions its subject
            for text in evidence.get(ev, ()):
                entries.add((text, target, "mention") if target else (text, str(x), "quote"))
    return labels, types, sorted(entries)


class QuadSource:
    """The ``quads`` pattern reads of ``_rows`` over a build's pyoxigraph quads, as rdflib terms:
    the build writes the index after it has let its rdflib dataset go."""

    def __init__(self, quads: list[ox.Quad]):
        self.by_predicate: dict[str, list[ox.Quad]] = {}
        for quad in quads:
            self.by_predicate.setdefault(quad.predicate.value, []).append(quad)

    def quads(self, pattern):
        _s, predicate, obj, _g = pattern
        for quad in self.by_predicate.get(str(predicate), ()):
            o = from_ox(quad.object)
            if obj is None or o == obj:
                graph = quad.graph_name
                yield (
                    from_ox(quad.subject),
                    predicate,
                    o,
                    None if isinstance(graph, ox.DefaultGraph) else from_ox(graph),
                )


def write_search_index(dataset: Dataset | QuadSource, path: Path) -> dict:
    """Write the index of ``dataset`` (an rdflib Dataset, or a ``QuadSource``) to ``path``
    (replacing it); return what ``build.json`` records of it (entries, bytes, SHA-256), which
    ``parley serve`` checks before it starts."""
    path = Path(path)
    path.unlink(missing_ok=True)
    labels, types, entries = _rows(dataset)
    targets = {target for _text, target, _kind in entries}
    classes = {}
    for s, _p, _o, _g in dataset.quads((None, RDF.type, OWL.Class, None)):
        if isinstance(s, URIRef) and str(s) in labels:
            classes[str(s)] = sum(1 for members in types.values() if str(s) in members)
    db = sqlite3.connect(path)
    try:
        try:
            db.executescript(_SCHEMA)
        except sqlite3.OperationalError as exc:  # an SQLite built without FTS5 or its trigram tokenizer
            raise ConfigError(
                f"cannot write the search index {path}: SQLite {sqlite3.sqlite_version} says {exc}",
                hint="use a Python whose SQLite (3.34 or later) has FTS5, as the python.org and Debian builds do",
            ) from None
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        db.executemany(
            "INSERT INTO resources VALUES (?, ?, ?)",
            sorted((t, labels.get(t, t), " ".join(sorted(types.get(t, ())))) for t in targets),
        )
        db.executemany("INSERT INTO classes VALUES (?, ?, ?)", sorted((c, labels[c], n) for c, n in classes.items()))
        db.executemany("INSERT INTO entries (text, target, kind) VALUES (?, ?, ?)", entries)
        db.execute("INSERT INTO entries (entries) VALUES ('optimize')")
        db.commit()
    finally:
        db.close()
    return {"file": path.name, "entries": len(entries), "bytes": path.stat().st_size, "sha256": file_sha256(path)}
