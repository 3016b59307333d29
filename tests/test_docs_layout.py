"""docs/layout.md describes the layout as it is: every module is named there, every path it names
exists, and its table of the server's layers is the one ``tests/test_layout.py`` enforces. The
README's layout section points there and names only paths that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_layout import LAYERS

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = ROOT / "docs" / "layout.md"
DESCRIBED = ("graph", "parley", "bench", "server")
_PATH = re.compile(r"`((?:graph|parley|bench|server|tests|docs|ontology|shapes|corpus|curation|\.ci)(?:/[^`\s]*)?)`")


def _modules() -> list[str]:
    found = []
    for top in DESCRIBED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if rel.parts[:2] in (("server", "assets"), ("server", "static")):
                continue  # set-up scripts and vendored files, described as folders
            found.append(rel.as_posix())
    return found


def _named(text: str) -> set[str]:
    return {match.rstrip("/") for match in _PATH.findall(text)}


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end != -1 else len(text)]


def test_every_module_has_a_line_in_the_layout():
    named = _named(LAYOUT.read_text(encoding="utf-8"))
    missing = [module for module in _modules() if module not in named]
    assert not missing, "docs/layout.md does not name: " + ", ".join(missing) + " (add a line for each)"


@pytest.mark.parametrize("page", ["docs/layout.md", "README.md"])
def test_every_path_the_layout_names_exists(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    if page == "README.md":
        text = _section(text, "## Layout")
    gone = sorted(
        path for path in _named(text) if "*" not in path and "NAME" not in path and not (ROOT / path).exists()
    )
    assert not gone, f"{page} names paths that do not exist: " + ", ".join(gone)


def test_the_layers_table_is_the_one_the_import_test_enforces():
    rows = re.findall(r"^\| (\w+) \| (.+?) \| .+ \|$", LAYOUT.read_text(encoding="utf-8"), flags=re.M)
    table = {name: _named(where) for name, where in rows if name != "layer"}
    expected = {}
    for name, prefixes in LAYERS:
        paths = set()
        for prefix in prefixes:
            base = ROOT / Path(*prefix.split("."))
            rel = base.relative_to(ROOT).as_posix()
            paths.add(rel if base.is_dir() else rel + ".py")
        expected[name] = paths
    expected["app"] = {p if p != "server" else "server/__init__.py" for p in expected["app"]}
    assert list(table) == [name for name, _ in LAYERS], "the layers of docs/layout.md are not in test_layout's order"
    assert table == expected, "docs/layout.md's table of layers differs from tests/test_layout.py's LAYERS"


def test_the_layout_check_sees_a_missing_module(tmp_path):
    # The check would pass for the wrong reason if it found no module or named every path.
    modules = _modules()
    assert "server/data/store/remote.py" in modules and "graph/build.py" in modules
    assert "graph/no_such_module.py" not in _named(LAYOUT.read_text(encoding="utf-8"))


def test_the_readme_points_to_the_layout():
    assert "docs/layout.md" in _section((ROOT / "README.md").read_text(encoding="utf-8"), "## Layout")
