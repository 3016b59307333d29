"""``/reconcile``: the W3C Entity Reconciliation API over the search index, as OpenRefine uses it.

- ``GET /reconcile`` is the service manifest (``versions``, ``name``, ``identifierSpace``,
  ``schemaSpace``, ``defaultTypes`` from the ontology's classes, ``view``, ``preview``,
  ``suggest``); with ``callback=`` it is JSONP, as the 0.2 specification asks of a manifest.
- ``queries`` (form-encoded POST, or GET) is a 0.2 batch, ``{"q0": {"query": "...", "type":
  "...", "limit": 3}}``, answered ``{"q0": {"result": [candidates]}}``; a JSON POST body
  ``{"queries": [...]}`` is a draft 1.0 batch, answered ``{"results": [{"candidates": [...]}]}``
  (names and descriptions there as lists of ``{"str", "lang"}``, as the draft has them).
  A candidate is ``{"id", "name", "type", "score", "match", "description"}``: the id is the
  entity's IRI, the score 0-100 (100 for a name equal to a label or variant label), and
  ``match`` is true for the best candidate only when its name is equal and no other one's is.
  Candidates are entities only (``views.reconcile.NOT_ENTITIES``: never a claim, claim
  relation or other statement, whatever type is asked for); the description is the entity's
  types and what the graph says of it ("person; holds post: ..."). A query's ``properties``
  (``[{"pid": property IRI, "v": a value, an {"id": IRI} or a list of them}]``) keep the
  candidates that have those values; a query with properties and no ``query`` (0.2 allows it)
  is answered with every entity that has them (score 100).
- Data extension (the manifest's ``extend``): ``/reconcile/properties?type=&limit=`` proposes
  the properties of a type's entities, ``{"type", "properties": [{"id", "name"}], "limit"}``;
  ``extend={"ids": [...], "properties": [{"id": ...}]}`` (form POST or GET) answers
  ``{"meta": [{"id", "name"}], "rows": {id: {property: [values]}}}``, a value being
  ``{"id", "name"}`` (an entity), ``{"str"}``, ``{"int"}`` or ``{"float"}``.
- ``/reconcile/suggest/entity?prefix=`` (and ``/reconcile/suggest/type``), ``/reconcile/preview?id=``
  (an HTML card that may be framed: name, description, facts; the manifest's ``preview`` with
  its width and height) and ``/reconcile/view?id=`` (303 to the entity's page).

Every response allows any origin (CORS); a malformed batch is a 400 in the site's error shape.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, json, redirect, render_template, request

from graph.namespaces import BASE, PARLEY

from ..data.search import check_query, normalize, words
from ..data.site import site
from ..http.representations import HTML, JSON, content_type
from ..problems import BadQuery, NotFound
from ..views import reconcile as recon
from ..views.terms import local_href
from .search import index

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")

MAX_QUERIES = 100
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
MAX_PROPERTIES = 50
_CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")
PREVIEW_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors *"


def entity_types() -> list[dict]:
    """The classes that entities here have (the manifest's defaultTypes)."""
    return [{"id": c["iri"], "name": c["label"]} for c in recon.entity_classes(index().classes)]


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    return response


def _json(body, status: int = 200) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status, content_type=content_type(JSON))
    response.headers["Cache-Control"] = "no-cache"
    return response


def manifest() -> dict:
    root = request.host_url.rstrip("/") + request.script_root + "/reconcile"
    return {
        "versions": ["0.2"],  # the draft's manifest differs (suggest as booleans); OpenRefine reads 0.2
        "name": "Parley: people, organisations, places and events of the 2025 Istanbul talks",
        "identifierSpace": BASE + "id/",
        "schemaSpace": str(PARLEY),
        "defaultTypes": entity_types(),
        "view": {"url": root + "/view?id={{id}}"},
        "preview": {"url": root + "/preview?id={{id}}", "width": 430, "height": 200},
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/properties"},
            "property_settings": [],
        },
        "suggest": {
            "entity": {"service_url": root, "service_path": "/suggest/entity"},
            "type": {"service_url": root, "service_path": "/suggest/type"},
        },
        "batchSize": MAX_QUERIES,
    }


def _types_of(query: dict) -> list[str]:
    value = query.get("type")
    if value is None or value == "":
        return [t["id"] for t in entity_types()]
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if isinstance(v, dict):
            v = v.get("id")
        if not isinstance(v, str):
            raise BadQuery(
                "a query's type must be a class IRI or a list of them", hint="see defaultTypes in /reconcile"
            )
        out.append(v)
    return out


def _limit(query: dict) -> int:
    value = query.get("limit", DEFAULT_LIMIT)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise BadQuery(f"limit {value!r} is not a positive whole number", hint='e.g. "limit": 3')
    return min(value, MAX_LIMIT)


