"""``SHA256SUMS``: the one reader of the checksum file of a build's dumps and of a release.

The format is ``sha256sum``'s: a lower-case SHA-256 digest, two spaces (or a space and ``*``,
binary mode), a file name in the same directory. ``read_sums`` parses it, naming the line that is
not such a line; ``verify_sums`` is ``sha256sum -c`` and also refuses a file of the directory the
list does not name. Callers pass the error family and the fix that fit them (a build being served
is a configuration error, a build being released a source error).
"""

from __future__ import annotations

import re
from pathlib import Path

from .dump import file_sha256
from .errors import ParleyError, SourceError

SUMS = "SHA256SUMS"
_LINE = re.compile(r"^([0-9a-f]{64}) [ *]([^/\s][^/]*)$")
REBUILD = "rebuild with `parley build`"


def read_sums(path: Path, *, error: type[ParleyError] = SourceError, hint: str = REBUILD) -> dict[str, str]:
    """Return file name -> SHA-256 hex digest from the ``SHA256SUMS`` at ``path``.

    Raises ``error`` naming ``path:line`` for a line that is not a ``sha256sum`` line (a name with a
    directory in it is not), for a name listed twice, and for a missing or empty file.
    """
    if not path.is_file():
        raise error(f"{path}: missing", hint=hint)
    sums: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _LINE.match(line)
        if not match:
            raise error(f"{path}:{number}: not a `sha256sum` line (a digest, two spaces, a file name)", hint=hint)
        digest, name = match.groups()
        if name in sums:
            raise error(f"{path}:{number}: {name} is listed twice", hint=hint)
        sums[name] = digest
    if not sums:
        raise error(f"{path}: lists no files", hint=hint)
    return sums


def verify_sums(
    directory: Path, *, error: type[ParleyError] = SourceError, hint: str = REBUILD, complete: bool = True
) -> list[str]:
    """Check every file ``directory/SHA256SUMS`` names against its digest; return the names in order.

    Raises ``error`` naming the first file that is missing or differs, and, when ``complete``, the
    files of the directory that the list does not name.
    """
    sums_path = directory / SUMS
    sums = read_sums(sums_path, error=error, hint=hint)
    for name, digest in sums.items():
        path = directory / name
        if not path.is_file():
            raise error(f"{path}: missing (listed in {sums_path})", hint=hint)
        if file_sha256(path) != digest:
            raise error(f"{path}: damaged (its SHA-256 differs from {sums_path})", hint=hint)
    unlisted = complete and sorted({p.name for p in directory.iterdir()} - set(sums) - {SUMS})
    if unlisted:
        raise error(f"{directory}: {', '.join(unlisted)} not in {SUMS}", hint=hint)
    return list(sums)
