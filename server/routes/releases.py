"""The releases: ``/releases/`` lists them, ``/releases/{version}/...`` serves one as released.

A release is a directory of the releases directory (the ``releases_dir`` setting) named by its
version and holding ``release.json``, which ``parley release`` writes last; anything else there
is not a release. The directory is read with each request, so a release published while the
server runs is listed at once and the older ones keep answering. A release never changes, so
its files are served byte for byte with ``Cache-Control: ... immutable`` and an entity tag that
is their SHA-256 (from the release's ``SHA256SUMS`` for a dump or a committed file it lists, else
of the file itself). Its committed text is served too: the canonical N-Quads ``parley.nq``,
``shapes.ttl`` and the top-level ``SHA256SUMS`` that lists every file.
Versions and file names are checked against strict patterns (``X.Y.Z``; a dump ``SHA256SUMS``
names; a fixed list of release files) before any path is made, so no request reaches a file
outside a release. ``/releases/latest/...`` answers 302 (not cached) to the same path in the
newest release, or in the build before the first release. A release's resource documents and
SPARQL endpoint are in ``routes.resources`` and ``sparql.protocol``, over ``release_site``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from pathlib import Path

from flask import Blueprint, Flask, Response, redirect, render_template, request

from graph.dump import file_sha256
from graph.errors import ConfigError
from graph.release import RELEASE_MANIFEST
from graph.release_text import SHAPES, SUMS, TEXT, read_release_sums

from ..data.integrity import checksums
from ..data.release_sites import ReleaseSites
from ..data.releases import _LISTING_HINT, ReleaseInfo, all_releases, one_release
from ..data.site import Site, site
from ..http.conditional import respond, send_build_file
from ..http.representations import GZIP, HTML, JSON, N_QUADS, PLAIN_TEXT, TURTLE, Representation
from ..problems import NotFound
from . import pick
from .dumps import content_rep

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
    TEXT: N_QUADS,  # the committed text: the canonical N-Quads, whose SHA-256 is the canonical hash
    SHAPES: TURTLE,
    SUMS: PLAIN_TEXT,  # the release's own, listing every file (dumps/SHA256SUMS lists the dumps)
}
_PAGES = (HTML, JSON)


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


def _committed_digest(info: ReleaseInfo, name: str, path: Path) -> str:
    """The SHA-256 of a committed file: as the release's ``SHA256SUMS`` lists it, else computed.

    A release older than the text format, or one whose ``SHA256SUMS`` does not read, still
    answers: its file's own digest is the tag (``parley release-files`` reports the damage).
    """
    if name != SUMS:
        try:
            listed = read_release_sums(info.path).get(name)
        except ConfigError:
            listed = None
        if listed:
            return listed
    return file_sha256(path)


@bp.route("/releases/<version>/<name>", methods=["GET", "HEAD"])
def release_file(version: str, name: str):
    """A file of the release (VoID, changelog, citation, DataCite, manifest, the committed
    N-Quads, shapes and SHA256SUMS) byte for byte."""
    info = one_release(version)
    rep = FILES.get(name)
    path = info.path / name
    if rep is None or not path.is_file():
        raise NotFound(f"release {version} has no file {name[:80]!r}", hint=f"see /releases/{version}/ for its files")
    return _send(info, path, rep, _committed_digest(info, name, path), download=False)


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
    digest = sums.get(name) or file_sha256(path)
    gz = name.endswith(".gz")
    return _send(info, path, GZIP if gz else content_rep(name), digest, download=gz)


def register(app: Flask, site: Site) -> None:
    """Attach the release routes; the releases directory is made absolute once, like the build's."""
    app.extensions["parley_releases_dir"] = Path(site.settings["releases_dir"]).absolute()
    app.extensions["parley_release_sites"] = ReleaseSites(site.settings)
    app.register_blueprint(bp)
