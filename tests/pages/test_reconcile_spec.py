"""The reconciliation service against the Reconciliation Service API 0.2, on the real build of
the corpus: every kind of response (manifest, reconciliation batch, suggest, property proposal,
data extension, preview) is validated with ``jsonschema`` against the draft 7 schemas in
``tests/fixtures/reconciliation-0.2/`` (written from the specification's text; see its
README), and what the text asks beyond a schema is checked too: the manifest's URL templates
and service paths lead to working services, CORS on every response, candidates that are
entities only with descriptions taken from the graph, data extension rows for every id asked,
values that agree with the SPARQL endpoint, and a preview that renders with no script."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from graph.namespaces import BASE, PARLEY

jsonschema = pytest.importorskip("jsonschema")

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "reconciliation-0.2"
UMEROV = BASE + "id/person/rustem-umerov"
MEDINSKY = BASE + "id/person/vladimir-medinsky"
KYIV = BASE + "id/place/kyiv"
PERSON = str(PARLEY.Person)
HOLDS_POST = str(PARLEY.holdsPost)
STATEMENTS = {str(PARLEY[c]) for c in ("Claim", "ClaimRelation", "Attestation", "Quantity", "FigureSet")}


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def _valid(instance, name: str) -> None:
    jsonschema.Draft7Validator(_schema(name)).validate(instance)


@pytest.fixture
def rc(real_client):
    return real_client


def _answer(response):
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # 0.2 makes CORS mandatory
    return response.json


def _manifest(rc) -> dict:
    return _answer(rc.get("/reconcile"))


def _local(url: str) -> str:
    """The path and query of an absolute URL of the service, for the test client."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _sparql_objects(rc, subject: str, predicate: str) -> set[str]:
    text = f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}"
    answer = rc.get("/sparql", query_string={"query": text}, headers={"Accept": "application/sparql-results+json"})
    return {b["o"]["value"] for b in answer.json["results"]["bindings"]}


# --- the schemas themselves -------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.json")), ids=lambda p: p.stem)
def test_every_schema_is_a_draft_7_schema(path):
    jsonschema.Draft7Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("name", "instance"),
    [
        ("manifest", {"versions": ["0.1"], "name": "x", "identifierSpace": "x", "schemaSpace": "x"}),
        ("manifest", {"versions": ["0.2"], "name": "x", "identifierSpace": "x"}),
        (
            "manifest",
            {"versions": ["0.2"], "name": "x", "identifierSpace": "x", "schemaSpace": "x", "view": {"url": "/e/"}},
        ),
        (
            "manifest",
            {
                "versions": ["0.2"],
                "name": "x",
                "identifierSpace": "x",
                "schemaSpace": "x",
                "preview": {"url": "/p?id={{id}}", "width": 400},
            },
        ),
        ("reconciliation-result-batch", {"q0": {"result": [{"id": "a", "name": "A"}]}}),
        ("reconciliation-result-batch", {"q0": {"candidates": []}}),
        ("reconciliation-result-batch", {"q0": {"result": [{"id": "a", "name": "A", "score": "high"}]}}),
        ("reconciliation-query-batch", {"q0": {"limit": 3}}),
        ("data-extension-response", {"meta": [{"id": "p", "name": "P"}], "rows": {"a": {"p": [{"bool": True}]}}}),
        ("data-extension-response", {"meta": [], "rows": {"a": {"p": [{"date": "2025-06-19"}]}}}),
        ("data-extension-response", {"rows": {}}),
        ("data-extension-property-proposal-response", {"properties": [{"id": "p", "name": "P"}]}),
        ("suggest-entities-response", {"result": [{"id": "a"}]}),
    ],
)
def test_the_schemas_refuse_what_the_specification_does_not_allow(name, instance):
    with pytest.raises(jsonschema.ValidationError):
        _valid(instance, name)


# --- the manifest -----------------------------------------------------------------------------


