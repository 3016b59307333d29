"""What a release says about itself: its VoID/DCAT, ``CITATION.cff`` and ``datacite.json``.

Each states only what the build states (its ``void.ttl`` and the ontology's header: creator,
publisher, licence, title, description), the release's version, issued date, previous release
and canonical hash, and the release's own files (made from its text, so their sizes and
checksums are the release's, not the build's). A value the build does not state is said to be
missing, never made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from .dump import DUMPS_URL, SPDX
from .namespaces import BASE, DATASET, ONTOLOGY, SHAPES, bind_prefixes
from .void import file_distribution

# rdflib's DCAT namespace is DCAT 2 and closed; dcat:version, hasVersion and previousVersion are DCAT 3.
DCAT3 = Namespace(str(DCAT))
RDFC = URIRef("https://www.w3.org/TR/rdf-canon/")
IANA = "https://www.iana.org/assignments/media-types/"
# The SPDX identifiers of the licences a build may state, for CITATION.cff's `license` key;
# any other licence is given by its URL alone (`license-url`), never by a guessed identifier.
SPDX_IDS = {
    "https://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC-BY-SA-4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
}


@dataclass(frozen=True)
class ReleaseFile:
    """One made file of a release, as its VoID describes it."""

    name: str
    media_type: str
    compressed: bool
    description: str
    size: int
    sha256: str
    triples: int


def dataset_iri(version: str) -> URIRef:
    """Return the IRI of one release's dataset (``{base}dataset/{version}``)."""
    return URIRef(f"{DATASET}/{version}")


def stated(build_dir: Path) -> dict[str, list]:
    """Return the creator, publisher, licence, title and description the build states.

    The dataset's description in ``void.ttl`` comes first, then the ontology's header in
    ``dumps/ontology.ttl``; nothing is made up when neither states a value.
    """
    void = Graph().parse(build_dir / "void.ttl", format="turtle")
    ontology_path = build_dir / "dumps" / "ontology.ttl"
    ontology = Graph().parse(ontology_path, format="turtle") if ontology_path.is_file() else Graph()
    found = {}
    for key, prop in (
        ("creator", DCTERMS.creator),
        ("publisher", DCTERMS.publisher),
        ("license", DCTERMS.license),
        ("title", DCTERMS.title),
        ("description", DCTERMS.description),
    ):
        found[key] = sorted(void.objects(DATASET, prop)) or sorted(ontology.objects(ONTOLOGY, prop))
    return found


def _names(values) -> list[str]:
    return [str(v) for v in values]


def _first(values, fallback: str) -> str:
    return str(values[0]) if values else fallback


def _build_void(build_dir: Path, iri: URIRef, version: str) -> Graph:
    """The build's description re-pointed at the release, without the build's own dump files.

    The build's dumps are not the release's files (those are made from the release's text), so
    every statement about a build dump, or its checksum, is left out.
    """
    build_void = Graph().parse(build_dir / "void.ttl", format="turtle")
    endpoint = URIRef(f"{BASE}releases/{version}/sparql")

    def build_file(term) -> bool:
        return isinstance(term, URIRef) and str(term).startswith(DUMPS_URL)

    def moved(term):
        if term == DATASET:
            return iri
        if term == URIRef(BASE + "sparql"):
            return endpoint
        return term

    graph = Graph()
    for s, p, o in build_void:
        if not (build_file(s) or build_file(o)):
            graph.add((moved(s), p, moved(o)))
    return graph


def _describe_file(graph: Graph, owner: URIRef, url: URIRef, file: ReleaseFile, licences: list) -> None:
    graph.add((owner, DCAT.distribution, url))
    file_distribution(
        graph,
        url,
        name=file.name,
        description=file.description,
        media_type=file.media_type,
        compressed=file.compressed,
        size=file.size,
        sha256=file.sha256,
    )
    graph.add((url, VOID.triples, Literal(file.triples, datatype=XSD.integer)))
    for licence in licences:
        graph.add((url, DCTERMS.license, licence))


