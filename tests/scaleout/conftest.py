"""Several real ``parley serve`` instances behind a real load balancer (HAProxy, nginx) on 127.0.0.1.

``instances`` starts ``parley serve`` (the default front, one worker and one query process each:
the machine is shared) in directories of its own, each over its own copy of the mini build, as a
deployment would copy one build to each machine. ``haproxy`` and ``nginx`` start the balancer
from the configuration kept beside this file (``haproxy.cfg``, ``nginx.conf``, quoted in
docs/deploying.md) with its ``@WORDS@`` filled in: the listening address, one ``server`` line
per instance, and its own paths. ``Loop`` is a client asking the balancer for a set of URLs
over and over on one thread, counting every answer and every failure (an exception or an
unexpected status) until told to stop. Without the balancer's binary the tests skip with the
reason, unless ``PARLEY_REQUIRE_HAPROXY`` / ``PARLEY_REQUIRE_NGINX`` is set (CI), which turns
the skip into a failure.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from parley.live import HOST, LiveServer, free_port, parley_serve, wait_until
from tests.conftest import require_or_skip
from tests.mini import ROOT, build_mini, make_project

HERE = Path(__file__).resolve().parent
#: one of each: the machine is shared, and two instances of one worker are already two servers
SMALL = ("--workers", "1", "--query-processes", "1")
#: a bound on waiting for something a server must do, never a measured speed
GENEROUS_S = 60.0
#: the article the second build leaves out, so that its ETags differ from the first's
DROPPED = "004_"


def _children(pid: int) -> set[int]:
    try:
        return {int(part) for part in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


class Instance:
    """One ``parley serve`` in ``home`` over ``home/build`` (its own copy of a build)."""

    def __init__(self, name: str, home: Path, build: Path):
        self.name, self.home = name, home
        shutil.copytree(build, home / "build")
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.server = parley_serve(*SMALL, logs=home, cwd=home, env=env, name=name)
        self.port, self.url = self.server.port, self.server.url

    def workers(self) -> set[int]:
        return _children(self.server.pid)

    def kill(self) -> None:
        """SIGKILL the whole instance (master, workers, query processes), as a crash would."""
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.process.wait(GENEROUS_S)

    def replace_build(self, build: Path) -> None:
        """Put a copy of ``build`` in place of this instance's, the old one moved aside whole
        (workers still reading it keep their open files)."""
        staged = self.home / "build.new"
        shutil.copytree(build, staged)
        (self.home / "build").rename(self.home / f"build.old-{len(list(self.home.glob('build.old-*')))}")
        staged.rename(self.home / "build")

    def reload(self) -> None:
        """SIGHUP the master and wait until every worker is a new one."""
        before = self.workers()
        self.server.process.send_signal(signal.SIGHUP)
        wait_until(
            lambda: self.workers() and before.isdisjoint(self.workers()) and self.server.ready(),
            f"{self.name}'s workers replaced after SIGHUP",
            timeout_s=GENEROUS_S,
        )

    def stop(self) -> None:
        self.server.stop()


class Balancer:
    """A load balancer process started from one of the configuration files beside this module."""

    def __init__(self, server: LiveServer, home: Path):
        self.server, self.home = server, home
        self.url = server.url

    def stop(self) -> None:
        self.server.stop()


class HAProxy(Balancer):
    """HAProxy with its runtime API on a unix socket (``runtime``), to drain and restore instances."""

    def runtime(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(10)
            sock.connect(str(self.home / "admin.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def stats(self, name: str) -> dict[str, str]:
        """The ``show stat`` row of the server ``name`` of backend ``parley``."""
        text = self.runtime("show stat").lstrip("# ")
        for row in csv.DictReader(io.StringIO(text)):
            if row["pxname"] == "parley" and row["svname"] == name:
                return row
        raise KeyError(f"HAProxy has no server {name!r}:\n{text}")

    def set_state(self, name: str, state: str) -> None:
        answer = self.runtime(f"set server parley/{name} state {state}")
        assert answer.strip() == "", f"HAProxy refused 'state {state}' for {name}: {answer}"

    def wait_status(self, name: str, prefix: str) -> None:
        wait_until(
            lambda: self.stats(name)["status"].startswith(prefix),
            f"HAProxy to see {name} {prefix}",
            timeout_s=GENEROUS_S,
        )


def _fill(template: str, words: dict[str, str]) -> str:
    text = (HERE / template).read_text(encoding="utf-8")
    for word, value in words.items():
        text = text.replace(f"@{word}@", value)
    left = re.findall(r"^[^#]*(@[A-Z]+@)", text, re.MULTILINE)
    assert not left, f"{template}: {left} left unfilled"
    return text


def start_haproxy(home: Path, instances: list[Instance]) -> HAProxy:
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    servers = "\n".join(f"    server {i.name} {HOST}:{i.port}" for i in instances)
    words = {
        "LISTEN": f"{HOST}:{port}",
        "SERVERS": servers,
        "SOCKET": str(home / "admin.sock"),
        "PIDFILE": str(home / "haproxy.pid"),
    }
    config = home / "haproxy.cfg"
    config.write_text(_fill("haproxy.cfg", words), encoding="utf-8")
    command = [shutil.which("haproxy"), "-db", "-f", str(config)]  # -db: in the foreground
    server = LiveServer(command, port=port, logs=home, name="haproxy", ready_path="/sparql?query=ASK%7B%7D")
    balancer = HAProxy(server.start(GENEROUS_S), home)
    for instance in instances:
        balancer.wait_status(instance.name, "UP")
    return balancer


def start_nginx(home: Path, instances: list[Instance]) -> Balancer:
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    servers = "\n".join(f"        server {HOST}:{i.port} max_fails=1 fail_timeout=30s;" for i in instances)
    config = home / "nginx.conf"
    config.write_text(_fill("nginx.conf", {"LISTEN": f"{HOST}:{port}", "SERVERS": servers, "PREFIX": str(home)}))
    command = [shutil.which("nginx"), "-p", str(home), "-c", str(config), "-g", "daemon off;"]
    server = LiveServer(command, port=port, logs=home, name="nginx", ready_path="/sparql?query=ASK%7B%7D")
    return Balancer(server.start(GENEROUS_S), home)


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    """Two builds of the mini project: all of it, and the same without one article (a new build)."""
    base = tmp_path_factory.mktemp("scaleout-builds")
    first = build_mini(base / "first" / "build")
    project = make_project(base / "second" / "project")
    for folder in ("corpus", "curation"):
        for path in (project / folder).glob(DROPPED + "*"):
            path.unlink()
    second = build_mini(base / "second" / "build", project)
    return first, second


@pytest.fixture
def instances(builds, tmp_path):
    """Two running instances over copies of the first build."""
    started = [Instance(f"i{n}", tmp_path / f"i{n}", builds[0]) for n in (1, 2)]
    try:
        for instance in started:  # both start at once, then each is waited for
            instance.server.spawn()
        for instance in started:
            instance.server.wait_ready(GENEROUS_S)
        yield started
    finally:
        for instance in started:
            instance.stop()


@pytest.fixture
def haproxy(instances, tmp_path):
    require_or_skip(shutil.which("haproxy") is not None, "HAProxy (apt-get install haproxy)", "PARLEY_REQUIRE_HAPROXY")
    balancer = start_haproxy(tmp_path / "haproxy", instances)
    yield balancer
    balancer.stop()


@pytest.fixture
def nginx(instances, tmp_path):
    require_or_skip(shutil.which("nginx") is not None, "nginx (apt-get install nginx-light)", "PARLEY_REQUIRE_NGINX")
    balancer = start_nginx(tmp_path / "nginx", instances)
    yield balancer
    balancer.stop()


@dataclass
class Loop:
    """A client asking ``base`` for ``urls`` in turn on one thread until ``stop()``, over one
    kept-alive session (as a browser or a crawler would), counting answers and failures."""

    base: str
    urls: list[str]
    answered: int = 0
    failures: list[str] = field(default_factory=list)
    etags: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        session = requests.Session()
        n = 0
        while not self._stop.is_set():
            url = self.urls[n % len(self.urls)]
            n += 1
            try:
                response = session.get(self.base + url, timeout=30)
            except requests.RequestException as exc:
                self.failures.append(f"{url}: {type(exc).__name__}: {exc}")
                continue
            if response.status_code != 200:
                self.failures.append(f"{url}: {response.status_code} {response.text[:200]}")
                continue
            self.etags.setdefault(url, set()).add(response.headers.get("ETag", ""))
            self.answered += 1

    def __enter__(self) -> Loop:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(GENEROUS_S)

    def wait_for(self, more: int, what: str) -> None:
        """Wait until ``more`` answers beyond those so far have come."""
        target = self.answered + more
        wait_until(lambda: self.answered >= target or not self._thread.is_alive(), what, timeout_s=GENEROUS_S)
