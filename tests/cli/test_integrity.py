"""``server.data.integrity.check_build``: a complete build passes, and every way a build directory can
be missing or damaged is a ConfigError that names the file and says to rebuild. The damage is
done to a copy of the real mini build, the way a full disk, an interrupted copy or a stray
edit would do it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import ConfigError
from server.data.integrity import check_build


@pytest.fixture
def build(mini_build, tmp_path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(mini_build, copy)
    return copy


def _store_file(build: Path, suffix: str) -> Path:
    return max((p for p in (build / "store").iterdir() if p.name.endswith(suffix)), key=lambda p: p.stat().st_size)


def _truncate(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_complete_build_passes(build):
    check_build(build)


def test_the_manifest_covers_every_store_file_but_the_rocksdb_log_and_lock(mini_build):
    listed = set(json.loads((mini_build / "store.json").read_text())["files"])
    present = {p.name for p in (mini_build / "store").iterdir()}
    assert present - listed <= {"LOG", "LOCK"} and listed <= present
    assert any(name.endswith(".sst") for name in listed) and any(name.startswith("MANIFEST-") for name in listed)


def test_reading_the_store_as_the_server_does_leaves_it_as_the_manifest_says(build):
    # The check runs again before every reload: serving must not change what it checks.
    store = ox.Store.read_only(str(build / "store"))
    assert len(list(store.query("SELECT * { GRAPH ?g { ?s ?p ?o } }"))) > 0
    del store
    check_build(build)


DAMAGE = {
    "no-build-dir": (lambda b: shutil.rmtree(b), "no build at {build}", "parley build"),
    "no-build-json": (lambda b: (b / "build.json").unlink(), "{build}/build.json: missing", "rebuild"),
    "no-store-manifest": (lambda b: (b / "store.json").unlink(), "{build}/store.json: missing", "rebuild"),
    "store-manifest-not-json": (
        lambda b: (b / "store.json").write_text("{"),
        "{build}/store.json: not a store manifest",
        "rebuild",
    ),
    "no-store-dir": (lambda b: shutil.rmtree(b / "store"), "no store at {build}/store", "rebuild"),
    "store-file-missing": (
        lambda b: _store_file(b, ".sst").unlink(),
        "the store at {build}/store is damaged: ",
        "rebuild",
    ),
    "store-file-truncated": (lambda b: _truncate(_store_file(b, ".sst")), "bytes, the build wrote", "rebuild"),
    # RocksDB opens a store whose MANIFEST is cut in half as an empty store, without an error.
    "manifest-truncated": (
        lambda b: _truncate(next((b / "store").glob("MANIFEST-*"))),
        "is damaged: MANIFEST-",
        "rebuild",
    ),
    # A damaged block of the same size: RocksDB only notices when a query reads it.
    "store-file-altered": (lambda b: _flip_a_byte(_store_file(b, ".sst")), "SHA-256 mismatch", "rebuild"),
    "current-missing": (lambda b: (b / "store" / "CURRENT").unlink(), "damaged: CURRENT is missing", "rebuild"),
    "dump-missing": (
        lambda b: (b / "dumps" / "parley.nq.gz").unlink(),
        "{build}/dumps/parley.nq.gz: missing",
        "rebuild",
    ),
    "dump-truncated": (
        lambda b: _truncate(b / "dumps" / "parley.ttl.gz"),
        "{build}/dumps/parley.ttl.gz: damaged",
        "rebuild",
    ),
    "sums-not-sha256sum": (
        lambda b: (b / "dumps" / "SHA256SUMS").write_text("parley.nq.gz\n"),
        "SHA256SUMS:1: not a `sha256sum` line",
        "rebuild",
    ),
    "no-void": (lambda b: (b / "void.ttl").unlink(), "{build}/void.ttl: missing", "rebuild"),
    "no-search-index": (lambda b: (b / "search.sqlite").unlink(), "{build}/search.sqlite: missing", "rebuild"),
    "search-index-truncated": (
        lambda b: _truncate(b / "search.sqlite"),
        "{build}/search.sqlite: damaged",
        "rebuild",
    ),
    "search-index-altered": (lambda b: _flip_a_byte(b / "search.sqlite"), "{build}/search.sqlite: damaged", "rebuild"),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damage_is_a_config_error_naming_the_file_and_the_fix(build, case):
    damage, message, hint = DAMAGE[case]
    damage(build)
    with pytest.raises(ConfigError) as caught:
        check_build(build)
    error = caught.value
    assert message.format(build=build) in error.message
    assert hint in error.hint and "parley build" in error.hint
    assert error.exit_code == 2


def test_a_new_build_replaces_the_served_one_in_one_step(tmp_path, monkeypatch):
    # Two renames leave a moment with no build directory, and a server reading the build's files
    # then answers 404 (seen under load: 6 of 11,927 requests during a rebuild).
    from graph import build as build_module

    out, tmp = tmp_path / "build", tmp_path / ".build.tmp-1"
    for path, text in ((out, "old"), (tmp, "new")):
        path.mkdir()
        (path / "void.ttl").write_text(text)
    if not build_module._exchange(tmp, out):
        pytest.skip("this system cannot exchange two directories atomically (renameat2)")
    build_module._exchange(tmp, out)  # back as it was

    def no_rename(*args):
        raise AssertionError("the build was swapped in with a plain rename")

    monkeypatch.setattr(Path, "rename", no_rename)
    build_module._swap(tmp, out)
    assert (out / "void.ttl").read_text() == "new"
    assert not tmp.exists(), "the previous build was left behind"
