"""The site's own assets, ``/static/{path}`` (the stylesheet, the favicon, the query page's
script and the editor files vendored by ``make assets``), served through the same HTTP layer as everything
else: a content type from the representations table, an entity tag from the file's SHA-256
(never its mtime, so copies of a checkout agree), conditional and range requests, and every
refusal (404, 412, 416) in the one error shape. Flask's own static route is switched off in
``create_app`` for this.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from flask import Flask, redirect
from werkzeug.utils import safe_join

from ..data.site import Site
from ..http.conditional import send_build_file
from ..http.representations import STATIC, for_extension
from ..problems import NotFound

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
#: assets change only with the code; a day's caching, revalidated by ETag afterwards
CACHE_CONTROL = "public, max-age=86400"

_digests: dict[Path, str] = {}
_lock = threading.Lock()


def _digest(path: Path) -> str:
    with _lock:
        if path not in _digests:
            _digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return _digests[path]


def static(filename: str):
    """One asset of the site, by its path below server/static/."""
    joined = safe_join(str(STATIC_DIR), filename)
    path = Path(joined) if joined is not None else None
    _, rep = for_extension(filename.rsplit("/", 1)[-1], STATIC)
    if path is None or rep is None or filename.endswith("/") or not path.is_file():
        raise NotFound(f"no asset /static/{filename[:80]}", hint="the site's assets are linked from its pages")
    return send_build_file(path, rep, etag=_digest(path)[:32], last_modified=None, cache_control=CACHE_CONTROL)


def favicon():
    """``/favicon.ico``, which browsers ask for by habit: the site's icon is an SVG."""
    response = redirect("/static/favicon.svg", code=301)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def register(app: Flask, site: Site) -> None:
    """Serve /static/ (the app is made with Flask's own static route switched off) and /favicon.ico."""
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=static, methods=["GET", "HEAD"])
    app.add_url_rule("/favicon.ico", endpoint="favicon", view_func=favicon, methods=["GET", "HEAD"])
