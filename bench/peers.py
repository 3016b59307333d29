"""The SPARQL servers the side-by-side benchmark starts on 127.0.0.1, each over one build's quads.

Every peer is a ``Peer``: ``prepare()`` loads the build's N-Quads dump into the peer's own
storage under a work directory (once: a marker file named after the dump's SHA-256 says the
load is done, so a second run starts at once), ``start()`` starts the server process and waits
until a query answers, ``stop()`` ends it and its children. ``endpoint`` is the URL its SPARQL
Protocol answers at; ``pid`` is the root of the process tree whose CPU and memory are counted.

- ``parley``: ``parley serve`` on the build itself (gunicorn, its workers and query processes).
- ``parley-remote``: ``parley serve --store-url`` with Virtuoso as its store (Virtuoso must run).
- ``oxigraph``: ``oxigraph serve --union-default-graph`` (PyPI ``oxigraph``) on ``oxigraph load``,
  without a time limit (see ``Oxigraph.command``).
- ``virtuoso``: Debian's ``virtuoso-t`` with an ini of our own (``virtuoso.ini`` written below
  the work directory: its own ports, 1.3 GB of buffers), loaded with the bulk loader
  (``ld_dir`` + ``rdf_loader_run``) through ``isql-vt``.
- ``rdflib-endpoint``: PyPI ``rdflib-endpoint`` (FastAPI on uvicorn) over rdflib's in-memory store.

Nothing here listens beyond 127.0.0.1 or connects anywhere else.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from parley.live import LiveServer, ServerDidNotStart, free_port

BIN = Path(sys.executable).parent
ASK = "ASK { ?s ?p ?o }"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def nquads(build_dir: Path, work: Path) -> Path:
    """Return the build's N-Quads dump, unpacked once into ``work`` (peers load plain files)."""
    packed = build_dir / "dumps" / "parley.nq.gz"
    target = work / f"parley-{_sha256(packed)[:16]}.nq"
    if not target.exists():
        work.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        with gzip.open(packed, "rb") as src, partial.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        partial.rename(target)
    return target


class Peer:
    """One SPARQL server over the build's quads; see the module docstring."""

    name = "peer"

    def __init__(self, build_dir: Path, work: Path):
        self.build_dir = build_dir
        self.work = work / self.name
        self.logs = work
        self.port = free_port()
        self.server: LiveServer | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def process(self) -> subprocess.Popen | None:
        return self.server.process if self.server is not None else None

    @property
    def log_path(self) -> Path:
        """Where the server's stderr goes (its stdout is beside it, ``.out``)."""
        return self.logs / f"{self.name}-{self.port}.err"

    @property
    def pid(self) -> int:
        assert self.server is not None
        return self.server.pid

    def prepare(self) -> None:
        """Load the build's quads into the peer's storage (nothing for a peer that reads the build)."""

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def spawn(self) -> None:
        """Start the server process (``parley.live.LiveServer``: its own session, so ``stop``
        ends its children too), ready when the endpoint answers an ASK."""
        self.work.mkdir(parents=True, exist_ok=True)
        ready = urllib.parse.urlsplit(self.endpoint).path + "?" + urllib.parse.urlencode({"query": ASK})
        self.server = LiveServer(
            self.command(),
            port=self.port,
            logs=self.logs,
            name=self.name,
            cwd=self.work,
            env=self.environment(),
            ready_path=ready,
        ).spawn()

    def start(self, timeout_s: float = 600.0) -> float:
        """Start the server; return the seconds until it answered a query."""
        started = time.monotonic()
        self.spawn()
        try:
            self.server.wait_ready(timeout_s)
        except ServerDidNotStart as exc:
            raise SystemExit(f"{exc.message}\n{self.name}: see {self.log_path}") from None
        return time.monotonic() - started

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


class Parley(Peer):
    name = "parley"

    def __init__(
        self,
        build_dir: Path,
        work: Path,
        extra: list[str] | None = None,
        name: str | None = None,
        checkout: Path | None = None,
    ):
        if name:
            self.name = name
        super().__init__(build_dir, work)
        self.extra = extra or []
        self.checkout = checkout  # another checkout of Parley's code (an earlier commit, say)

    def environment(self) -> dict[str, str]:
        env = super().environment()
        if self.checkout is not None:  # its packages before the installed ones
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.checkout.resolve()), env.get("PYTHONPATH")]))
        return env

    def command(self) -> list[str]:
        return [
            str(BIN / "parley"),
            "-q",
            "serve",
            "--build-dir",
            str(self.build_dir.resolve()),
            "--releases-dir",
            str(self.work / "no-releases"),
            "--port",
            str(self.port),
            *self.extra,
        ]


