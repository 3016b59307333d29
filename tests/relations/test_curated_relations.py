"""Baselines, open sides and overrides as a curator writes them: accepted, written as RDF,
refused with the file, the line and the fix when wrong."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.build import build, ingest_sources
from graph.errors import SourceError
from graph.namespaces import ID, PARLEY
from graph.validate import union_graph, validate

from .conftest import add_claim

OVERRIDE = """\
  - key: a-curated-total
    about: state/russia
    measure: bodies-returned-to-ukraine-total
    figure: "3,012"
    approximation: exact
    value: 3012
    speaker: article
    as_of: 2025-06-13
    baseline: process/exchanges-2025-06
    modality: done
    quote: "It's the third such round of Ukrainian bodies being returned by Russia, and brings the total to date to 3,012."
    note: "A second reading of the total for the test (the year 2025, as elsewhere in the file)."
    overrides:
      - claim: 001/putin-bodies-returned-6000
        kind: {kind}
        reason: "{reason}"
"""


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


def _override_on_the_total(project, kind: str, reason: str) -> None:
    """Add an override to 000/bodies-total-to-date against Putin's 6,000."""
    path = next((project / "curation").glob("000_*.yaml"))
    text = path.read_text(encoding="utf-8")
    anchor = "    baseline: process/exchanges-2025-06\n"
    assert text.count(anchor) == 1
    entry = f'    overrides:\n      - claim: 001/putin-bodies-returned-6000\n        kind: {kind}\n        reason: "{reason}"\n'
    path.write_text(text.replace(anchor, anchor + entry), encoding="utf-8")


def test_an_override_is_kept_beside_the_derived_relation_and_wins_the_direct_property(real_project, tmp_path):
    _override_on_the_total(real_project, "conflicts", "Both count the June series, and Putin spoke after June 13.")
    out = tmp_path / "build"
    build(out=out, root=real_project, reasoner=False)
    store = ox.Store.read_only(str(out / "store"))
    rows = _rows(
        store,
        """PREFIX parley: <https://w3id.org/parley/ontology#>
        SELECT ?r ?kind ?rule ?reason ?over WHERE {
          ?r a parley:ClaimRelation ; parley:relationKind ?kind ; parley:relationRule ?rule ; parley:reason ?reason ;
             parley:fromClaim|parley:toClaim <https://w3id.org/parley/id/claim/000-bodies-total-to-date> ,
                                             <https://w3id.org/parley/id/claim/001-putin-bodies-returned-6000> .
          OPTIONAL { ?r parley:overrides ?over } }""",
    )
    by_rule = {r["rule"].rsplit("/", 1)[-1]: r for r in rows}
    assert set(by_rule) == {"baseline-open", "curator"}  # the derived one stays
    override = by_rule["curator"]
    assert override["kind"].endswith("/conflicts") and override["reason"].startswith("Both count the June series")
    assert override["over"] == by_rule["baseline-open"]["r"]
    ask = "ASK { <%s> <%s> <%s> }"
    a, b = ID["claim/000-bodies-total-to-date"], ID["claim/001-putin-bodies-returned-6000"]
    assert store.query(ask % (a, PARLEY.conflictsWith, b), use_default_graph_as_union=True)
    assert store.query(ask % (b, PARLEY.conflictsWith, a), use_default_graph_as_union=True)
    assert not store.query(ask % (a, PARLEY.notComparableWith, b), use_default_graph_as_union=True)


def test_an_override_to_a_conflict_between_figures_that_agree_as_printed_is_refused(real_project):
    entry = OVERRIDE.format(kind="conflicts", reason="A conflict the figures do not show.")
    entry = entry.replace("001/putin-bodies-returned-6000", "000/bodies-total-to-date")
    add_claim(real_project, "000", entry)
    outcome = validate(ingest_sources(real_project), real_project, reasoner=False)
    assert not outcome.conforms
    lines = [p.line() for p in outcome.problems if p.shape == "hand-conflict-compatible"]
    assert len(lines) == 1 and "a-curated-total" in lines[0] and "bodies-total-to-date" in lines[0], outcome.human()


def test_an_override_of_an_unknown_kind_is_refused_with_its_line(real_project):
    add_claim(real_project, "000", OVERRIDE.format(kind="contradicts", reason="No such kind."))
    with pytest.raises(SourceError) as caught:
        ingest_sources(real_project)
    message = str(caught.value) + " " + (caught.value.hint or "")
    assert "curation/000_36ce8dffabdc45fd.yaml:" in message and "kind" in message


def test_a_baseline_on_a_measure_that_is_no_running_total_is_refused(real_project):
    entry = OVERRIDE.format(kind="agrees", reason="Irrelevant here.").replace(
        "measure: bodies-returned-to-ukraine-total", "measure: bodies-received-by-ukraine"
    )
    add_claim(real_project, "000", entry)
    with pytest.raises(SourceError) as caught:
        ingest_sources(real_project)
    message = str(caught.value) + " " + (caught.value.hint or "")
    assert "is not a running total" in message and "drop `baseline:`" in message


def test_a_baseline_and_open_sides_are_written_as_rdf(real_project):
    dataset = union_graph(ingest_sources(real_project))
    total, may = ID["claim/000-bodies-total-to-date"], ID["claim/000-may-exchange-per-side"]
    assert (total, PARLEY.baseline, ID["process/exchanges-2025-06"]) in dataset
    assert (ID["claim/004-zelensky-bodies-handed-over-6000"], PARLEY.baseline, PARLEY.unspecifiedBaseline) in dataset
    assert dataset.value(may, PARLEY.sidesOpen).toPython() is True
    assert dataset.value(ID["claim/000-bodies-received-june-13"], PARLEY.baseline) is None  # one round, no baseline


def _with_note(project, note: str) -> None:
    path = next((project / "curation").glob("001_*.yaml"))
    text = path.read_text(encoding="utf-8")
    old = "so counted from that series. No as-of day is printed: the sentence follows the June 14 exchange, and the dateline is June 20 (year 2025, as for the dateline), hence June 14 to June 20."
    assert text.count(old) == 1
    path.write_text(text.replace(old, note), encoding="utf-8")


def test_a_date_read_from_context_needs_a_note_that_names_its_basis(real_project):
    _with_note(real_project, "counted from that series; read from context.")
    with pytest.raises(SourceError) as caught:
        ingest_sources(real_project)
    message = str(caught.value) + " " + (caught.value.hint or "")
    assert "curation/001_0ee01c4a5faa6e0f.yaml:" in message and "claim 'bodies-returned-3600'" in message
    assert "note names no basis" in message and "the dateline" in message


def test_a_note_that_names_the_dateline_is_a_basis(real_project):
    _with_note(real_project, "counted from that series, between the June 14 exchange and the dateline.")
    ingest_sources(real_project)  # no error
