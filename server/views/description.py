r"""What the dataset says about one IRI: the triples of its document, and the document's own.

A description is the resource's triples in every graph, the triples that point at it, and for
claims and evidence their quantity and selector nodes (hash IRIs), from the canned query
``describe.rq``. ``doc_metadata`` adds what the document says of itself (``foaf:primaryTopic``,
``dcterms:hasFormat`` for each representation); ``serialize`` writes triples in an RDF
representation of the table.

Turtle and JSON-LD are written for people as well as parsers, by rdflib: Turtle grouped by
subject (sorted), declaring only the prefixes it uses, with an IRI in full wherever its
prefixed name would need an escape (``pid:person\/...`` is valid Turtle but unreadable, and
``pid:person/...`` is not Turtle at all); JSON-LD compacted against the context the site
publishes (``server.views.context``), carrying the part of it the document uses (every prefix,
the terms that occur), so any JSON-LD processor reads a document offline. Both cost a few milliseconds for
a resource document (measured: 3-5 ms for a claim's 30 triples), made once per document and
build (the body cache). N-Triples and RDF/XML stay pyoxigraph's.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
from rdflib import Graph

from graph.dump import from_ox
from graph.namespaces import BASE, PREFIXES

from ..data.canned import query
from ..data.site import site
from ..http.representations import DOCUMENT, JSON_LD, TURTLE, Representation
from ..problems import NotFound
from .context import namespaces, site_context, used_context

FOAF_PRIMARY_TOPIC = ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
DCT_HAS_FORMAT = ox.NamedNode("http://purl.org/dc/terms/hasFormat")
DCT_FORMAT = ox.NamedNode("http://purl.org/dc/terms/format")
SERIALIZE_PREFIXES = {k: str(v) for k, v in PREFIXES.items()} | {"foaf": "http://xmlns.com/foaf/0.1/"}

# A path below /id/ or /graph/: slug segments, nothing that could be anything but a name.
# (Dots are allowed inside a segment: the software agent is agent/parley-0.1.0.)
_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*(?:/[A-Za-z0-9][A-Za-z0-9._~-]*)*$")
MAX_PATH_CHARS = 512  # no slug is longer; a longer path is not a name of this dataset


def thing_iri(path: str, under: str = "id/") -> str:
    """Return the canonical IRI for a request path below /id/ or /graph/; NotFound if no name."""
    if len(path) > MAX_PATH_CHARS or not _PATH.match(path):
        shown = path if len(path) <= 80 else path[:80] + "…"
        raise NotFound(
            f"no resource /{under}{shown} in this dataset",
            hint="resource paths are lower-case words joined by hyphens, e.g. /id/person/vladimir-medinsky",
        )
    return BASE + under + path


def describe(iri: str, page: int = 1) -> list[ox.Triple]:
    """Return the description of ``iri`` (see the module docstring); empty when unknown.

    Links out and links in are each read one window of ``page_links`` at a time (``page``
    counts from 1), so a resource linked from 100,000 others costs one page of work.
    """
    s = site()
    node = ox.NamedNode(iri)
    size = s.settings["page_links"]
    start = (page - 1) * size
    seen, out = set(), []
    found = [
        ox.Triple(node, r["p"], r["o"])
        for r in s.store.select(query("links-out"), {"s": node}, limit=size, offset=start)
    ]
    found += [
        ox.Triple(r["x"], r["q"], node)
        for r in s.store.select(query("links-in"), {"s": node}, limit=size, offset=start)
    ]
    found += s.store.triples(query("describe"), {"s": node})
    for triple in found:
        if triple not in seen:
            seen.add(triple)
            out.append(triple)
    out.sort(key=str)  # one order whatever the store (embedded or remote) yields them in
    return out


COUNT_CAP = 100_000  # link-counts.rq counts up to one more than this


def link_counts(iri: str, page: int) -> dict:
    """Return how many links ``iri`` has out and in (up to ``COUNT_CAP``), and the page window."""
    s = site()
    counts = {}
    for key in ("in", "out"):
        rows = s.store.select(query(f"links-{key}-count"), {"s": ox.NamedNode(iri)})
        counts[key] = int(rows[0]["n"].value) if rows else 0
    size = s.settings["page_links"]
    most = max(counts.values())
    return {
        "page": page,
        "size": size,
        "first": (page - 1) * size + 1,
        "in": counts["in"],
        "out": counts["out"],
        "capped": {k: v > COUNT_CAP for k, v in counts.items()},
        "cap": COUNT_CAP,
        "paged": most > size or page > 1,
        "last": max(1, -(-min(most, COUNT_CAP + 1) // size)),
    }


def exists(iri: str, triples: list[ox.Triple]) -> bool:
    """Return True when the dataset knows ``iri``: it has a description or names a graph."""
    if triples:
        return True
    return iri.startswith(BASE + "graph/") and site().store.ask(query("graph-exists"), {"s": ox.NamedNode(iri)})


def known(iri: str) -> bool:
    """Return ``exists(iri, describe(iri))`` without reading the description: one ASK, remembered
    per worker (a 303 from /id/ needs no more)."""
    s = site()
    return s.memo("known", lambda x: s.store.ask(query("known"), {"s": ox.NamedNode(x)}) or exists(x, []))(iri)


def doc_metadata(doc: str, iri: str, offered: tuple[Representation, ...] = DOCUMENT) -> list[ox.Triple]:
    """Triples that say which thing a document is about and name each of its formats (``offered``)."""
    doc_node = ox.NamedNode(doc)
    triples = [ox.Triple(doc_node, FOAF_PRIMARY_TOPIC, ox.NamedNode(iri))]
    for rep in offered:
        fmt = ox.NamedNode(f"{doc}.{rep.key}")
        triples.append(ox.Triple(doc_node, DCT_HAS_FORMAT, fmt))
        triples.append(ox.Triple(fmt, DCT_FORMAT, ox.Literal(rep.media_type)))
    return triples


def rdflib_graph(triples: list[ox.Triple]) -> Graph:
    """The triples as an rdflib graph that knows the site's prefixes (and no others)."""
    graph = Graph(bind_namespaces="none")
    for prefix, ns in namespaces().items():
        graph.bind(prefix, ns)
    for t in triples:
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return graph


def _in_order(node, key: str | None = None):
    """The JSON-LD tree with every unordered array sorted (``@list`` arrays are RDF lists and keep
    their order): rdflib writes nodes and values in hash order, which differs from one process
    to the next, and the bytes of a document must not (its ETag is the same in every worker)."""
    if isinstance(node, dict):
        return {k: _in_order(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_in_order(item) for item in node]
        return items if key == "@list" else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return node


def serialize(triples: list[ox.Triple], rep: Representation) -> bytes:
    """Return ``triples`` written in the RDF representation ``rep`` (see the module docstring)."""
    if rep is TURTLE:
        return rdflib_graph(triples).serialize(format="turtle", encoding="utf-8")
    if rep is JSON_LD:
        context = site_context(site())["@context"]
        text = rdflib_graph(triples).serialize(format="json-ld", context=context, auto_compact=True)
        document = _in_order(json.loads(text))
        document["@context"] = used_context(document, context)
        # keys sorted too: "@context" first, then "@graph", then each node's "@id", "@type" ...
        return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    if rep.rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return ox.serialize(triples, format=rep.rdf_format)
    return ox.serialize(triples, format=rep.rdf_format, prefixes=SERIALIZE_PREFIXES)
