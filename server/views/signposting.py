"""FAIR Signposting (signposting.org, levels 1 and 2): the typed links of each landing page.

A landing page (the home page and ``/void`` for the dataset, ``/ontology``, ``/shapes``, a
release's page, a resource document) has a set of ``SignLink`` values: ``cite-as`` (the
persistent IRI to cite: the versioned IRI in a release when the served build equals one, else
the IRI itself), ``describedby`` (its RDF documents, each with its media type), ``item`` (the
dumps of a dataset), ``license`` (the licence the build states in its VoID or ontology, never
one of ours), ``type`` (a schema.org type where the class maps, and ``AboutPage`` for a
document), ``collection`` (the dataset), ``author`` (a creator the build states by IRI) and
``linkset``. The ``Link`` header carries them (level 1), all but what would cost a store
query on a revalidation (a resource's schema.org class); the linkset (RFC 9264) at
``/linkset/{path}`` carries the complete set with each link's anchor (level 2), as
``application/linkset`` or ``application/linkset+json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL

from graph.namespaces import BASE, DATASET, ONTOLOGY, PARLEY, SHAPES
from graph.release import dataset_iri
from graph.void import IANA

from ..data.release_sites import build_release
from ..data.releases import ReleaseInfo, all_releases
from ..data.site import site
from ..http.memento import absolute
from ..http.representations import DOCUMENT, HTML, TURTLE_FILE, Representation
from .files import ontology_graph
from .page import SCHEMA_TYPES

SCHEMA = "https://schema.org/"
LINKSET = Representation("linkset", "application/linkset")
LINKSET_JSON = Representation("json", "application/linkset+json")
LINKSETS = (LINKSET, LINKSET_JSON)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class SignLink:
    """One typed link of a landing page: target, relation, and the target's media type if known."""

    href: str
    rel: str
    type: str | None = None

    def header(self) -> str:
        """This link as a ``Link`` header value (RFC 8288)."""
        return f'<{self.href}>; rel="{self.rel}"' + (f'; type="{self.type}"' if self.type else "")


# -- what the build states -----------------------------------------------------------------


def _void(path: Path) -> Graph:
    graph = Graph()
    if path.is_file():
        graph.parse(path, format="turtle")
    return graph


def build_void() -> Graph:
    """The served build's VoID (read once per app; empty when the build has none)."""
    s = site()
    return s.once("signposting:void", lambda: _void(s.path("void.ttl")))


def _stated(graph: Graph, subject, predicate) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, URIRef))


def licences(subject=DATASET, void: Graph | None = None) -> list[str]:
    """The licences the build states for ``subject`` (its VoID, else the ontology's header)."""
    found = _stated(void if void is not None else build_void(), subject, DCTERMS.license)
    return found or _stated(ontology_graph(), ONTOLOGY, DCTERMS.license)


def authors(subject=DATASET, void: Graph | None = None) -> list[str]:
    """The creators the build states by IRI (an ORCID, say) for ``subject``, else the ontology's."""
    found = _stated(void if void is not None else build_void(), subject, DCTERMS.creator)
    return found or _stated(ontology_graph(), ONTOLOGY, DCTERMS.creator)


def released_version() -> str | None:
    """The version of the release the served build equals, or None."""
    return build_release(site(), all_releases())


# -- the links of each landing page --------------------------------------------------------


def _common(licence: Sequence[str], author: Sequence[str]) -> list[SignLink]:
    return [*(SignLink(x, "license") for x in licence), *(SignLink(x, "author") for x in author)]


def _describedby(path: str, offered: Sequence[Representation] = DOCUMENT) -> list[SignLink]:
    return [
        SignLink(absolute(f"{path}.{rep.key}"), "describedby", rep.media_type) for rep in offered if rep is not HTML
    ]


def _items(void: Graph, subject, dumps_at: str) -> list[SignLink]:
    """The dumps of ``subject`` as ``item`` links, at ``dumps_at`` on this server."""
    out = []
    for url in sorted(void.objects(subject, DCAT.distribution)):
        media = void.value(url, DCAT.mediaType)
        compressed = void.value(url, DCAT.compressFormat) is not None
        kind = "application/gzip" if compressed else (str(media)[len(IANA) :] if media is not None else None)
        out.append(SignLink(absolute(dumps_at + str(url).rsplit("/", 1)[1]), "item", kind))
    return out


def dataset_links() -> list[SignLink]:
    """The dataset's landing pages (``/``, ``/void``): its versioned IRI, VoID, dumps, licence."""
    version = released_version()
    void = build_void()
    return [
        SignLink(str(dataset_iri(version)) if version else str(DATASET), "cite-as"),
        *_describedby("/void"),
        *_items(void, DATASET, "/dumps/"),
        SignLink(SCHEMA + "Dataset", "type"),
        *_common(licences(), authors()),
    ]


