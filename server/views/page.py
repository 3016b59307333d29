"""The context of a resource page: property tables, claims, quotes, graphs and schema.org data.

``page_context(iri, triples)`` turns a description into what ``resource.html`` shows: the
properties (named by ontology labels, links in and out), the nodes described alongside
(evidence, selectors), the claims grouped by measure, the attestations, an article's marked
text, the graphs that mention the resource, and a schema.org description embedded as JSON-LD
(escaped so that no label can close the script element).
"""

from __future__ import annotations

import json
from collections import OrderedDict, defaultdict
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from graph.namespaces import BASE, PARLEY

from ..data.canned import query
from ..data.site import site
from .compare import comparisons_about, spoken
from .evidence import attestations, by_passage, claims, group_by_measure, marked_text
from .page_charts import figure_charts_for
from .terms import RDF_TYPE, curie, derived_label, iri_term, label, local_href, property_table, shown_types, term

# The facts a reader looks for first on an event's page, in this order: (property, words, incoming).
KEY_FACTS = (
    (PARLEY.date, "date", False),
    (PARLEY.startDate, "from", False),
    (PARLEY.endDate, "until", False),
    (PARLEY.place, "place", False),
    (PARLEY.mediatedBy, "mediated by", False),
    (PARLEY.facilitatedBy, "facilitated by", False),
    (PARLEY.party, "parties", False),
    (PARLEY.attended, "delegations", True),
    (PARLEY.exchanged, "exchanged", False),
    (PARLEY.transferredBy, "handed over by", False),
    (PARLEY.transferredTo, "handed over to", False),
    (PARLEY.reachedAt, "reached at", False),
    (PARLEY.partOf, "part of", False),
)

# The schema.org type embedded in a page's JSON-LD, by Parley class.
SCHEMA_TYPES = {
    "Person": "Person",
    "State": "Country",
    "Organisation": "Organization",
    "NewsOrganisation": "NewsMediaOrganization",
    "Delegation": "Organization",
    "Place": "Place",
    "Event": "Event",
    "NegotiationProcess": "Event",
    "NegotiationRound": "Event",
    "ExchangeProcess": "Event",
    "ExchangeRound": "Event",
    "Article": "NewsArticle",
    "Claim": "Claim",
    "Agreement": "CreativeWork",
    "Provision": "CreativeWork",
    "Proposal": "CreativeWork",
    "Post": "Role",
}


def json_ld_script(data: dict) -> Markup:
    """Return JSON for a <script type="application/ld+json"> element, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def schema_org(iri: str, name: str, types: list[str], triples: list[ox.Triple], claim_items: list[dict]) -> dict:
    """Return a schema.org description of the resource for search engines."""
    s = site()
    local_types = [t[len(str(PARLEY)) :] for t in types if t.startswith(str(PARLEY))]
    stype = next((SCHEMA_TYPES[t] for t in local_types if t in SCHEMA_TYPES), None)
    if stype is None:
        stype = "DefinedTerm" if "http://www.w3.org/2004/02/skos/core#Concept" in types else "Thing"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": stype,
        "@id": iri,
        "name": name,
        "url": BASE + "doc/" + iri[len(BASE) :].split("/", 1)[-1] if iri.startswith(BASE + "id/") else iri,
    }
    props = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri:
            props[t.predicate.value].append(t.object)

    def first(pred):
        values = props.get(str(pred)) or []
        return values[0].value if values else None

    alt = [v.value for v in props.get("http://www.w3.org/2004/02/skos/core#altLabel", [])]
    if alt:
        data["alternateName"] = sorted(alt)
    definition = first("http://www.w3.org/2004/02/skos/core#definition")
    if definition:
        data["description"] = definition
    if stype == "Event":
        start = first(PARLEY.date) or first(PARLEY.startDate)
        if start:
            data["startDate"] = start
        end = first(PARLEY.date) or first(PARLEY.endDate)
        if end:
            data["endDate"] = end
        place = props.get(str(PARLEY.place))
        if place:
            data["location"] = {"@type": "Place", "@id": place[0].value, "name": label(place[0].value, s)}
    if stype == "NewsArticle":
        for key, pred in (("headline", PARLEY.headline), ("datePublished", PARLEY.publishedOn)):
            if first(pred):
                data[key] = first(pred)
        outlet = props.get(str(PARLEY.outlet))
        if outlet:
            data["publisher"] = {"@type": "Organization", "@id": outlet[0].value, "name": label(outlet[0].value, s)}
    if stype == "Claim" and claim_items:
        claim = next((c for c in claim_items if c["iri"] == iri), None)
        if claim:
            if claim["quote"]:
                data["text"] = claim["quote"]["exact"]
            if claim["stated_on"]:
                data["dateCreated"] = claim["stated_on"]
            data["author"] = [{"@id": sp["iri"], "name": sp["label"]} for sp in claim["speakers"] if "iri" in sp]
            data["appearance"] = [
                {"@type": "NewsArticle", "@id": a["iri"], "name": a["label"]} for a in claim["articles"] if "iri" in a
            ]
    return data


def _node_label(iri: str, triples: list[ox.Triple]) -> str:
    """Label a node shown inside another's page: its own label, else its type and fragment."""
    s = site()
    found = s.label_of(iri) or derived_label(iri, s)
    if found:
        return found
    node = ox.NamedNode(iri)
    kinds = [label(t.object.value, s) for t in triples if t.subject == node and t.predicate.value == RDF_TYPE]
    tail = ("#" + iri.rsplit("#", 1)[1]) if "#" in iri else curie(iri)
    return f"{kinds[0]} ({tail})" if kinds else tail


