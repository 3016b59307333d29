"""``parley serve``: its options come from ``server.config.SETTINGS``; a missing or damaged build
is exit 2 within seconds, naming the store and the fix, with no traceback; and a real gunicorn
started with ``--root`` serves the root's build, printing nothing but errors under ``-q``."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from parley.cli import cli
from server.config import SETTINGS

from .conftest import clean_env, parley

SERVE = cli.commands["serve"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_has_exactly_one_option_per_setting_and_root():
    assert {param.name for param in SERVE.params} == {s.name for s in SETTINGS} | {"root"}


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_each_option_is_made_from_its_setting(setting):
    param = next(p for p in SERVE.params if p.name == setting.name)
    assert param.opts == ["--" + setting.name.replace("_", "-")]
    assert param.metavar == setting.metavar
    assert param.default is None, "the default comes from the settings table, after PARLEY_* variables"
    assert setting.meaning in param.help and setting.env in param.help and f"default: {setting.default}" in param.help
    # the option's type is the setting's own parser
    assert param.type.convert(str(setting.default), param, None) == setting.parse(str(setting.default))


def test_serve_help_lists_every_setting(elsewhere):
    result = parley("serve", "--help", cwd=elsewhere)
    assert result.returncode == 0, str(result)
    text = " ".join(result.stdout.split())  # help text is wrapped
    for setting in SETTINGS:
        assert f"--{setting.name.replace('_', '-')} {setting.metavar}" in text
        assert setting.env in text


def _no_store(build: Path) -> None:
    shutil.rmtree(build / "store")


def _truncate_a_table(build: Path) -> None:
    table = max((build / "store").glob("*.sst"), key=lambda p: p.stat().st_size)
    with open(table, "r+b") as handle:
        handle.truncate(100)


def _truncate_the_manifest(build: Path) -> None:
    manifest = next((build / "store").glob("MANIFEST-*"))
    with open(manifest, "r+b") as handle:
        handle.truncate(manifest.stat().st_size // 2)


BROKEN = {
    "no-build": (lambda build: shutil.rmtree(build), "no build at {build}"),
    "no-store": (_no_store, "no store at {build}/store"),
    "truncated-table": (_truncate_a_table, "the store at {build}/store is damaged: "),
    "truncated-manifest": (_truncate_the_manifest, "the store at {build}/store is damaged: MANIFEST-"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_missing_or_damaged_store_exits_2_at_once_naming_it(project, elsewhere, case):
    breaker, message = BROKEN[case]
    breaker(project / "build")
    started = time.monotonic()
    result = parley("serve", "--root", str(project), "--port", str(_free_port()), cwd=elsewhere, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 2, str(result)
    assert elapsed < 10, f"parley serve took {elapsed:.1f} s to refuse a broken build"
    assert result.stderr.startswith("Error: " + message.format(build=project / "build")), str(result)
    assert "parley build" in result.stderr and "Traceback" not in result.stderr, str(result)


def test_a_port_in_use_exits_2_at_once_naming_it(project, elsewhere):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = parley("serve", "--root", str(project), "--port", str(port), cwd=elsewhere, timeout=60)
    assert result.returncode == 2, str(result)
    assert time.monotonic() - started < 5
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr, str(result)


class Server:
    """``parley serve`` as a subprocess on a free port, stopped with SIGTERM.

    Its output goes to files, not pipes: a full pipe would block the server.
    """

    def __init__(self, *args: str, cwd: Path, logs: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.out, self.err = logs / "stdout", logs / "stderr"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "parley",
                    *args,
                    "--port",
                    str(self.port),
                    "--workers",
                    "1",
                    "--query-processes",
                    "1",
                ],
                cwd=cwd,
                env=clean_env(),
                stdout=out,
                stderr=err,
            )

    def output(self) -> tuple[str, str]:
        return self.out.read_text(errors="replace"), self.err.read_text(errors="replace")

    def wait_until_serving(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                out, err = self.output()
                pytest.fail(f"parley serve exited with {self.process.returncode} before serving:\n{out}{err}")
            try:
                requests.get(self.url + "/", timeout=2)
                return
            except (requests.ConnectionError, requests.Timeout):  # not listening, or no worker yet
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"parley serve did not answer within {timeout} s")

    def stop(self) -> tuple[int, str, str]:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return (self.process.returncode, *self.output())


@pytest.fixture
def serve(elsewhere, tmp_path):
    servers = []

    def start(*args: str) -> Server:
        logs = tmp_path / f"server-{len(servers)}"
        logs.mkdir()
        server = Server(*args, cwd=elsewhere, logs=logs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.stop()


@pytest.mark.integration
def test_serve_takes_the_default_build_dir_from_root_and_quiet_prints_nothing(built_project, serve):
    server = serve("-q", "serve", "--root", str(built_project))
    server.wait_until_serving()
    home = requests.get(server.url + "/", timeout=10)
    dump = requests.get(server.url + "/dumps/SHA256SUMS", timeout=10)
    code, out, err = server.stop()
    assert home.status_code == 200, home.text[:500]
    assert dump.status_code == 200 and dump.content == (built_project / "build/dumps/SHA256SUMS").read_bytes()
    assert code == 0, err
    assert (out, err) == ("", ""), f"-q printed more than errors:\n--- stdout\n{out}--- stderr\n{err}"


@pytest.mark.integration
def test_serve_without_quiet_logs_its_front_and_every_request(built_project, serve):
    server = serve("serve", "--root", str(built_project), "--build-dir", "build")
    server.wait_until_serving()
    assert requests.get(server.url + "/void.ttl", timeout=10).status_code == 200
    code, out, err = server.stop()
    assert code == 0, err
    assert f"serving {built_project / 'build'} on http://127.0.0.1:{server.port}/" in err
    # granian is the default front (gunicorn's own log lines are tested in tests/cli/test_front.py).
    assert "with granian" in err and f"Listening at: http://127.0.0.1:{server.port}" in err, err
    assert '"GET /void.ttl HTTP/1.1" 200' in out, out
