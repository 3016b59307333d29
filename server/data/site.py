"""The site's state: what every route needs of the build, made once per app by ``create_app``.

``Site`` holds the store, the build directory (made absolute when the app is created, so a
relative default such as ``build`` means the same folder whatever module later reads it), the
build's validators (its time stamp and a content id derived from ``SHA256SUMS`` and
``build.json``, never from file times), and what pages compute from the graph and never
recompute while the app runs. What is one thing for the whole graph (figures, the JSON-LD
context) is made once under a lock (``once``), so concurrent first requests do not all make it;
what is one thing per IRI (a label, an article's text) is looked up in the store for that IRI
when a page first needs it and remembered in a bounded LRU (``memo``), so neither a worker's
start nor its memory grows with the graph (a point lookup is microseconds; the whole graph's
labels at a million triples took 13 s and 100 MB per worker). Blueprints reach it with ``site()``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import current_app, g

from graph.errors import ConfigError
from graph.namespaces import PARLEY

from .bodies import BodyCache
from .canned import query
from .store import Store
from .times import EPOCH, utc_time

#: how many IRIs' labels (or the want of one) a worker remembers: a few MB at most, whatever the
#: graph's size, and every IRI a page names on a busy server
LOOKUP_ENTRIES = 32_768
TEXT_ENTRIES = 64  # article texts are the largest values pages look up (tens of kB each)
LABEL_PREDICATES = (  # best first, as labels.rq ranks them
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
PARLEY_TEXT = str(PARLEY.text)


def _code_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("parley")
    except PackageNotFoundError:  # run from a checkout that is not installed
        from graph import __version__

        return __version__


@dataclass
class Site:
    """The store and the unchanging facts every page uses."""

    store: Store
    build_dir: Path
    settings: Mapping[str, Any]
    modified: dt.datetime = field(init=False)
    content_id: str = field(init=False)
    bodies: BodyCache = field(init=False)
    _computed: dict[str, Any] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)  # once() nests (types need labels)

    def __post_init__(self) -> None:
        self.bodies = BodyCache(self.settings.get("page_cache_bytes", 64_000_000))
        self.build_dir = Path(self.build_dir).absolute()
        info = self._build_info()
        self.modified = self._modified(info)
        digest = hashlib.sha256()
        for name in ("dumps/SHA256SUMS", "build.json"):
            path = self.build_dir / name
            digest.update(path.read_bytes() if path.is_file() else b"")
            digest.update(b"\x00")
        digest.update(_code_version().encode())
        self.content_id = digest.hexdigest()[:20]

    # --- the build's own facts ---------------------------------------------------------------
    @property
    def info(self) -> dict:
        """The build's ``build.json`` (counts, checks, coverage), read once; empty without one."""
        return self.once("build-info", self._build_info)

    def _build_info(self) -> dict:
        path = self.build_dir / "build.json"
        if not path.is_file():
            return {}
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            raise ConfigError(
                f"{path}: not a readable build description ({exc})", hint="rebuild with `parley build`"
            ) from None

    def _modified(self, info: dict) -> dt.datetime:
        text = info.get("modified")
        if not text:
            rows = self.store.select(query("build-time"))
            text = rows[0]["time"].value if rows and "time" in rows[0] else None
        return utc_time(text) or EPOCH

    def etag(self, *parts: str) -> str:
        """Return the entity tag of the representation named by ``parts`` in this build."""
        text = "\x1f".join((self.content_id, *parts))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def path(self, name: str) -> Path:
        """Return the absolute path of a file of the build (``void.ttl``, ``dumps/SHA256SUMS``)."""
        return self.build_dir / name

    # --- computed once -----------------------------------------------------------------------
    def once(self, name: str, compute: Callable[[], Any]) -> Any:
        """Return ``compute()``, made the first time it is asked for and kept for the app's life."""
        found = self._computed.get(name, _MISSING)
        if found is not _MISSING:
            return found
        with self._lock:
            found = self._computed.get(name, _MISSING)
            if found is _MISSING:
                found = compute()
                self._computed[name] = found
            return found

    def memo(self, name: str, compute: Callable[..., Any], entries: int = LOOKUP_ENTRIES) -> Callable[..., Any]:
        """Return ``compute`` remembered per argument for the app's life, for at most ``entries``
        arguments (the least recently used are forgotten): for what pages look up per IRI, which
        a large graph has too many of to make all at once."""
        return self.once("memo:" + name, lambda: functools.lru_cache(maxsize=entries)(compute))

    def label_of(self, iri: str) -> str | None:
        """Return the preferred English label of ``iri`` (rdfs:label, else skos:prefLabel, else
        dcterms:title; English or untagged), or None: ``labels.rq``'s choice, for one IRI."""
        return self.memo("label", self._read_label)(iri)

    def _read_label(self, iri: str) -> str | None:
        for predicate in LABEL_PREDICATES:
            found = best_label(self.store.objects(iri, predicate))
            if found is not None:
                return found
        return None

    def text(self, article: str) -> str | None:
        """Return the full text of an article (``parley:text``), or None."""
        return self.memo("text", self._read_text, TEXT_ENTRIES)(article)

    def _read_text(self, article: str) -> str | None:
        texts = [node.value for node in self.store.objects(article, PARLEY_TEXT) if isinstance(node, ox.Literal)]
        return texts[0] if texts else None


def best_label(values: Iterable[Any]) -> str | None:
    """The label ``labels.rq`` ranks first among one predicate's values: English or untagged
    literals, the greatest language tag first (``en-us``, ``en-gb``, ``en``, then none), then in order."""
    found = [v for v in values if isinstance(v, ox.Literal) and _english_or_untagged(v.language)]
    if not found:
        return None
    tag = max(v.language or "" for v in found)
    return min(v.value for v in found if (v.language or "") == tag)


def _english_or_untagged(tag: str | None) -> bool:
    tag = (tag or "").lower()
    return tag in ("", "en") or tag.startswith("en-")


_MISSING = object()


def site() -> Site:
    """Return the Site the current request reads: a release's (``use_site``), else the app's build."""
    found = g.get("parley_site")
    return found if found is not None else current_app.extensions["parley_site"]


def use_site(chosen: Site, prefix: str = "") -> None:
    """Make ``site()`` return ``chosen`` for the rest of this request (a release's documents),
    and links to the dataset's resources start with ``prefix`` (``/releases/0.1.0``)."""
    g.parley_site = chosen
    g.parley_prefix = prefix


@contextmanager
def using(chosen: Site) -> Iterator[Site]:
    """Make ``site()`` return ``chosen`` inside the block (to ask a release whether it holds a resource)."""
    previous = g.get("parley_site")
    g.parley_site = chosen
    try:
        yield chosen
    finally:
        g.parley_site = previous