def _conditions(query: dict) -> list[tuple[str, list]]:
    """A query's ``properties`` as (property IRI, values asked); BadQuery when malformed."""
    given = query.get("properties", [])
    hint = 'e.g. "properties": [{"pid": "' + str(PARLEY.holdsPost) + '", "v": "an entity id or a name"}]'
    if not isinstance(given, list) or len(given) > MAX_PROPERTIES:
        raise BadQuery(f"a query's properties must be a list of at most {MAX_PROPERTIES}", hint=hint)
    out = []
    for item in given:
        pid, value = (item.get("pid"), item.get("v")) if isinstance(item, dict) else (None, None)
        values = value if isinstance(value, list) else [value]
        if not isinstance(pid, str) or not pid or not values or not all(_value_ok(v) for v in values):
            raise BadQuery('each of a query\'s properties is {"pid": ..., "v": ...}', hint=hint)
        out.append((pid, values))
    return out


def _value_ok(value) -> bool:
    if isinstance(value, dict):
        return isinstance(value.get("id"), str)
    return isinstance(value, str | int | float | bool)


def _candidate(iri: str, label: str, types: list[str], score: float, variant: str | None) -> dict:
    names = {t["id"]: t["name"] for t in entity_types()}
    classes = {c["iri"]: c["label"] for c in index().classes}
    typed = [{"id": t, "name": names.get(t) or classes[t]} for t in types if t in classes]
    return {
        "id": iri,
        "name": label,
        "type": typed,
        "score": score,
        "match": False,
        "description": recon.description(iri, [t["name"] for t in typed], variant),
    }


def candidates(query: dict) -> list[dict]:
    """The scored candidates for one reconciliation query."""
    if not isinstance(query, dict) or not (isinstance(query.get("query"), str) or query.get("properties")):
        raise BadQuery('each reconciliation query needs a "query" string', hint='e.g. {"query": "Rustem Umerov"}')
    conditions = _conditions(query)
    allowed = recon.with_properties(conditions) if conditions else None
    wanted = [t for t in _types_of(query) if t in {e["id"] for e in entity_types()}]  # entities only
    limit = _limit(query)
    if not wanted:
        return []
    if not isinstance(query.get("query"), str):  # properties alone: every entity that has them
        out = []
        for iri in sorted(allowed):
            label, types = index().resource(iri) or (iri, [])
            if set(wanted) & set(types) and not recon.NOT_ENTITIES.intersection(types):
                out.append(_candidate(iri, label, types, 100.0, None))
        out = out[:limit]
        if len(out) == 1:
            out[0]["match"] = True
        return out
    q = check_query(query["query"])
    hits = index().search(q, types=wanted, kinds=("label", "altLabel"))
    hits = [h for h in hits if not recon.NOT_ENTITIES.intersection(h.types) and (allowed is None or h.iri in allowed)]
    query_words = words(q)
    out = []
    for hit in hits[:limit]:
        exact = hit.exact or normalize(hit.label).split() == query_words
        score = 100.0 if exact else round(min(hit.score / 1.8, 0.99) * 100, 1)
        variant = hit.text if hit.kind == "altLabel" and hit.text != hit.label else None
        out.append(_candidate(hit.iri, hit.label, hit.types, score, variant))
    exact_ones = [c for c in out if c["score"] == 100.0]
    if len(exact_ones) == 1 and out[0] is exact_ones[0]:
        out[0]["match"] = True
    return out


def _batch_02(text: str) -> dict:
    try:
        batch = json.loads(text)
    except ValueError as exc:
        raise BadQuery(f"queries is not JSON ({exc})", hint='send queries={"q0": {"query": "a name"}}') from None
    if not isinstance(batch, dict):
        raise BadQuery("queries must be a JSON object of queries by key", hint='e.g. {"q0": {"query": "a name"}}')
    if len(batch) > MAX_QUERIES:
        raise BadQuery(f"{len(batch)} queries in one batch; at most {MAX_QUERIES}", hint="send smaller batches")
    return {str(key): {"result": candidates(query)} for key, query in batch.items()}


def _batch_10(body) -> dict:
    queries = body.get("queries") if isinstance(body, dict) else None
    if not isinstance(queries, list):
        raise BadQuery('a draft 1.0 request is {"queries": [...]}', hint='e.g. {"queries": [{"query": "a name"}]}')
    if len(queries) > MAX_QUERIES:
        raise BadQuery(f"{len(queries)} queries in one batch; at most {MAX_QUERIES}", hint="send smaller batches")
    return {"results": [{"candidates": [_draft(c) for c in candidates(q)]} for q in queries]}


def _draft(candidate: dict) -> dict:
    """A candidate in the draft 1.0 shape: names and descriptions as lists of string objects."""
    out = dict(candidate, name=[{"str": candidate["name"], "lang": "en"}])
    description = out.pop("description")
    if description:
        out["description"] = [{"str": description, "lang": "en"}]
    return out


