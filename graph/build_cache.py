"""What a build keeps between runs: the SHACL units that passed, keyed by what they read.

A unit of ``graph.shacl_units`` (one article's nodes, or a chunk of the shared ones) is validated
over a set of triples. Its key is the SHA-256 of its nodes and those triples (sorted N-Triples
lines), of the shapes file and of the versions of Parley and pyshacl-turbo: the article's text, its curation, the
ontology and whatever its nodes' neighbours say are all in the triples, so an unchanged key means
the same validation of the same data, and its result (no violation) can be reused. Only passing
units are kept: a unit with results is validated afresh each time, so a report never mixes
results of two runs, and a build from the cache is byte-identical to one without it.

The cache is a directory (``.parley-cache/shacl/`` beside the build output) of empty files named
by key; after each validation the files of units that were not part of it are removed, so it
holds one build's units at most.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger(__name__)

CACHE_DIR = ".parley-cache"


def default_cache_dir(out: Path) -> Path:
    """Where a build into ``out`` keeps its cache: ``.parley-cache/`` beside it."""
    return Path(out).absolute().parent / CACHE_DIR


class UnitCache:
    """The passing SHACL units of the last validation, under ``directory``."""

    def __init__(self, directory: Path, salt: str):
        self.directory = Path(directory) / "shacl"
        self.salt = hashlib.sha256(salt.encode("utf-8")).hexdigest()
        self.used: set[str] = set()
        self.reused = 0
        self.validated = 0
        self.broken = False

    @classmethod
    def for_shapes(cls, directory: Path, shapes_file: Path) -> UnitCache:
        """The cache for validations with ``shapes_file`` by this Parley and this pyshacl-turbo."""
        import pyshacl_turbo

        from . import __version__

        shapes = hashlib.sha256(Path(shapes_file).read_bytes()).hexdigest()
        return cls(directory, f"parley {__version__}\npyshacl-turbo {pyshacl_turbo.__version__}\nshapes {shapes}")

    def key(self, nodes: Iterable, triples: Iterable[ox.Triple]) -> str:
        """The key of a unit: its focus nodes, then its triples (results depend on both)."""
        digest = hashlib.sha256(self.salt.encode("ascii"))
        for node in sorted(str(n) for n in nodes):
            digest.update(node.encode("utf-8"))
            digest.update(b"\n")
        digest.update(b"\n")
        for line in sorted(str(t) for t in triples):
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()

    def passed(self, key: str) -> bool:
        """Did a unit with this key pass before? (Counts it as used either way.)"""
        self.used.add(key)
        if (self.directory / key).is_file():
            self.reused += 1
            return True
        self.validated += 1
        return False

    def record(self, key: str) -> None:
        """Remember that the unit with this key passed (a cache that cannot be written is only
        a slower next build: it is said once, and the build goes on)."""
        if self.broken:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / key).touch()
        except OSError as exc:
            self.broken = True
            log.warning(
                "%s: cannot keep the SHACL cache (%s); the next build validates every unit", self.directory, exc
            )

    def prune(self) -> None:
        """Remove the entries of units this validation did not have."""
        if self.directory.is_dir() and not self.broken:
            try:
                for entry in self.directory.iterdir():
                    if entry.is_file() and entry.name not in self.used:
                        entry.unlink()
            except OSError as exc:
                log.warning("%s: cannot prune the SHACL cache (%s)", self.directory, exc)
        log.info("SHACL units: %d reused from %s, %d validated", self.reused, self.directory, self.validated)
