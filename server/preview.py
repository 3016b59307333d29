"""What ``parley preview`` runs: the working tree built tolerantly, served, rebuilt on change.

``Preview(root, workdir)`` builds the curation of ``root`` with ``graph.build.build(...,
tolerant=True)`` (TODO entries left out, nothing refused) into a fresh directory under
``workdir``, makes an app over it with ``create_app`` (the one ``parley serve`` runs) and adds
the curation view (``routes.preview``) made from ``graph.check.check_corpus``. The preview is a
WSGI application that hands each request to the current app; ``rebuild()`` makes the next
build and app completely, then swaps the reference in one assignment, so a request is answered
wholly by the old build or wholly by the new one, as ``parley build``'s directory swap does for
``parley serve``. A rebuild that fails (the corpus or the ontology unreadable) keeps the
current build and records the error, which the pages then show. ``poll()`` (between requests, on the serving
thread) and ``watch()`` look at the
modification times and sizes of the files under ``corpus/`` and ``curation/`` (the standard
library is enough for two directories of a few files; no watcher library needed) and rebuilds
when they change.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

from graph.errors import ParleyError

log = logging.getLogger(__name__)

WATCHED = ("corpus", "curation")


def snapshot(root: Path) -> tuple:
    """The (path, mtime, size) of every file under the watched directories."""
    found = []
    for name in WATCHED:
        base = root / name
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class Preview:
    """The current build and its app; callable as a WSGI application."""

    def __init__(self, root: Path, workdir: Path, settings: dict | None = None):
        self.root = root
        self.workdir = workdir
        self.settings = dict(settings or {})
        self.generation = 0
        self.app = None
        self.build_dir: Path | None = None
        self.error: str | None = None
        self.state = snapshot(root)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._polled = time.monotonic()

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)

    def rebuild(self) -> bool:
        """Build the working tree and swap the new app in; False (the old one kept) when it fails."""
        from graph.build import build
        from graph.check import check_corpus

        from . import create_app
        from .routes import preview as preview_routes

        with self._lock:
            self.generation += 1
            out = self.workdir / f"build-{self.generation}"
            try:
                state = snapshot(self.root)
                build(out=out, root=self.root, tolerant=True)
                report = check_corpus(self.root, partial=True)
                app = create_app({**self.settings, "build_dir": out})
                preview_routes.register(app, report, error=lambda: self.error)
            except ParleyError as exc:
                self.error = f"{exc.message}; fix: {exc.hint}" if exc.hint else exc.message
                log.error("preview: rebuild failed, still serving the previous build: %s", self.error)
                shutil.rmtree(out, ignore_errors=True)
                if self.app is None:
                    raise
                return False
            old, old_dir = self.app, self.build_dir
            self.app, self.build_dir, self.state, self.error = app, out, state, None  # the swap
            log.info("preview: built %s (%d lines marked TODO)", out.name, sum(len(a.todos) for a in report.articles))
        if old is not None:
            _close(old)
            shutil.rmtree(old_dir, ignore_errors=True)
        return True

    def changed(self) -> bool:
        return snapshot(self.root) != self.state

    def poll(self, interval: float = 1.0) -> None:
        """Rebuild if a watched file changed, looking at most once every ``interval`` seconds
        (called by the server between requests, on its own thread)."""
        now = time.monotonic()
        if now - self._polled < interval:
            return
        self._polled = now
        if self.changed():
            self.rebuild()

    def watch(self, interval: float = 1.0) -> None:
        """Rebuild whenever a watched file changes, until ``stop()``."""
        while not self._stop.wait(interval):
            if self.changed():
                self.rebuild()

    def stop(self) -> None:
        self._stop.set()
        if self.app is not None:
            _close(self.app)


def _close(app) -> None:
    endpoint = app.extensions.get("parley_sparql")
    if endpoint is not None:
        endpoint.close()
