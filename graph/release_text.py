"""A release as committed text, and the files made from it when they are missing.

A release directory ``releases/V/`` has two parts. The committed part is text only: the
dataset's canonical N-Quads ``parley.nq`` (RDFC-1.0, lines sorted by code point, uncompressed:
its SHA-256 is the canonical hash), ``shapes.ttl``, the metadata and ``SHA256SUMS``. The made
part, ``dumps/`` (git-ignored), holds the downloads, made from the text by the frozen
derivation that ``release.json`` names (``graph.release_derive``), so they come out byte for
byte the same every time. ``SHA256SUMS`` lists both parts, the made files as ``dumps/NAME``, so
``sha256sum -c SHA256SUMS`` in the release directory checks everything; ``dumps/SHA256SUMS``
(made too) lists the downloads alone, as a build's does.

``restore(path)`` checks the committed part against ``SHA256SUMS`` and the canonical hash in
``release.json``, then makes whatever of ``dumps/`` is missing and checks it; a file that
differs is a ConfigError naming it, with the fix. ``restore_all(releases_dir)`` does that for
every release; ``parley serve`` runs it before the server starts, ``parley release-files``
on demand.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .errors import ConfigError
from .release_derive import DERIVATIONS, Derivation, NotCanonical

TEXT = "parley.nq"
SHAPES = "shapes.ttl"
MANIFEST = "release.json"
SUMS = "SHA256SUMS"
DUMPS = "dumps"
#: the committed files of a release besides SHA256SUMS (NOTES.md only when the release has notes)
COMMITTED = (
    TEXT,
    SHAPES,
    MANIFEST,
    "void.ttl",
    "changelog.ttl",
    "changelog.txt",
    "CITATION.cff",
    "datacite.json",
    "build.json",
    "validation.ttl",
    "NOTES.md",
)
_LINE = re.compile(r"^([0-9a-f]{64}) [ *]((?:dumps/)?[^/\s][^/]*)$")


def canonical_nquads(quads) -> bytes:
    """Return the RDFC-1.0 canonical N-Quads of ``quads`` (pyoxigraph quads), lines sorted by code point."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{quad} .\n" for quad in dataset)).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sums_text(entries: dict[str, bytes | str]) -> str:
    """``SHA256SUMS`` text for name -> content (bytes) or digest (str), in name order."""
    lines = []
    for name in sorted(entries):
        value = entries[name]
        lines.append(f"{value if isinstance(value, str) else sha256(value)}  {name}\n")
    return "".join(lines)


def read_release_sums(path: Path) -> dict[str, str]:
    """Return name -> digest from a release's ``SHA256SUMS``; raise ConfigError naming a bad line."""
    sums_path = path / SUMS
    hint = _restore_hint(path)
    if not sums_path.is_file():
        raise ConfigError(f"{sums_path}: missing, so {path} is not a complete release", hint=hint)
    sums: dict[str, str] = {}
    for number, line in enumerate(sums_path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _LINE.match(line)
        if not match or match.group(2) in sums:
            raise ConfigError(f"{sums_path}:{number}: not a `sha256sum` line of a release", hint=hint)
        sums[match.group(2)] = match.group(1)
    return sums


def _restore_hint(path: Path) -> str:
    return f"a release never changes: restore its committed files (`git checkout -- {path}`)"


def _manifest(path: Path) -> dict:
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path / MANIFEST}: not readable as JSON ({exc})", hint=_restore_hint(path)) from None
    if not isinstance(manifest, dict):
        raise ConfigError(f"{path / MANIFEST}: not a JSON object", hint=_restore_hint(path))
    return manifest


def is_text_release(path: Path) -> bool:
    """True for a release committed as text (it holds ``parley.nq``), False for an older one."""
    return (Path(path) / TEXT).is_file()


