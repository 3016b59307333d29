"""A real ``parley serve`` started the way the README starts it, for the fault tests.

``ParleyServer`` runs ``python -m parley serve`` (gunicorn) from a project directory with the
default relative build dir (``build``), on a free port of 127.0.0.1, logging to a file. The
project is the mini fixture (tests/fixtures/mini) with the real ontology and shapes, built by
``parley build`` run the same way, so these tests exercise the defaults a new user gets.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.helpers import free_port
from tests.mini import ROOT, make_project


def parley(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m parley ARGS`` in ``cwd``; return the completed process (text output)."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "parley", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )


class ParleyServer:
    """``parley serve`` in ``project`` on a free port; ``url``, ``pid``, ``log()``, ``stop()``."""

    def __init__(self, project: Path, *args: str, env: dict | None = None):
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = project / f"serve-{self.port}.log"
        self._log = self.log_path.open("wb")  # a file, not a pipe: a full pipe would block the server
        full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "parley", "serve", "--port", str(self.port), *args],
            cwd=project,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.process.pid

    def wait_ready(self, timeout_s: float = 60) -> ParleyServer:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.log()
                self.stop()
                pytest.fail(f"parley serve exited with {self.process.returncode}:\n{log}")
            try:
                if requests.get(self.url + "/sparql?query=ASK%7B%7D", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:  # not listening yet, or slow on a loaded machine
                pass
            time.sleep(0.2)
        log = self.log()
        self.stop()  # never leave a server behind a failed fixture
        pytest.fail(f"parley serve did not answer within {timeout_s} s:\n{log}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The mini project, built by ``parley build`` with the defaults (into ./build)."""
    project = make_project(tmp_path_factory.mktemp("robust") / "project")
    result = parley("build", "--no-reasoner", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def server(project):
    """``parley serve`` from the project root with the default relative build dir."""
    running = ParleyServer(project, env={"PARLEY_QUERY_TIMEOUT_S": "3"}).wait_ready()
    yield running
    running.stop()
