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
import warnings
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
        queries.append(
            QcQuery(path.name[: -len(SUFFIX)], path, header["message"], header["hint"], query)
        )
    return queries


def run_qc(dataset: Dataset, qc_dir: Path) -> list[QcResult]:
    """Run every ``*-violation.rq`` of ``qc_dir`` over the union of ``dataset``'s graphs.

    Returns one QcResult per query that returned rows, sorted by name; an empty list means the
    dataset passed every query. Raises ConfigError as ``load_queries`` does.
    """
    # A second Dataset over the same store: the default graph is the union of all graphs, and
    # the caller's dataset is neither copied nor changed.
    union = Dataset(store=dataset.store, default_union=True)
    results = []
    for qc in load_queries(qc_dir):
        with warnings.catch_warnings():
            # rdflib 7.6's SPARQL engine calls Dataset APIs that rdflib itself deprecates
            # (default_context, contexts); silence only warnings raised from rdflib's own code.
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib(\.|$)")
            result = union.query(qc.query)
            variables = tuple(str(var) for var in result.vars or ())
            rows = tuple(
                {name: term for name, term in zip(variables, row) if term is not None}
                for row in result
            )
        if rows:
            results.append(QcResult(qc.name, qc.message, qc.hint, variables, rows))
    return results
