"""Which queries are bounded by the row cap, so the server worker may run them itself.

A query process costs two process hops and pickling per request, which is most of a point
lookup's cost; it is there only so that a time limit can stop a query pyoxigraph cannot
interrupt. ``admits(shape)`` recognizes, over the guard's tokens, the few query shapes whose
work cannot outgrow their answer, and only those; everything else goes to the killable query
processes as before. Admitted (keywords in any case; ``.`` after a pattern allowed):

- a prologue of ``PREFIX p: <iri>`` and ``BASE <iri>`` only;
- ``SELECT ?v ... | *``, ``ASK``, ``CONSTRUCT WHERE``, ``CONSTRUCT { T } WHERE`` with the
  template ``T`` the same triple as the pattern, or ``DESCRIBE <iri>`` with no WHERE;
- a WHERE of exactly one triple pattern, alone or as ``GRAPH ?g | <g> { pattern }``, whose
  subject or object is a constant (an IRI, a prefixed name, a literal) and whose variables are
  all different (the graph's too), with no blank nodes, paths, FILTER, OPTIONAL, BIND, VALUES,
  sub-queries, FROM, DISTINCT, ORDER BY, GROUP BY or OFFSET; then ``LIMIT n`` at most.

Why none of these can run long: one triple pattern with distinct variables is one range scan
of one of pyoxigraph's indexes, keyed by the constant, and every quad the scan reads matches
the pattern (no variable is compared with another, no filter drops a row, nothing is joined),
so each step of the scan is a solution. Solutions are produced lazily and ``execute`` counts
them while it reads, refusing at ``max_rows``: the scan stops within ``max_rows + 1`` steps
(times the number of graphs a triple is repeated in, where the default graph is their union;
with a Protocol dataset, one index seek more per graph named, and a request names at most
``request.MAX_PARAMETERS``).
ASK stops at the first solution, LIMIT earlier, CONSTRUCT makes one triple per solution, and
DESCRIBE of one IRI reads that subject's triples and those of the blank nodes they reach, each
step again an output triple. No OFFSET, DISTINCT or aggregate reads rows it does not return.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .guard import QueryShape, Token

_PNAME = re.compile(r"[A-Za-z][\w\-]*:[A-Za-z0-9_][\w\-]*|:[A-Za-z0-9_][\w\-]*|[A-Za-z][\w\-]*:")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_INTEGER = re.compile(r"\d{1,9}")
_PREFIX_DECL = re.compile(r"(?:[A-Za-z][\w\-]*)?:")


class _Reader:
    """A cursor over tokens; every method returns None or False when the shape does not fit."""

    def __init__(self, tokens: Sequence[Token]):
        self.tokens = tokens
        self.at = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "name" and token.text.upper() in words:
            self.at += 1
            return token.text.upper()
        return None

    def punct(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.text == text and token.kind in ("open", "close", "other", "name"):
            self.at += 1
            return True
        return False

    def take(self, kind: str) -> Token | None:
        token = self.peek()
        if token is not None and token.kind == kind:
            self.at += 1
            return token
        return None

    def done(self) -> bool:
        return self.at == len(self.tokens)


def _iri(r: _Reader) -> str | None:
    """An IRI or a prefixed name."""
    token = r.peek()
    if token is None:
        return None
    if token.kind == "iri" or (token.kind == "name" and _PNAME.fullmatch(token.text)):
        r.at += 1
        return token.text
    return None


def _literal(r: _Reader) -> str | None:
    token = r.peek()
    if token is None:
        return None
    if token.kind == "name" and (_NUMBER.fullmatch(token.text) or token.text in ("true", "false")):
        r.at += 1
        return token.text
    if token.kind != "string":
        return None
    r.at += 1
    text = token.text
    tag = r.take("langtag")
    if tag is not None:
        return text + tag.text
    if r.punct("^"):
        if not r.punct("^"):
            return None
        datatype = _iri(r)
        return None if datatype is None else text + "^^" + datatype
    return text


def _triple(r: _Reader) -> tuple[list[str], list[str]] | None:
    """One triple pattern: its three terms' texts and its variables; None if not admitted."""
    terms: list[str] = []
    variables: list[str] = []
    constant_end = False
    for position in ("subject", "predicate", "object"):
        var = r.take("var")
        if var is not None:
            terms.append(var.text)
            variables.append(var.text[1:])
            continue
        if position == "predicate" and r.keyword("A") and r.tokens[r.at - 1].text == "a":
            terms.append("a")
            continue
        value = _iri(r) if position != "object" else (_iri(r) or _literal(r))
        if value is None:
            return None
        terms.append(value)
        constant_end = constant_end or position != "predicate"
    if not constant_end:
        return None
    return terms, variables


