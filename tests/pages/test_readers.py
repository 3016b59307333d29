"""Search, the reconciliation service and the claims table, on the real build of the corpus.

The app is the real one (``create_app`` over ``build_dir``: the pyoxigraph store and the search
index the build wrote). The reconciliation answers are validated with ``jsonschema`` against
schemas written here from the constraints of the W3C Entity Reconciliation specification's 0.2
JSON Schemas (manifest, reconciliation result batch, suggest response: required fields, the
``{{id}}`` URL templates, the types of ``score`` and ``match``) and of its draft's result batch
(candidate names and descriptions as lists of ``{"str", "lang"}``).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.namespaces import BASE, PARLEY
from graph.search_index import SEARCH_INDEX

jsonschema = pytest.importorskip("jsonschema")

MEDINSKY = BASE + "id/person/vladimir-medinsky"
UMEROV = BASE + "id/person/rustem-umerov"
PERSON = str(PARLEY.Person)
PLACE = str(PARLEY.Place)

TYPE = {"oneOf": [{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}, {"type": "string"}]}
TEMPLATE = {"type": "object", "required": ["url"], "properties": {"url": {"type": "string", "pattern": r"\{\{id\}\}"}}}
MANIFEST = {
    "type": "object",
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
    "properties": {
        "versions": {"type": "array", "items": {"type": "string"}, "contains": {"enum": ["0.2"]}},
        "name": {"type": "string"},
        "identifierSpace": {"type": "string"},
        "schemaSpace": {"type": "string"},
        "view": TEMPLATE,
        "defaultTypes": {
            "type": "array",
            "uniqueItems": True,
            "minItems": 1,
            "items": {"type": "object", "required": ["id", "name"]},
        },
        "preview": {
            "type": "object",
            "required": ["url", "width", "height"],
            "properties": {
                "url": {"type": "string", "pattern": r"\{\{id\}\}"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
        },
        "suggest": {
            "type": "object",
            "properties": {
                k: {
                    "type": "object",
                    "properties": {"service_url": {"type": "string"}, "service_path": {"type": "string"}},
                }
                for k in ("entity", "type", "property")
            },
        },
    },
}
CANDIDATE = {
    "type": "object",
    "required": ["id", "name", "score"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "score": {"type": "number"},
        "match": {"type": "boolean"},
        "type": {"type": "array", "items": TYPE},
    },
}
STRINGS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["str"],
        "properties": {"str": {"type": "string"}, "lang": {"type": "string"}},
    },
}
DRAFT_CANDIDATE = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        **CANDIDATE["properties"],
        "name": {**STRINGS, "minItems": 1},
        "description": STRINGS,
    },
}
RESULT_BATCH = {
    "type": "object",
    "patternProperties": {
        "^.*$": {
            "type": "object",
            "required": ["result"],
            "properties": {"result": {"type": "array", "items": CANDIDATE}},
        }
    },
}
RESULTS_10 = {
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["candidates"],
                "properties": {"candidates": {"type": "array", "items": DRAFT_CANDIDATE}},
            },
        }
    },
}
SUGGEST = {
    "type": "object",
    "required": ["result"],
    "properties": {
        "result": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"description": {"type": "string"}, "notable": {"type": "array", "items": TYPE}},
            },
        }
    },
}


@pytest.fixture
def rc(real_client):
    return real_client


def _search(rc, q, **params):
    response = rc.get("/search", query_string={"q": q, **params}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.data
    return response.json


def _iris(body):
    return [r["iri"] for r in body["results"]]


# --- search ----------------------------------------------------------------------------------


def test_the_build_writes_the_index_with_labels_variants_and_quotes(build_dir):
    db = sqlite3.connect(f"file:{build_dir / SEARCH_INDEX}?mode=ro", uri=True)
    kinds = dict(db.execute("SELECT kind, count(*) FROM entries GROUP BY kind"))
    assert set(kinds) == {"label", "altLabel", "quote", "mention"} and min(kinds.values()) > 10
    assert db.execute("SELECT label FROM resources WHERE iri = ?", (MEDINSKY,)).fetchone() == ("Vladimir Medinsky",)


@pytest.mark.parametrize("q", ["medinsk", "Medinsky", "medinski", "MEDINSK"])
def test_a_prefix_or_a_misspelling_finds_medinsky_first(rc, q):
    assert _iris(_search(rc, q))[0] == MEDINSKY


@pytest.mark.parametrize("q", ["Rustam", "Rustum", "rustem umerov", "Umerow"])
def test_variants_and_misspellings_find_umerov_first(rc, q):
    assert _iris(_search(rc, q))[0] == UMEROV


def test_a_quote_phrase_finds_the_claim_it_supports(rc, build_dir):
    db = sqlite3.connect(f"file:{build_dir / SEARCH_INDEX}?mode=ro", uri=True)
    quotes = db.execute("SELECT text, target FROM entries WHERE kind = 'quote' ORDER BY length(text) DESC").fetchall()
    targets: dict[str, set[str]] = {}
    for t, c in quotes:
        targets.setdefault(t, set()).add(c)
    # the longest quote that supports one claim and nothing else (a passage quoted by several
    # statements ranks them together, any of them first)
    text, target = next((t, c) for t, c in quotes if c.startswith(BASE + "id/claim/") and len(targets[t]) == 1)
    phrase = " ".join(text.split()[-7:-1])  # from its end: its opening words may be a speaker's name
    body = _search(rc, phrase)
    assert target in _iris(body)[:5]
    hit = next(r for r in body["results"] if r["iri"] == target)
    assert any(phrase in quote for quote in hit["quotes"]) or phrase in hit["match"]["text"]


def test_search_json_shape_and_paging(rc):
    body = _search(rc, "prisoner exchange")
    assert {"query", "page", "per_page", "total", "pages", "results"} <= set(body)
    assert body["query"] == "prisoner exchange" and body["page"] == 1
    first = body["results"][0]
    assert {"iri", "label", "href", "types", "score", "match"} <= set(first)
    assert first["match"]["kind"] in {"label", "altLabel", "quote", "mention"}
    ranks = [(_group(r), -r["score"]) for r in body["results"]]
    assert ranks == sorted(ranks), "by group (entities, claims, relations), then by score"
    assert body["total"] > body["per_page"], "the corpus has more hits than a page"
    second = rc.get(body["next"], headers={"Accept": "application/json"}).json
    assert second["page"] == 2 and second["prev"]
    assert not set(_iris(body)) & set(_iris(second))


def test_search_page_is_html_with_links_and_the_box_is_on_every_page(rc):
    page = rc.get("/search?q=medinsk")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'href="/id/person/vladimir-medinsky"' in html
    assert 'value="medinsk"' in html
    for path in ("/", "/timeline", "/claims", "/doc/person/vladimir-medinsky.html"):
        html = rc.get(path).get_data(as_text=True)
        assert '<form class="site-search" action="/search" method="get"' in html, path


KYIV = BASE + "id/place/kyiv"
RELATION = str(PARLEY.ClaimRelation)
STATEMENTS = {str(PARLEY.Claim), str(PARLEY.Attestation), str(PARLEY.Quantity)}


def _everything(rc, q, **params):
    """Every page of the JSON results of ``q``, joined."""
    body = _search(rc, q, **params)
    results = list(body["results"])
    while body.get("next"):
        body = rc.get(body["next"], headers={"Accept": "application/json"}).json
        results += body["results"]
    return results


def _group(result) -> int:
    if RELATION in result["types"]:
        return 2
    return 1 if STATEMENTS.intersection(result["types"]) else 0


def test_a_variant_name_finds_what_the_name_finds(rc):
    kiev, kyiv = _search(rc, "Kiev"), _search(rc, "Kyiv")
    assert kiev["variants"] == ["Kyiv"] and kyiv["variants"] == ["Kiev"]
    assert _iris(kiev)[0] == _iris(kyiv)[0] == KYIV
    assert [r["iri"] for r in _everything(rc, "Kiev")] == [r["iri"] for r in _everything(rc, "Kyiv")]
    # the passages too: a passage that says only "Kyiv" is found for "Kiev", and the reverse
    passages = {r["match"]["text"] for r in _everything(rc, "Kiev") if r["match"]["kind"] in ("quote", "mention")}
    assert any("Kyiv" in p and "Kiev" not in p for p in passages)
    assert any("Kiev" in p and "Kyiv" not in p for p in passages)


def test_a_query_that_names_nothing_is_searched_alone(rc):
    assert _search(rc, "prisoner exchange")["variants"] == []


def test_entities_rank_above_claims_and_claims_above_relations(rc):
    results = _everything(rc, "Medinsky")
    groups = [_group(r) for r in results]
    assert groups == sorted(groups), "entities, then claims, then claim relations"
    assert results[0]["iri"] == MEDINSKY
    assert {0, 1} <= set(groups)  # people and posts first, then the claims Medinsky made
    assert all(_group(r) == 2 for r in results[groups.index(2) :])


def test_the_type_filter_and_its_facet_with_counts(rc):
    everything = _everything(rc, "Medinsky")
    body = _search(rc, "Medinsky")
    facet = {v["key"]: v for v in body["facets"]["type"]}
    for key, value in facet.items():
        assert value["count"] == sum(1 for r in everything if value["iri"] in r["types"]), key
        assert value["selected"] is False and value["toggle"] == f"/search?q=Medinsky&type={key}"
    assert facet["person"]["iri"] == PERSON and facet["claim-relation"]["count"] >= 1
    people = _search(rc, "Medinsky", type="person")
    assert people["type"] == ["person"] and _iris(people) == [MEDINSKY]
    assert people["total"] == facet["person"]["count"]
    chosen = {v["key"]: v for v in people["facets"]["type"]}
    assert chosen["person"]["selected"] is True and chosen["claim"]["count"] == facet["claim"]["count"]
    # two types are either (OR); a class IRI is taken for its key
    both = _search(rc, "Medinsky", type=["person", str(PARLEY.Post)])
    assert set(both["type"]) == {"person", "post"}
    assert {t for r in both["results"] for t in r["types"]} & {PERSON, str(PARLEY.Post)}
    assert all({PERSON, str(PARLEY.Post)} & set(r["types"]) for r in both["results"])
    assert both["total"] == facet["person"]["count"] + facet["post"]["count"]
    # on the page: the facet with its counts, the chosen one marked
    html = rc.get("/search?q=Medinsky&type=person").get_data(as_text=True)
    assert 'aria-label="Filter by type"' in html
    assert f'aria-current="true" class="selected">person</a> <span class="count">{facet["person"]["count"]}' in html
    assert '<input type="hidden" name="type" value="person">' in html
    refused = rc.get("/search?q=Medinsky&type=unicorn", headers={"Accept": "application/json"})
    assert refused.status_code == 400 and "person" in refused.json["error"]["hint"]


def test_the_match_is_highlighted(rc):
    from server.data.search import normalize

    for result in _everything(rc, "Kiev"):
        text, highlights = result["match"]["text"], result["match"]["highlights"]
        assert highlights, result
        marked = [normalize(text[start:end]) for start, end in highlights]
        assert all(m in ("kiev", "kyiv") or m.startswith(("kiev", "kyiv")) for m in marked), (text, marked)
    html = rc.get("/search?q=medinsk").get_data(as_text=True)
    assert "Vladimir <mark>Medinsky</mark>" in html
    assert "<mark>Medinsky</mark>, who heads the Russian team" in html  # in a passage
    assert "<mark>" not in rc.get("/search?q=zz").get_data(as_text=True)


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '""',
        "NEAR(",
        "NEAR(a b, 3)",
        "a* OR b",
        "^x",
        "col:text",
        "'); DROP TABLE entries; --",
        "(",
        "-",
        "—",
        "ü",
        "日本",
    ],
)
def test_fts5_syntax_and_odd_text_are_searched_as_text(rc, q):
    for accept in ("application/json", "text/html"):
        response = rc.get("/search", query_string={"q": q}, headers={"Accept": accept})
        assert response.status_code == 200, (q, response.data[:200])


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "x" * 201}, 400),
        ({"q": "a\x00b"}, 400),
        ({"q": "medinsk", "page": "0"}, 400),
        ({"q": "a", "page": "x"}, 400),
    ],
)
def test_overlong_or_malformed_search_is_a_400(rc, params, status):
    response = rc.get("/search", query_string=params, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.json["error"]["status"] == status and response.json["error"]["hint"]


def test_a_pasted_name_with_tabs_and_line_breaks_is_searched(rc):
    body = _search(rc, "\tVladimir\r\nMedinsky\n")
    assert body["query"] == "Vladimir Medinsky" and _iris(body)[0] == MEDINSKY


def test_empty_search_is_the_search_page(rc):
    assert rc.get("/search").status_code == 200
    assert _search(rc, "")["results"] == []
    assert _search(rc, "zz")["results"] == []  # under three letters: no trigram to ask for


# --- reconciliation --------------------------------------------------------------------------


def test_manifest_follows_the_schema_and_lists_the_ontology_classes(rc):
    response = rc.get("/reconcile")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    manifest = response.json
    jsonschema.validate(manifest, MANIFEST)
    types = {t["id"] for t in manifest["defaultTypes"]}
    assert {PERSON, PLACE, str(PARLEY.Organisation)} <= types
    assert str(PARLEY.Claim) not in types
    assert manifest["identifierSpace"] == BASE + "id/"


def test_manifest_as_jsonp_only_for_a_plain_function_name(rc):
    response = rc.get("/reconcile?callback=handle_manifest")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    text = response.get_data(as_text=True)
    assert text.startswith("/**/handle_manifest(") and text.endswith(");")
    jsonschema.validate(json.loads(text[len("/**/handle_manifest(") : -2]), MANIFEST)
    assert rc.get("/reconcile?callback=alert(1)//").status_code == 400


def test_queries_batch_as_form_post_and_get(rc):
    batch = {
        "q0": {"query": "Rustem Umerov", "limit": 3},
        "q1": {"query": "Medinski", "type": PERSON},
        "q2": {"query": "Istanbul", "type": PERSON},
        "q3": {"query": "Istanbul", "type": PLACE, "type_strict": "should"},
    }
    post = rc.post("/reconcile", data={"queries": json.dumps(batch)})
    get = rc.get("/reconcile", query_string={"queries": json.dumps(batch)})
    assert post.status_code == get.status_code == 200
    assert post.json == get.json
    answers = post.json
    jsonschema.validate(answers, RESULT_BATCH)
    assert set(answers) == set(batch)
    top = answers["q0"]["result"][0]
    assert (top["id"], top["name"], top["score"], top["match"]) == (UMEROV, "Rustem Umerov", 100.0, True)
    assert {"id": PERSON, "name": "person"} in top["type"]
    assert len(answers["q0"]["result"]) <= 3
    misspelt = answers["q1"]["result"][0]
    assert misspelt["id"] == MEDINSKY and 50 < misspelt["score"] < 100 and misspelt["match"] is False
    assert answers["q2"]["result"] == []  # no person is called Istanbul
    place = answers["q3"]["result"][0]
    assert place["name"] == "Istanbul" and place["match"] is True
    assert all(PLACE in [t["id"] for t in c["type"]] for c in answers["q3"]["result"])


def test_a_variant_label_reconciles_to_its_entity(rc):
    answers = rc.post("/reconcile", data={"queries": json.dumps({"q": {"query": "Rustam Umerov"}})}).json
    top = answers["q"]["result"][0]
    assert top["id"] == UMEROV and top["score"] == 100.0 and top["match"] is True


def test_draft_10_json_batch(rc):
    response = rc.post("/reconcile", json={"queries": [{"query": "Vladimir Medinsky"}, {"query": "qqqqqq"}]})
    assert response.status_code == 200
    jsonschema.validate(response.json, RESULTS_10)
    first, second = response.json["results"]
    top = first["candidates"][0]
    assert (top["id"], top["name"], top["match"]) == (MEDINSKY, [{"str": "Vladimir Medinsky", "lang": "en"}], True)
    assert second["candidates"] == []


def test_cors_preflight(rc):
    response = rc.open("/reconcile", method="OPTIONS", headers={"Origin": "http://127.0.0.1:3333"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize(
    "queries",
    [
        "not json",
        "[]",
        json.dumps({"q0": {"no": "query"}}),
        json.dumps({"q0": {"query": 5}}),
        json.dumps({"q0": {"query": "x" * 500}}),
        json.dumps({"q0": {"query": "a", "limit": -1}}),
        json.dumps({"q0": {"query": "a", "type": 7}}),
        json.dumps({f"q{i}": {"query": "a"} for i in range(101)}),
    ],
)
def test_malformed_batches_are_400(rc, queries):
    response = rc.post("/reconcile", data={"queries": queries})
    assert response.status_code == 400, response.data[:200]
    assert response.json["error"]["hint"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_malformed_json_body_is_400(rc):
    response = rc.post("/reconcile", data="{nope", content_type="application/json")
    assert response.status_code == 400


def test_suggest_preview_and_view(rc):
    suggest = rc.get("/reconcile/suggest/entity?prefix=medi")
    assert suggest.status_code == 200
    jsonschema.validate(suggest.json, SUGGEST)
    assert suggest.json["result"][0]["id"] == MEDINSKY
    types = rc.get("/reconcile/suggest/type?prefix=pers").json["result"]
    assert {"id": PERSON, "name": "person"} in types
    preview = rc.get("/reconcile/preview", query_string={"id": UMEROV})
    assert preview.status_code == 200 and preview.mimetype == "text/html"
    assert "Rustem Umerov" in preview.get_data(as_text=True)
    assert "frame-ancestors *" in preview.headers["Content-Security-Policy"]
    assert rc.get("/reconcile/preview?id=https://example.org/x").status_code == 404
    view = rc.get("/reconcile/view", query_string={"id": UMEROV})
    assert view.status_code == 303 and view.headers["Location"].endswith("/id/person/rustem-umerov")


# --- the claims table ------------------------------------------------------------------------


def _claims(rc, **params):
    response = rc.get("/claims", query_string={**params, "_format": "json"})
    assert response.status_code == 200, response.data[:300]
    return response.json


def test_claims_table_lists_every_claim_with_links(rc, build_dir):
    expected = json.loads((build_dir / "build.json").read_text())["claims"]
    body = _claims(rc)
    assert body["total"] == len(body["claims"]) == expected
    html = rc.get("/claims").get_data(as_text=True)
    assert html.count('class="claim-link"') == 50  # a page
    assert 'href="/id/claim/' in html and 'rel="next"' in html


def test_a_speaker_facet_filters_and_counts(rc):
    everything = _claims(rc)
    speakers = {v["iri"]: v["count"] for v in everything["facets"]["speaker"]}
    assert speakers[MEDINSKY] == sum(1 for c in everything["claims"] if MEDINSKY in [s["iri"] for s in c["speaker"]])
    body = _claims(rc, speaker=MEDINSKY)
    assert body["total"] == speakers[MEDINSKY] > 0
    assert all(MEDINSKY in [s["iri"] for s in c["speaker"]] for c in body["claims"])
    chosen = next(v for v in body["facets"]["speaker"] if v["iri"] == MEDINSKY)
    assert chosen["selected"] is True
    # counts of another facet are those of the filtered claims
    measures = {v["iri"]: v["count"] for v in body["facets"]["measure"]}
    assert sum(measures.values()) == sum(len(c["measure"]) for c in body["claims"])
    # two speakers: either one (OR within a facet)
    both = _claims(rc, speaker=[MEDINSKY, UMEROV])
    assert both["total"] == speakers[MEDINSKY] + speakers[UMEROV]
    # and a second facet narrows (AND across facets)
    measure = body["claims"][0]["measure"][0]["iri"]
    narrowed = _claims(rc, speaker=MEDINSKY, measure=measure)
    assert 0 < narrowed["total"] <= body["total"]
    assert all(measure in [m["iri"] for m in c["measure"]] for c in narrowed["claims"])


def test_claims_sort_and_order(rc):
    body = _claims(rc, sort="statedOn", order="desc")
    dates = [c["statedOn"] for c in body["claims"] if c["statedOn"]]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) > 1
    labels = [c["label"].lower() for c in _claims(rc, sort="label")["claims"]]
    assert labels == sorted(labels)
    html = rc.get("/claims?sort=asOf&order=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in html


def test_claims_paging(rc):
    first = rc.get("/claims").get_data(as_text=True)
    second = rc.get("/claims?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and "page 2 of" in second
    firsts = {line for line in first.splitlines() if 'class="claim-link"' in line}
    seconds = {line for line in second.splitlines() if 'class="claim-link"' in line}
    assert firsts and seconds and not firsts & seconds
    assert rc.get("/claims?page=99", headers={"Accept": "text/html"}).status_code == 404


def test_claims_csv_export_of_the_filtered_view(rc):
    response = rc.get("/claims", query_string={"speaker": MEDINSKY, "_format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "\r\n" in text  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == _claims(rc, speaker=MEDINSKY)["total"]
    assert all(MEDINSKY in r["speaker"].split() for r in rows)
    assert all(r["claim"].startswith(BASE + "id/claim/") for r in rows)
    assert {"speaker_label", "measure", "modality", "stated_on", "as_of", "figure"} <= set(rows[0])


def _quotes_by_sparql(rc) -> dict[str, str]:
    text = (
        "PREFIX parley: <https://w3id.org/parley/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#> "
        "SELECT ?claim ?quote WHERE { ?claim a parley:Claim ; parley:evidence/oa:hasSelector/oa:exact ?quote }"
    )
    answer = rc.get("/sparql", query_string={"query": text}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    return {b["claim"]["value"]: b["quote"]["value"] for b in answer.json["results"]["bindings"]}


def test_the_claims_exports_carry_each_claims_quote(rc):
    quotes = _quotes_by_sparql(rc)
    assert len(quotes) > 10
    text = rc.get("/claims", query_string={"_format": "csv"}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert "quote" in rows[0]
    assert {r["claim"]: r["quote"] for r in rows} == {r["claim"]: quotes.get(r["claim"], "") for r in rows}
    assert sum(1 for r in rows if r["quote"]) == len(quotes)
    claims = _claims(rc)["claims"]
    assert {c["iri"]: c["quote"] for c in claims} == {r["claim"]: r["quote"] for r in rows}
    # a quote with a comma, a quote mark or a line break survives the CSV (RFC 4180 quoting)
    assert any(any(ch in r["quote"] for ch in ',"\n') for r in rows)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_claims_exports_allow_any_origin(rc, fmt):
    response = rc.get("/claims", query_string={"_format": fmt}, headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = rc.get("/claims", query_string={"_format": fmt}, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Access-Control-Allow-Origin"] == "*"
    negotiated = rc.get("/claims", headers={"Accept": "text/csv"})
    assert negotiated.mimetype == "text/csv" and negotiated.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "params",
    [
        {"speaker": "not an iri"},
        {"measure": "javascript:alert(1)"},
        {"article": "<http://x>"},
        {"sort": "nope"},
        {"order": "sideways"},
        {"page": "-1"},
        {"_format": "xlsx"},
        {"subject": "http://x/" + "a" * 600},
    ],
)
def test_bad_claims_parameters_are_400(rc, params):
    response = rc.get("/claims", query_string=params, headers={"Accept": "application/json"})
    assert response.status_code == 400, response.data[:200]


def test_an_unknown_iri_filters_to_nothing(rc):
    body = _claims(rc, speaker="https://example.org/nobody")
    assert body["total"] == 0 and body["claims"] == []
    page = rc.get("/claims?speaker=https://example.org/nobody")
    assert page.status_code == 200 and "No claim matches these facets" in page.get_data(as_text=True)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=220))
def test_any_text_is_searched_or_refused_never_a_500(rc, q):
    response = rc.get("/search", query_string={"q": q}, headers={"Accept": "application/json"})
    assert response.status_code in (200, 400), (q, response.data[:200])
    typed = rc.get("/search", query_string={"q": "Kiev", "type": q}, headers={"Accept": "application/json"})
    assert typed.status_code in (200, 400), (q, typed.data[:200])
    batch = json.dumps({"q0": {"query": q}})
    assert rc.post("/reconcile", data={"extend": json.dumps({"ids": [q], "properties": [{"id": q}]})}).status_code in (
        200,
        400,
    )
    assert rc.get("/reconcile/properties", query_string={"type": q}).status_code in (200, 400)
    assert rc.post("/reconcile", data={"queries": batch}).status_code in (200, 400)
    assert rc.get("/claims", query_string={"speaker": q, "_format": "json"}).status_code in (200, 400)
