"""The bodies a site has made, kept by entity tag so that a repeated request costs a lookup.

``http.conditional.respond`` asks the cache before it makes a body and puts what it made; the
site (``data.site``) holds one per app, bounded by the setting ``page_cache_bytes``.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock


class BodyCache:
    """A thread-safe LRU of made bodies by entity tag, holding at most ``max_bytes`` of them (the
    build never changes under an app). A body over a quarter of the bound is not kept, so one
    large page cannot empty the cache."""

    def __init__(self, max_bytes: int = 64_000_000):
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._size = 0
        self._lock = Lock()

    def get(self, etag: str) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._bodies.get(etag)
            if found is not None:
                self._bodies.move_to_end(etag)
            return found

    def put(self, etag: str, body: bytes, ctype: str) -> None:
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._bodies.pop(etag, None)
            if old is not None:
                self._size -= len(old[0])
            self._bodies[etag] = (body, ctype)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (dropped, _) = self._bodies.popitem(last=False)
                self._size -= len(dropped)
