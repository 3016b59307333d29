"""Which prefixes a serializer may use for some triples without writing an escape.

The endpoint's CONSTRUCT and DESCRIBE answers and the pages' CURIEs share the rule of what a
plain local name is; it lives here, below both, so that the query processes need nothing of the
pages (no Flask, no site).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

# A local name that is a valid prefixed name in SPARQL and Turtle as it is (PN_LOCAL without
# escapes; no "/", no final "."), so a CURIE shown on a page can be pasted into a query.
PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")


# what Turtle writes without a prefixed name: rdf:type as "a", and literals of these types bare
_WRITTEN_BARE = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#boolean",
}


def plain_prefixes(triples: Iterable, prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes a serializer may use for ``triples`` without writing an escape: those that
    name some IRI of the triples and under which every such IRI has a plain local name. (A
    serializer given ``pid:`` writes ``pid:person\\/rufus-firefly``; without it, the IRI in full.)"""
    used: set[str] = set()
    spoilt: set[str] = set()
    ordered = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    for triple in triples:
        for node in (triple.subject, triple.predicate, triple.object):
            iri = node.value if isinstance(node, ox.NamedNode) else None
            if isinstance(node, ox.Literal) and not node.language:
                iri = node.datatype.value  # a language tag is written, not rdf:langString
            if iri is None or iri in _WRITTEN_BARE:
                continue
            for prefix, ns in ordered:
                if iri.startswith(ns):
                    (used if PLAIN_LOCAL.fullmatch(iri[len(ns) :]) else spoilt).add(prefix)
                    break
    return {prefix: ns for prefix, ns in prefixes.items() if prefix in used and prefix not in spoilt}
