"""Serve the app with gunicorn, started from Python: what ``parley serve`` runs.

``run(settings)`` binds ``host:port`` with ``workers`` gthread workers of ``threads`` threads
each; every worker builds its own app with ``server.create_app(settings)`` (no preloading, so
each worker opens the store and starts its query processes itself). A request thread that waits
on a slow query holds no lock and no GIL, so the worker's other threads keep answering. Never
Flask's development server.
"""

from __future__ import annotations

import logging
from typing import Any, Mapping

from gunicorn.app.base import BaseApplication

log = logging.getLogger(__name__)


def gunicorn_options(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Return the gunicorn configuration for the settings."""
    return {
        "bind": f"{settings['host']}:{settings['port']}",
        "workers": settings["workers"],
        "worker_class": "gthread",
        "threads": settings["threads"],
        # A worker is restarted only when it stops heart-beating, which a waiting thread does not
        # prevent; this is a backstop well past the query time limit.
        "timeout": int(settings["query_timeout_s"]) * 3 + 30,
        "graceful_timeout": int(settings["query_timeout_s"]) + 5,
        "preload_app": False,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "parley",
        # No control socket under $HOME: several servers (tests, a bench) would share its path.
        "control_socket_disable": True,
        "post_worker_init": _warm_query_processes,
    }


def _warm_query_processes(worker) -> None:
    """Start the worker's query processes before its first request, not during it."""
    endpoint = getattr(worker.wsgi, "extensions", {}).get("parley_sparql")
    if endpoint is not None:
        endpoint.pool  # noqa: B018 - the property starts the pool


class ParleyApplication(BaseApplication):
    """gunicorn application that loads ``server:create_app`` with the given settings."""

    def __init__(self, settings: Mapping[str, Any]):
        self.settings = dict(settings)
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.settings).items():
            if key in self.cfg.settings:  # older gunicorn has no control_socket_disable
                self.cfg.set(key, value)

    def load(self):
        from . import create_app

        return create_app(self.settings)


def run(settings: dict) -> None:
    """Serve the build named by ``settings`` until interrupted; returns when gunicorn stops.

    Raises ``ConfigError`` (from the workers' ``create_app``) when the build is missing; gunicorn
    exits when a worker cannot boot.
    """
    log.info("serving %s on http://%s:%s/", settings["build_dir"], settings["host"], settings["port"])
    ParleyApplication(settings).run()


if __name__ == "__main__":  # ``python -m server.serve``: settings from PARLEY_* variables
    from .config import load_settings

    run(load_settings())