def test_the_manifest_and_the_services_it_names(rc):
    manifest = _manifest(rc)
    _valid(manifest, "manifest")
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == BASE + "id/" and manifest["schemaSpace"] == str(PARLEY)
    types = {t["id"] for t in manifest["defaultTypes"]}
    assert PERSON in types and not types & STATEMENTS
    encoded = quote(UMEROV, safe="")  # the id as a URI component, as the specification asks
    view = rc.get(_local(manifest["view"]["url"].replace("{{id}}", encoded)))
    assert view.status_code == 303 and view.headers["Location"].endswith("/id/person/rustem-umerov")
    preview = rc.get(_local(manifest["preview"]["url"].replace("{{id}}", encoded)))
    assert preview.status_code == 200 and preview.mimetype == "text/html"
    assert isinstance(manifest["preview"]["width"], int) and isinstance(manifest["preview"]["height"], int)
    for kind, schema in (("entity", "suggest-entities-response"), ("type", "suggest-types-response")):
        service = manifest["suggest"][kind]
        _valid(_answer(rc.get(_local(service["service_url"] + service["service_path"]) + "?prefix=umer")), schema)
    proposal = manifest["extend"]["propose_properties"]
    proposed = _answer(
        rc.get(_local(proposal["service_url"] + proposal["service_path"]), query_string={"type": PERSON})
    )
    _valid(proposed, "data-extension-property-proposal-response")


# --- reconciliation ---------------------------------------------------------------------------

BATCH = {
    "q0": {"query": "Rustem Umerov", "type": PERSON, "limit": 3},
    "q1": {"query": "Medinsky"},
    "q2": {"query": "Kiev", "type_strict": "should"},
    "q3": {"query": "Medinsky", "type": [str(PARLEY.ClaimRelation), str(PARLEY.Claim)]},
    "q4": {"query": "qqqqqq"},
}


def test_a_batch_is_answered_by_key_with_entities_only(rc):
    _valid(BATCH, "reconciliation-query-batch")
    answers = _answer(rc.post("/reconcile", data={"queries": json.dumps(BATCH)}))
    _valid(answers, "reconciliation-result-batch")
    assert set(answers) == set(BATCH)
    for key, answer in answers.items():
        for candidate in answer["result"]:
            types = {t["id"] if isinstance(t, dict) else t for t in candidate["type"]}
            assert types and not types & STATEMENTS, (key, candidate)
    assert len(answers["q0"]["result"]) <= 3 and answers["q0"]["result"][0]["id"] == UMEROV
    assert [c["id"] for c in answers["q1"]["result"]][0] == MEDINSKY
    assert answers["q2"]["result"][0]["id"] == KYIV and answers["q2"]["result"][0]["match"] is True
    assert answers["q3"]["result"] == []  # asking for statements gets no statement
    assert answers["q4"]["result"] == []


def test_descriptions_say_the_type_and_what_the_graph_says(rc):
    answers = _answer(rc.post("/reconcile", data={"queries": json.dumps(BATCH)}))
    for answer in answers.values():
        for candidate in answer["result"]:
            names = [t["name"] for t in candidate["type"]]
            assert candidate["description"].startswith(", ".join(names)), candidate
    umerov = answers["q0"]["result"][0]["description"]
    posts = _sparql_objects(rc, UMEROV, HOLDS_POST)
    assert posts, "the graph says which post Umerov holds"
    post_labels = {_sparql_objects(rc, p, "http://www.w3.org/2000/01/rdf-schema#label").pop() for p in posts}
    assert umerov.startswith("person; ") and "holds post: " in umerov
    assert all(name in umerov for name in post_labels)


def test_properties_find_and_narrow_candidates(rc):
    post = sorted(_sparql_objects(rc, UMEROV, HOLDS_POST))[0]
    post_label = _sparql_objects(rc, post, "http://www.w3.org/2000/01/rdf-schema#label").pop()
    other = sorted(_sparql_objects(rc, MEDINSKY, HOLDS_POST))[0]
    batch = {
        "by_id": {"properties": [{"pid": HOLDS_POST, "v": {"id": post}}], "type": PERSON},
        "by_name": {"properties": [{"pid": HOLDS_POST, "v": post_label.upper()}]},
        "narrowed": {"query": "Umerov", "properties": [{"pid": HOLDS_POST, "v": post}]},
        "excluded": {"query": "Umerov", "properties": [{"pid": HOLDS_POST, "v": {"id": other}}]},
    }
    _valid(batch, "reconciliation-query-batch")
    answers = _answer(rc.post("/reconcile", data={"queries": json.dumps(batch)}))
    _valid(answers, "reconciliation-result-batch")
    for key in ("by_id", "by_name"):
        assert [c["id"] for c in answers[key]["result"]] == [UMEROV], key
        assert answers[key]["result"][0]["score"] == 100.0 and answers[key]["result"][0]["match"] is True
    assert [c["id"] for c in answers["narrowed"]["result"]] == [UMEROV]
    assert answers["excluded"]["result"] == []
    bad = {"q": {"query": "Umerov", "properties": [{"v": post}]}}
    assert rc.post("/reconcile", data={"queries": json.dumps(bad)}).status_code == 400