# The pages that chart figures over time, by class: what is claimed about an exchange, what a person said.
CHART_KINDS = {str(PARLEY.ExchangeRound): "about", str(PARLEY.ExchangeProcess): "about", str(PARLEY.Person): "speaker"}
CHART_HEADINGS = {
    "about": "The figures claimed about it, over time",
    "speaker": "The figures they stated, over time",
    "measure": "Every figure of this measure, over time",
}


def chart_kind(iri: str, types: list[str]) -> str | None:
    """Which figures the page of ``iri`` charts (``page_charts.QUERIES``), or None."""
    if iri.startswith(BASE + "id/measure/"):
        return "measure"
    return next((CHART_KINDS[t] for t in types if t in CHART_KINDS), None)


def key_facts(rows: list[dict], incoming: list[dict]) -> list[dict]:
    """The key facts of an event (date, place, mediator, parties, ...) from its property tables,
    for the top of its page; [] for a resource with none of them."""
    out_rows = {r["predicate"]["iri"]: r["values"] for r in rows}
    in_rows = {r["predicate"]["iri"]: r["values"] for r in incoming}
    facts = []
    for prop, words, backwards in KEY_FACTS:
        values = (in_rows if backwards else out_rows).get(str(prop))
        if values:
            facts.append({"label": words, "values": values})
    dated = any(f["label"] in ("date", "from", "until") for f in facts)
    return facts if dated or len(facts) > 2 else []


def page_context(iri: str, triples: list[ox.Triple]) -> dict:
    """Return the template context of the HTML page describing ``iri``."""
    s = site()
    node = ox.NamedNode(iri)
    types = sorted({t.object.value for t in triples if t.subject == node and t.predicate.value == RDF_TYPE})
    name = label(iri, s)
    is_claim = str(PARLEY.Claim) in types
    claim_items = claims(iri, related=is_claim)
    hash_nodes = OrderedDict()
    for t in triples:
        subj = t.subject
        if isinstance(subj, ox.NamedNode) and subj != node and "#" in subj.value:
            hash_nodes.setdefault(subj.value, None)
    others = OrderedDict()  # nodes described alongside (evidence of a claim, selectors)
    for t in triples:
        subj = t.subject
        if isinstance(subj, ox.NamedNode) and subj != node and t.object != node and subj.value not in hash_nodes:
            others.setdefault(subj.value, None)
    sections = [
        {
            "iri": x,
            "anchor": x.rsplit("#", 1)[-1] if x.startswith(iri + "#") else None,
            "label": _node_label(x, triples),
            "href": local_href(x) or x,
            "rows": property_table(triples, x),
        }
        for x in list(hash_nodes) + list(others)
    ]
    text = marked_text(iri) if str(PARLEY.Article) in types else None
    about = {t.object.value for t in triples if t.subject == node and t.predicate.value == str(PARLEY.about)}
    measures = {t.object.value for t in triples if t.subject == node and t.predicate.value == str(PARLEY.measure)}
    if is_claim:  # the comparisons this claim's figure is part of, in comparisons()'s order
        found = [c for a in about for c in comparisons_about(a) if c["measure"]["iri"] in measures]
        compare = sorted(found, key=lambda c: (-c["count"], c["subject"]["iri"], c["measure"]["iri"]))
    else:  # the comparisons about this resource
        compare = comparisons_about(iri)
    # at most a page of graphs (a resource mentioned in every article's graph lists the first)
    found = s.store.select(query("graphs-of"), {"s": node}, limit=s.settings["page_links"])
    graphs = [term(g, s) for g in sorted((row["g"] for row in found), key=lambda g: g.value)]
    graph_info = None
    if iri.startswith(BASE + "graph/"):
        size = s.store.select(query("graph-size"), {"s": node})
        if size and int(size[0]["triples"].value):
            graph_info = {
                "triples": int(size[0]["triples"].value),
                "subjects": int(size[0]["subjects"].value),
                "members": [term(row["x"], s) for row in s.store.select(query("graph-subjects"), {"s": node})],
            }
    rows, incoming = property_table(triples, iri), property_table(triples, iri, incoming=True)
    kind = None if is_claim else chart_kind(iri, types)
    return {
        "iri": iri,
        "label": name,
        "types": [iri_term(t, s) for t in shown_types(types)],
        "key_facts": [] if is_claim else key_facts(rows, incoming),
        "figure_charts": figure_charts_for(iri, kind) if kind else [],
        "charts_heading": CHART_HEADINGS.get(kind or "", ""),
        "rows": rows,
        "incoming": incoming,
        "sections": sections,
        "claim_groups": group_by_measure(claim_items),
        "comparisons": compare,
        "spoken": [] if is_claim else spoken(iri),
        "is_claim": is_claim,
        "attestations": by_passage(attestations(iri)),
        "article_text": text,
        "graphs": graphs,
        "graph_info": graph_info,
        "json_ld": json_ld_script(schema_org(iri, name, types, triples, claim_items)),
    }