def _pattern(r: _Reader) -> tuple[list[str], list[str]] | None:
    """``{ triple [.] }`` or ``{ GRAPH g { triple [.] } [.] }``: the triple's terms and all variables."""
    if not r.punct("{"):
        return None
    graph_vars: list[str] = []
    graph = r.keyword("GRAPH")
    if graph:
        var = r.take("var")
        if var is not None:
            graph_vars.append(var.text[1:])
        elif _iri(r) is None:
            return None
        if not r.punct("{"):
            return None
    found = _triple(r)
    if found is None:
        return None
    r.punct(".")
    if graph:
        if not r.punct("}"):
            return None
        r.punct(".")
    if not r.punct("}"):
        return None
    terms, variables = found
    variables = variables + graph_vars
    if len(set(variables)) != len(variables):
        return None
    return terms, variables


def _prologue(r: _Reader) -> bool:
    while True:
        if r.keyword("PREFIX"):
            name = r.take("name")
            if name is None or not _PREFIX_DECL.fullmatch(name.text) or r.take("iri") is None:
                return False
        elif r.keyword("BASE"):
            if r.take("iri") is None:
                return False
        else:
            return True


def _limit(r: _Reader) -> bool:
    if r.keyword("LIMIT"):
        count = r.take("name")
        if count is None or not _INTEGER.fullmatch(count.text):
            return False
    return r.done()


def _select(r: _Reader) -> bool:
    if not r.punct("*"):
        if r.take("var") is None:
            return False
        while r.take("var") is not None:
            pass
    r.keyword("WHERE")
    return _pattern(r) is not None and _limit(r)


def _construct(r: _Reader) -> bool:
    if r.keyword("WHERE"):
        return _pattern(r) is not None and _limit(r)
    if not r.punct("{"):
        return False
    template = _triple(r)
    r.punct(".")
    if template is None or not r.punct("}"):
        return False
    r.keyword("WHERE")
    found = _pattern(r)
    # the template is the pattern itself: one distinct, valid triple per solution
    return found is not None and found[0] == template[0] and _limit(r)


def admits(shape: QueryShape) -> bool:
    """Return whether the query is of a shape whose work the row cap bounds (see the module)."""
    if shape.tokens is None or shape.uses_service or shape.is_update or shape.has_dataset_clause:
        return False
    r = _Reader(shape.tokens)
    if not _prologue(r):
        return False
    form = r.keyword("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    if form == "SELECT":
        return _select(r)
    if form == "ASK":
        r.keyword("WHERE")
        return _pattern(r) is not None and r.done()
    if form == "CONSTRUCT":
        return _construct(r)
    if form == "DESCRIBE":
        return _iri(r) is not None and r.done()
    return False


def row_bound(shape: QueryShape) -> int | None:
    """Return n when the query ends in ``LIMIT n`` (or ``LIMIT n OFFSET m``) outside all brackets.

    A SELECT's solutions are then at most n, so a serializer may write them without counting.
    None when there is no such LIMIT, or the text holds codepoint escapes (no tokens).
    """
    tokens = shape.tokens
    if not tokens:
        return None
    end = len(tokens)
    if end >= 4 and tokens[-2].text.upper() == "OFFSET" and _INTEGER.fullmatch(tokens[-1].text):
        end -= 2
    if end < 2 or tokens[end - 2].text.upper() != "LIMIT" or not _INTEGER.fullmatch(tokens[end - 1].text):
        return None
    depth = 0
    for token in tokens[: end - 2]:
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
    return int(tokens[end - 1].text) if depth == 0 else None
