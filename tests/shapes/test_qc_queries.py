"""The QC queries of shapes/qc: every ``*-violation.rq`` has a conforming and a violating fixture
in fixtures/qc (NAME.conforms.trig, NAME.violates.trig); run_qc returns no rows for the first
and rows binding ?focus for the second, with the message and hint of the query's header."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import graph_diff, to_isomorphic

from graph.errors import ConfigError
from graph.qc import QcResult, load_queries, run_qc

from .shapes_support import BASE, FIXTURES, QC_DIR, load_dataset

pytestmark = [
    # rdflib 7.6 warns about its own internals: the TriG parser builds a ConjunctiveGraph and
    # Dataset.parse reads Dataset.default_context.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

NAMES = sorted(path.name.removesuffix("-violation.rq") for path in QC_DIR.glob("*-violation.rq"))
QC_FIXTURES = FIXTURES / "qc"


def result_of(results: list[QcResult], name: str) -> QcResult | None:
    return next((result for result in results if result.name == name), None)


def test_every_qc_query_has_a_conforming_and_a_violating_fixture():
    expected = {f"{name}.{kind}.trig" for name in NAMES for kind in ("conforms", "violates")}
    present = {path.name for path in QC_FIXTURES.glob("*.trig")}
    missing = sorted(expected - present)
    stale = sorted(present - expected)
    assert not missing, f"add these fixtures to tests/shapes/fixtures/qc for the QC queries: {missing}"
    assert not stale, f"fixtures for QC queries that no longer exist in shapes/qc: {stale}"


def test_every_qc_query_has_a_message_a_hint_and_selects_focus():
    queries = load_queries(QC_DIR)
    assert [query.name for query in queries] == NAMES
    for query in queries:
        assert query.message and query.hint, query.path


@pytest.mark.parametrize("name", NAMES)
def test_qc_query_returns_no_rows_on_its_conforming_fixture(name):
    result = result_of(run_qc(load_dataset(QC_FIXTURES / f"{name}.conforms.trig"), QC_DIR), name)
    assert result is None, f"{name}-violation.rq flags its conforming fixture: {result.rows}"


@pytest.mark.parametrize("name", NAMES)
def test_qc_query_returns_rows_on_its_violating_fixture(name):
    result = result_of(run_qc(load_dataset(QC_FIXTURES / f"{name}.violates.trig"), QC_DIR), name)
    assert result is not None, f"{name}-violation.rq finds nothing wrong in its violating fixture"
    assert result.rows and all("focus" in row for row in result.rows)
    assert "focus" in result.variables
    query = next(query for query in load_queries(QC_DIR) if query.name == name)
    assert (result.message, result.hint) == (query.message, query.hint)


def test_base_fixture_passes_every_qc_query():
    results = run_qc(load_dataset(BASE), QC_DIR)
    assert results == [], [(result.name, result.rows) for result in results]


def test_run_qc_leaves_the_dataset_unchanged():
    dataset = load_dataset(QC_FIXTURES / "duplicate-triple.violates.trig")
    before = {graph.identifier: to_isomorphic(graph) for graph in dataset.graphs()}
    assert run_qc(dataset, QC_DIR)
    after = {graph.identifier: to_isomorphic(graph) for graph in dataset.graphs()}
    assert before.keys() == after.keys()
    for name, graph in before.items():
        if graph != after[name]:
            _, gone, added = graph_diff(graph, after[name])
            pytest.fail(
                f"run_qc changed graph {name}:\n- {gone.serialize(format='turtle')}\n"
                f"+ {added.serialize(format='turtle')}"
            )
    assert dataset.default_union is False


def test_run_qc_on_an_empty_dataset_returns_nothing():
    assert run_qc(Dataset(), QC_DIR) == []


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("# hint: h\nSELECT ?focus WHERE { ?focus ?p ?o }\n", "# message"),
        ("# message: m\nSELECT ?focus WHERE { ?focus ?p ?o }\n", "# hint"),
        ("# message: m\n# hint: h\nSELECT ?focus WHERE { ?focus ?p \n", "does not parse"),
        ("# message: m\n# hint: h\nASK { ?focus ?p ?o }\n", "not a SELECT"),
        ("# message: m\n# hint: h\nSELECT ?thing WHERE { ?thing ?p ?o }\n", "?focus"),
    ],
    ids=["no-message", "no-hint", "bad-sparql", "not-select", "no-focus"],
)
def test_load_queries_rejects_a_malformed_query(tmp_path: Path, text, complaint):
    (tmp_path / "example-violation.rq").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_queries(tmp_path)
    assert complaint in raised.value.message
    assert "example-violation.rq" in raised.value.message


def test_load_queries_rejects_a_missing_directory(tmp_path: Path):
    with pytest.raises(ConfigError):
        load_queries(tmp_path / "no-such-directory")


def test_run_qc_raises_no_warnings_of_its_own():
    """run_qc silences rdflib's warnings about rdflib's own internals, and nothing else."""
    dataset = load_dataset(QC_FIXTURES / "untyped-reference.violates.trig")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert run_qc(dataset, QC_DIR)
