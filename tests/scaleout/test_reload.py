"""A reload refused over a damaged build never hides a worker's exit from granian's master.

An instance being rolled out may have its build damaged under it (a copy cut short, a disk
error). ``ParleyGranian`` refuses a SIGHUP reload onto such a build and clears the master's
wake-up, so that the refusal does not spin its loop; but a worker that exits while the build is
checked (a worker still loading the app when the build was damaged cannot open the store, and
exits: seen once in CI as a worker missing after a refused reload) has woken the loop too, and
that wake-up must survive, or the master serves on with a worker fewer and never stops. These
run the real master object over a real damaged build, without starting it.
"""

from __future__ import annotations

import shutil

import pytest

from server.config import load_settings
from server.front import ParleyGranian, granian_options


@pytest.fixture
def master(builds, tmp_path):
    build = tmp_path / "build"
    shutil.copytree(builds[0], build)
    table = max((build / "store").glob("*.sst"), key=lambda p: p.stat().st_size)
    with open(table, "r+b") as handle:  # as a copy cut short would leave it
        handle.truncate(100)
    settings = load_settings({"build_dir": str(build), "workers": 2}, environ={})
    return ParleyGranian(settings, **granian_options(settings, quiet=True))


def _sighup(master: ParleyGranian) -> None:
    master.signal_handler_reload()  # what granian runs on SIGHUP: flags the reload, wakes the loop
    assert master.main_loop_interrupt.is_set()


def test_a_refused_reload_leaves_the_master_asleep(master):
    _sighup(master)
    assert master._reload(None, None) is None
    assert not master.reload_signal
    assert not master.main_loop_interrupt.is_set(), "a refusal must not spin the main loop"


def test_a_worker_that_exits_during_a_refused_reload_still_wakes_the_master(master):
    _sighup(master)
    # what granian's watcher of worker-2 does when that worker exits: record it, wake the loop
    master.interrupt_children.append(1)
    master.main_loop_interrupt.set()
    assert master._reload(None, None) is None
    assert master.main_loop_interrupt.is_set(), "the worker's exit was swallowed by the refusal"
    assert master.interrupt_children == [1]
