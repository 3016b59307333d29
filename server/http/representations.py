"""The one table of representations the server offers: media type, extension, format objects.

Each ``Representation`` is built on pyoxigraph's own format objects (``RdfFormat``,
``QueryResultsFormat``), which know the media type, the file extension and the W3C format IRI;
this module adds what HTTP needs on top (the short names a ``format`` parameter may use, the
charset of textual types, the media types some clients ask for instead) and nothing else. Routes
name the representations they offer from the groups at the bottom (``DOCUMENT``, ``RESULTS``,
``GRAPH_RESULTS`` ...), and ``content_type`` is the one place a ``Content-Type`` value (with its
charset, once) is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox


@dataclass(frozen=True)
class Representation:
    """One way of serving something: a media type with its extension and serializer."""

    key: str  # the short name used in paths (``.ttl``) and ``format=``
    media_type: str
    rdf_format: ox.RdfFormat | None = None
    results_format: ox.QueryResultsFormat | None = None
    names: tuple[str, ...] = ()  # more ``format=`` names (``turtle``, ``json-ld`` ...)
    aliases: tuple[str, ...] = ()  # media types clients send for this one (``text/plain`` for N-Triples)
    text: bool = True  # textual: served with ``charset=utf-8``
    format_iri: str | None = field(default=None)

    @property
    def extension(self) -> str:
        return self.key

    @property
    def iri(self) -> str | None:
        """The W3C format IRI (``http://www.w3.org/ns/formats/Turtle``), where there is one."""
        if self.format_iri:
            return self.format_iri
        fmt = self.rdf_format or self.results_format
        return fmt.iri if fmt is not None else None

    @property
    def content_type(self) -> str:
        return content_type(self)

    def __str__(self) -> str:  # messages list representations by media type
        return self.media_type


def _bare(media_type: str) -> str:
    # pyoxigraph names CSV and TSV with their charset; the table keeps bare types, and
    # content_type() adds the charset to every textual one.
    return media_type.split(";", 1)[0].strip()


def _rdf(
    key: str, fmt: ox.RdfFormat, names: Iterable[str] = (), aliases: Iterable[str] = (), format_iri: str | None = None
) -> Representation:
    return Representation(
        key, _bare(fmt.media_type), rdf_format=fmt, names=tuple(names), aliases=tuple(aliases), format_iri=format_iri
    )


def _results(
    key: str, fmt: ox.QueryResultsFormat, names: Iterable[str] = (), aliases: Iterable[str] = ()
) -> Representation:
    return Representation(key, _bare(fmt.media_type), results_format=fmt, names=tuple(names), aliases=tuple(aliases))


# --- every representation, once ----------------------------------------------------------------

HTML = Representation("html", "text/html", aliases=("application/xhtml+xml",))
TURTLE = _rdf("ttl", ox.RdfFormat.TURTLE, names=("turtle",), aliases=("application/x-turtle", "text/n3"))
N_TRIPLES = _rdf("nt", ox.RdfFormat.N_TRIPLES, names=("ntriples", "n-triples"), aliases=("text/plain",))
# pyoxigraph 0.5 gives JSON-LD the IRI of a newer draft; the W3C formats namespace (and
# every service description in the wild) uses http://www.w3.org/ns/formats/JSON-LD.
JSON_LD = _rdf(
    "jsonld",
    ox.RdfFormat.JSON_LD,
    names=("json-ld", "json"),
    aliases=("application/json",),
    format_iri="http://www.w3.org/ns/formats/JSON-LD",
)
RDF_XML = _rdf("rdf", ox.RdfFormat.RDF_XML, names=("rdfxml", "rdf+xml", "xml"), aliases=("application/xml",))
TRIG = _rdf("trig", ox.RdfFormat.TRIG)
N_QUADS = _rdf("nq", ox.RdfFormat.N_QUADS, names=("nquads", "n-quads"))

SPARQL_JSON = _results("json", ox.QueryResultsFormat.JSON, names=("srj",), aliases=("application/json",))
SPARQL_XML = _results("xml", ox.QueryResultsFormat.XML, names=("srx",), aliases=("application/xml",))
CSV = _results("csv", ox.QueryResultsFormat.CSV)
TSV = _results("tsv", ox.QueryResultsFormat.TSV)

PLAIN_TEXT = Representation("txt", "text/plain")
CSS = Representation("css", "text/css")
JAVASCRIPT = Representation("js", "text/javascript")
SVG = Representation("svg", "image/svg+xml")
PNG = Representation("png", "image/png", text=False)
ICON = Representation("ico", "image/x-icon", text=False)
JSON = Representation("json", "application/json")
GZIP = Representation("gz", "application/gzip", text=False)
OCTET_STREAM = Representation("bin", "application/octet-stream", text=False)
LINK_FORMAT = Representation("link", "application/link-format")

# --- what routes offer (the first is the default) ---------------------------------------------

#: documents about a thing (``/doc/...``), the ontology and VoID: HTML first, for browsers and curl
DOCUMENT = (HTML, TURTLE, JSON_LD, RDF_XML, N_TRIPLES)
#: build files kept as Turtle (shapes, validation report): HTML summary or the file itself
TURTLE_FILE = (HTML, TURTLE)
#: SELECT and ASK results
RESULTS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: CONSTRUCT and DESCRIBE results
GRAPH_RESULTS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS)
#: the SPARQL service description
SERVICE_DESCRIPTION = (TURTLE, RDF_XML, JSON_LD, N_TRIPLES)
#: the site's own assets (server/static/), by extension
STATIC = (CSS, JAVASCRIPT, SVG, PNG, ICON, JSON)
#: RDF dump files by the extension inside ``.gz``
DUMP_CONTENT = (N_QUADS, TRIG, TURTLE, JSON_LD, N_TRIPLES, RDF_XML)

