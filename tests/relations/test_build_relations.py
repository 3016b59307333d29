"""The relations the build derives, on the real build and on changed copies of the projects."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import build, ingest_sources
from graph.errors import SourceError
from graph.validate import validate
from tests.helpers import close_app, make_app
from tests.mini import make_project

from .conftest import add_claim

PREFIX = "PREFIX parley: <https://w3id.org/parley/ontology#>\nPREFIX pid: <https://w3id.org/parley/id/>\n"
RELATIONS = (
    PREFIX
    + """
SELECT ?m ?from ?kind ?rule ?to ?reason ?fromInterval ?toInterval ?fromDate ?toDate WHERE {
    ?r a parley:ClaimRelation ; parley:fromClaim ?a ; parley:toClaim ?b ; parley:relationKind ?k ;
       parley:relationRule ?u ; parley:reason ?reason .
    OPTIONAL { ?r parley:fromInterval ?fromInterval ; parley:toInterval ?toInterval ;
                  parley:fromDate ?fromDate ; parley:toDate ?toDate }
    ?a parley:measure ?m .
    BIND (STRAFTER(STR(?a), "/id/claim/") AS ?from)
    BIND (STRAFTER(STR(?b), "/id/claim/") AS ?to)
    BIND (STRAFTER(STR(?k), "/relation-kind/") AS ?kind)
    BIND (STRAFTER(STR(?u), "/relation-rule/") AS ?rule)
}
ORDER BY ?from ?to
"""
)


def _rows(store: ox.Store, query: str, **bindings) -> list[dict[str, str]]:
    solutions = store.query(
        query, use_default_graph_as_union=True, substitutions={ox.Variable(k): v for k, v in bindings.items()}
    )
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


def _store(dataset) -> ox.Store:
    from graph.dump import sorted_quads

    store = ox.Store()
    store.extend(sorted_quads(dataset))
    return store


# The figures for bodies returned to Ukraine, and how each two relate: (from, kind, rule, to).
BODIES_RETURNED = {
    # 3,012 (the June series, as of June 13) against Zelensky's 6,000 (by June 3): the series
    # began on June 9, so a figure from before it cannot count from it
    ("000-bodies-total-to-date", "not-comparable", "before-baseline", "004-zelensky-bodies-handed-over-6000"),
    ("001-bodies-returned-3600", "not-comparable", "before-baseline", "004-zelensky-bodies-handed-over-6000"),
    # 3,600 (the series, June 14 to 20) updates 3,012
    ("001-bodies-returned-3600", "updates", "later-figure", "000-bodies-total-to-date"),
    # Putin's totals (June 19) count from what the text leaves open
    ("000-bodies-total-to-date", "not-comparable", "baseline-open", "001-putin-bodies-returned-6000"),
    ("000-bodies-total-to-date", "not-comparable", "baseline-open", "001-putin-bodies-returned-total"),
    ("001-bodies-returned-3600", "possibly-conflicts", "baseline-open", "001-putin-bodies-returned-6000"),
    ("001-bodies-returned-3600", "possibly-conflicts", "baseline-open", "001-putin-bodies-returned-total"),
    ("001-putin-bodies-returned-6000", "consistent", "at-precision", "001-putin-bodies-returned-total"),
    ("001-putin-bodies-returned-6000", "not-comparable", "baseline-open", "004-zelensky-bodies-handed-over-6000"),
    ("001-putin-bodies-returned-total", "not-comparable", "baseline-open", "004-zelensky-bodies-handed-over-6000"),
}


def test_bodies_returned_to_ukraine_every_pair_related_with_its_reason(build_dir):
    store = ox.Store.read_only(str(build_dir / "store"))
    rows = _rows(
        store, RELATIONS, m=ox.NamedNode("https://w3id.org/parley/id/measure/bodies-returned-to-ukraine-total")
    )
    got = {(r["from"], r["kind"], r["rule"], r["to"]) for r in rows}
    assert got == BODIES_RETURNED, "\n".join(f"{r['from']} {r['kind']} {r['to']}: {r['reason']}" for r in rows)
    pairs = {frozenset((f, t)) for f, _, _, t in got}
    assert len(pairs) == 10  # five figures, every two of them related, none by hand
    by_pair = {(r["from"], r["to"]): r for r in rows}
    before = by_pair[("000-bodies-total-to-date", "004-zelensky-bodies-handed-over-6000")]
    assert before["fromInterval"] == "[3012, 3012]" and before["toInterval"] == "[6000, 6000]"
    assert before["fromDate"] == "2025-06-13" and before["toDate"] == "by 2025-06-03 (published then)"
    assert (
        "before Exchanges under the second-round Istanbul agreement (process/exchanges-2025-06) began (2025-06-09)"
        in (before["reason"])
    )
    same = by_pair[("001-putin-bodies-returned-6000", "001-putin-bodies-returned-total")]
    assert "“over 6,000” (6000, ∞)" in same["reason"] and "[5700, 6300]" in same["reason"]
    update = by_pair[("001-bodies-returned-3600", "000-bodies-total-to-date")]
    assert (update["fromDate"], update["toDate"]) == ("between 2025-06-14 and 2025-06-20", "2025-06-13")
    possibly = by_pair[("001-bodies-returned-3600", "001-putin-bodies-returned-6000")]
    assert "if both count from the same baseline and 001/putin-bodies-returned-6000 holds first" in possibly["reason"]


def test_the_direct_properties_follow_the_relations(build_dir):
    store = ox.Store.read_only(str(build_dir / "store"))
    ask = PREFIX + "ASK { pid:claim\\/%s parley:%s pid:claim\\/%s }"
    assert store.query(
        ask % ("001-bodies-returned-3600", "updates", "000-bodies-total-to-date"), use_default_graph_as_union=True
    )
    assert not store.query(
        ask % ("000-bodies-total-to-date", "updates", "001-bodies-returned-3600"), use_default_graph_as_union=True
    )
    for a, b in [
        ("001-putin-bodies-returned-6000", "001-putin-bodies-returned-total"),
        ("001-putin-bodies-offered-nearly-3000", "001-putin-bodies-offered-another-3000"),
    ]:
        assert store.query(ask % (a, "consistentWith", b), use_default_graph_as_union=True)
        assert store.query(ask % (b, "consistentWith", a), use_default_graph_as_union=True)
        assert not store.query(ask % (a, "conflictsWith", b), use_default_graph_as_union=True)
    a, b = "001-putin-bodies-offered-additional-3000", "001-putin-bodies-offered-another-3000"
    for prop in ("agreesWith", "restates"):  # one speaker agreeing with himself restates
        assert store.query(ask % (a, prop, b), use_default_graph_as_union=True)
        assert store.query(ask % (b, prop, a), use_default_graph_as_union=True)
    a, b = "000-bodies-received-june-13", "000-tass-bodies-handed-back-june-13"
    assert store.query(ask % (a, "corroborates", b), use_default_graph_as_union=True)
    assert not store.query(ask % (a, "restates", b), use_default_graph_as_union=True)
    assert store.query(
        ask % ("000-bodies-total-to-date", "notComparableWith", "004-zelensky-bodies-handed-over-6000"),
        use_default_graph_as_union=True,
    )
    possibly = ask % (
        "001-putin-prisoners-agreed-1200",
        "possiblyConflictsWith",
        "004-prisoners-agreed-at-least-1000-each",
    )
    assert store.query(possibly, use_default_graph_as_union=True)


def test_statements_keep_their_hand_relations_with_reasons(build_dir):
    store = ox.Store.read_only(str(build_dir / "store"))
    rows = _rows(
        store, RELATIONS, m=ox.NamedNode("https://w3id.org/parley/id/measure/children-transfer-characterisation")
    )
    hand = {(r["from"], r["kind"], r["to"]): r["reason"] for r in rows if r["rule"] == "curator"}
    assert ("002-children-kidnapped-deported", "conflicts", "003-medinsky-children-rescued") in hand
    assert all(len(reason) > 20 for reason in hand.values())
    assert all("fromInterval" not in r for r in rows)  # statements have no intervals


CONTRADICTION = """\
  - key: misread-total-as-round
    about: exchange/2025-06-13-bodies
    measure: bodies-received-by-ukraine
    figure: "3,012"
    approximation: exact
    value: 3012
    speaker: article
    as_of: 2025-06-13
    modality: done
    quote: "It's the third such round of Ukrainian bodies being returned by Russia, and brings the total to date to 3,012."
    note: "A deliberate misreading for the test: the total as of the June 13 round (year 2025, as articles 002 and 004 give it)."
