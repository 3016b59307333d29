"""The guard's lexer, held to two real engines over generated queries (a differential fuzz test).

Queries are made from grammar fragments that put the word SERVICE in every lexical context: a
real ``SERVICE`` call (any case, SILENT, after ``}`` or ``.`` with no space, letters written as
``\\uXXXX`` / ``\\UXXXXXXXX`` escapes), and the word inside strings, IRIs, comments, language
tags, variables and prefixed names (``ex:SERVICE``, ``service:x``, ``ex:.`` followed by a
keyword), inside GRAPH, OPTIONAL, UNION, MINUS and sub-selects. For each query the oracle is
rdflib's parse tree (a ``ServiceGraphPattern``) and pyoxigraph, which runs the query on an
empty in-memory store with every service IRI pointing at a recording HTTP server on
127.0.0.1: if either reads a SERVICE call, the lexer must refuse the query. A query in which
the generator put SERVICE only where it names nothing (a string, a variable, an IRI, a plain
prefixed name, a comment, a language tag) must pass: refusing those is a false positive.
"""

from __future__ import annotations

import collections
import http.server
import os

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.live import serving
from server.problems import BadQuery, QueryRefused
from server.sparql import guard

#: generated queries per run; PARLEY_FUZZ_EXAMPLES=5000 for a longer hunt
EXAMPLES = int(os.environ.get("PARLEY_FUZZ_EXAMPLES", "600"))
STATS: collections.Counter = collections.Counter()


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits = 0
    body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'

    def _answer(self):
        type(self).hits += 1
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def service_url():
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)) as url:
        yield url + "/sparql"
    print("\nguard fuzz:", dict(STATS))


# --- the generator: fragments, each saying whether it holds a real SERVICE call -------------------


def _spell(draw, word: str) -> tuple[str, bool]:
    """The keyword in random case, some letters as codepoint escapes; and whether it is escaped."""
    out, escaped = [], False
    for ch in word:
        ch = ch.upper() if draw(st.booleans()) else ch.lower()
        how = draw(st.sampled_from(["plain"] * 6 + ["u", "U"]))
        if how == "u":
            out.append(f"\\u{ord(ch):04{draw(st.sampled_from('xX'))}}")
            escaped = True
        elif how == "U":
            out.append(f"\\U{ord(ch):08x}")
            escaped = True
        else:
            out.append(ch)
    return "".join(out), escaped


SAFE_TERMS = [
    "?s",
    "?o",
    "?service",
    "$SERVICE",
    "?Service_1",
    "<http://e/SERVICE>",
    "<http://e/p#SERVICE>",
    "ex:SERVICE",
    "service:x",
    "service:SERVICE",
    "ex:p",
    '"SERVICE"',
    "'service <http://x/> { }'",
    '"""a\nSERVICE <http://x/> {}"""',
    "'''SERVICE'''",
    '"x"@service',
    '"a\\"SERVICE"',
    '"\\u0053ERVICE"',
    "42",
    "ex:a.b",
    "_:service",
]


@st.composite
def separator(draw) -> str:
    return draw(st.sampled_from(["", " ", "  ", "\n", "\t", " # SERVICE <http://x/> { }\n", "#c\n", "\r\n"]))


@st.composite
def term(draw) -> str:
    return draw(st.sampled_from(SAFE_TERMS))


@st.composite
def triple(draw) -> str:
    s, p, o = draw(term()), draw(st.sampled_from(["?p", "ex:p", "<http://e/p>", "a", "ex:SERVICE"])), draw(term())
    return f"{s} {p} {o}"


