"""Fixtures for the CLI tests: ``parley`` run as a subprocess the way a user runs it, from a
directory that is not the project (so ``--root`` is what finds it), with no ``PARLEY_*``
variables but those a test sets; and the mini project, built once per module."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.mini import make_project

SCRIPT = Path(sys.executable).parent / "parley"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update(extra)
    return env


def parley(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Run:
    """Run ``python -m parley ARGS`` in ``cwd``; return its exit status and output."""
    result = subprocess.run(
        [sys.executable, "-m", "parley", *args],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(result.returncode, result.stdout, result.stderr)


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working directory that is not a Parley checkout."""
    path = tmp_path / "elsewhere"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    """The mini project with its build in ``build/`` (by ``parley -q build``), made once per module."""
    base = tmp_path_factory.mktemp("cli")
    project = make_project(base / "project")
    result = parley("-q", "build", "--root", str(project), "--no-reasoner", cwd=base)
    assert result.returncode == 0, str(result)
    return project


@pytest.fixture
def project(built_project, tmp_path) -> Path:
    """A copy of the built mini project that a test may change."""
    copy = tmp_path / "project"
    shutil.copytree(built_project, copy)
    return copy
