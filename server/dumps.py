"""The release files of the build: ``/dumps/`` lists them, ``/dumps/{name}`` serves them.

A gzipped dump (``parley.ttl.gz``) is served byte for byte as ``application/gzip``, with no
``Content-Encoding``: what a client saves is the file SHA256SUMS names, so the checksum can be
verified, ``curl -O`` and browsers keep it compressed, and range requests resume a download
(werkzeug's ``send_file`` with ETag and conditional requests). A client that wants the RDF
itself asks for the same name without ``.gz`` (``/dumps/parley.ttl``) and gets it decompressed
as it streams, with its RDF media type, which ``rdflib.Graph().parse(url)`` reads directly.
"""

from __future__ import annotations

import base64
import gzip
from pathlib import Path

from flask import Blueprint, Flask, Response, render_template, send_file
from werkzeug.utils import safe_join

from graph.errors import NotFound

from .resources import choose, conditional, not_acceptable, site

bp = Blueprint("dumps", __name__)

MEDIA_TYPES = {
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
}
TEXT_TYPES = {"text/turtle", "application/n-quads", "application/trig", "application/n-triples"}
CHUNK_BYTES = 64 * 1024


def _dumps_dir() -> Path:
    return site().build_dir / "dumps"


def checksums(directory: Path) -> dict[str, str]:
    """Return file name -> SHA-256 hex digest, read from ``SHA256SUMS`` (empty if absent)."""
    path = directory / "SHA256SUMS"
    sums = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if name:
                sums[name.lstrip("*").strip()] = digest.strip()
    return sums


def media_type(name: str) -> tuple[str, bool]:
    """Return (media type of the content, gzipped?) for a dump file name."""
    gz = name.endswith(".gz")
    inner = name[:-3] if gz else name
    suffix = Path(inner).suffix
    media = MEDIA_TYPES.get(suffix, "text/plain" if inner == "SHA256SUMS" else "application/octet-stream")
    return media, gz


def listing_rows() -> list[dict]:
    directory = _dumps_dir()
    if not directory.is_dir():
        raise NotFound("the build has no dumps directory", hint="run `parley build` to make the dumps")
    sums = checksums(directory)
    rows = []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        media, gz = media_type(path.name)
        rows.append({"name": path.name, "bytes": path.stat().st_size, "sha256": sums.get(path.name),
                     "media_type": "application/gzip" if gz else media, "inner": media if gz else None,
                     "plain": path.name[:-3] if gz else None})
    return rows


@bp.route("/dumps/", methods=["GET", "HEAD"])
def listing():
    """The dump files with their sizes, media types and SHA-256 checksums (HTML or SHA256SUMS text)."""
    rows = listing_rows()
    formats = {"html": "text/html", "txt": "text/plain"}
    ext = choose(formats, default="text/html")
    if ext is None:
        return not_acceptable(formats.values())

    def make():
        if ext == "txt":
            body = "".join(f"{r['sha256']}  {r['name']}\n" for r in rows if r["sha256"])
            return Response(body, mimetype="text/plain")
        return Response(render_template("dumps.html", rows=rows), mimetype="text/html")

    return conditional(make, site().etag("dumps", ext), vary=True)


def _decompressed(path: Path):
    with gzip.open(path, "rb") as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            if not chunk:
                return
            yield chunk


@bp.route("/dumps/<name>", methods=["GET", "HEAD"])
def dump(name: str):
    """One dump file as built, or (name without .gz) its decompressed content."""
    directory = _dumps_dir()
    joined = safe_join(str(directory), name)
    if joined is None or name.startswith("."):
        raise NotFound(f"no dump file {name!r}", hint="see /dumps/ for the files of this build")
    path = Path(joined)
    if path.is_file():
        media, gz = media_type(name)
        if gz:
            response = send_file(path, mimetype="application/gzip", as_attachment=True, download_name=name,
                                 conditional=True, etag=True, max_age=300)
        else:
            mimetype = f"{media}; charset=utf-8" if media in TEXT_TYPES or media == "text/plain" else media
            response = send_file(path, mimetype=mimetype, conditional=True, etag=True, max_age=300)
        digest = checksums(directory).get(name)
        if digest:
            response.headers["Digest"] = "sha-256=" + _b64(digest)
        return response
    packed = directory / (name + ".gz")
    if packed.is_file() and Path(name).suffix in MEDIA_TYPES:
        media, _ = media_type(name)

        def make():
            return Response(_decompressed(packed), mimetype=media,
                            headers={"Content-Type": f"{media}; charset=utf-8" if media in TEXT_TYPES else media})

        stat = packed.stat()
        tag = site().etag("dump-plain", name, str(stat.st_size), str(int(stat.st_mtime)))
        links = [f'</dumps/{name}.gz>; rel="alternate"; type="application/gzip"']
        return conditional(make, tag, vary=False, links=links)
    raise NotFound(f"no dump file {name!r}", hint="see /dumps/ for the files of this build")


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def register(app: Flask) -> None:
    """Attach the dump listing and file routes."""
    app.register_blueprint(bp)

