"""What the server tests share: the real app over a build (``make_app`` / ``close_app``), the app
in a real server (``served``), and the one error shape's assertion (``assert_error_shape``).
Live servers, free ports and waiting for a condition come from ``parley.live``, which the
benchmarks use too; ``free_port`` is imported here for the tests that import it from here."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sys
from pathlib import Path

from parley.live import free_port, serve_app  # noqa: F401 (tests import free_port from here)


def assert_error_shape(response, status: int) -> dict:
    """Assert the server's one error shape and return its ``error`` object.

    Works with a Flask test response and with a ``requests`` response: the status is
    ``status``, the body is JSON ``{"error": {"status", "title", "message"[, "hint"]}}`` with
    the same status, a non-empty title and message, and no other keys.
    """
    code = getattr(response, "status_code", None)
    assert code == status, f"expected {status}, got {code}: {_text(response)[:500]}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), f"error body is {content_type}, not JSON"
    body = json.loads(_text(response))
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) <= {"status", "title", "message", "hint"}, error
    assert {"status", "title", "message"} <= set(error), error
    assert error["status"] == status, error
    assert isinstance(error["title"], str) and error["title"], error
    assert isinstance(error["message"], str) and error["message"], error
    if "hint" in error:
        assert isinstance(error["hint"], str) and error["hint"], error
    return error


def _text(response) -> str:
    if hasattr(response, "get_data"):
        return response.get_data(as_text=True)
    return response.text


def load_bench_script(name: str):
    """Import ``bench/NAME.py`` (bench/ is no package) as the module ``bench_NAME``."""
    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def make_app(build: Path, **settings):
    """Return the real app (``create_app``) over ``build`` with test settings.

    TESTING stays off: an unexpected exception must become a logged 500, as in production.
    """
    from server import create_app

    return create_app({"build_dir": build, "query_timeout_s": 20.0, "max_rows": 1000, **settings})


def close_app(app) -> None:
    """Stop the app's query processes (a worker's exit does this in production)."""
    endpoint = app.extensions.get("parley_sparql")
    if endpoint is not None:
        endpoint.close()


@contextlib.contextmanager
def served(app):
    """Serve ``app`` in a real server (``parley.live.serve_app``); yield its base URL, then stop
    the server and close the app."""
    try:
        with serve_app(app) as url:
            yield url
    finally:
        close_app(app)