"""


def test_a_contradictory_figure_is_derived_as_a_conflict_with_no_hand_assertion(real_project, tmp_path):
    add_claim(real_project, "000", CONTRADICTION)
    out = tmp_path / "build"
    build(out=out, root=real_project, reasoner=False)  # a derived conflict is data, not an error
    store = ox.Store.read_only(str(out / "store"))
    rows = _rows(store, RELATIONS, m=ox.NamedNode("https://w3id.org/parley/id/measure/bodies-received-by-ukraine"))
    conflicts = {(r["from"], r["to"]): r for r in rows if "000-misread-total-as-round" in (r["from"], r["to"])}
    assert {r["kind"] for r in conflicts.values()} == {"conflicts"}
    assert {r["rule"] for r in conflicts.values()} == {"disjoint"}
    others = {t if f == "000-misread-total-as-round" else f for f, t in conflicts}
    assert others == {
        "000-bodies-received-june-13",
        "000-ukraine-bodies-received-another-1200",
        "000-tass-bodies-handed-back-june-13",
    }
    reason = next(iter(conflicts.values()))["reason"]
    assert "“3,012” [3012, 3012]" in reason and "“1,200” [1200, 1200]" in reason
    app = make_app(out)
    try:
        home = app.test_client().get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    finally:
        close_app(app)
    disagree = home[home.index("Where the sources disagree") :]
    # the reason as the page says it (server/views/wording.py): the figures and days in words
    assert "“1,200”, as of 13 June 2025" in disagree and "“3,012”, as of" in disagree
    assert "[3012, 3012]" not in disagree


def test_claim_pages_and_the_home_page_show_derived_relations_with_reasons(build_dir):
    app = make_app(build_dir)
    try:
        client = app.test_client()
        claim = client.get("/id/claim/000-bodies-total-to-date", headers={"Accept": "text/html"}, follow_redirects=True)
        home = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    finally:
        close_app(app)
    html = claim.get_data(as_text=True)
    # the reasons as pages say them (server/views/wording.py): each claim by who said it, in words
    assert "Is updated by" in html and "“3,600”, as of some day between 14 and 20 June 2025" in html
    assert "Is not comparable with" in html and "so it cannot count from it" in html
    assert "derived: " in html
    disagree = home[home.index("Where the sources disagree") :]
    assert "“3,012”" not in disagree  # no disagreement involves the 3,012 any more
    assert "Vladimir Putin “1,200”, as of 19 June 2025 at the latest (when it was said)" in disagree
    assert "counts in total, the figures from 450 to 550 and 1,000 do not overlap" in disagree
    assert "(by a curator)" in disagree  # the statements' hand conflicts stand beside the derived ones
    assert "nearly 3,000" not in disagree  # Putin restating himself is no disagreement


def _hand_conflict(project: Path, reason: str = "Freedonia and Sylvania disagree.") -> None:
    path = next((project / "curation").glob("001_*.yaml"))
    text = path.read_text(encoding="utf-8")
    anchor = '    quote: "Freedonia put the figure at 95"\n'
    assert text.count(anchor) == 1
    entry = (
        f'    conflicts_with:\n      - claim: 001/sylvania-bodies\n        reason: "{reason}"\n'
        if reason
        else ("    conflicts_with: [001/sylvania-bodies]\n")
    )
    path.write_text(text.replace(anchor, anchor + entry), encoding="utf-8")


def test_a_hand_conflict_between_compatible_figures_fails_naming_both_claims(tmp_path):
    project = make_project(tmp_path / "project")
    _hand_conflict(project)  # 95 lies in "about 100", [90, 110]
    outcome = validate(ingest_sources(project), project, reasoner=False)
    assert not outcome.conforms
    lines = [p.line() for p in outcome.problems if p.shape == "hand-conflict-compatible"]
    assert len(lines) == 1, outcome.human()
    assert "curation/001_00aa11bb00aa11bb.yaml: claim 'freedonia-bodies'" in lines[0]
    assert "claim 'sylvania-bodies'" in lines[0]


def test_a_hand_conflict_the_figures_support_is_valid(tmp_path):
    project = make_project(tmp_path / "project")
    path = next((project / "curation").glob("002_*.yaml"))
    text = path.read_text(encoding="utf-8")
    anchor = '    note: "The year follows the fixture\'s convention."\n'
    assert text.count(anchor) == 1
    entry = '    conflicts_with:\n      - claim: 001/freedonia-bodies\n        reason: "90 and 95 for one round."\n'
    path.write_text(text.replace(anchor, anchor + entry), encoding="utf-8")
    outcome = validate(ingest_sources(project), project, reasoner=False)
    assert outcome.conforms, outcome.human()


def test_a_hand_relation_without_a_reason_is_refused_with_its_line(tmp_path):
    project = make_project(tmp_path / "project")
    _hand_conflict(project, reason="")
    with pytest.raises(SourceError) as caught:
        ingest_sources(project)
    message = str(caught.value) + " " + (caught.value.hint or "")
    assert "001_00aa11bb00aa11bb.yaml:" in message and "reason" in message
