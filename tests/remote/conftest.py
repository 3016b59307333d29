"""A real ``oxigraph serve`` on 127.0.0.1 for the remote-store tests, loaded with the mini build.

``Oxigraph`` starts the ``oxigraph`` CLI (PyPI ``oxigraph``, in the test extra) in memory with
the union of its graphs as the default graph, on a free port, and stops it; ``remote`` is one
such server holding the mini build, loaded by ``server.remote.load_build`` as
``parley build --load-into`` loads it. Without the CLI the tests skip, unless
``PARLEY_REQUIRE_OXIGRAPH`` is set (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import require_or_skip
from tests.helpers import free_port


def oxigraph_command() -> str | None:
    """The ``oxigraph`` CLI: on PATH, else beside this Python (a venv's bin/, not activated)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return shutil.which("oxigraph") or (str(beside) if beside.is_file() else None)


class Oxigraph:
    """``oxigraph serve`` on a free port of 127.0.0.1: ``url``, ``query_url``, ``gsp_url``, ``stop()``."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url = self.url + "/query"
        self.gsp_url = self.url + "/store"
        self._log = (log_dir / f"oxigraph-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [oxigraph_command(), "serve", "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("oxigraph serve did not answer within 30 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self._log.close()


@pytest.fixture(scope="session")
def oxigraph_cli() -> None:
    require_or_skip(
        oxigraph_command() is not None, "the oxigraph CLI (pip install oxigraph)", "PARLEY_REQUIRE_OXIGRAPH"
    )


@pytest.fixture(scope="module")
def remote(oxigraph_cli, mini_build, tmp_path_factory):
    """An ``oxigraph serve`` holding the mini build, loaded with the Graph Store Protocol."""
    from server.remote import load_build

    server = Oxigraph(tmp_path_factory.mktemp("oxigraph"))
    load_build(mini_build, server.gsp_url, server.query_url)
    yield server
    server.stop()
