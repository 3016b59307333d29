"""The dump files of the build: ``/dumps/`` lists them, ``/dumps/{name}`` serves them.

A gzipped dump (``parley.ttl.gz``) is served byte for byte as ``application/gzip``, with no
``Content-Encoding``: what a client saves is the file SHA256SUMS names, so the checksum can be
verified, ``curl -O`` and browsers keep it compressed, and a range request resumes a download.
Its entity tag is its SHA-256 (read from ``SHA256SUMS`` with the request, so it always names
the bytes served, even while a new build is swapped in), never its mtime; ``Repr-Digest``
carries the same checksum. A client that wants the RDF itself asks for the name without
``.gz`` (``/dumps/parley.ttl``) and gets it decompressed as it streams, with its RDF media type.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from pathlib import Path

from flask import Blueprint, Flask, render_template

from ..data.integrity import checksums
from ..data.site import Site, site
from ..http.conditional import respond, respond_stream, send_build_file
from ..http.representations import DUMP_CONTENT, GZIP, HTML, OCTET_STREAM, PLAIN_TEXT, Representation, for_extension
from ..problems import NotFound
from . import pick

bp = Blueprint("dumps", __name__)

CHUNK_BYTES = 64 * 1024
_LISTING = (HTML, PLAIN_TEXT)


def _dumps_dir() -> Path:
    return site().path("dumps")


def content_rep(name: str) -> Representation:
    """Return the representation of a dump file's content (inside its ``.gz``, if gzipped)."""
    inner = name[:-3] if name.endswith(".gz") else name
    if inner == "SHA256SUMS":
        return PLAIN_TEXT
    _, rep = for_extension(inner, DUMP_CONTENT)
    return rep or OCTET_STREAM


def listing_rows() -> list[dict]:
    directory = _dumps_dir()
    if not directory.is_dir():
        raise NotFound("the build has no dumps directory", hint="run `parley build` to make the dumps")
    sums = checksums(directory)
    rows = []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        gz = path.name.endswith(".gz")
        inner = content_rep(path.name)
        rows.append(
            {
                "name": path.name,
                "bytes": path.stat().st_size,
                "sha256": sums.get(path.name),
                "media_type": GZIP.media_type if gz else inner.media_type,
                "inner": inner.media_type if gz else None,
                "plain": path.name[:-3] if gz else None,
            }
        )
    return rows


@bp.route("/dumps/", methods=["GET", "HEAD"])
def listing():
    """The dump files with their sizes, media types and SHA-256 checksums (HTML or SHA256SUMS text)."""
    rows = listing_rows()
    rep, _ = pick(None, _LISTING, "the dump listing")

    def make():
        if rep is PLAIN_TEXT:  # the build's own SHA256SUMS, byte for byte (sha256sum -c reads it)
            sums = _dumps_dir() / "SHA256SUMS"
            return sums.read_bytes() if sums.is_file() else b""
        return render_template("dumps.html", rows=rows)

    s = site()
    return respond(make, rep, etag=s.etag("dumps", rep.key), last_modified=s.modified, vary=True, cache=s.bodies)


def _decompressed(path: Path):
    with gzip.open(path, "rb") as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            if not chunk:
                return
            yield chunk


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def _is_name(name: str) -> bool:
    return bool(name) and not name.startswith(".") and "/" not in name and "\\" not in name and "\x00" not in name


@bp.route("/dumps/<name>", methods=["GET", "HEAD"])
def dump(name: str):
    """One dump file as built, or (name without .gz) its decompressed content."""
    directory = _dumps_dir()
    if not _is_name(name) or len(name) > 255:
        raise NotFound(f"no dump file {name[:80]!r}", hint="see /dumps/ for the files of this build")
    s = site()
    path = directory / name
    sums = checksums(directory)
    if path.is_file():
        digest = sums.get(name)
        if digest is None:  # SHA256SUMS itself, or a file the sums do not name
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        gz = name.endswith(".gz")
        headers = {"Repr-Digest": f"sha-256=:{_b64(digest)}:", "Digest": "sha-256=" + _b64(digest)}
        return send_build_file(
            path,
            GZIP if gz else content_rep(name),
            etag=digest[:32],
            last_modified=s.modified,
            download_name=name if gz else None,
            headers=headers,
        )
    packed = directory / (name + ".gz")
    _, rep = for_extension(name, DUMP_CONTENT)
    if packed.is_file() and rep is not None and name + ".gz" in sums:
        links = [f'</dumps/{name}.gz>; rel="alternate"; type="{GZIP.media_type}"']
        return respond_stream(
            lambda: _decompressed(packed),
            rep,
            etag=s.etag("dump-plain", sums[name + ".gz"]),
            last_modified=s.modified,
            links=links,
        )
    raise NotFound(f"no dump file {name[:80]!r}", hint="see /dumps/ for the files of this build")


def register(app: Flask, site: Site) -> None:
    """Attach the dump listing and file routes."""
    app.register_blueprint(bp)
