"""The releases as data: which releases the releases directory holds, each one's metadata
(``ReleaseInfo``, read from its ``release.json``), and the Site that serves one.

A release is a directory of the releases directory (the ``releases_dir`` setting) named by its
version and holding ``release.json``, which ``parley release`` writes last; anything else there
is not a release. The directory is read with each request (the listing kept while it is
unchanged), so a release published while the server runs is listed at once. The routes that
serve releases (``routes.releases``, ``routes.resources``, ``routes.memento``, the query page
and ``sparql.protocol``) all read them here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from graph.release import RELEASE_MANIFEST, SEMVER, releases

from ..problems import NotFound
from .site import Site
from .times import EPOCH, utc_time

log = logging.getLogger(__name__)

_LISTING_HINT = "see /releases/ for the releases of this dataset"


@dataclass(frozen=True)
class ReleaseInfo:
    """What a page says about one release, read from its ``release.json``."""

    version: str
    path: Path
    manifest: dict
    manifest_sha256: str

    @property
    def issued(self) -> str:
        return self.manifest.get("issued") or ""

    @property
    def dataset(self) -> str:
        return self.manifest.get("dataset") or ""

    @property
    def triples(self) -> int | None:
        return (self.manifest.get("build") or {}).get("triples")

    @property
    def canonical_sha256(self) -> str:
        return (self.manifest.get("canonical_hash") or {}).get("sha256") or ""

    @property
    def modified(self) -> dt.datetime:
        """The release's time: its build's time stamp, else its issued date (UTC midnight)."""
        build = (self.manifest.get("build") or {}).get("modified")
        return utc_time(build) or utc_time(self.issued) or EPOCH

    @property
    def released(self) -> dt.datetime:
        """The datetime the release came in force, its Memento-Datetime: its issued date, 00:00 UTC."""
        try:
            return dt.datetime.combine(dt.date.fromisoformat(self.issued), dt.time(), tzinfo=dt.UTC)
        except ValueError:
            return self.modified

    def summary(self) -> dict:
        """The release as a row of the listing (also its JSON)."""
        return {
            "version": self.version,
            "issued": self.issued,
            "dataset": self.dataset,
            "triples": self.triples,
            "canonical_sha256": self.canonical_sha256,
            "previous": self.manifest.get("previous"),
            "changes": self.manifest.get("changes") or {},
            "url": f"/releases/{self.version}/",
            "changelog": f"/releases/{self.version}/changelog.txt",
        }


def releases_dir() -> Path:
    """Return the absolute releases directory of the current app."""
    return current_app.extensions["parley_releases_dir"]


def _read(version: str) -> ReleaseInfo | None:
    """The release ``version`` as published, read once per app (a published release never changes)."""
    known = current_app.extensions.setdefault("parley_release_infos", {})
    info = known.get(version)
    if info is None:
        info = _read_manifest(version)
        if info is not None:
            known[version] = info
    return info


def _read_manifest(version: str) -> ReleaseInfo | None:
    path = releases_dir() / version
    try:
        data = (path / RELEASE_MANIFEST).read_bytes()
        manifest = json.loads(data)
    except (OSError, ValueError) as exc:
        log.warning("%s: not a readable release (%s); left out", path, exc)
        return None
    if not isinstance(manifest, dict):
        log.warning("%s: release.json is not an object; left out", path)
        return None
    return ReleaseInfo(version, path, manifest, hashlib.sha256(data).hexdigest())


def all_releases() -> list[ReleaseInfo]:
    """Return the complete releases, newest first (empty when the directory is missing).

    Every document asks, so the listing is kept while the directory is unchanged: a release is
    renamed in whole (``graph.release``), which changes the directory's time stamp. A listing
    made within ``_SETTLE_NS`` of a change is not kept (a file system's clock ticks coarsely).
    """
    directory = releases_dir()
    try:
        stat = directory.stat()
        key = (stat.st_mtime_ns, stat.st_ino, stat.st_nlink)
        settled = time.time_ns() - stat.st_mtime_ns > _SETTLE_NS
    except OSError:  # no releases directory (yet)
        key, settled = None, True
    kept = current_app.extensions.get("parley_release_listing")
    if kept is not None and kept[0] == key:
        return kept[1]
    found = [info for info in (_read(version) for version in reversed(releases(directory))) if info is not None]
    if settled:
        current_app.extensions["parley_release_listing"] = (key, found)
    return found


_SETTLE_NS = 2_000_000_000


def one_release(version: str) -> ReleaseInfo:
    """Return the release ``version``; raise NotFound for a bad or unknown version."""
    info = _read(version) if SEMVER.match(version) and (releases_dir() / version).is_dir() else None
    if info is None:
        raise NotFound(f"no release {version[:40]!r}", hint=_LISTING_HINT)
    return info


def release_site(info: ReleaseInfo) -> Site:
    """Return the Site of a release (its store opened, or its dump loaded, once per process)."""
    return current_app.extensions["parley_release_sites"].get(info.version, info.path)
