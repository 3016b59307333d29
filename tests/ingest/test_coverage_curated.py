"""Coverage that means curated (issue 19 part 6) and no knock-on errors (part 5): a number is
covered when an entry represents it, not when some quote merely contains it; a number that only
the quote of a failed entry reaches is named with that entry, not reported uncovered as well.
The build and ``parley check`` word a coverage problem the same way (one place forms it)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.coverage import NUMBER_PROBLEM, SENTENCE_PROBLEM, corpus_coverage
from graph.curation import load_corpus_tolerant
from graph.numbers import date_spans, number_value
from graph.records import DateRange, PartialDate
from graph.vocabulary import load_vocabulary
from parley.cli import cli
from tests.ingest.test_curation_format import CURATION, _edit
from tests.mini import ROOT

ARTICLE = "corpus/001_00aa11bb00aa11bb.txt"


def _run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["-q", *args, "--root", str(project)], catch_exceptions=False)


@pytest.fixture
def real(tmp_path) -> Path:
    """A copy of the real project's corpus, curation, ontology and shapes, to break freely."""
    for name in ("corpus", "curation", "ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _drop_out_of_scope(path: Path, number: str, quote: str) -> None:
    """Remove the out_of_scope entry of ``number`` quoted by ``quote`` from the curation file."""
    text = path.read_text(encoding="utf-8")
    entry = re.compile(rf'  - text: "{number}"\n    quote: "{re.escape(quote)}"\n    reason: .*\n')
    assert entry.search(text), f"{path.name} no longer has the out_of_scope entry {number!r}"
    path.write_text(entry.sub("", text, count=1), encoding="utf-8")


def _uncovered(root: Path) -> list[str]:
    corpus, _problems = load_corpus_tolerant(root, load_vocabulary(root / "ontology"))
    return corpus_coverage(corpus.articles).uncovered()


def test_every_number_of_the_real_corpus_is_represented_by_an_entry():
    assert _uncovered(ROOT) == []


def test_a_number_that_only_a_quote_contains_is_not_covered(real):
    # "these two issues" lies in the quote of the fact agreement-reached-at, which does not curate it
    quote = "both sides reached an important agreement on these two issues"
    assert quote in (real / "curation" / "004_3aa30cd79822d4c9.yaml").read_text().split("out_of_scope:")[0]
    _drop_out_of_scope(real / "curation" / "004_3aa30cd79822d4c9.yaml", "two", quote)

    assert _uncovered(real) == [f"corpus/004_3aa30cd79822d4c9.txt:1:353 'two': {NUMBER_PROBLEM}"]


def test_an_adverb_and_an_age_bound_in_a_claims_quote_are_not_its_figure(real):
    curation = real / "curation" / "000_36ce8dffabdc45fd.yaml"
    _drop_out_of_scope(curation, "25", "exchanges under the age of 25")
    _drop_out_of_scope(curation, "first", "must first be met")

    assert _uncovered(real) == [
        f"corpus/000_36ce8dffabdc45fd.txt:12:109 '25': {NUMBER_PROBLEM}",
        f"corpus/000_36ce8dffabdc45fd.txt:14:153 'first': {NUMBER_PROBLEM}",
    ]


def test_a_misspelt_key_in_a_real_claim_names_its_figure_as_covered_by_that_claim(real):
    # `figur:` drops the claim: its figure is the claim's one problem, not a second one
    curation = real / "curation" / "004_3aa30cd79822d4c9.yaml"
    text = curation.read_text(encoding="utf-8")
    line = text[: text.index("  - key: prisoners-agreed-at-least-1000-each")].count("\n") + 1
    curation.write_text(
        text.replace('    figure: "at least 1,000"', '    figur: "at least 1,000"', 1), encoding="utf-8"
    )

    result = _run(real, "check")

    assert result.exit_code == 1
    message = result.stderr
    curation_file = "curation/004_3aa30cd79822d4c9.yaml"
    assert f"{curation_file}:{line + 3}: claim 'prisoners-agreed-at-least-1000-each': unknown key 'figur'" in message
    where = f"{curation_file}:{line}"
    assert re.search(
        rf"^Error: corpus/004_3aa30cd79822d4c9.txt:\d+:\d+ '1,000': covered by claim "
        rf"'prisoners-agreed-at-least-1000-each' \({where}\), an entry that failed its checks",
        message,
        re.M,
    ), message
    assert not re.search(r"^Error: corpus/\S+ '[^']+': not covered", message, re.M), message


def test_a_misspelt_key_does_not_make_the_figure_uncovered_too(project):
    line = _edit(
        project,
        '    quote: "Freedonia put the figure at 95"\n',
        '    quote: "Freedonia put the figure at 95"\n    occurence: 1\n',
    )

    result = _run(project, "check")

    assert result.exit_code == 1
    message = result.stderr
    assert f"{CURATION}:{line + 1}: claim 'freedonia-bodies': unknown key 'occurence'" in message, message
    assert (
        f"Error: {ARTICLE}:2:79 '95': covered by claim 'freedonia-bodies' ({CURATION}:{line - 8}), "
        "an entry that failed its checks: fix that entry" in message
    ), message
    assert "'95': not covered" not in message


def test_a_quote_with_a_word_changed_still_points_its_figure_at_its_entry(project):
    _edit(project, 'quote: "to swap 120 prisoners each"', 'quote: "to swap 120 prisoners apiece"')

    result = _run(project, "check")

    assert result.exit_code == 1
    assert f"Error: {ARTICLE}:1:64 '120': covered by claim 'prisoners-agreed'" in result.stderr, result.stderr
    assert "'120': not covered" not in result.stderr


def _drop_the_out_of_scope_two(project: Path) -> str:
    _edit(
        project,
        '  - text: "two"\n    quote: "The two delegations"\n'
        '    reason: "counts the delegations named in the same sentence, not a figure"\n',
        "",
    )
    return f"{ARTICLE}:3:5 'two': {NUMBER_PROBLEM}"


def _add_an_untouched_sentence(project: Path) -> str:
    with (project / ARTICLE).open("a", encoding="utf-8") as handle:
        handle.write("Nobody met at the harbour later that week.\n")
    return f"{ARTICLE}:4:1 ({CURATION}) sentence 'Nobody met at the harbour later that week.': {SENTENCE_PROBLEM}"


@pytest.mark.parametrize("breaker", [_drop_the_out_of_scope_two, _add_an_untouched_sentence])
def test_the_build_and_check_word_a_coverage_problem_alike(project, breaker):
    problem = breaker(project)

    checked = _run(project, "check")
    built = _run(project, "build", "--no-reasoner", "--out", str(project / "build"))

    assert checked.exit_code == built.exit_code == 1
    assert f"Error: {problem}\n" in checked.stderr, checked.stderr
    assert problem in built.stderr, built.stderr


@pytest.mark.parametrize(
    ("token", "value"),
    [("1,212", 1212), ("6.5", Decimal("6.5")), ("twenty-five", 25), ("second", 2), ("II", 2), ("dozen", 12)],
)
def test_a_number_as_printed_has_its_value(token, value):
    assert number_value(token) == value


def test_dozens_is_no_single_value():
    assert number_value("dozens") is None


@pytest.mark.parametrize(
    ("text", "date", "printed"),
    [
        ("on June 2, 2025 in Istanbul", dt.date(2025, 6, 2), ["2025", "2"]),
        ("2 Jun 2025", dt.date(2025, 6, 2), ["2025", "2"]),
        ("subsequent rounds on June 11 and 13", dt.date(2025, 6, 13), ["13"]),
        ("exchanged on May 23-25", DateRange(dt.date(2025, 5, 23), dt.date(2025, 5, 25)), ["23", "25"]),
        ("since 2022", PartialDate(2022), ["2022"]),
        ("on June 20, 200 bodies", dt.date(2025, 6, 2), []),
    ],
)
def test_the_numbers_that_print_a_date(text, date, printed):
    assert sorted(text[s:e] for s, e in set(date_spans(text, 0, len(text), date))) == sorted(printed)


def test_a_figure_is_found_as_whole_words_in_its_quote():
    # A claim's figure "1" represents the number 1 of its quote, not the "1" inside a name
    # ("Exchange 0001") or a longer number ("1,200"), which stay for whatever represents them.
    from graph.coverage import _occurrence
    from graph.records import Anchor

    exact = "Exchange 0001 returned 1,200 bodies, and at 1."
    anchor = Anchor(exact, 100, 100 + len(exact), "", "")
    start, end = _occurrence(anchor, "1")
    assert exact[start - 100 : end - 100] == "1" and start - 100 == exact.rindex("1")
    assert _occurrence(anchor, "1,200") == (100 + exact.index("1,200"), 100 + exact.index("1,200") + 5)
    assert _occurrence(anchor, "7") == (0, 0)
