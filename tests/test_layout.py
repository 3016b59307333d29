"""The data flow is one direction: ``graph`` never imports ``server`` or the ``parley`` command,
and the packages under test are this checkout's, not another copy installed or on the path."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOWNSTREAM = {"server", "parley"}
PACKAGES = ("graph", "server", "parley")


def _imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """Return (line, absolute module name) of every import in ``source``, a module of ``package``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            found.append((node.lineno, module))
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "graph").glob("*.py")), ids=lambda p: p.name)
def test_graph_imports_nothing_downstream(path):
    imports = _imported_modules(path.read_text(encoding="utf-8"), "graph")
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {module}"
        for line, module in imports
        if module.split(".")[0] in DOWNSTREAM
    ]
    assert not wrong, "graph/ must not import server/ or the CLI (the data flows one way):\n" + "\n".join(wrong)


def test_the_import_scan_sees_relative_and_function_level_imports():
    # A scan that missed `from ..server import x` inside a function would pass for the wrong reason.
    source = "def f():\n    from ..server import config\n    import parley.cli\n    from . import dump\n"
    assert [module for _, module in _imported_modules(source, "graph")] == ["server", "parley.cli", "graph"]


def test_there_is_no_cli_module_left_in_graph():
    assert not (ROOT / "graph" / "cli.py").exists(), "the CLI lives in parley/cli.py"


@pytest.mark.parametrize("name", PACKAGES)
def test_package_resolves_to_this_checkout_in_the_test_process(name):
    module = __import__(name)
    assert Path(module.__file__).resolve() == ROOT / name / "__init__.py", (
        f"`import {name}` found {module.__file__}, not this checkout's {name}/; "
        f"reinstall with `.venv/bin/pip install -e '.[test]'` from {ROOT}"
    )


def test_packages_resolve_to_this_checkout_from_anywhere(tmp_path):
    # From another directory only the installation can find them: the editable install must
    # point here, and no other `server` or `graph` package may shadow it.
    code = "import json, graph, server, parley; print(json.dumps({m.__name__: m.__file__ for m in (graph, server, parley)}))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for name, file in json.loads(result.stdout).items():
        assert Path(file).resolve() == ROOT / name / "__init__.py", (
            f"from {tmp_path}, `import {name}` found {file}; reinstall with `.venv/bin/pip install -e '.[test]'`"
        )


def test_the_parley_script_runs_this_checkouts_cli():
    script = Path(sys.executable).parent / "parley"
    assert script.is_file(), f"{script} is missing; install with `.venv/bin/pip install -e '.[test]'`"
    assert "from parley.cli import main" in script.read_text(encoding="utf-8"), (
        f"{script} does not run parley.cli:main; check [project.scripts] in pyproject.toml and reinstall"
    )


# --- what the query processes load ---------------------------------------------------------------

# A query process imports the store and the query machinery only: no Flask or Jinja (the web
# app), and none of the modules of pages, routes or the site. The modules listed are those it
# runs (child.main and child._answer import them when they start).
QUERY_PROCESS_MODULES = (
    "server.sparql.child",
    "server.store",
    "server.remote",
    "server.sparql.guard",
    "server.sparql.execute",
)
WEB_ONLY = ("flask", "jinja2", "server.errors", "server.site", "server.terms", "server.routes", "server.views")


def _web_modules_loaded(*modules: str) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}: importlib.import_module(name)\n"
        f"web = {WEB_ONLY!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if any(m == w or m.startswith(w + '.') for w in web))))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_query_process_imports_no_flask_and_nothing_of_the_pages():
    loaded = _web_modules_loaded(*QUERY_PROCESS_MODULES)
    assert not loaded, f"a query process's modules pull in the web app: {loaded}; move what they need below it"


def test_the_check_of_what_a_query_process_loads_sees_flask():
    # The check above would pass for the wrong reason if it could not see an import at all.
    assert "flask" in _web_modules_loaded("server.sparql.child", "server.errors")


def test_the_sparql_machinery_imports_no_route():
    wrong = []
    for path in sorted((ROOT / "server" / "sparql").glob("*.py")):
        for line, module in _imported_modules(path.read_text(encoding="utf-8"), "server.sparql"):
            if module.startswith(("server.routes", "server.views")) or module == "server.terms":
                wrong.append(f"{path.relative_to(ROOT)}:{line}: imports {module}")
    assert not wrong, "server/sparql/ sits below the routes and views:\n" + "\n".join(wrong)


def test_the_remote_store_needs_nothing_of_the_endpoint_but_the_lexer():
    source = (ROOT / "server" / "remote.py").read_text(encoding="utf-8")
    wrong = [
        f"server/remote.py:{line}: imports {module}"
        for line, module in _imported_modules(source, "server")
        if module.startswith("server.sparql") and module != "server.sparql.lexer"
    ]
    assert not wrong, "the remote store takes only the public lexer of server/sparql:\n" + "\n".join(wrong)
