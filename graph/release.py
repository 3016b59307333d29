"""``parley release``: turn a passing build into an immutable, citable release directory.

``release(build_dir, releases_dir, version)`` writes ``releases/{version}/`` into a temporary
directory beside it and renames it in only when every file is written. Its committed part is
text (``graph.release_text``): the dataset's canonical N-Quads ``parley.nq``, ``shapes.ttl``,
``build.json`` and ``validation.ttl`` of the build, a release VoID/DCAT description
(``void.ttl``), ``changelog.ttl`` and ``changelog.txt`` against the previous release
(``graph.diff``), ``CITATION.cff``, ``datacite.json`` (``graph.release_metadata``),
``release.json`` (with the canonical hash and the derivation version) and ``SHA256SUMS``. Its
made part, ``dumps/``, holds the downloads made from the text by the frozen derivation
(``graph.release_derive``), which ``parley serve`` and ``parley release-files`` make again,
byte for byte, whenever they are missing.

The canonical hash is the SHA-256 of the dataset's canonical N-Quads under RDF Dataset
Canonicalization (RDFC-1.0, W3C Recommendation 2024), computed with pyoxigraph's
``Dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)`` (pyoxigraph 0.5, the library the
store already uses): blank nodes are relabelled canonically, each quad is written as canonical
N-Quads, the lines are sorted by code point and hashed. That text is the release's
``parley.nq``, so its SHA-256 is the hash. It depends on the data only, never on the
serialization it was read from.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .checksums import verify_sums
from .diff import Changelog, diff
from .dump import serialize_sorted
from .errors import ConfigError, ParleyError
from .release_derive import DERIVATION, DERIVATIONS
from .release_metadata import (
    ReleaseFile,
    citation_cff,
    datacite_json,
    dataset_iri,
    release_void,
    stated,
)
from .release_text import (
    DUMPS,
    MANIFEST,
    SHAPES,
    SUMS,
    TEXT,
    canonical_nquads,
    check_committed,
    make_files,
    restore,
    sha256,
    sums_text,
)

log = logging.getLogger(__name__)

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
RELEASE_MANIFEST = MANIFEST  # a directory named X.Y.Z holding it is a complete release (see releases())
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
    return sha256(canonical_nquads(quads))


_FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}


def read_quads(path: Path) -> list[ox.Quad]:
    """Return the quads of an N-Quads, TriG or JSON-LD file, gzipped or not (by its name)."""
    path = Path(path)
    data = path.read_bytes()
    name = path.name
    if name.endswith(".gz"):
        data, name = gzip.decompress(data), name[:-3]
    fmt = _FORMATS.get(Path(name).suffix, ox.RdfFormat.N_QUADS)
    return list(ox.parse(data, format=fmt))


def dump_canonical_hash(path: Path) -> str:
    """Return the canonical hash of a dump: N-Quads, TriG or JSON-LD, gzipped or not (by its name)."""
    return canonical_hash(read_quads(path))


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


def _issued(date: str | None) -> str:
    if date is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(date).isoformat()
    except ValueError:
        raise ConfigError(f"date {date!r} is not YYYY-MM-DD", hint="pass --date 2026-12-01") from None


def _previous(releases_dir: Path, version: str) -> str | None:
    """Return the latest release; raise ReleaseRefused unless ``version`` is new and above it."""
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
    return previous


def _files(made: dict[str, bytes], text: bytes) -> list[ReleaseFile]:
    """The made files with what the VoID says of them (size, checksum, statements)."""
    counts = DERIVATIONS[DERIVATION].counts(text)
    files = []
    for name, media_type, compressed, description in DERIVATIONS[DERIVATION].files:
        data = made[f"{DUMPS}/{name}"]
        triples = counts.get(name)
        if triples is None:  # the shapes: count what the file holds
            triples = len(Graph().parse(data=data, format="turtle"))
        files.append(ReleaseFile(name, media_type, compressed, description, len(data), sha256(data), triples))
    return files


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
    YYYY-MM-DD, a directory that is not a build or a previous release whose committed files
    changed; ReleaseRefused (exit 1) for a version released already or not above the latest
    release, or a build that failed a check; SourceError (exit 1) when a dump does not match its
    checksum. Nothing is written when it raises.
    """
    base = Path(root) if root is not None else Path.cwd()
    build_dir, releases_dir = base / build_dir, base / releases_dir  # an absolute path stays as it is
    notes = str(base / notes) if notes else None
    parse_version(version)
    issued = _issued(date)
    previous = _previous(releases_dir, version)
    info = _check_build(build_dir)
    verify_sums(build_dir / "dumps")
    if previous:
        restore(releases_dir / previous)  # the changelog reads its dump
    found = stated(build_dir)
    notes_text = Path(notes).read_text(encoding="utf-8") if notes else None

    releases_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}.tmp-", dir=releases_dir))
    try:
        text = canonical_nquads(read_quads(build_dir / "dumps" / "parley.nq.gz"))
        digest = sha256(text)
        log.info("canonical hash (RDFC-1.0): %s", digest)
        shapes = (build_dir / "dumps" / SHAPES).read_bytes()
        committed = {TEXT: text, SHAPES: shapes}
        for name in ("build.json", "validation.ttl"):
            committed[name] = (build_dir / name).read_bytes()
        made = make_files(tmp, text, shapes, DERIVATIONS[DERIVATION].make)
        (tmp / DUMPS).mkdir()
        for name, data in made.items():
            (tmp / name).write_bytes(data)
        changelog = diff(releases_dir / previous if previous else None, tmp, old_name=previous, new_name=version)
        iri = dataset_iri(version)
        changelog_iri = URIRef(f"{iri}/changelog")
        graph = changelog.graph(changelog_iri, dataset_iri(previous) if previous else None, iri)
        committed["changelog.ttl"] = serialize_sorted(graph)
        committed["changelog.txt"] = changelog.text().encode("utf-8")
        files = _files(made, text)
        void = release_void(build_dir, version, issued, previous, found, digest, changelog_iri, notes_text, files)
        committed["void.ttl"] = serialize_sorted(void)
        committed["CITATION.cff"] = citation_cff(version, issued, found, digest).encode("utf-8")
        formats = sorted({f.media_type for f in files if f.name.startswith("parley.")})
        datacite = datacite_json(version, issued, previous, found, notes_text, formats)
        committed["datacite.json"] = _json(datacite)
        if notes_text:
            committed["NOTES.md"] = notes_text.encode("utf-8")
        committed[RELEASE_MANIFEST] = _json(
            {
                "version": version,
                "issued": issued,
                "dataset": str(iri),
                "previous": previous,
                "canonical_hash": {"algorithm": "RDFC-1.0 canonical N-Quads, SHA-256", "sha256": digest, "file": TEXT},
                "derivation": {
                    "version": DERIVATION,
                    "module": "graph.release_derive",
                    "files": sorted(n[len(DUMPS) + 1 :] for n in made),
                },
                "build": {k: info.get(k) for k in ("version", "modified", "triples", "graphs", "claims", "entities")},
                "changes": changelog.counts(),
            }
        )
        for name, data in committed.items():
            (tmp / name).write_bytes(data)
        everything = {**committed, **{n: d for n, d in made.items() if n != f"{DUMPS}/{SUMS}"}}
        (tmp / SUMS).write_text(sums_text(everything), encoding="utf-8")
        check_committed(tmp)
        tmp.chmod(0o755)
        tmp.rename(releases_dir / version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Release(releases_dir / version, version, issued, str(iri), digest, previous, changelog)


def _json(data: dict) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
