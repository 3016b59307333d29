"""Serve the app with granian (a Rust HTTP server with a WSGI interface): the default front.

``serve(settings, quiet=...)`` runs granian's master in this process, after ``server.serve.run``
has checked the build and the address. HTTP parsing, keep-alive, header and body reading are
granian's (Rust, hyper); only the WSGI app runs in Python. The master binds ``host:port`` once
and starts ``workers`` processes that share the socket; each one builds its own app with
``server.create_app(settings)`` (``load_app``, called in the worker after it is started, never
in the master), starts its query processes and compiles its templates before it accepts a
connection, and runs the app on ``threads`` blocking threads. ``kill -HUP`` of the master is
granian's rolling reload, with the build checked first (``ParleyGranian``): for each worker in
turn a new one is started, the old one keeps serving until the new one has had
``RESPAWN_S`` to come up, then it finishes its requests and exits; a damaged build at that
moment is logged and nothing is replaced. A client that does not finish its headers within
``header_timeout_s`` is disconnected by granian itself (hyper's header read timeout).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import partial
from typing import Any

from granian.constants import Interfaces
from granian.errors import ConfigurationError
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server import Server

from graph.errors import ConfigError, ParleyError

from .integrity import check_build

log = logging.getLogger(__name__)

# How long a reload gives each new worker to open the build and start its query processes
# before the old worker it replaces stops accepting. A worker accepts nothing until its app is
# loaded, so a slow start only delays the old worker's exit, never a request.
RESPAWN_S = 5.0

# granian's own log on stderr and the access log on stdout, as under gunicorn (its defaults
# put both on stdout).
LOG_CONFIG = {
    "handlers": {
        "console": {"formatter": "generic", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
        "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
    },
}


def granian_options(settings: Mapping[str, Any], *, quiet: bool = False) -> dict[str, Any]:
    """Return granian's keyword arguments for the settings (``quiet``: errors only, no access log)."""
    return {
        "address": settings["host"],
        "port": settings["port"],
        "interface": Interfaces.WSGI,
        "workers": settings["workers"],
        # The threads that run the WSGI app: the same role as gunicorn's gthread threads.
        "blocking_threads": settings["threads"],
        # Requests a worker holds at once (in the app or queued for a thread); past it granian
        # stops accepting on that worker and the others take the connections.
        "backpressure": settings["threads"] * 8,
        "http1_settings": HTTP1Settings(header_read_timeout=int(settings["header_timeout_s"] * 1000)),
        # A worker told to stop finishes its requests; past this it is killed.
        "workers_kill_timeout": int(settings["query_timeout_s"]) + 5,
        "respawn_interval": RESPAWN_S,
        "log_enabled": True,
        "log_dictconfig": LOG_CONFIG,
        "log_level": LogLevels.error if quiet else LogLevels.info,
        "log_access": not quiet,
    }


def load_app(settings: Mapping[str, Any]):
    """Build the app in a granian worker, with its query processes started and its templates
    compiled before the worker accepts its first connection."""
    from . import create_app
    from .serve import warm

    try:
        app = create_app(settings)
    except ParleyError as exc:
        log.error("Error: %s%s", exc.message, f"\n  fix: {exc.hint}" if exc.hint else "")
        raise SystemExit(3) from None
    warm(app)
    return app


class ParleyGranian(Server):
    """granian's master, with the build checked before a reload replaces the workers."""

    def __init__(self, settings: Mapping[str, Any], **options: Any):
        self.settings = dict(settings)
        super().__init__("parley", **options)

    def _reload(self, spawn_target, target_loader):
        try:
            check_build(self.settings["build_dir"])
        except ConfigError as exc:
            # New workers could not open a damaged build; the old ones go on serving theirs.
            self.reload_signal = False
            self.main_loop_interrupt.clear()
            log.error("not reloading: %s; %s", exc.message, exc.hint)
            return None
        return super()._reload(spawn_target, target_loader)


def serve(settings: Mapping[str, Any], *, quiet: bool = False) -> None:
    """Run granian until SIGTERM or SIGINT; raise ConfigError when its workers could not start."""
    server = ParleyGranian(settings, **granian_options(settings, quiet=quiet))
    try:
        server.serve(target_loader=partial(load_app, dict(settings)), wrap_loader=False)
    except ConfigurationError as exc:
        raise ConfigError(
            f"granian refused its configuration: {exc}", hint="check the settings of `parley serve --help`"
        ) from None
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise ConfigError(
                f"granian stopped with status {exc.code}: the server could not start its workers",
                hint="the log above says why; fix that, then run `parley serve` again",
            ) from None
