"""Copy the query page's third-party files from ``node_modules`` into ``server/static/vendor/``.

Run by ``make assets`` after ``npm ci`` in this directory. Only the files the page loads are
copied (with their licence); ``server/static/vendor/`` is git-ignored, so no third-party code is
committed. Exits 2 with a hint when ``npm ci`` has not been run.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENDOR = HERE.parent / "static" / "vendor"

# destination (below static/vendor/) -> source (below node_modules/)
# YASGUI's package ships no LICENSE file; its package.json (MIT, the authors) goes along instead.
FILES = {
    "yasgui/yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui/yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "yasgui/package.json": "@zazuko/yasgui/package.json",
}


def main() -> int:
    modules = HERE / "node_modules"
    missing = [src for src in FILES.values() if not (modules / src).is_file()]
    if missing:
        print(f"Error: {modules}: missing {', '.join(missing)}; run `npm ci` in {HERE} first",
              file=sys.stderr)
        return 2
    stale = VENDOR / "codemirror"  # the editor before YASGUI
    if stale.is_dir():
        shutil.rmtree(stale)
    for dest, src in FILES.items():
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / src, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