def release_void(
    build_dir: Path,
    version: str,
    issued: str,
    previous: str | None,
    found: dict[str, list],
    digest: str,
    changelog: URIRef,
    notes: str | None,
    files: list[ReleaseFile],
) -> Graph:
    """Return the release's VoID/DCAT: the build's description, re-pointed at the release's dataset IRI.

    The N-Quads download is the one ``void:dataDump`` (it holds the dataset once); every data
    serialization is a ``dcat:distribution`` of the release's dataset, and the ontology and
    shapes files are distributions of the release's ontology and shapes IRIs
    (``{base}ontology/{version}``, ``{base}shapes/{version}``), stated here with
    ``dcterms:hasVersion``.
    """
    iri = dataset_iri(version)
    graph = _build_void(build_dir, iri, version)
    bind_prefixes(graph)
    graph.bind("spdx", SPDX)
    graph.add((iri, DCAT3.version, Literal(version)))
    graph.add((iri, OWL.versionInfo, Literal(version)))
    graph.add((iri, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    graph.add((iri, DCTERMS.isVersionOf, DATASET))
    graph.add((DATASET, DCAT3.hasVersion, iri))
    if previous:
        graph.add((iri, PROV.wasRevisionOf, dataset_iri(previous)))
        graph.add((iri, DCAT3.previousVersion, dataset_iri(previous)))
    graph.add((changelog, PROV.generated, iri))
    graph.add((iri, RDFS.seeAlso, changelog))
    for key, prop in (("creator", DCTERMS.creator), ("publisher", DCTERMS.publisher), ("license", DCTERMS.license)):
        for value in found[key]:
            graph.add((iri, prop, value))
        if not found[key]:
            graph.add((iri, RDFS.comment, Literal(f"The build states no {key}.", lang="en")))
    ontology, shapes = URIRef(f"{ONTOLOGY}/{version}"), URIRef(f"{SHAPES}/{version}")
    for term, versioned in ((ONTOLOGY, ontology), (SHAPES, shapes)):
        graph.add((versioned, DCTERMS.isVersionOf, term))
        graph.add((versioned, OWL.versionInfo, Literal(version)))
        graph.add((term, DCTERMS.hasVersion, versioned))
    graph.add((iri, DCTERMS.conformsTo, shapes))
    graph.add((iri, VOID.vocabulary, ontology))
    dumps = f"{BASE}releases/{version}/dumps/"  # where part of the site serves this release's files
    owners = {"ontology.ttl": ontology, "shapes.ttl": shapes}
    for file in files:
        url = URIRef(dumps + file.name)
        _describe_file(graph, owners.get(file.name, iri), url, file, found["license"])
        if file.name == "parley.nq.gz":
            graph.add((iri, VOID.dataDump, url))
    checksum = URIRef(f"{iri}#rdfc-1.0-sha256")
    graph.add((iri, URIRef(SPDX + "checksum"), checksum))
    graph.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
    graph.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
    graph.add((checksum, URIRef(SPDX + "checksumValue"), Literal(digest, datatype=XSD.hexBinary)))
    graph.add((checksum, DCTERMS.conformsTo, RDFC))
    graph.add(
        (
            checksum,
            RDFS.comment,
            Literal(
                "SHA-256 of the dataset's canonical N-Quads (RDFC-1.0), lines sorted by code point: "
                "the release's parley.nq.",
                lang="en",
            ),
        )
    )
    if notes:
        graph.add((iri, DCTERMS.description, Literal(notes.strip(), lang="en")))
    return graph


def citation_cff(version: str, issued: str, found: dict[str, list], digest: str) -> str:
    """Return CITATION.cff (CFF 1.2.0) for the release; authors are the build's stated creators."""
    authors = [{"name": name} for name in _names(found["creator"])] or [
        {"name": "unknown (the build states no creator)"}
    ]
    data = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": _first(found["title"], "Parley"),
        "version": version,
        "date-released": issued,
        "authors": authors,
        "identifiers": [
            {"type": "url", "value": str(dataset_iri(version)), "description": "The release's dataset IRI"},
            {
                "type": "other",
                "value": f"rdfc-1.0-sha256:{digest}",
                "description": "SHA-256 of the dataset's RDFC-1.0 canonical N-Quads",
            },
        ],
        "url": str(dataset_iri(version)),
    }
    if found["description"]:
        data["abstract"] = str(found["description"][0])
    for licence in _names(found["license"])[:1]:
        if licence in SPDX_IDS:
            data["license"] = SPDX_IDS[licence]
        data["license-url"] = licence
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def datacite_json(
    version: str, issued: str, previous: str | None, found: dict[str, list], notes: str | None, formats: list[str]
) -> dict:
    """Return DataCite-style metadata (DataCite Metadata Schema 4 field names) for the release.

    A property the build does not state gets DataCite's own "value unavailable" code ``(:unav)``.
    """
    creators = [{"name": name} for name in _names(found["creator"])] or [{"name": "(:unav)"}]
    record = {
        "identifiers": [{"identifier": str(dataset_iri(version)), "identifierType": "URL"}],
        "creators": creators,
        "titles": [{"title": _first(found["title"], "Parley"), "lang": "en"}],
        "publisher": {"name": _first(found["publisher"], "(:unav)")},
        "publicationYear": issued[:4],
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "RDF knowledge graph"},
        "version": version,
        "dates": [{"date": issued, "dateType": "Issued"}],
        "rightsList": [{"rightsUri": uri} for uri in _names(found["license"])],
        "descriptions": [
            {"description": str(d), "descriptionType": "Abstract", "lang": "en"} for d in found["description"]
        ],
        "relatedIdentifiers": [],
        "formats": formats,
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    if previous:
        record["relatedIdentifiers"].append(
            {
                "relatedIdentifier": str(dataset_iri(previous)),
                "relatedIdentifierType": "URL",
                "relationType": "IsNewVersionOf",
            }
        )
    if notes:
        record["descriptions"].append({"description": notes.strip(), "descriptionType": "Other", "lang": "en"})
    if not found["publisher"]:
        record["descriptions"].append(
            {"description": "The build states no publisher.", "descriptionType": "Other", "lang": "en"}
        )
    return record
