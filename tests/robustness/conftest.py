"""A real ``parley serve`` started the way the README starts it, for the fault tests.

``start_parley`` runs ``python -m parley serve`` (gunicorn) from a project directory with the
default relative build dir (``build``), on a free port of 127.0.0.1, logging to files
(``parley.live.parley_serve``). The
project is the mini fixture (tests/fixtures/mini) with the real ontology and shapes, built by
``parley build`` run the same way, so these tests exercise the defaults a new user gets.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from parley.live import LiveServer, parley_serve
from tests.mini import ROOT, make_project


def parley(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m parley ARGS`` in ``cwd``; return the completed process (text output)."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "parley", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )


def start_parley(project: Path, *args: str, env: dict | None = None) -> LiveServer:
    """``parley serve ARGS`` in ``project`` on a free port, started (``wait_ready()`` waits for it)."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return parley_serve(*args, logs=project, cwd=project, env=full_env, name="serve").spawn()


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
    running = start_parley(project, env={"PARLEY_QUERY_TIMEOUT_S": "3"}).wait_ready()
    yield running
    running.stop()
