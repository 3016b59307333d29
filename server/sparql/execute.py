"""Running one SPARQL query, as a pure function: ``execute(store, job) -> Answer``.

``execute`` is what a query process does with each job, what the server worker does with a job
of a bounded shape (``bounded``), and what a test can call in-process: it
refuses what the guard refuses, negotiates the result format from the representations table
(``RESULTS`` for SELECT and ASK, ``GRAPH_RESULTS`` for CONSTRUCT and DESCRIBE; a ``format``
parameter wins over Accept), runs the query through the ``Store`` interface and serializes the
whole body, counting rows (or triples) against ``max_rows`` while it reads them, so a client
never gets a truncated body (under an outermost ``LIMIT`` within ``max_rows`` nothing needs
counting, and pyoxigraph's serializers write the answer). It raises the server's ParleyErrors (``BadQuery``,
``QueryRefused``, ``NotAcceptable``); a query process sends them back whole. ``Job`` and
``Answer`` are plain picklable values.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..data.store import Store
from ..http import conneg
from ..http.representations import GRAPH_RESULTS, RESULTS, SPARQL_JSON, Representation, by_key
from ..problems import BadQuery, NotAcceptable, QueryRefused
from . import bounded, guard
from .prefixes import plain_prefixes

log = logging.getLogger(__name__)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_DATASET_FORMATS = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)
_LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)  # no prefixes to write


@dataclass(frozen=True)
class Job:
    """One client query with what its answer depends on (the Protocol dataset, Accept, caps)."""

    query: str
    max_rows: int
    default_graphs: tuple[str, ...] | None = None  # both None: the query's FROM, else the union
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    accept: str | None = None
    format: str | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """A fully serialized result: the representation's key (``json``, ``ttl`` ...) and the body."""

    key: str
    body: bytes

    @property
    def representation(self) -> Representation:
        rep = by_key(self.key, (*RESULTS, *GRAPH_RESULTS))
        assert rep is not None, self.key
        return rep


def offered_for(form: str) -> tuple[Representation, ...]:
    """Return the representations offered for a query form, the default first."""
    return RESULTS if form in ("SELECT", "ASK") else GRAPH_RESULTS


def choose(form: str, accept: str | None, format_param: str | None) -> Representation:
    """Return the representation of a ``form`` result the request asks for; NotAcceptable if none."""
    offered = offered_for(form)
    rep = _negotiated(accept, format_param, offered)
    if rep is not None:
        return rep
    what = f"{form} results"
    if format_param:
        names = ", ".join(f"{r.key} ({r.media_type})" for r in offered)
        raise NotAcceptable(
            f"format={format_param!r} names no representation of {what}; offered: {names}",
            hint="give format one of the names offered, or leave it out and send Accept",
        )
    raise NotAcceptable.offering(offered, what)


@functools.lru_cache(maxsize=512)
def _negotiated(accept: str | None, format_param: str | None, offered: tuple[Representation, ...]):
    # clients send a handful of Accept headers: each is parsed once
    return conneg.choose(accept, format_param, offered)


