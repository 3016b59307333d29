"""What the entry pages show: the dataset in figures, the contested pairs and the articles (``/``),
the classes with their instances (``/types``) and the events in date order, charted to scale
(``/timeline``, ``views.timeline_chart``).

Each is computed once per app (``Site.once``) where it does not depend on the request.
"""

from __future__ import annotations

from collections import OrderedDict

import pyoxigraph as ox
from flask import url_for
from markupsafe import Markup
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.namespaces import BASE, PARLEY, WORLD_GRAPH

from ..data.canned import query
from ..data.site import site
from .compare import compared_pairs
from .evidence import by_passage, row_quote
from .terms import curie, iri_term, reason_words, term
from .timeline_chart import timeline_charts

DATE_PROPERTIES = {str(PARLEY.date), str(PARLEY.startDate), str(PARLEY.endDate)}


def _int(rows, name) -> int:
    return int(rows[0][name].value) if rows and name in rows[0] else 0


def figures() -> dict:
    s = site()
    rows = s.store.select(query("counts"))
    figures = {
        "triples": _int(rows, "quads"),
        "claims": _int(rows, "claims"),
        "articles": _int(rows, "articles"),
        "conflict_links": _int(rows, "conflicts") // 2,
        "possible_conflict_links": _int(rows, "possibly") // 2,
        "entities": _int(s.store.select(query("entity-count"), {"world": ox.NamedNode(str(WORLD_GRAPH))}), "n"),
        "graphs": _int(s.store.select(query("graph-count")), "n"),
    }
    void_path = s.path("void.ttl")
    if void_path.is_file():
        void = Graph().parse(void_path, format="turtle")
        value = next(iter(void.objects(URIRef(BASE + "dataset"), URIRef("http://rdfs.org/ns/void#triples"))), None)
        figures["void_triples"] = int(value) if value is not None else None
    return figures


def validation_summary() -> dict | None:
    path = site().path("validation.ttl")
    if not path.is_file():
        return None
    graph = Graph().parse(path, format="turtle")
    conforms = next(iter(graph.objects(None, SH.conforms)), None)
    results = list(graph.subjects(RDF.type, SH.ValidationResult))
    return {"conforms": None if conforms is None else bool(conforms.toPython()), "results": len(results)}


def contested() -> list[dict]:
    """The pairs of claims in conflict (or possibly), each with the page that compares them."""
    pairs = compared_pairs()
    return [
        {
            "about": term(r["about"]),
            "measure": term(r["measure"]),
            "a": term(r["a"]),
            "b": term(r["b"]),
            "kind": r["kind"].value.rsplit("/", 1)[-1],
            "words": "conflict" if r["kind"].value.endswith("/conflicts") else "possible conflict",
            "by_hand": r["rule"].value.endswith("/relation-rule/curator"),
            "reason": reason_words(r["reason"].value),
            "compare_href": pairs.get((r["about"].value, r["measure"].value)),
        }
        for r in site().store.select(query("contested"))
    ]


def articles() -> list[dict]:
    """The articles of the build."""
    return [term(r["a"]) for r in site().store.select(query("articles"))]


def type_counts() -> list[dict]:
    def compute():
        out = []
        for row in site().store.select(query("types")):
            t = term(row["type"])
            t["count"] = int(row["n"].value)
            t["list_href"] = url_for("browse.type_list", name=curie(t["iri"])) if curie(t["iri"]) != t["iri"] else None
            out.append(t)
        return out

    return site().once("types", compute)


def instances(iri: str) -> list[dict]:
    """The instances of the class ``iri``, by label."""
    items = [term(r["x"]) for r in site().store.select(query("instances"), {"type": ox.NamedNode(iri)})]
    items.sort(key=lambda t: t["label"].lower())
    return items


def timeline() -> dict:
    s = site()
    events: OrderedDict[str, dict] = OrderedDict()
    for row in s.store.select(query("events")):
        e = row["e"].value
        item = events.setdefault(
            e,
            {
                "event": term(row["e"]),
                "types": set(),
                "date": None,
                "start": None,
                "end": None,
                "quotes": [],
                "articles": [],
            },
        )
        if row["type"].value != str(PARLEY.Event) or not item["types"]:
            item["types"].add(row["type"].value)
        for key in ("date", "start", "end"):
            if key in row:
                item[key] = row[key].value
    for row in s.store.select(query("event-sources")):
        item = events.get(row["e"].value)
        if item is not None:
            item["quotes"].append(
                {
                    "property": term(row["prop"]),
                    "value": term(row["value"]),
                    "source": term(row["source"]),
                    "dates": row["prop"].value in DATE_PROPERTIES,
                    "quote": row_quote(row),
                }
            )
    for row in s.store.select(query("event-articles")):
        item = events.get(row["e"].value)
        if item is not None:
            item["articles"].append(term(row["a"]))
    dated, undated = [], []
    for item in events.values():
        specific = [t for t in item["types"] if t != str(PARLEY.Event)] or list(item["types"])
        item["types"] = [iri_term(t) for t in sorted(specific)]
        # each passage once with the statements it supports; those that date the event first
        item["quotes"].sort(key=lambda q: not q["dates"])
        passages = by_passage(item["quotes"])
        for p in passages:
            p["dates"] = any(st["property"]["iri"] in DATE_PROPERTIES for st in p["statements"])
        item["quotes"] = passages
        item["articles"].sort(key=lambda t: t["label"])
        item["when"] = item["date"] or item["start"] or item["end"]
        (dated if item["when"] else undated).append(item)
    dated.sort(key=lambda i: (i["when"], i["end"] or "", i["event"]["label"]))
    undated.sort(key=lambda i: i["event"]["label"])
    charts = timeline_charts(dated)
    for chart in charts:  # ElementTree escapes every text of the SVG
        chart["charts"] = {name: Markup(svg) for name, svg in chart["charts"].items()}  # noqa: S704
    return {"dated": dated, "undated": undated, "charts": charts}


_COUNT_WORDS = "no one two three four five six seven eight nine ten eleven twelve".split()


def in_words(count: int) -> str:
    """A count as a page prints it: in words to twelve, in digits beyond ("six", "1,024")."""
    return _COUNT_WORDS[count] if 0 <= count < len(_COUNT_WORDS) else f"{count:,}"


def corpus_counts() -> dict:
    """What every page's footer says of the corpus: how many articles the build holds (its
    ``build.json``, so an error page draws it without the store; else counted in the graph)."""
    s = site()
    articles = s.info.get("articles")
    if not isinstance(articles, int):
        articles = s.once("article-count", lambda: len(s.store.select(query("articles"))))
    noun = "news article" if articles == 1 else "news articles"
    return {"corpus_articles": f"{in_words(articles)} {noun}"}
