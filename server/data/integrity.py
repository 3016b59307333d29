"""Is this build directory whole? Checked before anything serves it.

``check_build(build_dir)`` verifies what ``parley build`` wrote: the description files, every
store file against the size and SHA-256 recorded in ``store.json``, every dump against
``dumps/SHA256SUMS``, and the search index against ``build.json``. It exists because RocksDB
does not reliably notice damage when the store is opened: a truncated table file is caught at
open time, but a truncated MANIFEST opens as an empty store, and a damaged block is only noticed
when a query reads it, inside a worker, as a traceback. ``parley serve`` runs the check in the master process before gunicorn starts (and
again before a reload), so a bad build is one clear message and exit status 2.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from graph.checksums import SUMS, read_sums, verify_sums
from graph.dump import STORE_MANIFEST, file_sha256
from graph.errors import ConfigError
from graph.search_index import SEARCH_INDEX

log = logging.getLogger(__name__)

REBUILD = "rebuild with `parley build` (or point --build-dir / PARLEY_BUILD_DIR at a complete build)"
BUILD = "make one with `parley build` (or point --build-dir / PARLEY_BUILD_DIR at a build)"
# Written by every build; the server reads each of them.
DESCRIPTION_FILES = ("build.json", "void.ttl", "validation.ttl", STORE_MANIFEST, "dumps/SHA256SUMS", SEARCH_INDEX)


def check_build(build_dir: Path) -> None:
    """Return when ``build_dir`` holds a complete, undamaged build.

    Raises ``ConfigError`` naming the first missing or damaged file, with the fix.
    """
    build_dir = Path(build_dir).absolute()
    if not build_dir.is_dir():
        raise ConfigError(f"no build at {build_dir}", hint=BUILD)
    for name in DESCRIPTION_FILES:
        if not (build_dir / name).is_file():
            raise ConfigError(f"{build_dir / name}: missing, so {build_dir} is not a complete build", hint=REBUILD)
    _check_store(build_dir)
    _check_dumps(build_dir)
    _check_search_index(build_dir)
    log.debug("%s: build is complete", build_dir)


def _check_store(build_dir: Path) -> None:
    manifest_path = build_dir / STORE_MANIFEST
    store = build_dir / "store"
    try:
        files = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
        expected = {str(name): (int(entry["bytes"]), str(entry["sha256"])) for name, entry in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{manifest_path}: not a store manifest written by `parley build` ({exc})", hint=REBUILD
        ) from None
    if not store.is_dir():
        raise ConfigError(f"no store at {store}", hint=REBUILD)
    if not expected:
        raise ConfigError(f"{manifest_path}: lists no store files", hint=REBUILD)
    for name, (size, sha256) in sorted(expected.items()):
        path = store / name
        if not path.is_file():
            raise ConfigError(f"the store at {store} is damaged: {name} is missing", hint=REBUILD)
        actual = path.stat().st_size
        if actual != size:
            raise ConfigError(
                f"the store at {store} is damaged: {name} has {actual} bytes, the build wrote {size}", hint=REBUILD
            )
        if file_sha256(path) != sha256:
            raise ConfigError(
                f"the store at {store} is damaged: {name} differs from what the build wrote (SHA-256 mismatch)",
                hint=REBUILD,
            )


def _check_dumps(build_dir: Path) -> None:
    verify_sums(build_dir / "dumps", error=ConfigError, hint=REBUILD, complete=False)


def _check_search_index(build_dir: Path) -> None:
    path = build_dir / SEARCH_INDEX
    try:
        entry = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))["search_index"]
        size, sha256 = int(entry["bytes"]), str(entry["sha256"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{build_dir / 'build.json'}: does not describe {SEARCH_INDEX} ({exc})", hint=REBUILD
        ) from None
    if path.stat().st_size != size or file_sha256(path) != sha256:
        raise ConfigError(f"{path}: damaged (its size or SHA-256 differs from build.json)", hint=REBUILD)


def checksums(directory: Path) -> dict[str, str]:
    """Return file name -> SHA-256 hex digest from ``directory/SHA256SUMS`` (empty if there is none)."""
    path = directory / SUMS
    return read_sums(path, error=ConfigError, hint=REBUILD) if path.is_file() else {}
