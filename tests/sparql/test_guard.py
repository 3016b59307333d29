"""The guard that decides, before a query runs, what the public endpoint refuses, and the lexer's
bounds on nesting and size (which the query process's stack is sized against: test_limits.py)."""

from __future__ import annotations

import pytest

from server.problems import BadQuery, QueryRefused
from server.sparql import guard
from tests.helpers import load_bench_script


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT ?x { ?s ?p ?o } }",
        "ask{service<http://127.0.0.1:9/>{?s ?p ?o}}",
        "PREFIX e: <http://e/> SELECT * { ?s e:p ?o MINUS { SERVICE <http://127.0.0.1:9/> { ?s e:q ?o } } }",
        # rdflib cannot parse RDF 1.2 triple terms, so here only the lexer sees SERVICE
        "SELECT * { VALUES ?t { <<( <http://e/a> <http://e/b> <http://e/c> )>> } "
        "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        # codepoint escapes outside strings (rdflib decodes them before parsing)
        "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * { \\U00000053\\u0045RVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * { {}SERVICE<http://127.0.0.1:9/>{?s ?p ?o} }",
        # an engine ends a prefixed name before a leading dot: ex: . SERVICE
        "PREFIX ex: <http://e/> SELECT * { ?s ?p ex:.SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        # rdflib reads serviceSILENT as SERVICE SILENT (found by test_guard_fuzz)
        "SELECT * WHERE{serviceSILENT <http://127.0.0.1:9/>{}}",
    ],
)
def test_service_is_refused(query):
    with pytest.raises(QueryRefused, match="SERVICE"):
        guard.check(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://x/>" }',
        "SELECT * { ?s ?p '''a\nSERVICE'''@en }",
        'SELECT * { ?s ?p "x"@service }',
        "SELECT ?service { ?service ?p ?o }",
        "PREFIX service: <http://e/> SELECT * { ?s service:SERVICE ?o }",
        "SELECT * { <http://e/SERVICE> ?p ?o } # SERVICE <http://x/>",
        'SELECT * { ?s ?p "\\u0053ERVICE <http://x/> {}" }',
        "SELECT * { ?s ?p ?o } VALUES ?o { 'SERVICE' }",
        "SELECT $SERVICE { $SERVICE ?p _:service }",
    ],
)
def test_the_word_service_elsewhere_passes(query):
    assert guard.check(query).uses_service is False


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/s> <http://e/p> 1 }",
        "PREFIX e: <http://e/> DELETE WHERE { ?s e:p ?o }",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "CLEAR SILENT GRAPH <http://e/g>",
        "DROP ALL",
        "create graph <http://e/g>",
        "COPY DEFAULT TO <http://e/g>",
    ],
)
def test_updates_are_refused(update):
    with pytest.raises(QueryRefused, match="read-only"):
        guard.check(update)


@pytest.mark.parametrize(
    "query, form, dataset",
    [
        ("SELECT * { ?s ?p ?o }", "SELECT", False),
        ("PREFIX e: <http://e/> ASK FROM <http://e/g> { ?s ?p ?o }", "ASK", True),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
        ("BASE <http://e/> DESCRIBE <x>", "DESCRIBE", False),
        ("SELECT * FROM NAMED <http://e/g> { GRAPH ?g { ?s ?p ?o } }", "SELECT", True),
        ('SELECT * { ?s ?p "FROM <x>" }', "SELECT", False),
    ],
)
def test_shape(query, form, dataset):
    shape = guard.inspect(query)
    assert (shape.form, shape.has_dataset_clause) == (form, dataset)


def test_an_empty_or_prologue_only_text_is_no_update():
    # rdflib parses them as an update of no operations; pyoxigraph then reports the syntax error
    for text in ("", "  \n", "# only a comment", "PREFIX e: <http://e/>"):
        assert guard.check(text).is_update is False