@st.composite
def group(draw, depth: int = 0) -> tuple[str, bool]:
    """A group graph pattern ``{ ... }`` and whether it holds a real SERVICE call."""
    parts, real = [], False
    for _ in range(draw(st.integers(0, 3))):
        kinds = ["triple", "triple", "filter", "bind"]
        if depth < 3:
            kinds += ["optional", "graph", "union", "minus", "subselect", "service", "service", "nested"]
        kind = draw(st.sampled_from(kinds))
        sep = draw(separator())
        if kind == "triple":
            parts.append(draw(triple()) + sep + draw(st.sampled_from([" .", ".", ""])))
            continue
        if kind == "filter":
            parts.append(f"FILTER({draw(term())} != {draw(term())})")
            continue
        if kind == "bind":
            parts.append(f"BIND({draw(term())} AS ?b{len(parts)})")
            continue
        inner, inner_real = draw(group(depth + 1))
        real = real or inner_real
        if kind == "optional":
            parts.append("OPTIONAL" + sep + inner)
        elif kind == "graph":
            parts.append("GRAPH" + sep + draw(st.sampled_from(["?g", "<http://e/g>", "ex:g"])) + sep + inner)
        elif kind == "union":
            other, other_real = draw(group(depth + 1))
            real = real or other_real
            parts.append(inner + sep + "UNION" + sep + other)
        elif kind == "minus":
            parts.append("MINUS" + sep + inner)
        elif kind == "subselect":
            parts.append("{ SELECT * WHERE" + sep + inner + " }")
        elif kind == "nested":
            parts.append(inner)
        else:
            keyword, _ = _spell(draw, "SERVICE")
            silent = draw(st.sampled_from(["", "SILENT ", "silent" + sep]))
            target = draw(st.sampled_from(["{url}", "ex:svc", "?svc"]))
            before = draw(st.sampled_from(["", "ex:.", "ex:p.", "}"])) if parts else ""
            if before == "}":
                parts.append("{}")
                before = ""
            parts.append(before + keyword + draw(separator()) + silent + " " + target + sep + inner)
            real = True
    if depth == 0 and draw(st.integers(0, 2)) == 0:
        # a call pyoxigraph reaches on an empty store: first in the group, on a plain IRI
        keyword, _ = _spell(draw, "SERVICE")
        parts.insert(0, keyword + draw(separator()) + " {url}" + draw(separator()) + "{}")
        real = True
    joiner = draw(st.sampled_from([" ", "\n", "", " . "]))
    return "{" + draw(separator()) + joiner.join(parts) + draw(separator()) + "}", real


@st.composite
def query(draw) -> tuple[str, bool]:
    prologue = draw(
        st.sampled_from(["", "PREFIX ex: <http://e/> ", "PREFIX ex: <http://e/>\nPREFIX service: <http://s/>\n"])
    )
    prologue += "PREFIX ex: <http://e/> " if "ex:" not in prologue else ""
    form = draw(st.sampled_from(["SELECT *", "ASK", "select ?service", "CONSTRUCT", "SELECT DISTINCT ?s"]))
    where = draw(st.sampled_from([" WHERE", "", " where"]))
    body, real = draw(group())
    tail = draw(st.sampled_from(["", " LIMIT 3", " # SERVICE\n", " VALUES ?v { 'SERVICE' }"]))
    return prologue + form + where + draw(separator()) + body + tail, real


# --- the oracle -----------------------------------------------------------------------------------


def _pyoxigraph_calls_service(text: str) -> bool:
    store = ox.Store()
    before = _Recorder.hits
    try:
        result = store.query(text, prefixes={"ex": "http://e/"})
        if not isinstance(result, ox.QueryBoolean):
            for _ in result:
                pass
        del result
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return _Recorder.hits > before


def _lexer_refuses(text: str) -> bool:
    try:
        guard.check(text)
    except QueryRefused:
        return True
    except BadQuery:
        return True  # refused before any engine sees it
    return False


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(query())
def test_the_lexer_refuses_every_service_call_either_engine_reads(service_url, generated):
    text, real = generated
    text = text.replace("{url}", f"<{service_url}>").replace("ex:svc", f"<{service_url}>")
    text += "" if "?svc" not in text else f" VALUES ?svc {{ <{service_url}> }}"
    parsed = guard.parsed_shape(text)
    rdflib_service = bool(parsed and parsed.uses_service)
    oxigraph_service = _pyoxigraph_calls_service(text)
    refused = _lexer_refuses(text)
    STATS["queries"] += 1
    STATS["with a SERVICE keyword"] += real
    STATS["rdflib reads SERVICE"] += rdflib_service
    STATS["pyoxigraph called SERVICE"] += oxigraph_service
    STATS["parsed by rdflib"] += parsed is not None
    if rdflib_service or oxigraph_service:
        assert refused, f"the lexer let a SERVICE call through:\n{text}"
    elif refused:
        STATS["lexer refuses, neither engine calls SERVICE"] += 1
        STATS["... of which rdflib parsed it"] += parsed is not None
        assert real, f"false positive: SERVICE appears only where it names nothing, yet refused:\n{text}"
