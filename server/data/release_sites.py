"""The releases as sites: one release's store and ``Site``, opened once, and how the build compares.

A release directory holds its committed text and the downloads made from it, not a store.
``ReleaseSites.get(info)`` opens the release's store once per server process: its ``store/``
read-only when the directory has one, else its ``dumps/parley.nq.gz`` loaded into an in-memory
pyoxigraph store (made from the text first if missing: ``parley serve`` makes every release's
downloads before it starts, an app made otherwise may not have), under a lock, so concurrent
first requests load it once. The ``Site`` made over it is what every view of a
release's documents reads (``site.use_site``), with the release's own validators and caches.
``build_release(site, infos)`` says which release the served build is: the release whose
N-Quads dump has the same SHA-256, else the one whose canonical (RDFC-1.0) hash equals the
build's, computed once per app; None for an unreleased build. A release committed as text has
its dump made from its canonical N-Quads, so its bytes differ from a build's and the canonical
hash decides.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from graph.release import dump_canonical_hash
from graph.release_text import is_text_release, restore

from .integrity import checksums
from .site import Site
from .store import OxigraphStore, Store

log = logging.getLogger(__name__)

DUMP = "parley.nq.gz"


def open_release_store(path: Path) -> Store:
    """Return the store of the release at ``path``: its ``store/`` if any, else its N-Quads dump."""
    if (path / "store").is_dir():
        return OxigraphStore.open(path / "store")
    if not (path / "dumps" / DUMP).is_file() and is_text_release(path):
        restore(path)
    return OxigraphStore.from_dump(path / "dumps" / DUMP)


class ReleaseSites:
    """The Site of each release asked for, made once per process (releases never change)."""

    def __init__(self, settings: Mapping[str, Any]):
        self._settings = settings
        self._sites: dict[str, Site] = {}
        self._lock = threading.Lock()

    def get(self, version: str, path: Path) -> Site:
        found = self._sites.get(version)
        if found is not None:
            return found
        with self._lock:
            found = self._sites.get(version)
            if found is None:
                log.info("release %s: loading its store from %s", version, path)
                found = Site(store=open_release_store(path), build_dir=path, settings=self._settings)
                self._sites[version] = found
            return found


def build_release(site: Site, infos: Sequence) -> str | None:
    """Return the version of the release the served build equals, or None (unreleased).

    ``infos`` are the releases (``server.data.releases.ReleaseInfo``). Equal dump bytes decide at
    once; otherwise the build's canonical hash (computed once, only when some release might
    match) is compared with each release's.
    """
    if not infos:
        return None
    # a build and a published release never change: the answer holds for the app's life, until
    # another release is published (a new key)
    key = "release-of:" + ",".join(info.version for info in infos)
    return site.once(key, lambda: _matching_release(site, infos))


def _matching_release(site: Site, infos: Sequence) -> str | None:
    mine = checksums(site.path("dumps")).get(DUMP)
    for info in infos:
        if mine and checksums(info.path / "dumps").get(DUMP) == mine:
            return info.version
    path = site.path("dumps") / DUMP
    if not path.is_file():
        return None
    digest = site.once("canonical_sha256", lambda: dump_canonical_hash(path))
    return next((info.version for info in infos if info.canonical_sha256 == digest), None)
