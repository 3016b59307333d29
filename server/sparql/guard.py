"""What the public SPARQL endpoint refuses, decided before a query runs, in time linear in the text.

``check(query)`` reads the query with a lexer that matches strings, IRIs, comments, language
tags, variables and names whole, so that a word inside them is never taken for a keyword, and
looks at what remains: a ``SERVICE`` call or an update (``INSERT``, ``LOAD``, ``CLEAR`` ...) is
a ``QueryRefused``. SPARQL lets ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes stand for any character,
outside strings too (rdflib decodes them before parsing, pyoxigraph only inside strings), so a
text holding one is read twice, raw and decoded, and refused if either reading calls
``SERVICE``: an escaped keyword cannot pass whichever way an engine reads it. The lexer errs
towards refusing: a name is split at each ``.`` because an engine ends a prefixed name before a
trailing or leading dot (``ex:.SERVICE`` is ``ex:`` ``.`` ``SERVICE``). A differential fuzz
test (tests/sparql/test_guard_fuzz.py) holds it to rdflib's parse tree and to the SERVICE
calls pyoxigraph really makes. The lexer also bounds the query's size as the engines see it:
brackets nested deeper than ``MAX_DEPTH`` or more than ``MAX_TERMS`` terms outside ``VALUES``
blocks are a ``BadQuery``, because both parsers and pyoxigraph's evaluator recurse once per
level (20,000 nested groups overflow pyoxigraph's stack and kill its process). rdflib's parser
is kept off the hot path: it costs about 0.3 ms a term, and ``parsed_shape`` is there for
tests and tools only. The query processes' empty network namespace (``child``) stays the
second wall.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from ..problems import BadQuery, QueryRefused
from .lexer import FORMS, LEXEME

UPDATE_VERBS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
_PROLOGUE = frozenset({"PREFIX", "BASE", "VERSION"})

#: deepest nesting of ( [ { and << a query may have; hand-written queries stay under 20
MAX_DEPTH = 128
#: most terms (keywords, variables, IRIs, literals, operators) outside VALUES data blocks:
#: pyoxigraph recurses about once per element of a long chain (10,000 triple patterns or 3,000
#: BINDs overflow 8 MB), so this bounds its stack as MAX_DEPTH bounds the nesting; it also
#: keeps rdflib's parse (about 0.3 ms a term) well inside the time limit
MAX_TERMS = 10_000

_WORD = re.compile(r"[A-Za-z_]\w*")
#: a piece of a name, between dots, holding a colon; tried only where a piece starts, so linear
_PREFIXED_PIECE = re.compile(r"(?:^|(?<=\.))[^.:]*:[^.]*")

# rdflib's parser is not thread-safe; the endpoint calls it from single-threaded query
# processes, and this lock keeps in-process callers (tests, tools) safe too.
_PARSER_LOCK = threading.Lock()


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: rdflib's reading of the escapes: ``\u`` (either case) then 4 or 8 hex digits
_RDFLIB_ESCAPE = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    """One lexeme outside comments: its kind (a group of ``LEXEME``), text and offset."""

    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class QueryShape:
    """What the endpoint needs to know about a query before running it."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None if not a query
    uses_service: bool
    has_dataset_clause: bool  # FROM or FROM NAMED in the query text
    is_update: bool
    #: the raw text's tokens (comments left out) when it holds no codepoint escape, else None
    tokens: tuple[Token, ...] | None = None