def _term_json(term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction is not None:
                out["its:dir"] = str(direction).rsplit(".", 1)[-1].lower()
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _too_many(max_rows: int, what: str) -> QueryRefused:
    return QueryRefused(
        f"the query returns more than max_rows={max_rows} {what}",
        hint="add LIMIT (or narrow the query); whole-graph copies are in /dumps/",
    )


_encode = json.encoder.encode_basestring  # type: ignore[attr-defined]  # C: JSON string, not ASCII-only


def _term_text(term) -> str:
    """Return ``_term_json(term)`` as ``json.dumps`` writes it compactly (the same bytes, faster)."""
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _encode(term.value) + "}"
    if isinstance(term, ox.Literal) and not term.language:
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return '{"type":"literal","value":' + _encode(term.value) + "}"
        return '{"type":"literal","value":' + _encode(term.value) + ',"datatype":' + _encode(datatype) + "}"
    return json.dumps(_term_json(term), ensure_ascii=False, separators=(",", ":"))


def _select_body(solutions: ox.QuerySolutions, rep: Representation, max_rows: int, bound: int | None) -> bytes:
    if bound is not None and bound <= max_rows:  # LIMIT keeps it under the cap: no count needed
        return solutions.serialize(format=rep.results_format)
    variables = list(solutions.variables)
    names = [v.value for v in variables]
    keys = [_encode(name) + ":" for name in names]
    columns = list(zip(variables, keys, strict=True))
    texts: dict[Any, str] = {}  # a term's JSON, made once per answer (predicates repeat)
    rows: list[str] = []
    for solution in solutions:
        if len(rows) >= max_rows:
            del solution, solutions  # not kept by the refusal's traceback (see execute)
            raise _too_many(max_rows, "rows")
        cells = []
        for variable, key in columns:
            value = solution[variable]
            if value is not None:
                text = texts.get(value)
                if text is None:
                    text = texts[value] = _term_text(value)
                cells.append(key + text)
        rows.append("{" + ",".join(cells) + "}")
    head = json.dumps({"vars": names}, ensure_ascii=False, separators=(",", ":"))
    body = ('{"head":' + head + ',"results":{"bindings":[' + ",".join(rows) + "]}}").encode("utf-8")
    if rep is SPARQL_JSON:
        return body
    # Counting needs the rows in hand; pyoxigraph then writes the other formats from them.
    reread = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return reread.serialize(format=rep.results_format)


def _graph_body(triples: ox.QueryTriples, rep: Representation, max_rows: int, prefixes: Mapping[str, str]) -> bytes:
    collected = []
    for triple in triples:
        if len(collected) >= max_rows:
            del triples  # not kept by the refusal's traceback (see execute)
            raise _too_many(max_rows, "triples")
        collected.append(triple)
    fmt = rep.rdf_format
    items: Sequence = collected
    if fmt in _DATASET_FORMATS:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in collected]
    if fmt in _LINE_FORMATS:
        return ox.serialize(items, format=fmt)
    # Turtle and TriG read well: one block per subject (sorted), only the prefixes used, and
    # none that would need an escaped "/" in a prefixed name (those IRIs are written in full)
    items = sorted(items, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(items, format=fmt, prefixes=plain_prefixes(collected, dict(prefixes)))


def _run(store: Store, job: Job, shape: guard.QueryShape, text: str):
    """Return ``store.query`` of ``text`` over the job's dataset; a syntax error is a BadQuery."""
    try:
        return store.query(
            text,
            default_graphs=job.default_graphs,
            named_graphs=job.named_graphs,
            union_default_graph=not shape.has_dataset_clause,
            base_iri=job.base_iri,
            prefixes=job.prefixes,
        )
    except SyntaxError as exc:
        raise BadQuery(f"SPARQL syntax error: {exc}", hint="fix the query text at the position given") from None


def _capped_by_engine(shape: guard.QueryShape, job: Job) -> bool:
    """Whether the answer can be pyoxigraph's own SPARQL JSON under an appended ``LIMIT``: a
    SELECT of a bounded shape with no LIMIT of its own, asked for in SPARQL JSON."""
    if shape.form != "SELECT" or not bounded.admits(shape) or bounded.row_bound(shape) is not None:
        return False
    try:
        return choose("SELECT", job.accept, job.format) is SPARQL_JSON
    except NotAcceptable:
        return False


def _capped_select(store: Store, job: Job, shape: guard.QueryShape) -> Answer:
    """Answer a bounded SELECT (``_capped_by_engine``) with one row more than the cap asked of
    the engine, written by pyoxigraph and counted by reading the JSON back (C, not a loop over
    solutions): the same bytes as ``_select_body``, in a third of its time for a point lookup.
    The shape has one triple pattern and nothing after it but the LIMIT, so appending one
    keeps its meaning."""
    result = _run(store, job, shape, job.query + f"\nLIMIT {job.max_rows + 1}")
    try:
        body = result.serialize(format=SPARQL_JSON.results_format)
    finally:
        del result  # freed on this thread (see execute)
    if len(json.loads(body)["results"]["bindings"]) > job.max_rows:
        raise _too_many(job.max_rows, "rows")
    return Answer(SPARQL_JSON.key, body)


def execute(store: Store, job: Job, shape: guard.QueryShape | None = None) -> Answer:
    """Run ``job`` on ``store`` and return its serialized answer.

    ``shape`` is ``guard.check(job.query)`` when the caller has it already (the server worker).

    Raises QueryRefused (an update, SERVICE, more than ``max_rows`` results), BadQuery (a syntax
    error, with the parser's line and column, or a query over the guard's bounds) and
    NotAcceptable (no offered format suits Accept or ``format``). Anything else is a bug.
    """
    if shape is None:
        shape = guard.check(job.query)  # refuses updates and SERVICE before anything runs
    if _capped_by_engine(shape, job):
        return _capped_select(store, job, shape)
    result = _run(store, job, shape, job.query)
    # Solutions and triples are evaluated lazily, as they are read: a 406 costs no evaluation.
    try:
        if isinstance(result, ox.QueryBoolean):
            rep = choose("ASK", job.accept, job.format)
            return Answer(rep.key, result.serialize(format=rep.results_format))
        if isinstance(result, ox.QuerySolutions):
            rep = choose("SELECT", job.accept, job.format)
            return Answer(rep.key, _select_body(result, rep, job.max_rows, bounded.row_bound(shape)))
        rep = choose("CONSTRUCT", job.accept, job.format)
        return Answer(rep.key, _graph_body(result, rep, job.max_rows, job.prefixes))
    finally:
        # pyoxigraph's results must be freed on the thread that made them: never leave one in a
        # frame that a refusal's traceback keeps, to be collected later on another thread
        del result


class InThread:
    """What the endpoint uses in place of a query pool for a remote store: runs a job here."""

    def __init__(self, store: Store):
        self._store = store

    def run(self, job, timeout_s: float):
        return execute(self._store, job)

    def probe(self, timeout_s: float = 10.0) -> dict[str, Any]:
        return {"pid": None, "network_isolated": False}

    def pids(self) -> list[int]:
        return []

    def close(self) -> None:
        pass
