"""``parley serve``: its options come from ``server.config.SETTINGS``; a missing or damaged build
is exit 2 before gunicorn starts, naming the store and the fix, with no traceback; and a real gunicorn
started with ``--root`` serves the root's build, printing nothing but errors under ``-q``."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

import pytest
import requests

from parley.cli import cli
from parley.live import LiveServer, free_port
from server.config import SETTINGS

from .conftest import clean_env, parley

SERVE = cli.commands["serve"]


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
    # at once: parley serve exits by itself, before gunicorn starts (a server would outlive the timeout)
    result = parley("serve", "--root", str(project), "--port", str(free_port()), cwd=elsewhere, timeout=60)
    assert result.returncode == 2, str(result)
    assert "Listening at" not in result.stderr, str(result)
    assert result.stderr.startswith("Error: " + message.format(build=project / "build")), str(result)
    assert "parley build" in result.stderr and "Traceback" not in result.stderr, str(result)


def test_a_port_in_use_exits_2_at_once_naming_it(project, elsewhere):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = parley("serve", "--root", str(project), "--port", str(port), cwd=elsewhere, timeout=60)
    assert result.returncode == 2, str(result)  # it exited by itself: gunicorn did not retry the bind
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr, str(result)


@pytest.fixture
def serve(elsewhere, tmp_path):
    """Start ``python -m parley ARGS --port P --workers 1 --query-processes 1`` and wait until it
    answers ``/`` (``parley.live.LiveServer``); every server started is stopped afterwards."""
    servers = []

    def start(*args: str) -> LiveServer:
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "parley",
            *args,
            "--port",
            str(port),
            "--workers",
            "1",
            "--query-processes",
            "1",
        ]
        server = LiveServer(
            command, port=port, logs=tmp_path / f"server-{len(servers)}", cwd=elsewhere, env=clean_env()
        )
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.mark.integration
def test_serve_takes_the_default_build_dir_from_root_and_quiet_prints_nothing(built_project, serve):
    server = serve("-q", "serve", "--root", str(built_project))
    home = requests.get(server.url + "/", timeout=10)
    dump = requests.get(server.url + "/dumps/SHA256SUMS", timeout=10)
    code = server.stop()
    out, err = server.output()
    assert home.status_code == 200, home.text[:500]
    assert dump.status_code == 200 and dump.content == (built_project / "build/dumps/SHA256SUMS").read_bytes()
    assert code == 0, err
    assert (out, err) == ("", ""), f"-q printed more than errors:\n--- stdout\n{out}--- stderr\n{err}"


@pytest.mark.integration
def test_serve_without_quiet_logs_its_front_and_every_request(built_project, serve):
    server = serve("serve", "--root", str(built_project), "--build-dir", "build")
    assert requests.get(server.url + "/void.ttl", timeout=10).status_code == 200
    code = server.stop()
    out, err = server.output()
    assert code == 0, err
    assert f"serving {built_project / 'build'} on http://127.0.0.1:{server.port}/" in err
    # granian is the default front (gunicorn's own log lines are tested in tests/cli/test_front.py).
    assert "with granian" in err and f"Listening at: http://127.0.0.1:{server.port}" in err, err
    assert '"GET /void.ttl HTTP/1.1" 200' in out, out
