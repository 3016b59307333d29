"""The landing page's schema.org ``Dataset``, as JSON-LD for dataset search engines.

Everything in it is what the build or the release states: the name, description, licence,
creator and modification time from the build's VoID (the creator from the ontology's header
when the VoID names none, as ``graph.release_metadata.stated`` reads them), and, only when the
served build equals a release, that release's version, issued date (``datePublished``) and
downloads (from its VoID); otherwise the build's own downloads. Each download is a
``DataDownload`` with the URL and media type its VoID gives. A value neither states is left
out, never filled in. Made once per app and release status (``Site.once``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS

from graph.namespaces import BASE, DATASET
from graph.release_metadata import IANA, dataset_iri, stated

from ..data.release_sites import build_release
from ..data.releases import all_releases
from ..data.site import site
from .page import json_ld_script


def landing() -> tuple[str, Markup]:
    """Return (the release the build equals, or "unreleased"; the Dataset JSON-LD script text)."""
    s = site()
    infos = all_releases()
    version = build_release(s, infos)
    shown = next((info for info in infos if info.version == version), None)
    key = version or "unreleased"
    return key, s.once(f"dataset-jsonld:{key}", lambda: json_ld_script(describe(s.build_dir, shown)))


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle") if path.is_file() else Graph()


def _downloads(void: Graph, dataset: URIRef) -> list[dict]:
    downloads = []
    for dist in sorted(void.objects(dataset, DCAT.distribution)):
        url = void.value(dist, DCAT.downloadURL) or dist
        entry: dict[str, Any] = {"@type": "DataDownload", "contentUrl": str(url)}
        media = void.value(dist, DCAT.mediaType)
        if media is not None:
            entry["encodingFormat"] = str(media).removeprefix(IANA)
        title = void.value(dist, DCTERMS.title)
        if title is not None:
            entry["name"] = str(title)
        description = void.value(dist, DCTERMS.description)
        if description is not None:
            entry["description"] = str(description)
        downloads.append(entry)
    return downloads


def _term(value) -> str | dict:
    """A stated value: an IRI as a node reference, a literal as its text."""
    return {"@id": str(value)} if isinstance(value, URIRef) else str(value)


def describe(build_dir: Path, release) -> dict:
    """Return the schema.org Dataset of the build at ``build_dir`` (``release``: the one it equals, or None)."""
    found = stated(build_dir)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": str(DATASET),
        "identifier": str(DATASET),
        "url": BASE,
        "isAccessibleForFree": True,
    }
    if found["title"]:
        data["name"] = str(found["title"][0])
    if found["description"]:
        data["description"] = str(found["description"][0])
    if found["license"]:
        data["license"] = str(found["license"][0])
    if found["creator"]:
        data["creator"] = [_term(c) for c in found["creator"]]
    if found["publisher"]:
        data["publisher"] = [_term(p) for p in found["publisher"]]
    build_void = _parse(build_dir / "void.ttl")
    modified = build_void.value(DATASET, DCTERMS.modified)
    if modified is not None:
        data["dateModified"] = str(modified)
    if release is not None:
        data["version"] = release.version
        if release.issued:
            data["datePublished"] = release.issued
        data["distribution"] = _downloads(_parse(release.path / "void.ttl"), dataset_iri(release.version))
    else:
        data["distribution"] = _downloads(build_void, DATASET)
    if not data["distribution"]:
        del data["distribution"]
    return data
