"""Parley's linked-data server: a Flask application over the built store.

``create_app(config=None)`` layers the defaults, then ``PARLEY_*`` environment variables,
then the ``config`` mapping (tests), opens the store once (read-only) and registers the
blueprints. Nothing here runs at import time.
"""

from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from . import config as config_module
from . import errors


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Return a configured Flask app serving the build named by the settings.

    Raises ``ConfigError`` when a setting is invalid or the build is missing.
    """
    settings = config_module.load_settings(overrides=config)
    app = Flask(__name__)
    app.config["PARLEY"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings["max_request_bytes"]
    from .store import open_store

    app.extensions["parley_store"] = open_store(settings)
    errors.register(app)
    # Blueprints are registered here, one per module (sparql, resources, published, dumps).
    for register in _blueprint_registrars():
        register(app)
    return app


def _blueprint_registrars():
    registrars = []
    for name in ("sparql", "resources", "published", "dumps"):
        try:
            module = __import__(f"{__name__}.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:  # module not written yet
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        registrars.append(module.register)
    return registrars