class Oxigraph(Peer):
    name = "oxigraph"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def prepare(self) -> None:
        source = nquads(self.build_dir, self.work.parent)
        marker = self.work / f"loaded-{source.stem}"
        if marker.exists():
            return
        shutil.rmtree(self.work / "data", ignore_errors=True)
        self.work.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(self.work / "data"), "--file", str(source)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        marker.touch()

    def command(self) -> list[str]:
        return [
            str(BIN / "oxigraph"),
            "serve",
            "--location",
            str(self.work / "data"),
            "--bind",
            f"127.0.0.1:{self.port}",
            # No --timeout-s: oxigraph 0.5 starts a thread per query that sleeps out the whole
            # timeout, and under load those threads exhaust the process (measured: EAGAIN, then a panic).
            "--union-default-graph",
        ]


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {d}, {data}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 2G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 20
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
MaxCachedProxyConnections = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 10
DeferInferenceRulesInit = 0
"""


class Virtuoso(Peer):
    name = "virtuoso"
    EXECUTABLE = "virtuoso-t"
    ISQL = "isql-vt"

    def __init__(self, build_dir: Path, work: Path):
        super().__init__(build_dir, work)
        self.sql_port = free_port()

    def _ini(self) -> Path:
        source = nquads(self.build_dir, self.work.parent)
        data = self.work / "load"
        data.mkdir(parents=True, exist_ok=True)
        ini = self.work / "virtuoso.ini"
        ini.write_text(
            _VIRTUOSO_INI.format(d=self.work, data=data, sql_port=self.sql_port, http_port=self.port), encoding="utf-8"
        )
        link = data / "parley.nq"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(source)
        return ini

    def command(self) -> list[str]:
        return [shutil.which(self.EXECUTABLE) or self.EXECUTABLE, "+foreground", "+configfile", str(self._ini())]

    def isql(self, statements: str) -> str:
        result = subprocess.run(
            [shutil.which(self.ISQL) or self.ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise SystemExit(f"virtuoso isql failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")
        return result.stdout

    def prepare(self) -> None:
        if shutil.which(self.EXECUTABLE) is None:
            raise SystemExit("virtuoso-t is not installed: apt-get install virtuoso-opensource")
        source = nquads(self.build_dir, self.work.parent)
        marker = self.work / f"loaded-{source.stem}"
        if marker.exists():
            return
        for name in ("virtuoso.db", "virtuoso.trx", "virtuoso-temp.db", "virtuoso.pxa", "virtuoso.log"):
            (self.work / name).unlink(missing_ok=True)
        self.work.mkdir(parents=True, exist_ok=True)
        self.start()
        try:
            data = self.work / "load"
            self.isql(
                f"ld_dir('{data}', 'parley.nq', 'https://w3id.org/parley/graph/unnamed'); rdf_loader_run(); checkpoint;"
            )
            failed = self.isql("SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
            if "\n0\n" not in failed.replace(" ", ""):
                raise SystemExit(f"virtuoso's bulk load reported errors: {failed}")
        finally:
            self.stop()
        marker.touch()


class RdflibEndpoint(Peer):
    name = "rdflib-endpoint"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def prepare(self) -> None:
        nquads(self.build_dir, self.work.parent)

    def command(self) -> list[str]:
        source = nquads(self.build_dir, self.work.parent)
        return [str(BIN / "rdflib-endpoint"), "serve", str(source), "--host", "127.0.0.1", "--port", str(self.port)]


def peer(name: str, build_dir: Path, work: Path, virtuoso: Virtuoso | None = None, before: Path | None = None) -> Peer:
    """Return the peer called ``name`` (``parley-remote`` needs the running ``virtuoso``;
    ``parley-before`` is ``parley`` run from the checkout ``before``)."""
    if name == "parley":
        return Parley(build_dir, work)
    if name == "parley-before":
        if before is None:
            raise SystemExit("parley-before needs --before CHECKOUT (a checkout of the earlier code)")
        return Parley(build_dir, work, name="parley-before", checkout=before)
    if name == "parley-remote":
        if virtuoso is None:
            raise SystemExit("parley-remote needs the virtuoso peer in the same run")
        return Parley(build_dir, work, ["--store-url", virtuoso.endpoint], name="parley-remote")
    classes = {"oxigraph": Oxigraph, "virtuoso": Virtuoso, "rdflib-endpoint": RdflibEndpoint}
    if name not in classes:
        raise SystemExit(f"unknown peer {name!r}; known: parley, parley-remote, {', '.join(classes)}")
    return classes[name](build_dir, work)
