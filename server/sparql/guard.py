"""What the public SPARQL endpoint refuses, decided before a query runs.

``check(query)`` reads the query twice, independently, so that one reading's blind spot cannot
let a federated call through: a lexer that skips strings, IRIs, comments and names and looks for
keywords, and rdflib's SPARQL parser (its parse tree is searched for ``ServiceGraphPattern``).
It raises ``QueryRefused`` for a ``SERVICE`` call or an update (``INSERT``, ``LOAD``, ``CLEAR``
...), which a read-only endpoint never runs. The lexer runs first, in time linear in the text,
and also bounds the query's size as the engines see it: brackets nested deeper than
``MAX_DEPTH`` or more than ``MAX_TERMS`` terms outside ``VALUES`` blocks are a ``BadQuery``
before either parser sees the text, because both parsers and pyoxigraph's evaluator recurse
once per level (20,000 nested groups overflow pyoxigraph's stack and kill its process).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from ..errors import BadQuery, QueryRefused

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_VERBS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
_PROLOGUE = frozenset({"PREFIX", "BASE", "VERSION"})

#: deepest nesting of ( [ { and << a query may have; hand-written queries stay under 20
MAX_DEPTH = 128
#: most terms (keywords, variables, IRIs, literals, operators) outside VALUES data blocks:
#: pyoxigraph recurses about once per element of a long chain (10,000 triple patterns or 3,000
#: BINDs overflow 8 MB), so this bounds its stack as MAX_DEPTH bounds the nesting; it also
#: keeps rdflib's parse (about 0.3 ms a term) well inside the time limit
MAX_TERMS = 10_000

# Lexemes that can hide a keyword (strings, IRIs, comments, language tags, names) are matched
# whole; what remains are keywords, brackets and punctuation. Every alternative is linear: a
# name is one maximal run of name characters (a keyword, a prefixed name, a blank node label or
# a number), so no text makes the lexer rescan what follows a position it has already passed.
_LEXEME = re.compile(
    r'''
      (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<var>[?$]\w+)
    | (?P<name>[\w.:%\-]+)
    | (?P<open><<\(?|[({\[])
    | (?P<close>\)?>>|[)}\]])
    | (?P<other>\S)
''',
    re.VERBOSE | re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z_]\w*")

# rdflib's parser is not thread-safe; the endpoint calls it from single-threaded query
# processes, and this lock keeps in-process callers (tests, tools) safe too.
_PARSER_LOCK = threading.Lock()


@dataclass(frozen=True)
class QueryShape:
    """What the endpoint needs to know about a query before running it."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None if not a query
    uses_service: bool
    has_dataset_clause: bool  # FROM or FROM NAMED in the query text
    is_update: bool


def _position(query: str, offset: int) -> str:
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def keywords(query: str) -> list[str]:
    """Return the query's keywords, upper-cased, outside strings, IRIs, comments and names.

    Raises BadQuery when the query nests deeper than ``MAX_DEPTH`` or has more than
    ``MAX_TERMS`` terms outside VALUES blocks.
    """
    words: list[str] = []
    depth = terms = 0
    values_pending = False
    values_depth: int | None = None  # depth of the VALUES data block being read, if any
    for match in _LEXEME.finditer(query):
        kind = match.lastgroup
        if kind == "comment":
            continue
        if values_depth is None:
            terms += 1
            if terms > MAX_TERMS:
                raise BadQuery(
                    f"the query has more than MAX_TERMS={MAX_TERMS} terms outside VALUES blocks "
                    f"(at {_position(query, match.start())})",
                    hint="put long lists of values in a VALUES block, or split the query",
                )
        if kind == "name":
            text = match.group()
            if ":" not in text:  # a prefixed name or blank node label holds no keyword
                words.extend(w.upper() for w in _WORD.findall(text))
                if words and words[-1] == "VALUES":
                    values_pending = True
        elif kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadQuery(
                    f"the query nests brackets more than MAX_DEPTH={MAX_DEPTH} deep "
                    f"(at {_position(query, match.start())})",
                    hint="flatten the query: nested groups, parentheses and lists can usually be written side by side",
                )
            if values_pending and match.group() == "{":
                values_pending, values_depth = False, depth
        elif kind == "close":
            if values_depth is not None and depth == values_depth and match.group() == "}":
                values_depth = None
            depth = max(0, depth - 1)
    return words


def _lexical_shape(query: str) -> QueryShape:
    words = keywords(query)
    first = next((w for w in words if w not in _PROLOGUE), None)
    return QueryShape(
        form=first if first in FORMS else None,
        uses_service="SERVICE" in words,
        has_dataset_clause="FROM" in words,
        is_update=first in UPDATE_VERBS,
    )


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
                update = parseUpdate(query)
            except (ParseBaseException, RecursionError):
                return None
            # An empty text (or a prologue alone) parses as an update of no operations: it is
            # no update, and pyoxigraph will say what is missing.
            return QueryShape(form=None, uses_service=False, has_dataset_clause=False, is_update="request" in update)
    try:
        names = set(_names(tree))
    except RecursionError:  # a tree deeper than Python's stack: the lexer's reading stands
        return None
    form = tree[1].name.removesuffix("Query").upper()
    return QueryShape(
        form=form if form in FORMS else None,
        uses_service="ServiceGraphPattern" in names,
        has_dataset_clause="DatasetClause" in names,
        is_update=False,
    )


def warm_up() -> None:
    """Import rdflib's SPARQL parser now (a query process does this before its first job)."""
    _parsed_shape("ASK {}")


def inspect(query: str) -> QueryShape:
    """Return the query's shape; refusal-relevant flags are the union of both readings.

    Raises BadQuery when the query is over the lexer's bounds (``MAX_DEPTH``, ``MAX_TERMS``).
    """
    lexical = _lexical_shape(query)  # first: it bounds what the parser is given
    parsed = _parsed_shape(query)
    if parsed is None:
        return lexical
    return QueryShape(
        form=parsed.form or lexical.form,
        uses_service=parsed.uses_service or lexical.uses_service,
        has_dataset_clause=parsed.has_dataset_clause or lexical.has_dataset_clause,
        is_update=parsed.is_update or lexical.is_update,
    )


def check(query: str) -> QueryShape:
    """Return the query's shape, or raise QueryRefused for an update or a SERVICE call.

    Raises BadQuery for a query over the lexer's bounds.
    """
    shape = inspect(query)
    if shape.is_update:
        raise QueryRefused(
            "this SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP ...) are refused",
            hint="download a dump from /dumps/ and load it into a store of your own",
        )
    if shape.uses_service:
        raise QueryRefused(
            "SERVICE (federated query) is refused: this endpoint makes no outbound connections",
            hint="run the federated part on your own SPARQL engine, with this endpoint as one of its services",
        )
    return shape
