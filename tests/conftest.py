"""Shared fixtures: the mini build and the real build (each made once per session), and a guard that blocks any socket beyond
127.0.0.1 so no test can reach the network."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _is_loopback(address) -> bool:
    if isinstance(address, tuple):
        host = address[0]
    else:  # AF_UNIX path
        return True
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise RuntimeError(f"test tried to reach {address!r}; tests stay on 127.0.0.1")
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise RuntimeError(f"test tried to reach {address!r}; tests stay on 127.0.0.1")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


def require_or_skip(available: bool, what: str, variable: str) -> None:
    """Skip when a system tool is missing, unless CI set ``variable`` (then fail)."""
    if available:
        return
    if os.environ.get(variable):
        pytest.fail(f"{what} is missing but {variable} is set: CI must not skip this test")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def java_available() -> bool:
    return shutil.which("java") is not None


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory) -> Path:
    """The real build of the mini fixture project (tests/fixtures/mini), made once per session.

    Shared by every test package that serves or queries a build; treat it as read-only.
    """
    from tests.mini import build_mini

    return build_mini(tmp_path_factory.mktemp("mini") / "build")


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    """A complete build of the real corpus (store, dumps, VoID, validation report), made once."""
    from graph.build import build

    out = tmp_path_factory.mktemp("parley-build") / "build"
    build(out=out, root=ROOT)
    return out


@pytest.fixture
def app(mini_build):
    """The real app over the mini build, per test; its query processes stop afterwards."""
    from tests.helpers import close_app, make_app

    app = make_app(mini_build)
    yield app
    close_app(app)


@pytest.fixture
def client(app):
    return app.test_client()
