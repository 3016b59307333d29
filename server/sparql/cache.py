"""The results cache: answers already made, kept in each server worker up to a size in bytes.

A build never changes under a running server, so a query's answer is fixed by what it was
asked of: the build (its content id), the query text, the Protocol dataset, the base IRI
(when the query has a relative IRI), the row cap and the representation chosen. ``answer_tag(site, job, rep)`` is that key, as the
strong entity tag GET answers carry (``Site.etag``); ``ResultCache`` is a least-recently-used
map from it to bodies, bounded by their total size (``sparql_cache_bytes``; a body over a
quarter of it is not kept, so one answer cannot empty the cache). Only answers are stored:
an error is raised before ``put`` is reached, and never kept.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from threading import Lock

from ..data.site import Site
from ..http.representations import Representation
from .execute import Job
from .guard import QueryShape

_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")


def answer_tag(site: Site, job: Job, rep: Representation, shape: QueryShape) -> str:
    """Return the entity tag of ``job``'s answer in ``rep`` over ``site``'s build.

    The base IRI (the URL the query was sent to) is part of the tag only when the query has a
    relative IRI for it to resolve: otherwise two instances of the server on two addresses
    give a query the same tag, as they give a page.
    """
    return site.etag(
        "sparql",
        job.query,
        repr(job.default_graphs),
        repr(job.named_graphs),
        (job.base_iri or "") if _resolves_against_base(shape) else "",
        str(job.max_rows),
        rep.key,
    )


def _resolves_against_base(shape: QueryShape) -> bool:
    if shape.tokens is None:  # codepoint escapes: who knows what IRIs they spell
        return True
    return any(t.kind == "iri" and not _ABSOLUTE.match(t.text) for t in shape.tokens)


class ResultCache:
    """A thread-safe LRU of answer bodies by tag, holding at most ``max_bytes`` of them."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = Lock()

    def get(self, tag: str) -> bytes | None:
        """Return the body kept under ``tag`` (now the most recently used), or None."""
        with self._lock:
            body = self._bodies.get(tag)
            if body is not None:
                self._bodies.move_to_end(tag)
            return body

    def put(self, tag: str, body: bytes) -> None:
        """Keep ``body`` under ``tag``, dropping the least recently used bodies to make room."""
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._bodies.pop(tag, None)
            if old is not None:
                self._size -= len(old)
            self._bodies[tag] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped)

    @property
    def size(self) -> int:
        """Return the bytes of body held now."""
        with self._lock:
            return self._size

    def __len__(self) -> int:
        with self._lock:
            return len(self._bodies)