def _extend(text: str) -> dict:
    """The 0.2 data extension response to the query ``text`` (``{"ids", "properties"}``)."""
    try:
        asked = json.loads(text)
    except ValueError as exc:
        raise BadQuery(f"extend is not JSON ({exc})", hint=EXTEND_HINT) from None
    ids = asked.get("ids") if isinstance(asked, dict) else None
    properties = asked.get("properties") if isinstance(asked, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise BadQuery('a data extension query needs "ids", a list of entity ids', hint=EXTEND_HINT)
    if not isinstance(properties, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) and p["id"] for p in properties
    ):
        raise BadQuery('a data extension query needs "properties", a list of {"id": ...}', hint=EXTEND_HINT)
    if len(ids) > MAX_QUERIES or len(properties) > MAX_PROPERTIES:
        raise BadQuery(
            f"{len(ids)} ids and {len(properties)} properties asked; at most {MAX_QUERIES} and {MAX_PROPERTIES}",
            hint="send smaller batches",
        )
    return recon.extension(list(dict.fromkeys(ids)), list(dict.fromkeys(p["id"] for p in properties)))


EXTEND_HINT = 'e.g. extend={"ids": ["an entity id"], "properties": [{"id": "a property id"}]}'


@bp.route("", methods=["GET", "POST", "OPTIONS"])
def service():
    """The manifest (GET), the answers to a batch of queries (``queries``, or a JSON body), or
    a data extension (``extend``)."""
    if request.method == "OPTIONS":
        return Response(status=204)
    if request.method == "POST" and request.mimetype == "application/json":
        return _json(_batch_10(request.get_json(silent=True)))
    queries = request.values.get("queries")
    if queries is not None:
        return _json(_batch_02(queries))
    extend = request.values.get("extend")
    if extend is not None:
        return _json(_extend(extend))
    callback = request.args.get("callback")
    if callback is not None and request.method == "GET":
        if not _CALLBACK.match(callback):
            raise BadQuery("callback is not a JavaScript function name", hint="e.g. callback=handleManifest")
        body = f"/**/{callback}({json.dumps(manifest(), ensure_ascii=False)});"
        return Response(body, content_type="text/javascript; charset=utf-8")
    return _json(manifest())


@bp.route("/properties", methods=["GET", "OPTIONS"])
def propose_properties():
    """The properties the entities of ``type`` have, most used first (at most ``limit``)."""
    type_iri = (request.args.get("type") or "").strip()
    if not type_iri:
        raise BadQuery("a property proposal needs a type", hint="e.g. /reconcile/properties?type=" + str(PARLEY.Person))
    raw = request.args.get("limit")
    limit = _limit({"limit": raw}) if raw is not None else None

    def types_of(iri: str) -> list[str]:
        found = index().resource(iri)
        return found[1] if found else []

    body = {"type": type_iri, "properties": recon.proposed_properties(type_iri, types_of, limit)}
    if limit is not None:
        body["limit"] = limit
    return _json(body)


@bp.route("/suggest/entity", methods=["GET", "OPTIONS"])
def suggest_entity():
    """Entities whose names start with (or nearly match) ``prefix``."""
    prefix = check_query(request.args.get("prefix"))
    found = index().search(prefix, types=[t["id"] for t in entity_types()], kinds=("label", "altLabel"))
    found = [h for h in found if not recon.NOT_ENTITIES.intersection(h.types)][:10]
    classes = {c["iri"]: c["label"] for c in index().classes}
    result = [
        {
            "id": h.iri,
            "name": h.label,
            "description": recon.description(h.iri, [classes[t] for t in h.types if t in classes]),
            "notable": [{"id": t, "name": classes[t]} for t in h.types if t in classes],
        }
        for h in found
    ]
    return _json({"result": result})


@bp.route("/suggest/type", methods=["GET", "OPTIONS"])
def suggest_type():
    """Entity classes whose labels contain ``prefix``."""
    prefix = normalize(check_query(request.args.get("prefix")))
    result = [t for t in entity_types() if prefix in normalize(t["name"])]
    return _json({"result": result})


def _entity(iri: str | None) -> tuple[str, str, list[str]]:
    found = index().resource(iri) if iri else None
    if found is None:
        raise NotFound(f"no entity {iri!r} in this dataset", hint="give the id of a reconciliation candidate")
    return iri, *found


@bp.route("/preview", methods=["GET"])
def preview():
    """A small HTML card of one entity, for OpenRefine's preview frame."""
    iri, label, types = _entity(request.args.get("id"))
    classes = {c["iri"]: c["label"] for c in index().classes}
    names = [classes[t] for t in types if t in classes]
    body = render_template(
        "reconcile_preview.html",
        iri=iri,
        label=label,
        types=names,
        description=recon.description(iri, names),
        facts=recon.preview_facts(iri),
        href=local_href(iri) or iri,
        site=site(),
    )
    response = Response(body, content_type=content_type(HTML))
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response


@bp.route("/view", methods=["GET"])
def view():
    """303 to the page of the entity ``id`` names."""
    iri, _label, _types = _entity(request.args.get("id"))
    return redirect(local_href(iri) or iri, code=303)