ALL = (
    HTML,
    TURTLE,
    N_TRIPLES,
    JSON_LD,
    RDF_XML,
    TRIG,
    N_QUADS,
    SPARQL_JSON,
    SPARQL_XML,
    CSV,
    TSV,
    PLAIN_TEXT,
    JSON,
    GZIP,
    OCTET_STREAM,
    LINK_FORMAT,
)


def content_type(rep: Representation | str) -> str:
    """Return the ``Content-Type`` value for a representation (or a bare media type).

    Textual types get ``charset=utf-8`` exactly once; JSON types do not (RFC 8259 defines no
    charset parameter; JSON is UTF-8).
    """
    if not isinstance(rep, Representation):
        media = rep.split(";", 1)[0].strip().lower()
        rep = next((r for r in ALL if r.media_type == media), Representation("", media, text=media.startswith("text/")))
    media = rep.media_type
    if not rep.text or media.endswith("json"):
        return media
    return f"{media}; charset=utf-8"


def by_key(key: str, offered: Iterable[Representation]) -> Representation | None:
    """Return the offered representation with extension ``key`` (``ttl``), or None."""
    return next((r for r in offered if r.key == key), None)


def by_format_name(value: str, offered: Iterable[Representation]) -> Representation | None:
    """Return the offered representation a ``format`` parameter names, or None.

    A name is the key (``ttl``), one of its names (``turtle``), its media type or one of the
    media types it stands for (``application/json`` for SPARQL JSON results); case-insensitive.
    """
    wanted = value.strip().lower()
    wanted = wanted.split(";", 1)[0].strip() if "/" in wanted else wanted
    offered = tuple(offered)
    for group in (lambda r: (r.key, *r.names), lambda r: (r.media_type,), lambda r: r.aliases):
        for rep in offered:
            if wanted in group(rep):
                return rep
    return None


def for_extension(path: str, offered: Iterable[Representation]) -> tuple[str, Representation | None]:
    """Split ``name.ext`` into (stem, representation) when ``ext`` is an offered key."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        rep = by_key(ext, offered)
        if rep is not None:
            return stem, rep
    return path, None
