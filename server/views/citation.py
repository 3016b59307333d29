"""The "cite this" block of a resource page: which release the page shows, a formatted
citation, BibTeX and the versioned IRI of the resource in that release.

The release's own ``CITATION.cff`` gives the title, authors, version and date, so a page cites
exactly what the release's metadata states. The versioned IRI of ``{base}id/{path}`` in release
``V`` is ``{base}releases/V/id/{path}``: it dereferences (303) to the release's document about
the resource, which never changes. An unreleased build says so and names the release it follows.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from graph.namespaces import BASE

_BIBTEX_SPECIAL = re.compile(r"([&%$#_])")


def versioned_iri(iri: str, version: str) -> str | None:
    """Return the IRI of ``iri`` in release ``version``, or None for an IRI outside the dataset."""
    if not iri.startswith(BASE):
        return None
    return f"{BASE}releases/{version}/{iri[len(BASE) :]}"


def _cff(path: Path) -> dict:
    try:
        data = yaml.safe_load((path / "CITATION.cff").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _authors(cff: dict) -> list[str]:
    names = []
    for author in cff.get("authors") or []:
        if isinstance(author, dict):
            name = author.get("name") or " ".join(
                str(author[k]) for k in ("given-names", "family-names") if author.get(k)
            )
            if name:
                names.append(str(name))
    return names


def _bibtex_value(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", text.replace("{", "").replace("}", "").replace("\\", ""))


def bibtex(key: str, fields: list[tuple[str, str]]) -> str:
    """Return a BibTeX entry, one field a line, values braced and escaped."""
    width = max(len(name) for name, _ in fields)
    lines = [f"@misc{{{key},"]
    lines += [f"  {name.ljust(width)} = {{{_bibtex_value(value)}}}," for name, value in fields]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines + ["}"]) + "\n"


def cite(iri: str, label: str, version: str | None, release_path: Path | None, latest: str | None) -> dict:
    """Return the template context of the "cite this" block.

    ``version`` is the release the page shows (None for an unreleased build), ``release_path``
    its directory, ``latest`` the newest release (what an unreleased build follows).
    """
    if version is None or release_path is None:
        return {"released": False, "latest": latest, "iri": iri}
    cff = _cff(release_path)
    title = str(cff.get("title") or "Parley")
    issued = str(cff.get("date-released") or "")
    authors = _authors(cff)
    versioned = versioned_iri(iri, version) or iri
    year = issued[:4]
    who = "; ".join(authors) if authors else title
    text = f"{who} ({year or 'n.d.'}). {label}. In {title} (Version {version}) [Data set]. {versioned}"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", iri.rsplit("/", 1)[-1]).strip("-").lower() or "resource"
    key = f"parley-{version.replace('.', '-')}-{slug}"
    fields = [
        ("author", " and ".join(authors) or title),
        ("title", label),
        ("howpublished", f"{title}, version {version}"),
    ]
    if year:
        fields.append(("year", year))
    fields += [("version", version), ("url", versioned), ("note", f"Dataset release {version} of {issued}".strip())]
    return {
        "released": True,
        "version": version,
        "versioned_iri": versioned,
        "text": text,
        "bibtex": bibtex(key, fields),
        "iri": iri,
        "latest": latest,
    }
