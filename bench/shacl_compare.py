"""pySHACL against pyshacl-turbo on the same shapes and data: same report, time, peak memory.

Issue 20 part 3 asks whether pyshacl-turbo (PyPI, a Rust SHACL engine with pySHACL's API) can
take pySHACL's place in ``graph.validate``. This script runs both over the same inputs and
prints, for each input, whether the two reports hold the same results and what each engine took.

A result is compared as (focus node, path, severity, source shape, constraint component, source
constraint, value, message), with blank nodes (property shapes, complex paths) written ``_``:
the blank node labels of two reports never match, the rest must.

Inputs:

- ``--project DIR`` (repeatable; default: this checkout): the project is ingested as the build
  does (``graph.build.ingest_sources``) and its union graph validated against the Core part of
  ``shapes/parley.ttl`` (the ``sh:sparql`` constraints left out), as ``graph.validate`` runs
  pySHACL; each engine runs in a fresh process, so its peak RSS is its own. ``turbo-store`` is
  pyshacl-turbo given a pyoxigraph Store of the quads instead of the rdflib union graph.
- ``--fixtures`` (on by default; ``--no-fixtures``): ``tests/shapes/fixtures/base.trig`` and each
  ``shacl/*.violates.trig`` added to it, against the whole shapes file (SHACL-SPARQL included)
  with the ontology, as ``tests/shapes/test_shapes_fixtures.py`` runs pySHACL; in this process.

    .venv/bin/python bench/generate.py --triples 100000 --out /tmp/wt-build-bench/100k
    .venv/bin/python bench/shacl_compare.py --project . --project /tmp/wt-build-bench/100k

``--json FILE`` keeps every figure and the differing results.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("pyshacl", "turbo", "turbo-store")


def result_keys(report) -> list[tuple[str, ...]]:
    """Return the report's results as sorted tuples of strings, blank nodes written ``_``."""
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    def show(term) -> str:
        if term is None:
            return ""
        return "_" if isinstance(term, BNode) else term.n3()

    keys = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        row = [
            show(report.value(result, p))
            for p in (
                SH.focusNode,
                SH.resultPath,
                SH.resultSeverity,
                SH.sourceShape,
                SH.sourceConstraintComponent,
                SH.sourceConstraint,
                SH.value,
                SH.resultMessage,
            )
        ]
        keys.append(tuple(row))
    return sorted(keys)


def core_shapes():
    """The shapes as ``graph.validate`` gives them to pySHACL: without the ``sh:sparql`` constraints."""
    from rdflib import Graph
    from rdflib.namespace import SH

    from graph.validate import load_shapes

    core = Graph()
    for triple in load_shapes(ROOT / "shapes"):
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


def child(engine: str, project: Path, out: Path) -> None:
    """Validate one project with one engine; write its results, seconds and peak RSS to ``out``."""
    from graph.build import ingest_sources
    from graph.dump import sorted_quads
    from graph.validate import union_graph

    dataset = ingest_sources(project)
    shapes = core_shapes()
    if engine == "turbo-store":
        import pyoxigraph as ox

        data = ox.Store()
        data.extend(sorted_quads(dataset))
    else:
        data = union_graph(dataset)
    triples = len(data)
    del dataset
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    if engine == "pyshacl":
        from pyshacl import validate
    else:
        from pyshacl_turbo import validate
    conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "engine": engine,
        "triples": triples,
        "conforms": bool(conforms),
        "seconds": seconds,
        "cpu": cpu,
        "rss_before_mb": before,
        "peak_mb": peak,
        "results": result_keys(report),
    }
    out.write_text(json.dumps(figures), encoding="utf-8")


def compare_project(project: Path, engines: list[str]) -> dict:
    runs = {}
    with tempfile.TemporaryDirectory(prefix="shacl-compare-") as tmp:
        for engine in engines:
            out = Path(tmp) / f"{engine}.json"
            command = [sys.executable, __file__, "--child", engine, "--project", str(project), "--out", str(out)]
            subprocess.run(command, check=True, cwd=ROOT)
            runs[engine] = json.loads(out.read_text(encoding="utf-8"))
    return runs


