"""A real ``oxigraph serve`` on 127.0.0.1 for the remote-store tests, loaded with the mini build.

``start_oxigraph`` starts the ``oxigraph`` CLI (PyPI ``oxigraph``, in the test extra) in memory with
the union of its graphs as the default graph, on a free port, and stops it; ``remote`` is one
such server holding the mini build, loaded by ``server.data.store.loading.load_build`` as
``parley build --load-into`` loads it. Without the CLI the tests skip, unless
``PARLEY_REQUIRE_OXIGRAPH`` is set (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from parley.live import LiveServer, free_port
from tests.conftest import require_or_skip


def oxigraph_command() -> str | None:
    """The ``oxigraph`` CLI: on PATH, else beside this Python (a venv's bin/, not activated)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return shutil.which("oxigraph") or (str(beside) if beside.is_file() else None)


def start_oxigraph(log_dir: Path) -> LiveServer:
    """``oxigraph serve`` on a free port of 127.0.0.1, started and answering; its SPARQL query
    endpoint is ``url + "/query"``, its Graph Store Protocol endpoint ``url + "/store"``."""
    port = free_port()
    command = [oxigraph_command(), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    server = LiveServer(command, port=port, logs=log_dir, name="oxigraph", ready_path="/query?query=ASK%20%7B%7D")
    server.query_url, server.gsp_url = server.url + "/query", server.url + "/store"
    return server.start(timeout_s=30)


@pytest.fixture(scope="session")
def oxigraph_cli() -> None:
    require_or_skip(
        oxigraph_command() is not None, "the oxigraph CLI (pip install oxigraph)", "PARLEY_REQUIRE_OXIGRAPH"
    )


@pytest.fixture(scope="module")
def remote(oxigraph_cli, mini_build, tmp_path_factory):
    """An ``oxigraph serve`` holding the mini build, loaded with the Graph Store Protocol."""
    from server.data.store.loading import load_build

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    load_build(mini_build, server.gsp_url, server.query_url)
    yield server
    server.stop()
