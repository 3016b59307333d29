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
from tests.helpers import close_app, make_app, route_paths
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


#: Values for the arguments of the routes (``tests.helpers.route_paths``) in the mini build; a
#: few are absent on purpose (an unknown person, a missing dump, a release that was never made).
ROUTE_EXAMPLES = {
    "browse.type_list": [{"name": "parley:Person"}],
    "published.ontology": [{"ext": "ttl"}],
    "published.ontology_version": [{"version": "0.1.0"}],
    "published.shapes": [{"ext": "ttl"}],
    "published.validation": [{"ext": "ttl"}],
    "published.void": [{"ext": "ttl"}],
    "dumps.dump": [
        {"name": name}
        for name in (
            "SHA256SUMS",
            "parley.nq.gz",
            "parley.trig.gz",
            "parley.ttl.gz",
            "parley.jsonld.gz",
            "parley.ttl",
            "ontology.ttl",
            "shapes.ttl",
            "nothing.gz",
        )
    ],
    "resources.identifier": [{"path": "person/rufus-firefly"}, {"path": "person/nobody"}],
    "resources.document": [
        {"path": "person/rufus-firefly"},
        {"path": "person/rufus-firefly.ttl"},
        {"path": "person/rufus-firefly.jsonld"},
        {"path": "graph/world.html"},
        {"path": "graph/world.ttl"},
    ],
    "resources.named_graph": [{"path": "world"}],
    "sparql.sparql": [{"query": "SELECT * WHERE {?s ?p ?o} LIMIT 5"}],
    "query_page.query_page": [{"example": "01-delegation-heads"}],
    "static": [{"filename": "parley.css"}],
    "memento.timemap_of": [{"original": "doc/person/rufus-firefly"}],
    "releases.page": [{"version": "0.1.0"}],
    "releases.release_file": [{"version": "0.1.0", "name": "void.ttl"}],
    "releases.release_dump": [{"version": "0.1.0", "name": "parley.nq.gz"}],
    "release_documents.release_document": [{"version": "0.1.0", "path": "person/rufus-firefly"}],
    "release_documents.release_named_graph": [{"version": "0.1.0", "path": "world"}],
    "release_documents.release_identifier": [{"version": "0.1.0", "path": "person/rufus-firefly"}],
    "sparql.release_sparql": [{"version": "0.1.0"}],
    "releases.latest_path": [{"rest": "doc/person/rufus-firefly"}],
    "signposting.linkset": [{"path": "void"}, {"path": "doc/person/rufus-firefly"}, {"path": "releases/0.1.0/"}],
}


@pytest.fixture(scope="module")
def routes(mini_build) -> list[str]:
    """Every GET route of the app over the mini build (``route_paths``), with its examples."""
    app = make_app(mini_build)
    try:
        return route_paths(app, ROUTE_EXAMPLES)
    finally:
        close_app(app)


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