def _nested(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + "}" * depth


@pytest.mark.parametrize(
    "query",
    [
        _nested(guard.MAX_DEPTH + 1),
        _nested(20_000),
        "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
        "SELECT * WHERE { ?s <http://e/p> " + "[ <http://e/p> " * 20_000 + "?o" + " ]" * 20_000 + " }",
        "SELECT * WHERE { ?s <http://e/p> " + "( " * 20_000 + ")" * 20_000 + " }",
        "SELECT * WHERE { VALUES ?t { "
        + "<<( <http://e/a> <http://e/b> " * 200
        + "<http://e/c>"
        + " )>>" * 200
        + " } }",
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "STR(" * 20_000 + "?o" + ")" * 20_000 + ") }",
    ],
)
def test_deep_nesting_is_a_bad_query_before_any_parser_runs(query, monkeypatch):
    from rdflib.plugins.sparql import parser

    def no_parser(*args, **kwargs):
        raise AssertionError("a parser ran on a query over the guard's bounds")

    monkeypatch.setattr(parser, "parseQuery", no_parser)
    monkeypatch.setattr(parser, "parseUpdate", no_parser)
    with pytest.raises(BadQuery, match=f"MAX_DEPTH={guard.MAX_DEPTH}") as caught:
        guard.check(query)
    assert "line 1, column" in caught.value.message


def test_nesting_up_to_the_limit_passes():
    assert guard.check(_nested(guard.MAX_DEPTH)).form == "SELECT"


def test_brackets_in_strings_iris_and_comments_do_not_count():
    hidden = '"' + "{" * 500 + '" ' + "# " + "(" * 500 + "\n"
    assert guard.check("SELECT * WHERE { ?s ?p " + hidden + "}").form == "SELECT"


def test_more_terms_than_the_limit_is_a_bad_query():
    binds = " ".join(f"BIND({i} AS ?v{i})" for i in range(guard.MAX_TERMS // 6 + 1))
    with pytest.raises(BadQuery, match=f"MAX_TERMS={guard.MAX_TERMS}"):
        guard.check("SELECT * WHERE { " + binds + " }")


def test_values_data_blocks_are_not_counted():
    # the lexer alone: rdflib's parser takes seconds over tens of thousands of values
    values = " ".join(f"<http://e/{i}>" for i in range(guard.MAX_TERMS + 1))
    words = guard.keywords("SELECT * WHERE { VALUES ?x { " + values + " } ?x ?p ?o }")
    assert words[:3] == ["SELECT", "WHERE", "VALUES"]
    rows = " ".join(f"({i} {i})" for i in range(guard.MAX_TERMS))
    assert "VALUES" in guard.keywords("SELECT * WHERE { ?x ?p ?o } VALUES (?x ?y) { " + rows + " }")
    with pytest.raises(BadQuery, match="MAX_TERMS"):  # counting resumes after the block
        guard.keywords("SELECT * WHERE { VALUES ?x { 1 } " + "?s ?p ?o . " * guard.MAX_TERMS + "}")


def test_service_inside_a_values_block_is_still_seen():
    with pytest.raises(QueryRefused, match="SERVICE"):
        guard.check("SELECT * WHERE { VALUES ?x { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }")


GUARD_BENCH = load_bench_script("guard_bench")  # where the lexer's time on these texts is measured


@pytest.mark.parametrize("pattern", GUARD_BENCH.HOSTILE, ids=lambda p: repr(p[0]))
def test_the_lexer_reads_hostile_text_to_its_end_or_refuses_it(pattern):
    """The lexer ends on each hostile text with its words or a BadQuery naming a bound or a
    position (its time, linear in the length, is printed by bench/guard_bench.py)."""
    text = GUARD_BENCH.hostile_text(*pattern)
    try:
        words = guard.keywords(text)
    except BadQuery as exc:
        assert "MAX_" in exc.message or "line " in exc.message, exc.message
    else:
        assert all(word.isupper() for word in words), words[:10]  # only keywords are read out
