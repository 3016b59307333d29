"""``parley release``: turn a passing build into an immutable, citable release directory.

``release(build_dir, releases_dir, version)`` writes ``releases/{version}/`` into a temporary
directory beside it and renames it in only when every file is written: the build's dumps and
``SHA256SUMS`` (copied, then every checksum verified again), ``build.json`` and
``validation.ttl``, a release VoID/DCAT description (``void.ttl``: ``dcat:version``,
``dcterms:issued``, creator, publisher and licence as the build's own ``void.ttl`` and ontology
state them, ``prov:wasRevisionOf`` the previous release, the ontology's and shapes' version
IRIs for the release, the canonical hash), ``changelog.ttl`` and ``changelog.txt`` against the
previous release (``graph.diff``), ``CITATION.cff`` (CFF 1.2.0), ``datacite.json`` (DataCite
metadata schema 4 field names) and ``release.json``.

The canonical hash is the SHA-256 of the dataset's canonical N-Quads under RDF Dataset
Canonicalization (RDFC-1.0, W3C Recommendation 2024), computed with pyoxigraph's
``Dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)`` (pyoxigraph 0.5, the library the
store already uses): blank nodes are relabelled canonically, each quad is written as canonical
N-Quads, the lines are sorted by code point and hashed. It depends on the data only, never on
the serialization it was read from.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from .checksums import verify_sums
from .diff import Changelog, diff
from .dump import DUMP_MEDIA_TYPES, DUMPS_URL, SPDX, serialize_sorted
from .errors import ConfigError, ParleyError
from .namespaces import BASE, DATASET, ONTOLOGY, SHAPES, bind_prefixes

log = logging.getLogger(__name__)

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
# rdflib's DCAT namespace is DCAT 2 and closed; dcat:version, hasVersion and previousVersion are DCAT 3.
DCAT3 = Namespace(str(DCAT))
RDFC = URIRef("https://www.w3.org/TR/rdf-canon/")
RELEASE_MANIFEST = "release.json"
# The SPDX identifiers of the licences a build may state, for CITATION.cff's `license` key;
# any other licence is given by its URL alone (`license-url`), never by a guessed identifier.
SPDX_IDS = {
    "https://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC-BY-SA-4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
}
PASSING = {"conforms", "no rows", "complete", "consistent"}


class ReleaseRefused(ParleyError):
    """The build or the version cannot be released (exit 1: nothing was written)."""

    exit_code = 1
    title = "Release refused"


@dataclass(frozen=True)
class Release:
    """A release as written: where, which version, its dataset IRI and canonical hash."""

    path: Path
    version: str
    issued: str
    dataset: str
    canonical_sha256: str
    previous: str | None
    changelog: Changelog

    def summary(self) -> str:
        counts = self.changelog.counts()
        changes = "; ".join(
            f"{kind} +{c['added']} -{c['removed']} ~{c['changed']}" for kind, c in counts.items() if any(c.values())
        )
        return (
            f"{self.path}: release {self.version} of {self.issued}"
            + (f", revision of {self.previous}" if self.previous else ", the first release")
            + f"\n  dataset: {self.dataset}\n  canonical hash (RDFC-1.0, SHA-256): {self.canonical_sha256}"
            + f"\n  changes: {changes or 'none'}"
        )


def parse_version(version: str) -> tuple[int, int, int]:
    """Return (major, minor, patch); raise ConfigError unless ``version`` is X.Y.Z."""
    match = SEMVER.match(version)
    if not match:
        raise ConfigError(
            f"version {version!r} is not semantic versioning",
            hint="give MAJOR.MINOR.PATCH, e.g. `parley release 0.2.0`",
        )
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def dataset_iri(version: str) -> URIRef:
    """Return the IRI of one release's dataset (``{base}dataset/{version}``)."""
    return URIRef(f"{DATASET}/{version}")


def releases(releases_dir: Path) -> list[str]:
    """Return the versions released in ``releases_dir`` (complete releases only), oldest first."""
    found = []
    if Path(releases_dir).is_dir():
        for path in Path(releases_dir).iterdir():
            if SEMVER.match(path.name) and (path / RELEASE_MANIFEST).is_file():
                found.append(path.name)
    return sorted(found, key=parse_version)


