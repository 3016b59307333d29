"""What a remote store is sent: a query's form, its values bound into the text by the engine's own
term syntax (``bind``), the prologue of a client's query (base and prefixes), and what differs
by engine (``names_a_dataset``: whether a query brings its own dataset)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from ...sparql.lexer import FORMS, LEXEME


def _sparql_term(value: Any) -> str:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return str(value)  # pyoxigraph writes the N-Triples form, valid SPARQL, escaped
    if isinstance(value, ox.BlankNode):
        raise ValueError("a blank node cannot be sent to a remote store as a value")
    return str(ox.NamedNode(str(value)))  # raises ValueError for a string that is no IRI


def query_form(query: str) -> str | None:
    """Return the query's form (SELECT, ASK, CONSTRUCT, DESCRIBE): its first such keyword outside
    strings, IRIs and comments; None when it has none."""
    for match in LEXEME.finditer(query):
        if match.lastgroup == "name" and match.group().upper() in FORMS:
            return match.group().upper()
    return None


def _where_brace(query: str) -> int:
    """Return the offset just after the ``{`` that opens the query's WHERE group."""
    form = None
    depth = 0
    skip_template = False
    for match in LEXEME.finditer(query):
        kind, text = match.lastgroup, match.group()
        if form is None and kind == "name" and text.upper() in FORMS:
            form = text.upper()
            skip_template = form == "CONSTRUCT"
            continue
        if form is None:
            continue
        if kind == "name" and text.upper() == "WHERE" and depth == 0:
            skip_template = False
        elif kind == "open" and text == "{":
            if depth == 0 and not skip_template:
                return match.end()
            depth += 1
        elif kind == "close" and text == "}":
            depth -= 1
            if depth == 0:
                skip_template = False  # the CONSTRUCT template is over
    raise ValueError("no WHERE group found to bind values in")


def bind(query: str, bindings: Mapping[str, Any] | None) -> str:
    """Return ``query`` with ``bindings`` in it as pyoxigraph's substitutions would put them.

    Inside the WHERE group each bound variable is replaced by its term (so a FILTER or a UNION
    branch sees the value, as with a substitution), and a ``VALUES`` block opening the group
    binds the variables too, so the projection and a CONSTRUCT template still see them.
    """
    if not bindings:
        return query
    terms = {name: _sparql_term(value) for name, value in bindings.items()}
    at = _where_brace(query)
    body, last, depth = [], at, 1
    # A subquery's SELECT clause keeps its variables, except that a bound one it projects is
    # projected as its value, ``(term AS ?v)``: its pattern no longer binds ?v, and Virtuoso
    # joins an unbound projected variable with the outer VALUES as no match.
    projection, parens = False, 0
    for match in LEXEME.finditer(query, at):
        kind, text = match.lastgroup, match.group()
        if kind == "name" and text.upper() in ("SELECT", "WHERE"):
            projection, parens = text.upper() == "SELECT", 0
        elif projection and text == "(":
            parens += 1
        elif projection and text == ")":
            parens -= 1
        elif projection and kind in ("var", "open"):
            projection = kind == "var"  # the pattern's "{" ends it (WHERE may be left out)
        if kind == "var" and projection:
            if parens == 0 and text[1:] in terms:
                body += [query[last : match.start()], f"({terms[text[1:]]} AS {text})"]
                last = match.end()
            continue
        if kind == "open" and text == "{":
            depth += 1
        elif kind == "close" and text == "}":
            depth -= 1
            if depth == 0:  # the WHERE group ends: GROUP BY, ORDER BY and the rest keep variables
                break
        elif kind == "var" and text[1:] in terms:
            body += [query[last : match.start()], terms[match.group()[1:]]]
            last = match.end()
    body.append(query[last:])
    names = " ".join("?" + name for name in terms)
    row = " ".join(terms.values())
    return f"{query[:at]} VALUES ({names}) {{ ({row}) }} {''.join(body)}"


def _prologue(prefixes: Mapping[str, str] | None, base_iri: str | None = None) -> str:
    lines = []
    if base_iri:
        try:
            lines.append(f"BASE {_sparql_term(ox.NamedNode(base_iri))}")
        except ValueError:
            pass  # not an IRI (a strange Host header): the query keeps its own base, if any
    lines += [f"PREFIX {name}: {_sparql_term(ox.NamedNode(ns))}" for name, ns in (prefixes or {}).items()]
    return "".join(line + "\n" for line in lines)


def names_a_dataset(query: str) -> bool:
    """Whether the query names its own dataset (a ``FROM`` or ``FROM NAMED`` clause)."""
    return any(m.lastgroup == "name" and m.group().upper() == "FROM" for m in LEXEME.finditer(query))


def ask_as_select(query: str) -> str:
    """The ASK query ``query`` as a ``SELECT *`` of at most one row (a row: true). Virtuoso 7.2
    answers ``ASK { GRAPH <g> { ... } }`` true for a graph it does not hold once the request
    names a dataset, where the same pattern as a SELECT has no row."""
    for match in LEXEME.finditer(query):
        if match.lastgroup == "name" and match.group().upper() == "ASK":
            rest = query[match.end() :]
            where = "" if rest.lstrip().upper().startswith("WHERE") else " WHERE"
            return f"{query[: match.start()]}SELECT *{where}{rest}\nLIMIT 1"
    raise ValueError("not an ASK query")
