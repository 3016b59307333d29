"""A real ``oxigraph serve`` on 127.0.0.1 for the remote-store tests, loaded with the mini build.

``start_oxigraph`` starts the ``oxigraph`` CLI (PyPI ``oxigraph``, in the test extra) in memory with
the union of its graphs as the default graph, on a free port, and stops it; ``remote`` is one
such server holding the mini build, loaded by ``server.data.store.loading.load_build`` as
``parley build --load-into`` loads it. Without the CLI the tests skip, unless
``PARLEY_REQUIRE_OXIGRAPH`` is set (CI), which turns the skip into a failure.

``start_virtuoso`` does the same for Debian's ``virtuoso-t`` (a fresh database and an ini of its
own in a temporary directory); ``bulk_load`` loads a build with Virtuoso's bulk loader and
``allow_gsp`` opens its Graph Store Protocol endpoint to ``load_build``. Without it the Virtuoso
tests skip, unless ``PARLEY_REQUIRE_VIRTUOSO`` is set.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from graph.namespaces import BASE
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


#: Virtuoso's own settings for a test: ports and files of its own, small buffers (the machine is
#: shared), the SPARQL row cap and time limit as Parley's defaults (docs/deploying.md quotes it)
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {home}/virtuoso.db
ErrorLogFile = {home}/virtuoso.log
LockFile = {home}/virtuoso.lck
TransactionFile = {home}/virtuoso.trx
xa_persistent_file = {home}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {home}/virtuoso-temp.db
TransactionFile = {home}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {home}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 10
"""


def virtuoso_command() -> str | None:
    return shutil.which("virtuoso-t")


def start_virtuoso(home: Path) -> LiveServer:
    """Debian's ``virtuoso-t`` with a fresh database in ``home`` on free ports, started and
    answering; ``query_url`` is its SPARQL endpoint, ``gsp_url`` its Graph Store Protocol
    endpoint (writable once ``allow_gsp`` ran), ``isql(text)`` runs statements as ``dba``."""
    home.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = home / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(home=home, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    command = [virtuoso_command(), "+foreground", "+configfile", str(ini)]
    server = LiveServer(command, port=http_port, logs=home, name="virtuoso", ready_path="/sparql?query=ASK%7B%7D")
    server.query_url, server.gsp_url = server.url + "/sparql", server.url + "/sparql-graph-crud"
    server.isql = partial(_isql, sql_port)
    return server.start(timeout_s=120)


def _isql(sql_port: int, statements: str) -> str:
    isql = shutil.which("isql-vt") or shutil.which("isql")
    result = subprocess.run(
        [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"], capture_output=True, text=True, timeout=300
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "*** Error" not in out, f"isql failed on {statements!r}:\n{out}"
    return out


def bulk_load(server: LiveServer, build: Path) -> None:
    """Virtuoso's bulk loader (``ld_dir`` + ``rdf_loader_run``) over an N-Quads export of the
    build's store, written where the server may read it (``DirsAllowed``)."""
    import pyoxigraph as ox

    home = Path(server.err_path).parent
    ox.Store.read_only(str(build / "store")).dump(str(home / "parley.nq"), format=ox.RdfFormat.N_QUADS)
    server.isql(f"ld_dir('{home}', 'parley.nq', '{BASE}graph/unnamed'); rdf_loader_run(); checkpoint;")
    errors = server.isql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
    assert "0 Rows." in errors, f"Virtuoso's bulk loader reported errors:\n{errors}"


def allow_gsp(server: LiveServer) -> None:
    """Let the unauthenticated Graph Store Protocol endpoint write (fine on 127.0.0.1 in a test;
    a deployment uses ``/sparql-graph-crud-auth`` with a user of its own)."""
    server.isql("GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7);")


@pytest.fixture(scope="session")
def virtuoso_cli() -> None:
    require_or_skip(
        virtuoso_command() is not None,
        "Virtuoso (apt-get install virtuoso-opensource)",
        "PARLEY_REQUIRE_VIRTUOSO",
    )
