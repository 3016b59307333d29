"""What ``parley serve`` runs: the build checked, then granian (``server.front``) or gunicorn.

``run(settings)`` first checks the build in this (the master) process with
``server.data.integrity.check_build`` and that the address is free, so a missing or damaged store
or a busy port is one ``ConfigError`` before any worker starts; it also makes each release's
downloads from its committed text where they are missing (``graph.release_text``), checked
against the release's ``SHA256SUMS``. With ``front`` granian (the
default) it then hands over to ``server.front.serve``; with ``front`` gunicorn (kept for
comparison and for deployers who want it) it binds ``host:port``
with ``workers`` gthread workers of ``threads`` threads each; every worker builds its own app
with ``server.create_app(settings)`` (no preloading, so each worker opens the build itself and
starts its own query processes). ``kill -HUP`` of the master is gunicorn's graceful reload:
the build is checked again, new workers open the build directory afresh, and the old ones
finish their requests and exit; a damaged build at that moment is logged and the old workers
keep serving. Never Flask's development server.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.errors import AppImportError

from graph.errors import ConfigError, ParleyError
from graph.release_text import restore_all

from .data.integrity import check_build

log = logging.getLogger(__name__)


KEEPALIVE_S = 30


def gunicorn_options(settings: Mapping[str, Any], *, quiet: bool = False) -> dict[str, Any]:
    """Return the gunicorn configuration for the settings (``quiet``: errors only, no access log)."""
    return {
        "bind": _bind(settings["host"], settings["port"]),
        "workers": settings["workers"],
        "worker_class": "gthread",
        "threads": settings["threads"],
        # A worker is restarted only when it stops heart-beating, which a waiting thread does not
        # prevent; this is a backstop well past the query time limit.
        "timeout": int(settings["query_timeout_s"]) * 3 + 30,
        "graceful_timeout": int(settings["query_timeout_s"]) + 5,
        "preload_app": False,
        # An idle kept-alive connection stays open this long (gunicorn's default is 2 s). A
        # client that sends its next request just as the server closes the connection gets no
        # answer at all (requests: RemoteDisconnected); a busy client's gap between requests
        # passed 2 s under load (seen with 200 clients), so the server waits longer than that,
        # as nginx (75 s) and most servers do. Idle connections cost a socket each.
        "keepalive": KEEPALIVE_S,
        # gunicorn's own limit (at most 8,190 bytes) would answer a long request line with its
        # own HTML 400; the app refuses URIs over max_request_bytes itself (414, the one error
        # shape), so gunicorn's limit is lifted.
        "limit_request_line": 0,
        "accesslog": None if quiet else "-",
        "errorlog": "-",
        "loglevel": "error" if quiet else "info",
        "proc_name": "parley",
        # No control socket under $HOME: several servers (tests, a bench) would share its path.
        "control_socket_disable": True,
        "post_worker_init": _warm_query_processes,
    }


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # gunicorn wants IPv6 in brackets


def _warm_query_processes(worker) -> None:
    from . import warm

    warm(worker.wsgi)


class _Arbiter(Arbiter):
    """gunicorn's master, with the build checked before a reload replaces the workers."""

    def reload(self) -> None:
        try:
            check_build(self.app.settings["build_dir"])
        except ConfigError as exc:
            # Reloading onto a damaged build would stop the server (new workers cannot boot);
            # the old workers go on serving the build they opened.
            self.log.error("not reloading: %s; %s", exc.message, exc.hint)
            return
        super().reload()


class ParleyApplication(BaseApplication):
    """gunicorn application that loads ``server:create_app`` with the given settings."""

    def __init__(self, settings: Mapping[str, Any], *, quiet: bool = False):
        self.settings = dict(settings)
        self.quiet = quiet
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.settings, quiet=self.quiet).items():
            if key in self.cfg.settings:  # older gunicorn has no control_socket_disable
                self.cfg.set(key, value)

    def load(self):
        from . import create_app

        try:
            return create_app(self.settings)
        except ParleyError as exc:
            # gunicorn prints an AppImportError's text without a traceback and stops with
            # "App failed to load"; a ParleyError already says what is wrong and how to fix it.
            raise AppImportError(f"Error: {exc.message}" + (f"\n  fix: {exc.hint}" if exc.hint else "")) from None

    def run(self) -> None:
        _Arbiter(self).run()


def check_address(host: str, port: int) -> None:
    """Raise ConfigError when ``host:port`` cannot be bound (in use, or not an address here).

    gunicorn would retry for five seconds and exit with status 1; this says why at once.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError(
            f"--host {host!r} (PARLEY_HOST) is not an address of this machine: {exc.strerror}",
            hint="give an IP address or host name this machine has, such as 127.0.0.1",
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {host}:{port}: {exc.strerror}",
                hint="stop the server already using it, or choose another --port (PARLEY_PORT)",
            ) from None


def restore_releases(releases_dir: Path) -> None:
    """Check every release's committed text and make its missing downloads, before any worker starts.

    Raises ``ConfigError`` naming a committed file that changed or a made file that differs.
    """
    for version, made in restore_all(releases_dir).items():
        if made:
            log.info("release %s: made %s from its committed text", version, ", ".join(made))


def run(settings: Mapping[str, Any], *, quiet: bool = False) -> None:
    """Serve the build named by ``settings`` until stopped (SIGTERM, SIGINT); then return.

    Raises ``ConfigError`` before any worker starts when the build is missing or damaged or
    the address cannot be bound, and when gunicorn stops because its workers could not start
    (the reason is in the log above it).
    """
    settings = dict(settings)
    # Absolute before the workers start, whatever directory they later read from; normalised
    # (no "..") but not resolved, so a symlinked build directory is followed afresh on reload.
    settings["build_dir"] = Path(os.path.abspath(settings["build_dir"]))
    settings["releases_dir"] = Path(os.path.abspath(settings["releases_dir"]))
    check_build(settings["build_dir"])
    restore_releases(settings["releases_dir"])
    check_address(settings["host"], settings["port"])
    log.info(
        "serving %s on http://%s:%s/ with %s",
        settings["build_dir"],
        settings["host"],
        settings["port"],
        settings["front"],
    )
    if settings["front"] == "granian":
        from .front import serve

        serve(settings, quiet=quiet)
        return
    master = os.getpid()
    try:
        ParleyApplication(settings, quiet=quiet).run()
    except SystemExit as exc:
        # Forked workers leave through this frame too: their exit status is gunicorn's signal
        # to the master (3: could not boot) and must reach it unchanged.
        if os.getpid() != master:
            raise
        if exc.code not in (0, None):
            raise ConfigError(
                f"gunicorn stopped with status {exc.code}: the server could not start its workers",
                hint="the log above says why; fix that, then run `parley serve` again",
            ) from None


def main() -> int:
    """``python -m server.serve``: serve with the settings of the ``PARLEY_*`` variables."""
    from .config import load_settings

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        run(load_settings())
    except ParleyError as exc:
        sys.stderr.write(f"Error: {exc.message}\n" + (f"  fix: {exc.hint}\n" if exc.hint else ""))
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