def artefact_links(kind: str) -> list[SignLink]:
    """``/ontology`` or ``/shapes``: a dataset of its own, in the data's collection."""
    iri = ONTOLOGY if kind == "ontology" else SHAPES
    version = released_version()
    if version:
        cite = f"{iri}/{version}"
    elif kind == "ontology":
        cite = str(ontology_graph().value(ONTOLOGY, OWL.versionIRI) or ONTOLOGY)
    else:
        cite = str(SHAPES)
    offered = DOCUMENT if kind == "ontology" else TURTLE_FILE
    void = build_void()
    return [
        SignLink(cite, "cite-as"),
        *_describedby("/" + kind, offered),
        *_items(void, iri, "/dumps/"),
        SignLink(SCHEMA + "Dataset", "type"),
        SignLink(absolute("/dataset"), "collection"),
        *_common(licences(iri) or licences(), authors()),
    ]


def release_links(info: ReleaseInfo) -> list[SignLink]:
    """A release's page: its dataset IRI, its VoID and citation files, its dumps."""
    at = f"/releases/{info.version}/"
    void = site().once(f"signposting:void:{info.version}", lambda: _void(info.path / "void.ttl"))
    iri = dataset_iri(info.version)
    described = [("void.ttl", "text/turtle"), ("datacite.json", "application/json"), ("CITATION.cff", "text/plain")]
    return [
        SignLink(str(iri), "cite-as"),
        *(
            SignLink(absolute(at + name), "describedby", media)
            for name, media in described
            if (info.path / name).is_file()
        ),
        *_items(void, iri, at + "dumps/"),
        SignLink(SCHEMA + "Dataset", "type"),
        SignLink(absolute("/dataset"), "collection"),
        *_common(licences(iri, void) or licences(), authors(iri, void)),
    ]


def document_links(iri: str, doc_path: str, version: str | None, complete: bool = False) -> list[SignLink]:
    """A resource document at ``doc_path``: the resource's (versioned) IRI, its RDF, its types.

    ``version`` is the release whose versioned IRI the resource is cited by: the release the
    document is read from (a Memento), or the one the served build equals; None for neither.
    The header's set (level 1) needs no store query, so a revalidation still runs none; the
    ``complete`` set, the linkset's (level 2), adds the schema.org types of the resource's classes.
    """
    cite = iri
    if version and iri.startswith(BASE):
        cite = f"{BASE}releases/{version}/{iri[len(BASE) :]}"
    return [
        SignLink(cite, "cite-as"),
        *_describedby(doc_path),
        SignLink(SCHEMA + "AboutPage", "type"),
        *(SignLink(SCHEMA + t, "type") for t in (schema_types(iri) if complete else ())),
        SignLink(absolute("/dataset"), "collection"),
        *_common(licences() or (licences(dataset_iri(version)) if version else []), []),
    ]


def schema_types(iri: str) -> list[str]:
    """The schema.org types of a resource, where its Parley classes map (remembered per IRI)."""
    return site().memo("schema-types", _schema_types)(iri)


def _schema_types(iri: str) -> list[str]:
    ns = str(PARLEY)
    found = {str(getattr(t, "value", "")) for t in site().store.objects(iri, RDF_TYPE)}
    return sorted({SCHEMA_TYPES[t[len(ns) :]] for t in found if t.startswith(ns) and t[len(ns) :] in SCHEMA_TYPES})


# -- headers and linksets ------------------------------------------------------------------


def feed_link() -> str:
    """The ``Link`` value naming the change feed (``views.feed``), as Activity Streams discovery has it."""
    return SignLink(absolute("/feed"), "alternate", "application/activity+json").header()


def linkset_path(page_path: str) -> str:
    """Where the linkset of the landing page at ``page_path`` is served."""
    return "/linkset" + ("" if page_path in ("", "/") else "/" + page_path.lstrip("/"))


def header_values(links: Sequence[SignLink], page_path: str) -> list[str]:
    """The ``Link`` values of a landing page: its signposts, then its linkset in both forms."""
    target = absolute(linkset_path(page_path))
    return [*(link.header() for link in links), *(SignLink(target, "linkset", r.media_type).header() for r in LINKSETS)]


def linkset_text(anchor: str, links: Sequence[SignLink]) -> str:
    """``application/linkset`` (RFC 9264 section 4.1): one link per line, each with its anchor."""
    lines = [
        f'<{link.href}>; rel="{link.rel}"; anchor="{anchor}"' + (f'; type="{link.type}"' if link.type else "")
        for link in links
    ]
    return ",\n".join(lines) + "\n"


def linkset_json(anchor: str, links: Sequence[SignLink]) -> str:
    """``application/linkset+json`` (RFC 9264 section 4.2): one context object, targets by relation."""
    context: dict = {"anchor": anchor}
    for link in links:
        target = {"href": link.href, **({"type": link.type} if link.type else {})}
        context.setdefault(link.rel, []).append(target)
    return json.dumps({"linkset": [context]}, indent=1) + "\n"


def write_linkset(anchor: str, links: Sequence[SignLink], rep: Representation) -> str:
    return linkset_json(anchor, links) if rep is LINKSET_JSON else linkset_text(anchor, links)
