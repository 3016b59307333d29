"""Quality-control queries: the ``*-violation.rq`` files of ``shapes/qc/`` run over a build.

Each file is a SPARQL SELECT that returns rows only when something is wrong (the Ontology
Development Kit's idiom), binds ``?focus`` to the resource at fault, and opens with two header
comments, ``# message: ...`` (what is wrong) and ``# hint: ...`` (how to fix it), that the
validation report prints. The queries see the union of the dataset's graphs as their default
graph and can still name a graph with ``GRAPH``. These are the checks that need named graphs or
look across the whole dataset; per-node rules live in the SHACL shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyparsing import ParseException
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .errors import ConfigError

SUFFIX = "-violation.rq"
_HEADER = re.compile(r"^#\s*(message|hint):\s*(.+?)\s*$")


@dataclass(frozen=True)
class QcQuery:
    """One parsed ``*-violation.rq`` file."""

    name: str
    path: Path
    message: str
    hint: str
    query: Query


@dataclass(frozen=True)
class QcResult:
    """The rows one QC query returned: ``name`` is the file name without ``-violation.rq``;
    each row maps the query's variable names to the bound terms (unbound ones are left out)."""

    name: str
    message: str
    hint: str
    variables: tuple[str, ...]
    rows: tuple[dict[str, Node], ...]


def load_queries(qc_dir: Path) -> list[QcQuery]:
    """Parse every ``*-violation.rq`` of ``qc_dir``, sorted by name.

    Raises ConfigError when the directory is missing, or a file lacks its ``# message:`` or
    ``# hint:`` header, does not parse, is not a SELECT, or does not project ``?focus``.
    """
    qc_dir = Path(qc_dir)
    if not qc_dir.is_dir():
        raise ConfigError(f"{qc_dir}: QC query directory not found", "check the shapes/qc path")
    queries = []
    for path in sorted(qc_dir.glob(f"*{SUFFIX}")):
        text = path.read_text(encoding="utf-8")
        header = {}
        for line in text.splitlines():
            match = _HEADER.match(line)
            if match:
                header.setdefault(match.group(1), match.group(2))
        missing = [key for key in ("message", "hint") if key not in header]
        if missing:
            raise ConfigError(
                f"{path}: no '# {missing[0]}: ...' header comment",
                "open the file with '# message: what is wrong' and '# hint: how to fix it'",
            )
        try:
            query = prepareQuery(text)
        except ParseException as error:
            raise ConfigError(f"{path}: SPARQL does not parse: {error}", "fix the query") from error
        if query.algebra.name != "SelectQuery":
            raise ConfigError(f"{path}: not a SELECT query", "QC queries are SELECTs that return rows")
        if "focus" not in {str(var) for var in query.algebra["PV"]}:
            raise ConfigError(f"{path}: does not project ?focus", "SELECT ?focus and the other useful variables")
        queries.append(QcQuery(path.name[: -len(SUFFIX)], path, header["message"], header["hint"], query))
    return queries


def run_qc(dataset: Dataset | None, qc_dir: Path, store=None) -> list[QcResult]:
    """Run every ``*-violation.rq`` of ``qc_dir`` over the union of ``dataset``'s graphs.

    Returns one QcResult per query that returned rows, sorted by name; an empty list means the
    dataset passed every query. Raises ConfigError as ``load_queries`` does. The queries are
    parsed by rdflib (to check them) but run by pyoxigraph over a copy of the quads: rdflib's
    engine took seconds per query on the real dataset, pyoxigraph takes milliseconds. A caller
    that already holds the dataset in a pyoxigraph ``store`` passes it to skip the copy.
    """
    import pyoxigraph as ox

    from .dump import from_ox, sorted_quads

    if store is None:
        store = ox.Store()
        store.extend(sorted_quads(dataset))
    results = []
    for qc in load_queries(qc_dir):
        solutions = store.query(qc.path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
        variables = tuple(v.value for v in solutions.variables)
        rows = tuple(
            {name: from_ox(solution[name]) for name in variables if solution[name] is not None}
            for solution in solutions
        )
        del solutions  # freed here, on this thread (pyoxigraph's results are unsendable)
        if rows:
            results.append(QcResult(qc.name, qc.message, qc.hint, variables, rows))
    return results