def _position(query: str, offset: int) -> str:
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def tokens(query: str) -> list[Token]:
    """Return the query's tokens, comments left out, in one linear pass.

    Raises BadQuery when the query nests deeper than ``MAX_DEPTH`` or has more than
    ``MAX_TERMS`` terms outside VALUES blocks.
    """
    found: list[Token] = []
    depth = terms = 0
    values_pending = False
    values_depth: int | None = None  # depth of the VALUES data block being read, if any
    for match in LEXEME.finditer(query):
        kind = match.lastgroup
        if kind == "comment":
            continue
        text = match.group()
        if values_depth is None:
            terms += 1
            if terms > MAX_TERMS:
                raise BadQuery(
                    f"the query has more than MAX_TERMS={MAX_TERMS} terms outside VALUES blocks "
                    f"(at {_position(query, match.start())})",
                    hint="put long lists of values in a VALUES block, or split the query",
                )
        if kind == "name":
            if text[-6:].upper() == "VALUES" and _words(text)[-1:] == ["VALUES"]:
                values_pending = True
        elif kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadQuery(
                    f"the query nests brackets more than MAX_DEPTH={MAX_DEPTH} deep "
                    f"(at {_position(query, match.start())})",
                    hint="flatten the query: nested groups, parentheses and lists can usually be written side by side",
                )
            if values_pending and text == "{":
                values_pending, values_depth = False, depth
        elif kind == "close":
            if values_depth is not None and depth == values_depth and text == "}":
                values_depth = None
            depth = max(0, depth - 1)
        found.append(Token(kind, text, match.start()))  # type: ignore[arg-type]
    return found


def _words(name: str) -> list[str]:
    """Return the keywords a name-run may hold, upper-cased.

    A run is split at each ``.``: an engine ends a prefixed name before a dot that starts or
    ends its local part, so ``ex:.SERVICE`` is three tokens to it. A piece with a ``:`` is a
    prefixed name or blank node label and holds no keyword; in the others every word counts.
    ``check`` refuses a word that merely *holds* SERVICE: rdflib reads ``serviceSILENT`` as
    two keywords.
    """
    if ":" in name:
        name = _PREFIXED_PIECE.sub("", name)
    return [w.upper() for w in _WORD.findall(name)]


def keywords(query: str) -> list[str]:
    """Return the query's keywords, upper-cased, outside strings, IRIs, comments and names.

    Raises BadQuery when the query is over the lexer's bounds (see ``tokens``).
    """
    return [w for token in tokens(query) if token.kind == "name" for w in _words(token.text)]


def _decodings(query: str) -> list[str]:
    """Return the texts an engine may read once codepoint escapes are decoded (none if no escape)."""
    if "\\u" not in query and "\\U" not in query:
        return []

    def spec(match: re.Match) -> str:
        return _char(match.group(1) or match.group(2), match.group())

    def rdflib(match: re.Match) -> str:
        return _char(match.group(1), match.group())

    return [_ESCAPE.sub(spec, query), _RDFLIB_ESCAPE.sub(rdflib, query)]


def _char(digits: str, escape: str) -> str:
    code = int(digits, 16)
    if code > 0x10FFFF:
        return escape  # no character: an engine refuses the text
    return chr(code)


def _lexical_shape(query: str) -> QueryShape:
    raw = tokens(query)
    words = [w for token in raw if token.kind == "name" for w in _words(token.text)]
    decoded = _decodings(query)
    readings = [words, *(keywords(text) for text in decoded)]  # decoded, a text may nest deeper
    first = _first(words)
    return QueryShape(
        form=first if first in FORMS else None,
        uses_service=any("SERVICE" in word for reading in readings for word in reading),
        has_dataset_clause="FROM" in words,
        is_update=any(_first(reading) in UPDATE_VERBS for reading in readings),
        tokens=None if decoded else tuple(raw),
    )


def _first(words: list[str]) -> str | None:
    return next((w for w in words if w not in _PROLOGUE), None)


def _names(node):
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            yield from _names(value)


def parsed_shape(query: str) -> QueryShape | None:
    """Return the shape from rdflib's parse tree, or None when rdflib cannot parse the text.

    Not on the endpoint's path (it costs about 0.3 ms a term): tests hold the lexer to it.
    """
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
    except RecursionError:
        return None
    form = tree[1].name.removesuffix("Query").upper()
    return QueryShape(
        form=form if form in FORMS else None,
        uses_service="ServiceGraphPattern" in names,
        has_dataset_clause="DatasetClause" in names,
        is_update=False,
    )


def warm_up() -> None:
    """Compile the lexer's patterns now (a query process does this before its first job)."""
    inspect("ASK {}")


def inspect(query: str) -> QueryShape:
    """Return the query's shape as the lexer reads it (both readings when it holds escapes).

    Raises BadQuery when the query is over the lexer's bounds (``MAX_DEPTH``, ``MAX_TERMS``).
    """
    return _lexical_shape(query)


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
