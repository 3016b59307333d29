"""The releases: ``/releases/`` lists them, ``/releases/{version}/...`` serves one as released.

A release is a directory of the releases directory (the ``releases_dir`` setting) named by its
version and holding ``release.json``, which ``parley release`` writes last; anything else there
is not a release. The directory is read with each request, so a release published while the
server runs is listed at once and the older ones keep answering. A release never changes, so
its files are served byte for byte with ``Cache-Control: ... immutable`` and an entity tag that
is their SHA-256 (from the release's ``SHA256SUMS`` for a dump, else of the file itself).
Versions and file names are checked against strict patterns (``X.Y.Z``; a dump ``SHA256SUMS``
names; a fixed list of release files) before any path is made, so no request reaches a file
outside a release. ``/releases/latest/...`` answers 302 (not cached) to the same path in the
newest release, or in the build before the first release. A release's resource documents and
SPARQL endpoint are in ``routes.resources`` and ``sparql.protocol``, over ``release_site``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request

from graph.release import RELEASE_MANIFEST, SEMVER, releases

from ..conditional import respond, send_build_file
from ..errors import NotFound
from ..release_sites import ReleaseSites
from ..representations import GZIP, HTML, JSON, PLAIN_TEXT, TURTLE, Representation
from ..site import Site, site
from . import pick
from .dumps import checksums, content_rep

log = logging.getLogger(__name__)

bp = Blueprint("releases", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"
#: the files of a release the server serves, besides its dumps, with their representations
FILES: dict[str, Representation] = {
    "void.ttl": TURTLE,
    "changelog.ttl": TURTLE,
    "changelog.txt": PLAIN_TEXT,
    "CITATION.cff": PLAIN_TEXT,  # YAML; shown as text, as code hosts show it
    "datacite.json": JSON,
    RELEASE_MANIFEST: JSON,
}
_PAGES = (HTML, JSON)
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
        for text in ((self.manifest.get("build") or {}).get("modified"), self.issued):
            if text:
                try:
                    when = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
                except ValueError:
                    continue
                when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
                return when.astimezone(dt.UTC).replace(microsecond=0)
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

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


#: what /releases/latest/{rest} means before the first release: the build's own path
_BUILD_PATHS = ("doc/", "id/", "graph/", "dumps/")


def _latest(rest: str) -> Response:
    infos = all_releases()
    query = request.query_string.decode("ascii", "replace")
    if infos:
        target = f"{request.script_root}/releases/{infos[0].version}/{rest}"
    elif rest == "" or rest == "sparql" or rest.startswith(_BUILD_PATHS):
        target = f"{request.script_root}/{rest}"  # before the first release the build is the default
    else:
        raise NotFound(f"no release has been published yet, so there is no latest {rest[:80]!r}", hint=_LISTING_HINT)
    # 307 keeps a POSTed query a POST; a GET gets the 302 the issue asks for
    response = redirect(target + (f"?{query}" if query else ""), code=307 if request.method == "POST" else 302)
    response.headers["Cache-Control"] = "no-cache"  # the latest release changes when one is published
    return response


@bp.route("/releases/latest", methods=["GET", "HEAD", "POST"])
@bp.route("/releases/latest/", methods=["GET", "HEAD", "POST"])
def latest():
    """302 to the newest release (or the build's home, before the first release)."""
    return _latest("")


@bp.route("/releases/latest/<path:rest>", methods=["GET", "HEAD", "POST"])
def latest_path(rest: str):
    """302 to the same path in the newest release (or in the build, before the first release)."""
    return _latest(rest)


def _dump_rows(info: ReleaseInfo) -> list[dict]:
    directory = info.path / "dumps"
    rows = []
    for name, digest in sorted(checksums(directory).items()):
        path = directory / name
        if path.is_file():
            rows.append({"name": name, "bytes": path.stat().st_size, "sha256": digest})
    return rows


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@bp.route("/releases/", methods=["GET", "HEAD"])
def listing():
    """The releases, newest first, as HTML or JSON."""
    rep, _ = pick(None, _PAGES, "the release listing")
    infos = all_releases()
    rows = [info.summary() for info in infos]
    tag = hashlib.sha256("\x1f".join(f"{i.version}:{i.manifest_sha256}" for i in infos).encode()).hexdigest()
    s = site()
    modified = max([i.modified for i in infos], default=s.modified)

    def make():
        if rep is JSON:
            return json.dumps({"releases": rows}) + "\n"
        return render_template("releases.html", rows=rows)

    return respond(make, rep, etag=s.etag("releases", tag, rep.key), last_modified=modified, vary=True)


@bp.route("/releases/<version>/", methods=["GET", "HEAD"])
def page(version: str):
    """One release: its metadata, dumps with checksums, citation and changelog (HTML or JSON)."""
    info = one_release(version)
    rep, _ = pick(None, _PAGES, f"release {version}")
    dumps = _dump_rows(info)
    citation = _text(info.path / "CITATION.cff")
    changelog = _text(info.path / "changelog.txt")
    parts = (citation, changelog, json.dumps(dumps, sort_keys=True))
    tag = hashlib.sha256("\x1f".join((info.manifest_sha256, *parts)).encode()).hexdigest()

    def make():
        summary = info.summary()
        if rep is JSON:
            return json.dumps({**summary, "dumps": dumps, "files": sorted(FILES)}) + "\n"
        return render_template(
            "release.html",
            release=summary,
            dumps=dumps,
            files=sorted(FILES),
            citation=citation,
            changelog=changelog,
        )

    s = site()
    return respond(make, rep, etag=s.etag("release", tag, rep.key), last_modified=info.modified, vary=True)


def _send(info: ReleaseInfo, path: Path, rep: Representation, digest: str, download: bool) -> object:
    b64 = base64.b64encode(bytes.fromhex(digest)).decode("ascii")
    return send_build_file(
        path,
        rep,
        etag=digest[:32],
        last_modified=info.modified,
        download_name=path.name if download else None,
        headers={"Repr-Digest": f"sha-256=:{b64}:"},
        cache_control=IMMUTABLE,
    )


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(64 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@bp.route("/releases/<version>/<name>", methods=["GET", "HEAD"])
def release_file(version: str, name: str):
    """A file of the release (VoID, changelog, citation, DataCite, manifest) byte for byte."""
    info = one_release(version)
    rep = FILES.get(name)
    path = info.path / name
    if rep is None or not path.is_file():
        raise NotFound(f"release {version} has no file {name[:80]!r}", hint=f"see /releases/{version}/ for its files")
    return _send(info, path, rep, _file_sha256(path), download=False)


@bp.route("/releases/<version>/dumps/<name>", methods=["GET", "HEAD"])
def release_dump(version: str, name: str):
    """A dump of the release (or its SHA256SUMS) as released; its ETag is its SHA-256."""
    info = one_release(version)
    directory = info.path / "dumps"
    sums = checksums(directory)
    path = directory / name
    # only names SHA256SUMS lists (or SHA256SUMS itself) ever become a path that is opened
    if (name not in sums and name != "SHA256SUMS") or not path.is_file():
        raise NotFound(f"release {version} has no dump {name[:80]!r}", hint=f"see /releases/{version}/ for its dumps")
    digest = sums.get(name) or _file_sha256(path)
    gz = name.endswith(".gz")
    return _send(info, path, GZIP if gz else content_rep(name), digest, download=gz)


def register(app: Flask, site: Site) -> None:
    """Attach the release routes; the releases directory is made absolute once, like the build's."""
    app.extensions["parley_releases_dir"] = Path(site.settings["releases_dir"]).absolute()
    app.extensions["parley_release_sites"] = ReleaseSites(site.settings)
    app.register_blueprint(bp)
