"""What the server tests share: the real app over a build (``make_app`` / ``close_app``), the app
in a real server (``served``), and the one error shape's assertion (``assert_error_shape``).
Live servers, free ports and waiting for a condition come from ``parley.live``, which the
benchmarks use too; ``free_port`` is imported here for the tests that import it from here."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
from pathlib import Path

from parley.live import free_port, serve_app, wait_until  # noqa: F401 (tests import free_port from here)


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
    No releases unless ``releases_dir`` is given: the default (``releases/`` of the working
    directory) holds the project's committed releases, which are not the test build's.
    """
    from server import create_app

    defaults = {"releases_dir": Path(build).parent / "no-releases", "query_timeout_s": 20.0, "max_rows": 1000}
    return create_app({**defaults, "build_dir": build, **settings})


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


# --- the processes of a live server, read from /proc: what a test waits for instead of sleeping ---


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat (or of /proc/PID/task/TID/stat) after the command name (state first); [] when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _children(pid: int) -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _stat(int(p.name))[1:2] == [str(pid)]]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def query_processes(pid: int) -> list[int]:
    """The query processes started by ``pid`` or by its children (a gunicorn master's workers)."""
    found = []
    for parent in [pid, *_children(pid)]:
        found += [child for child in _children(parent) if "server.sparql.child" in _cmdline(child)]
    return found


def is_running(pid: int) -> bool:
    """Whether a thread of ``pid`` is on a CPU now (state R): a query process's are only while it
    runs a query (on its own thread; the main thread waits for that one)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return False
    return any(_stat(f"{pid}/task/{task}")[:1] == ["R"] for task in tasks)


def running_query_process(pid: int, timeout_s: float = 30.0) -> int:
    """Wait until one of ``pid``'s query processes is running a query; return its pid."""
    return wait_until(
        lambda: next((p for p in query_processes(pid) if is_running(p)), None), "a query process running", timeout_s
    )


def idle_query_processes(pid: int, count: int, store: Path, timeout_s: float = 60.0) -> list[int]:
    """Wait until ``pid`` has ``count`` query processes, each with ``store`` open and waiting for a
    job (not on a CPU): a warm pool, replacements included; return their pids."""

    def warm(child: int) -> bool:
        try:
            opened = [os.readlink(f"/proc/{child}/fd/{fd}") for fd in os.listdir(f"/proc/{child}/fd")]
        except OSError:
            return False
        return not is_running(child) and any(path.startswith(str(store.resolve())) for path in opened)

    def pool() -> list[int] | None:
        children = query_processes(pid)
        return children if len(children) == count and all(warm(c) for c in children) else None

    return wait_until(pool, f"{count} idle query processes", timeout_s)


def page_url_map(blueprints: tuple[str, ...]):
    """A Flask app with only the named page blueprints' routes (``static`` for the assets), built
    without a build or a store: what ``route_paths`` needs at collection time. The routes are the
    real app's (its blueprints, registered as ``create_app`` registers them)."""
    from flask import Flask

    from server.routes import browse, dumps, published, query_page, resources, static

    modules = {"resources": resources, "browse": browse, "published": published, "dumps": dumps}
    modules |= {"query_page": query_page, "static": static}
    app = Flask("page-routes", static_folder=None)
    for name in blueprints:
        modules[name].register(app, None)
    return app


def route_paths(app, examples: dict[str, list[dict]], blueprints: tuple[str, ...] | None = None) -> list[str]:
    """Every GET route of ``app.url_map`` as a path to request, derived from the map itself.

    A rule without arguments is requested as it is; an endpoint's ``examples`` (values for its
    arguments, any other value becoming a query parameter) are built with the map too. An
    endpoint whose every rule takes arguments and that has no example fails here, naming it, so
    a new route cannot go untested unnoticed. ``blueprints`` keeps only the endpoints of those.
    """
    adapter = app.url_map.bind("localhost")
    rules: dict[str, list] = {}
    for rule in app.url_map.iter_rules():
        if blueprints is not None and rule.endpoint.split(".")[0] not in blueprints:
            continue
        if "GET" in rule.methods:
            rules.setdefault(rule.endpoint, []).append(rule)
    missing = sorted(
        f"{endpoint} ({rules[endpoint][0].rule})"
        for endpoint in rules
        if endpoint not in examples and all(rule.arguments for rule in rules[endpoint])
    )
    assert not missing, f"routes with arguments and no example to request them by: {missing}"
    paths = []
    for endpoint, endpoint_rules in rules.items():
        paths += [rule.rule for rule in endpoint_rules if not rule.arguments]
        paths += [adapter.build(endpoint, values, method="GET") for values in examples.get(endpoint, [])]
    return list(dict.fromkeys(paths))