# --- data extension ---------------------------------------------------------------------------


def test_properties_are_proposed_for_a_type_with_a_limit(rc):
    proposed = _answer(rc.get("/reconcile/properties", query_string={"type": PERSON}))
    _valid(proposed, "data-extension-property-proposal-response")
    assert proposed["type"] == PERSON and HOLDS_POST in [p["id"] for p in proposed["properties"]]
    limited = _answer(rc.get("/reconcile/properties", query_string={"type": PERSON, "limit": 1}))
    _valid(limited, "data-extension-property-proposal-response")
    assert limited["limit"] == 1 and limited["properties"] == proposed["properties"][:1]
    nothing = _answer(rc.get("/reconcile/properties", query_string={"type": str(PARLEY.Claim)}))
    assert nothing["properties"] == []
    assert rc.get("/reconcile/properties").status_code == 400


def test_a_data_extension_gives_every_id_every_property(rc):
    asked = {
        "ids": [UMEROV, MEDINSKY, BASE + "id/person/nobody-of-that-name"],
        "properties": [{"id": HOLDS_POST}, {"id": "http://www.w3.org/2004/02/skos/core#altLabel"}],
    }
    _valid(asked, "data-extension-query")
    post = _answer(rc.post("/reconcile", data={"extend": json.dumps(asked)}))
    get = _answer(rc.get("/reconcile", query_string={"extend": json.dumps(asked)}))
    assert post == get
    _valid(post, "data-extension-response")
    assert [m["id"] for m in post["meta"]] == [HOLDS_POST, "http://www.w3.org/2004/02/skos/core#altLabel"]
    assert all(m["name"] for m in post["meta"])
    assert set(post["rows"]) == set(asked["ids"])
    for row in post["rows"].values():
        assert set(row) == {HOLDS_POST, "http://www.w3.org/2004/02/skos/core#altLabel"}
    assert {v["id"] for v in post["rows"][UMEROV][HOLDS_POST]} == _sparql_objects(rc, UMEROV, HOLDS_POST)
    assert all(v["name"] for v in post["rows"][UMEROV][HOLDS_POST])
    assert post["rows"][UMEROV]["http://www.w3.org/2004/02/skos/core#altLabel"] == [{"str": "Rustam Umerov"}]
    assert post["rows"][BASE + "id/person/nobody-of-that-name"][HOLDS_POST] == []


@pytest.mark.parametrize(
    "extend",
    [
        "not json",
        "[]",
        json.dumps({"ids": [UMEROV]}),
        json.dumps({"ids": "x", "properties": []}),
        json.dumps({"ids": [UMEROV], "properties": [{"id": ""}]}),
        json.dumps({"ids": [UMEROV], "properties": [{"id": "p"}] * 51}),
    ],
)
def test_a_malformed_extension_is_a_400(rc, extend):
    response = rc.post("/reconcile", data={"extend": extend})
    assert response.status_code == 400 and response.json["error"]["hint"]


# --- preview ----------------------------------------------------------------------------------


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.inline_styles, self.text = 0, 0, []

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self.inline_styles += tag == "style" or any(name == "style" or name.startswith("on") for name, _ in attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_the_preview_is_a_small_page_with_no_script(rc):
    response = rc.get("/reconcile/preview", query_string={"id": UMEROV})
    assert response.status_code == 200 and response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors *" in policy
    markup = _Markup()
    markup.feed(response.get_data(as_text=True))
    assert markup.scripts == 0 and markup.inline_styles == 0
    text = " ".join(" ".join(markup.text).split())
    assert "Rustem Umerov" in text and "holds post" in text and "also called Rustam Umerov" in text