def check_committed(path: Path) -> dict:
    """Check the committed files against ``SHA256SUMS`` and the canonical hash; return release.json.

    Raises ConfigError naming the first committed file that is missing or changed.
    """
    path = Path(path)
    sums = read_release_sums(path)
    hint = _restore_hint(path)
    for name, digest in sums.items():
        if name.startswith(DUMPS + "/"):
            continue
        file = path / name
        if not file.is_file():
            raise ConfigError(f"{file}: missing (listed in {path / SUMS})", hint=hint)
        if sha256(file.read_bytes()) != digest:
            raise ConfigError(f"{file}: changed since the release (its SHA-256 differs from {path / SUMS})", hint=hint)
    for name in COMMITTED:
        if (path / name).is_file() and name not in sums:
            raise ConfigError(f"{path / name}: not in {path / SUMS}, so not part of the release", hint=hint)
    manifest = _manifest(path)
    recorded = (manifest.get("canonical_hash") or {}).get("sha256")
    if TEXT not in sums or sums[TEXT] != recorded:
        raise ConfigError(
            f"{path / TEXT}: its SHA-256 is not the canonical hash {recorded} in {path / MANIFEST}", hint=hint
        )
    return manifest


def derivation(manifest: dict, path: Path) -> Derivation:
    """Return the derivation the release was made with; raise ConfigError for one this Parley lacks."""
    version = (manifest.get("derivation") or {}).get("version")
    if version not in DERIVATIONS:
        raise ConfigError(
            f"{path / MANIFEST}: derivation version {version!r} is not one this Parley knows ({sorted(DERIVATIONS)})",
            hint="update Parley to the version that made this release",
        )
    return DERIVATIONS[version]


def make_files(path: Path, text: bytes, shapes: bytes, make) -> dict[str, bytes]:
    """Return the made files of a release, ``dumps/NAME`` -> bytes, with ``dumps/SHA256SUMS``."""
    try:
        files = make(text, shapes)
    except NotCanonical as exc:
        raise ConfigError(f"{path / TEXT}: {exc}", hint=_restore_hint(path)) from None
    made = {f"{DUMPS}/{name}": data for name, data in files.items()}
    made[f"{DUMPS}/{SUMS}"] = sums_text(files).encode("utf-8")
    return made


def restore(path: Path) -> list[str]:
    """Make the missing files of the release at ``path`` from its committed text; return their names.

    The committed files are checked first (``check_committed``), then every made file, present
    or new, against ``SHA256SUMS``; a damaged one is made again. Raises ConfigError naming a
    committed file that changed, or a made file that the derivation no longer makes the same.
    An older release (no ``parley.nq``: its dumps were copied, not made) has nothing to make.
    """
    path = Path(path)
    if not is_text_release(path):
        return []
    manifest = check_committed(path)
    wanted = made_digests(read_release_sums(path))
    stale = sorted(name for name, digest in wanted.items() if not _holds(path / name, digest))
    if not stale:
        return []
    rule = derivation(manifest, path)
    made = make_files(path, (path / TEXT).read_bytes(), (path / SHAPES).read_bytes(), rule.make)
    if set(made) != set(wanted):
        raise ConfigError(
            f"{path / SUMS}: the files it lists under dumps/ are not the ones derivation {rule.version} makes",
            hint=_restore_hint(path),
        )
    for name in sorted(made):
        if sha256(made[name]) != wanted[name]:
            raise ConfigError(
                f"{path / name}: made from the committed text, but its SHA-256 differs from {path / SUMS}",
                hint=f"this Parley's derivation {rule.version} no longer gives the released bytes (a changed "
                "zlib?); make the files with the Parley version that made the release",
            )
    (path / DUMPS).mkdir(exist_ok=True)
    for name in stale:
        _write(path / name, made[name])
    return stale


def made_digests(sums: dict[str, str]) -> dict[str, str]:
    """The made files a release's ``SHA256SUMS`` lists, with ``dumps/SHA256SUMS`` itself: name -> digest."""
    dumps = {name: digest for name, digest in sums.items() if name.startswith(DUMPS + "/")}
    listing = sums_text({name[len(DUMPS) + 1 :]: digest for name, digest in dumps.items()})
    return {**dumps, f"{DUMPS}/{SUMS}": sha256(listing.encode("utf-8"))}


def _holds(file: Path, digest: str) -> bool:
    return file.is_file() and sha256(file.read_bytes()) == digest


def _write(target: Path, data: bytes) -> None:
    """Write ``target`` whole or not at all (a temporary file renamed in), readable by all."""
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def restore_all(releases_dir: Path) -> dict[str, list[str]]:
    """``restore`` every complete release of ``releases_dir``; return version -> files made."""
    from .release import releases

    return {version: restore(Path(releases_dir) / version) for version in releases(releases_dir)}