def compare_fixtures(which: str) -> list[dict]:
    """Each shapes fixture through both engines in this process, with the ontology and the whole
    shapes file (``which`` "whole") or its Core part as ``graph.validate`` runs pySHACL ("core")."""
    import pyshacl
    import pyshacl_turbo
    from rdflib import Graph

    sys.path.insert(0, str(ROOT))
    from tests.shapes.shapes_support import BASE, FIXTURES, ONTOLOGY_FILES, SHAPES, load_dataset

    shapes = Graph().parse(SHAPES, format="turtle") if which == "whole" else core_shapes()
    ontology = Graph()
    for path in ONTOLOGY_FILES:
        ontology.parse(path, format="turtle")

    def copy(graph: Graph) -> Graph:
        result = Graph()
        result += graph
        return result

    rows = []
    for path in [None, *sorted((FIXTURES / "shacl").glob("*.violates.trig"))]:
        dataset = load_dataset(BASE) if path is None else load_dataset(BASE, path)
        row = {"fixture": "base.trig" if path is None else path.name}
        for name, engine in (("pyshacl", pyshacl), ("turbo", pyshacl_turbo)):
            started = time.perf_counter()
            conforms, report, _ = engine.validate(
                dataset, shacl_graph=copy(shapes), ont_graph=copy(ontology), inference="none", advanced=True
            )
            row[name] = {"conforms": bool(conforms), "seconds": time.perf_counter() - started}
            row[name]["results"] = result_keys(report)
        rows.append(row)
    return rows


def differences(a: list, b: list, *, messages: bool = True) -> tuple[list, list]:
    cut = (lambda k: tuple(k)) if messages else (lambda k: tuple(k[:-1]))
    sa, sb = {cut(k) for k in a}, {cut(k) for k in b}
    return sorted(sa - sb), sorted(sb - sa)


def print_project(project: Path, runs: dict) -> dict:
    base = runs["pyshacl"]
    print(f"\n{project} ({base['triples']:,} triples, Core shapes)")
    print(
        f"{'engine':<12} {'conforms':>8} {'results':>8} {'wall s':>8} {'CPU s':>8} {'RSS before':>11} {'peak RSS':>9}  report"
    )
    summary = {}
    for engine, run in runs.items():
        only_a, only_b = differences(base["results"], run["results"])
        same = (
            "same"
            if not only_a and not only_b
            else f"DIFFERS ({len(only_a)} only pySHACL, {len(only_b)} only {engine})"
        )
        print(
            f"{engine:<12} {run['conforms']!s:>8} {len(run['results']):>8} {run['seconds']:>8.1f} {run['cpu']:>8.1f} "
            f"{run['rss_before_mb']:>8.0f} MB {run['peak_mb']:>6.0f} MB  {same}"
        )
        summary[engine] = {k: v for k, v in run.items() if k != "results"} | {
            "only_pyshacl": only_a[:20],
            f"only_{engine}": only_b[:20],
        }
    return summary


def print_fixtures(rows: list[dict], which: str) -> dict:
    same = without_messages = 0
    differing = []
    for row in rows:
        a, b = row["pyshacl"]["results"], row["turbo"]["results"]
        exact = differences(a, b)
        loose = differences(a, b, messages=False)
        if exact == ([], []) and row["pyshacl"]["conforms"] == row["turbo"]["conforms"]:
            same += 1
        elif loose == ([], []):
            without_messages += 1
            differing.append({"fixture": row["fixture"], "only_pyshacl": exact[0], "only_turbo": exact[1]})
        else:
            differing.append({"fixture": row["fixture"], "only_pyshacl": loose[0], "only_turbo": loose[1]})
    seconds = {e: sum(r[e]["seconds"] for r in rows) for e in ("pyshacl", "turbo")}
    print(
        f"\nshapes fixtures ({len(rows)}: base.trig and each violates fixture on it; "
        f"{'whole shapes file' if which == 'whole' else 'Core shapes, as graph.validate'}, ontology):"
        f"\n  same report: {same}; same results but other messages: {without_messages}; "
        f"other results: {len(rows) - same - without_messages}"
        f"\n  seconds, all fixtures: pySHACL {seconds['pyshacl']:.1f}, pyshacl-turbo {seconds['turbo']:.1f}"
    )
    for item in differing:
        print(f"  {item['fixture']}:")
        for key in item["only_pyshacl"][:2]:
            print(f"    pySHACL:       {key[0]} {key[3]} {key[-1][:160]}")
        for key in item["only_turbo"][:2]:
            print(f"    pyshacl-turbo: {key[0]} {key[3]} {key[-1][:160]}")
    return {"same": same, "same_but_messages": without_messages, "differing": differing, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, action="append", help="project root to ingest (repeatable)")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated, of {', '.join(ENGINES)}")
    parser.add_argument("--fixtures", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.child:
        child(args.child, args.project[0].absolute(), args.out)
        return 0
    engines = [e for e in args.engines.split(",") if e]
    if "pyshacl" not in engines:
        engines.insert(0, "pyshacl")
    figures = {"projects": {}}
    for project in args.project or [ROOT]:
        project = project.absolute()
        figures["projects"][str(project)] = print_project(project, compare_project(project, engines))
    if args.fixtures:
        for which in ("core", "whole"):
            figures[f"fixtures_{which}"] = print_fixtures(compare_fixtures(which), which)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
