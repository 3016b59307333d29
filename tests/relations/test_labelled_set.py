"""The labelled set holds the relation rules: for every pair of claims in
``tests/fixtures/claims-eval/pairs.yaml``, the relation the build derives is one a careful reader
accepts and none they reject; and the set itself is well formed and complete.

The project is the real corpus and curation plus the articles written for the tests
(``tests/fixtures/claims-eval``), built once for the module with ``graph.build.build`` (no
reasoner) by ``bench/claims_eval.py``, which prints the same verdicts as scores.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import ROOT
from tests.helpers import load_bench_script

bench = load_bench_script("claims_eval")
labelled_set = load_bench_script("claims_set")  # the set and the sources' claims it is checked against
PAIRS = bench.load_pairs()


@pytest.fixture(scope="module")
def relations(tmp_path_factory):
    """Every relation of the evaluation project's build, by pair of claims."""
    build = bench.build_project(tmp_path_factory.mktemp("claims-eval"))
    return bench.read_relations(build / "store")


# The pairs the rules still get wrong, each with why: known failures, strict, so a rule change
# that fixes one fails here until it is taken off the list.
KNOWN: dict[frozenset, str] = {}


def _marked(pair):
    reason = KNOWN.get(frozenset((pair.a, pair.b)))
    return pytest.param(pair, marks=pytest.mark.xfail(strict=True, reason=reason)) if reason else pair


@pytest.mark.parametrize("pair", [_marked(p) for p in PAIRS], ids=[p.id for p in PAIRS])
def test_the_build_relates_the_pair_as_a_careful_reader_does(pair, relations):
    verdict = bench.judge(pair, relations)
    shown = (
        f"{pair.a} ~ {pair.b} (pairs.yaml:{pair.line}): derived {verdict.shown()}; "
        f"a careful reader accepts {', '.join(pair.accepts)}, never {', '.join(pair.rejects) or '-'}: {pair.why}"
    )
    reasons = "".join(f"\n  build: {r.reason}" for r in verdict.relations if r.reason)
    assert verdict.labels, "no relation derived. " + shown
    assert not set(verdict.labels) & set(pair.rejects), "a rejected relation. " + shown + reasons
    assert set(verdict.labels) <= set(pair.accepts), "a relation the reader would not choose. " + shown + reasons


# -- the set itself


def test_the_set_holds_at_least_80_pairs():
    assert len(PAIRS) >= 80


def test_every_pair_says_why():
    assert [p.id for p in PAIRS if len(p.why.split()) < 4] == []


def test_every_kind_is_a_relation_kind_and_a_pair_never_accepts_what_it_rejects():
    known = set(bench.KINDS)
    for p in PAIRS:
        assert p.accepts, f"pairs.yaml:{p.line}: {p.id} accepts no kind"
        assert set(p.accepts + p.rejects) <= known, (
            f"pairs.yaml:{p.line}: unknown kinds {set(p.accepts + p.rejects) - known}"
        )
        assert not set(p.accepts) & set(p.rejects), (
            f"pairs.yaml:{p.line}: {p.id} accepts and rejects {set(p.accepts) & set(p.rejects)}"
        )


def test_a_pair_that_accepts_no_disagreement_rejects_both_kinds_of_it():
    """Where a careful reader sees no disagreement, the set says so, so a false conflict scores as rejected."""
    for p in PAIRS:
        if not set(p.accepts) & set(bench.DISAGREEMENTS):
            assert set(bench.DISAGREEMENTS) <= set(p.rejects), (
                f"pairs.yaml:{p.line}: {p.id} should reject {bench.DISAGREEMENTS}"
            )


def test_every_claim_of_a_pair_exists_and_has_a_figure():
    claims = labelled_set.source_claims()
    missing = [(p.line, n) for p in PAIRS for n in (p.a, p.b) if n not in claims or not claims[n].numeric]
    assert missing == [], "claims that no curation file holds as a figure: " + ", ".join(
        f"pairs.yaml:{line}: {n}" for line, n in missing
    )


def test_no_pair_is_labelled_twice():
    counts = Counter(frozenset((p.a, p.b)) for p in PAIRS)
    assert [sorted(k) for k, n in counts.items() if n > 1 or len(k) < 2] == []


def test_every_pair_the_build_compares_is_labelled_and_only_those():
    compared = labelled_set.compared_pairs(labelled_set.source_claims(), labelled_set.both_sides())
    labelled = {frozenset((p.a, p.b)) for p in PAIRS}
    assert sorted(sorted(k) for k in compared - labelled) == [], "pairs to label in pairs.yaml"
    assert sorted(sorted(k) for k in labelled - compared) == [], "labelled pairs the build does not compare"


def test_the_set_covers_the_corpus_the_test_articles_and_both():
    sources = Counter(bench.source_of(p, bench.fixture_numbers()) for p in PAIRS)
    assert set(sources) == {"corpus", "test+corpus", "test"}


def test_the_test_articles_do_not_take_a_corpus_number():
    corpus = {p.name[:3] for p in (ROOT / "corpus").glob("*.txt")}
    assert bench.fixture_numbers() & corpus == set(), "renumber the test articles: file each again with `parley add`"
