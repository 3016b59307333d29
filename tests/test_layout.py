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
    "server.data.store",
    "server.data.store.remote",
    "server.data.store.loading",
    "server.sparql.guard",
    "server.sparql.execute",
)
WEB_ONLY = ("flask", "jinja2", "server.http.errors", "server.data.site", "server.routes", "server.views")


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
    assert "flask" in _web_modules_loaded("server.sparql.child", "server.http.errors")


def test_the_sparql_machinery_imports_no_route():
    wrong = []
    for path in sorted((ROOT / "server" / "sparql").glob("*.py")):
        for line, module in _imported_modules(path.read_text(encoding="utf-8"), "server.sparql"):
            if module.startswith(("server.routes", "server.views")):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: imports {module}")
    assert not wrong, "server/sparql/ sits below the routes and views:\n" + "\n".join(wrong)


def test_the_store_package_needs_nothing_of_the_endpoint_but_the_lexer():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {module}"
        for path in sorted((ROOT / "server" / "data" / "store").glob("*.py"))
        for line, module in _imported_modules(path.read_text(encoding="utf-8"), "server.data.store")
        if module.startswith("server.sparql") and module != "server.sparql.lexer"
    ]
    assert not wrong, "the store package takes only the public lexer of server/sparql:\n" + "\n".join(wrong)


# --- the layers of server/ -------------------------------------------------------------------------

# Bottom to top. A module belongs to the layer of the longest prefix that names it; it may import
# its own layer's package and the layers below, never one above (the app factory and the serving
# processes are the top). The SPARQL lexer and prefixes are plain text rules that the store
# package needs too, so they sit at the bottom beside the settings and the errors.
LAYERS = (
    ("base", ("server.config", "server.problems", "server.sparql.lexer", "server.sparql.prefixes")),
    ("data", ("server.data",)),
    ("http", ("server.http",)),
    ("sparql", ("server.sparql",)),
    ("views", ("server.views",)),
    ("routes", ("server.routes",)),
    ("app", ("server", "server.serve", "server.front", "server.preview")),
)
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}


def _layer(module: str) -> str:
    best = max(
        (
            (prefix, name)
            for name, prefixes in LAYERS
            for prefix in prefixes
            if module == prefix or module.startswith(prefix + ".")
        ),
        key=lambda found: len(found[0]),
        default=(None, None),
    )
    if best[1] is None:
        raise AssertionError(f"{module} is in no layer of tests/test_layout.py's LAYERS; add it where it belongs")
    return best[1]


def _server_modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "server").rglob("*.py")):
        if "assets" in path.relative_to(ROOT / "server").parts[:1]:
            continue  # the build script of the front-end assets, not part of the server
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _server_imports(modules: dict[str, Path]) -> dict[str, list[tuple[int, str]]]:
    """Module -> (line, server module it imports), a ``from package import name`` of a submodule
    counted as an import of that submodule."""
    edges = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            out += [(node.lineno, t) for t in targets if t.split(".")[0] == "server" and t != module]
        edges[module] = out
    return edges


def _upward(edges: dict[str, list[tuple[int, str]]], modules: dict[str, Path]) -> list[str]:
    return [
        f"{modules[module].relative_to(ROOT)}:{line}: {module} ({_layer(module)}) imports {target} ({_layer(target)})"
        for module, found in edges.items()
        for line, target in found
        if RANK[_layer(target)] > RANK[_layer(module)]
    ]


def _cycles(edges: dict[str, list[tuple[int, str]]]) -> list[list[str]]:
    """The import cycles among server modules (Tarjan's strongly connected components)."""
    graph = {m: sorted({t for _, t in found if t in edges}) for m, found in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return cycles


def test_every_server_module_is_in_a_layer():
    for module in _server_modules():
        _layer(module)


def test_no_server_module_imports_a_layer_above_its_own():
    modules = _server_modules()
    wrong = _upward(_server_imports(modules), modules)
    assert not wrong, "an import goes up a layer (data < http < sparql < views < routes < app):\n" + "\n".join(wrong)


def test_no_server_modules_import_each_other_round():
    cycles = _cycles(_server_imports(_server_modules()))
    assert not cycles, "server modules that import each other round (a lazy import counts too): " + "; ".join(
        " <-> ".join(c) for c in cycles
    )


def test_the_layer_checks_see_an_upward_import_and_a_cycle():
    # The checks above would pass for the wrong reason if they saw no edge at all.
    modules = {"server.data.site": ROOT / "server/data/site.py", "server.views.terms": ROOT / "server/views/terms.py"}
    edges = {"server.data.site": [(3, "server.views.terms")], "server.views.terms": [(5, "server.data.site")]}
    assert _upward(edges, modules) == [
        "server/data/site.py:3: server.data.site (data) imports server.views.terms (views)"
    ]
    assert _cycles(edges) == [["server.data.site", "server.views.terms"]]
    real = _server_imports(_server_modules())
    assert any(t == "server.data.bodies" for _, t in real["server.data.site"])


STORE_CALLS = {"select", "ask", "triples", "objects", "query", "named_graphs"}


def _store_calls(source: str) -> list[int]:
    """Lines that call a store method on something named ``store`` (``s.store.select(...)``)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in STORE_CALLS
        and isinstance(node.func.value, ast.Attribute | ast.Name)
        and getattr(node.func.value, "attr", getattr(node.func.value, "id", None)) == "store"
    ]


def test_routes_run_no_store_query_themselves():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "server" / "routes").glob("*.py"))
        for line in _store_calls(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, "a route queries the store itself; put the query in a view (server/views/):\n" + "\n".join(wrong)


def test_the_store_call_check_sees_one():
    assert _store_calls("def f(s):\n    return s.store.select(query('x'))\n") == [2]
