"""The server's own SPARQL: canned queries kept as ``.rq`` files, read once by name.

The queries the pages run (descriptions, labels, claims, figures ...) are in
``server/data/queries/site/*.rq``; the example queries the query page offers are
``server/data/queries/*.rq``. Values reach them only as bindings (pyoxigraph substitutions), so no
query text is ever built with ``%`` or f-strings, constants included.
"""

from __future__ import annotations

import functools
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
SITE_QUERIES_DIR = QUERIES_DIR / "site"


@functools.cache
def query(name: str) -> str:
    """Return the text of ``server/data/queries/site/{name}.rq``; KeyError if there is none."""
    path = SITE_QUERIES_DIR / f"{name}.rq"
    if not path.is_file():
        raise KeyError(f"no canned query {name!r} in {SITE_QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


def names() -> list[str]:
    """Return the names of every canned site query."""
    return sorted(p.stem for p in SITE_QUERIES_DIR.glob("*.rq"))


def load_examples(directory: Path = QUERIES_DIR) -> list[dict]:
    """Return the canned queries: name, title (``# title:``), description (other ``#`` lines), text."""
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title, description = path.stem.replace("-", " "), []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            body = line.lstrip("#").strip()
            if body.lower().startswith("title:"):
                title = body[len("title:") :].strip()
            elif body:
                description.append(body)
        examples.append({"name": path.stem, "title": title, "description": " ".join(description), "text": text})
    return examples
