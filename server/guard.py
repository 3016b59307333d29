"""What the public SPARQL endpoint refuses, decided before a query runs.

``inspect(query)`` returns the query's form, whether it calls ``SERVICE`` and whether it names
its own dataset (``FROM`` / ``FROM NAMED``). Two independent readings are combined so that one
parser's blind spot cannot let a federated call through: rdflib's SPARQL parser (its parse tree
is searched for ``ServiceGraphPattern``) and a lexer that skips strings, IRIs and comments and
looks for the keyword. ``check(query)`` raises ``QueryRefused`` for a ``SERVICE`` call or an
update (``INSERT``, ``LOAD``, ``CLEAR`` ...), which a read-only endpoint never runs.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from graph.errors import QueryRefused

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_VERBS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                          "ADD", "WITH"})
_PROLOGUE = frozenset({"PREFIX", "BASE", "VERSION"})

# Lexemes that can hide a keyword (strings, IRIs, comments, language tags, prefixed names) are
# matched first and dropped; what remains are keywords and punctuation.
_LEXEME = re.compile(r'''
      (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<var>[?$]\w+)
    | (?P<pname>[\w.\-]*:[\w.:%\-]*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<other>\S)
''', re.VERBOSE | re.DOTALL)

# rdflib's parser is not thread-safe; the endpoint calls it from single-threaded query
# processes, and this lock keeps in-process callers (tests, tools) safe too.
_PARSER_LOCK = threading.Lock()


@dataclass(frozen=True)
class QueryShape:
    """What the endpoint needs to know about a query before running it."""

    form: str | None          # SELECT, ASK, CONSTRUCT, DESCRIBE, or None if not a query
    uses_service: bool
    has_dataset_clause: bool  # FROM or FROM NAMED in the query text
    is_update: bool


def keywords(query: str) -> list[str]:
    """Return the query's keywords, upper-cased, outside strings, IRIs, comments and names."""
    return [m.group("word").upper() for m in _LEXEME.finditer(query) if m.lastgroup == "word"]


def _lexical_shape(query: str) -> QueryShape:
    words = keywords(query)
    first = next((w for w in words if w not in _PROLOGUE), None)
    return QueryShape(form=first if first in FORMS else None,
                      uses_service="SERVICE" in words,
                      has_dataset_clause="FROM" in words,
                      is_update=first in UPDATE_VERBS)


def _names(node):
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            yield from _names(value)


def _parsed_shape(query: str) -> QueryShape | None:
    """Return the shape from rdflib's parse tree, or None when rdflib cannot parse the text."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSER_LOCK:
        try:
            tree = parseQuery(query)
        except ParseBaseException:
            tree = None
        except RecursionError:
            return None
        if tree is None:
            try:
                parseUpdate(query)
            except (ParseBaseException, RecursionError):
                return None
            return QueryShape(form=None, uses_service=False, has_dataset_clause=False, is_update=True)
    names = set(_names(tree))
    form = tree[1].name.removesuffix("Query").upper()
    return QueryShape(form=form if form in FORMS else None,
                      uses_service="ServiceGraphPattern" in names,
                      has_dataset_clause="DatasetClause" in names,
                      is_update=False)


def warm_up() -> None:
    """Import rdflib's SPARQL parser now (a query process does this before its first job)."""
    _parsed_shape("ASK {}")


def inspect(query: str) -> QueryShape:
    """Return the query's shape; refusal-relevant flags are the union of both readings."""
    lexical = _lexical_shape(query)
    parsed = _parsed_shape(query)
    if parsed is None:
        return lexical
    return QueryShape(form=parsed.form or lexical.form,
                      uses_service=parsed.uses_service or lexical.uses_service,
                      has_dataset_clause=parsed.has_dataset_clause or lexical.has_dataset_clause,
                      is_update=parsed.is_update or lexical.is_update)


def check(query: str) -> QueryShape:
    """Return the query's shape, or raise QueryRefused for an update or a SERVICE call."""
    shape = inspect(query)
    if shape.is_update:
        raise QueryRefused("this SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR, "
                           "CREATE, DROP ...) are refused",
                           hint="download a dump from /dumps/ and load it into a store of your own")
    if shape.uses_service:
        raise QueryRefused("SERVICE (federated query) is refused: this endpoint makes no outbound "
                           "connections",
                           hint="run the federated part on your own SPARQL engine, with this "
                                "endpoint as one of its services")
    return shape