def canonical_hash(quads) -> str:
    """Return the hex SHA-256 of the RDFC-1.0 canonical N-Quads of ``quads`` (pyoxigraph quads)."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(f"{quad} .\n" for quad in dataset)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def dump_canonical_hash(path: Path) -> str:
    """Return the canonical hash of a gzipped N-Quads or TriG dump (by its name)."""
    fmt = ox.RdfFormat.TRIG if ".trig" in Path(path).name else ox.RdfFormat.N_QUADS
    return canonical_hash(ox.parse(gzip.decompress(Path(path).read_bytes()), format=fmt))


def _check_build(build_dir: Path) -> dict:
    info_path = build_dir / "build.json"
    if not info_path.is_file() or not (build_dir / "dumps").is_dir():
        raise ConfigError(f"{build_dir}: not a build (no build.json or dumps/)", hint="run `parley build` first")
    info = json.loads(info_path.read_text(encoding="utf-8"))
    checks = info.get("checks") or {}
    failed = {k: v for k, v in checks.items() if v not in PASSING and not str(v).startswith("skipped")}
    if not checks or failed:
        what = "; ".join(f"{k}: {v}" for k, v in failed.items()) or "no checks recorded"
        raise ReleaseRefused(
            f"{build_dir}: the build did not pass validation ({what})",
            hint="fix the data, `parley build`, then release",
        )
    return info


def _stated(build_dir: Path) -> dict[str, list]:
    """Return the creator, publisher, licence, title and description the build states.

    The dataset's description in ``void.ttl`` comes first, then the ontology's header in
    ``dumps/ontology.ttl``; nothing is made up when neither states a value.
    """
    void = Graph().parse(build_dir / "void.ttl", format="turtle")
    ontology_path = build_dir / "dumps" / "ontology.ttl"
    ontology = Graph().parse(ontology_path, format="turtle") if ontology_path.is_file() else Graph()
    stated = {}
    for key, prop in (
        ("creator", DCTERMS.creator),
        ("publisher", DCTERMS.publisher),
        ("license", DCTERMS.license),
        ("title", DCTERMS.title),
        ("description", DCTERMS.description),
    ):
        values = sorted(void.objects(DATASET, prop)) or sorted(ontology.objects(ONTOLOGY, prop))
        stated[key] = values
    return stated


def _names(values) -> list[str]:
    return [str(v) for v in values]


def release(
    build_dir: Path,
    releases_dir: Path,
    version: str,
    date: str | None = None,
    notes: str | None = None,
    root: Path | None = None,
) -> Release:
    """Write ``releases_dir/version`` from ``build_dir``; return the Release.

    Raises ConfigError (exit 2) for a version that is not X.Y.Z, a date that is not
    YYYY-MM-DD or a directory that is not a build; ReleaseRefused (exit 1) for a version
    released already or not above the latest release, or a build that failed a check; SourceError
    (exit 1) when a dump does not match its checksum. Nothing is written when it raises.
    """
    base = Path(root) if root is not None else Path.cwd()
    build_dir, releases_dir = base / build_dir, base / releases_dir  # an absolute path stays as it is
    notes = str(base / notes) if notes else None
    parse_version(version)
    if date is None:
        issued = dt.date.today().isoformat()
    else:
        try:
            issued = dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise ConfigError(f"date {date!r} is not YYYY-MM-DD", hint="pass --date 2026-12-01") from None
    target = releases_dir / version
    if target.exists():
        raise ReleaseRefused(
            f"{target}: release {version} exists already; a release never changes",
            hint="release the next version (e.g. bump the patch number)",
        )
    existing = releases(releases_dir)
    previous = existing[-1] if existing else None
    if previous is not None and parse_version(version) <= parse_version(previous):
        raise ReleaseRefused(
            f"version {version} is not greater than the latest release {previous}",
            hint=f"versions must increase: release a version above {previous}",
        )
    info = _check_build(build_dir)
    verify_sums(build_dir / "dumps")
    stated = _stated(build_dir)

    releases_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}.tmp-", dir=releases_dir))
    try:
        shutil.copytree(build_dir / "dumps", tmp / "dumps")
        verify_sums(tmp / "dumps")
        for name in ("build.json", "validation.ttl"):
            shutil.copy2(build_dir / name, tmp / name)
        digest = dump_canonical_hash(tmp / "dumps" / "parley.nq.gz")
        log.info("canonical hash (RDFC-1.0): %s", digest)
        changelog = diff(releases_dir / previous if previous else None, tmp, old_name=previous, new_name=version)
        iri = dataset_iri(version)
        changelog_iri = URIRef(f"{iri}/changelog")
        graph = changelog.graph(changelog_iri, dataset_iri(previous) if previous else None, iri)
        (tmp / "changelog.ttl").write_bytes(serialize_sorted(graph))
        (tmp / "changelog.txt").write_text(changelog.text(), encoding="utf-8")
        notes_text = Path(notes).read_text(encoding="utf-8") if notes else None
        void = release_void(build_dir, version, issued, previous, stated, digest, changelog_iri, notes_text)
        (tmp / "void.ttl").write_bytes(serialize_sorted(void))
        (tmp / "CITATION.cff").write_text(citation_cff(version, issued, stated, digest), encoding="utf-8")
        datacite = datacite_json(version, issued, previous, stated, notes_text)
        (tmp / "datacite.json").write_text(json.dumps(datacite, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        manifest = {
            "version": version,
            "issued": issued,
            "dataset": str(iri),
            "previous": previous,
            "canonical_hash": {"algorithm": "RDFC-1.0 canonical N-Quads, SHA-256", "sha256": digest},
            "build": {k: info.get(k) for k in ("version", "modified", "triples", "graphs", "claims", "entities")},
            "changes": changelog.counts(),
        }
        if notes_text:
            (tmp / "NOTES.md").write_text(notes_text, encoding="utf-8")
        # release.json last: a directory without it is not a complete release (see releases()).
        (tmp / RELEASE_MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.chmod(0o755)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Release(target, version, issued, str(iri), digest, previous, changelog)


def release_void(
    build_dir: Path,
    version: str,
    issued: str,
    previous: str | None,
    stated: dict[str, list],
    digest: str,
    changelog: URIRef,
    notes: str | None,
) -> Graph:
    """Return the release's VoID/DCAT: the build's description, re-pointed at the release's dataset IRI.

    The ontology's and shapes' IRIs for the release (``{base}ontology/{version}``,
    ``{base}shapes/{version}``) are stated here with ``dcterms:hasVersion``, not as a second
    ``owl:versionIRI``: the dumps are the build's bytes, and their ontology header keeps its own.
    """
    build_void = Graph().parse(build_dir / "void.ttl", format="turtle")
    iri = dataset_iri(version)
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("spdx", SPDX)
    dumps = f"{BASE}releases/{version}/dumps/"  # where part of the site serves this release's files

    def moved(term):
        if term == DATASET:
            return iri
        if isinstance(term, URIRef) and str(term).startswith(DUMPS_URL):
            return URIRef(dumps + str(term)[len(DUMPS_URL) :])
        return term

    for s, p, o in build_void:
        graph.add((moved(s), p, moved(o)))
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
        for value in stated[key]:
            graph.add((iri, prop, value))
        if not stated[key]:
            graph.add((iri, RDFS.comment, Literal(f"The build states no {key}.", lang="en")))
    for term, versioned in ((ONTOLOGY, URIRef(f"{ONTOLOGY}/{version}")), (SHAPES, URIRef(f"{SHAPES}/{version}"))):
        graph.add((versioned, DCTERMS.isVersionOf, term))
        graph.add((versioned, OWL.versionInfo, Literal(version)))
        graph.add((term, DCTERMS.hasVersion, versioned))
    graph.add((iri, DCTERMS.conformsTo, URIRef(f"{SHAPES}/{version}")))
    graph.add((iri, VOID.vocabulary, URIRef(f"{ONTOLOGY}/{version}")))
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
            Literal("SHA-256 of the dataset's canonical N-Quads (RDFC-1.0), lines sorted by code point.", lang="en"),
        )
    )
    if notes:
        graph.add((iri, DCTERMS.description, Literal(notes.strip(), lang="en")))
    return graph


def _first(values, fallback: str) -> str:
    return str(values[0]) if values else fallback


def citation_cff(version: str, issued: str, stated: dict[str, list], digest: str) -> str:
    """Return CITATION.cff (CFF 1.2.0) for the release; authors are the build's stated creators."""
    authors = [{"name": name} for name in _names(stated["creator"])] or [
        {"name": "unknown (the build states no creator)"}
    ]
    data = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": _first(stated["title"], "Parley"),
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
    if stated["description"]:
        data["abstract"] = str(stated["description"][0])
    for licence in _names(stated["license"])[:1]:
        if licence in SPDX_IDS:
            data["license"] = SPDX_IDS[licence]
        data["license-url"] = licence
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def datacite_json(version: str, issued: str, previous: str | None, stated: dict[str, list], notes: str | None) -> dict:
    """Return DataCite-style metadata (DataCite Metadata Schema 4 field names) for the release.

    A property the build does not state gets DataCite's own "value unavailable" code ``(:unav)``.
    """
    creators = [{"name": name} for name in _names(stated["creator"])] or [{"name": "(:unav)"}]
    record = {
        "identifiers": [{"identifier": str(dataset_iri(version)), "identifierType": "URL"}],
        "creators": creators,
        "titles": [{"title": _first(stated["title"], "Parley"), "lang": "en"}],
        "publisher": {"name": _first(stated["publisher"], "(:unav)")},
        "publicationYear": issued[:4],
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "RDF knowledge graph"},
        "version": version,
        "dates": [{"date": issued, "dateType": "Issued"}],
        "rightsList": [{"rightsUri": uri} for uri in _names(stated["license"])],
        "descriptions": [
            {"description": str(d), "descriptionType": "Abstract", "lang": "en"} for d in stated["description"]
        ],
        "relatedIdentifiers": [],
        "formats": list(DUMP_MEDIA_TYPES),
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
    if not stated["publisher"]:
        record["descriptions"].append(
            {"description": "The build states no publisher.", "descriptionType": "Other", "lang": "en"}
        )
    return record
