"""Sentence coverage: the splitter, which sentences a quote touches, out-of-scope sentences with
their reason, and the counts `parley check` and the build report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import draft
from graph.coverage import corpus_sentence_coverage, sentence_coverage
from graph.curation import load_corpus
from graph.errors import SourceError
from graph.numbers import sentences
from graph.vocabulary import load_vocabulary
from parley.cli import cli

CURATION = "curation/001_00aa11bb00aa11bb.yaml"
ARTICLE = "corpus/001_00aa11bb00aa11bb.txt"

SPLITS = [
    ("One. Two.", ["One.", "Two."]),
    ("Rufus T. Firefly said so. Then he left.", ["Rufus T. Firefly said so.", "Then he left."]),
    ("Mr. Kuleba and Dr. Who met. They talked.", ["Mr. Kuleba and Dr. Who met.", "They talked."]),
    ('"We agreed," he said. "Soon."', ['"We agreed," he said.', '"Soon."']),
    ("Headline without a stop\nA sentence. Another!", ["Headline without a stop", "A sentence.", "Another!"]),
    ("Ends at 3.5 per cent. Next", ["Ends at 3.5 per cent.", "Next"]),
    ("  padded  \n\n  lines  ", ["padded", "lines"]),
    ("lower case after. a stop is not a break", ["lower case after. a stop is not a break"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_sentences_split_as_expected(text, expected):
    assert [text[s:e] for s, e in sentences(text)] == expected


def test_draft_uses_the_coverage_splitter():
    assert draft.sentences is sentences


def _corpus(project: Path):
    return load_corpus(project, load_vocabulary(project / "ontology"))


def _article(project: Path, number: str = "001"):
    return next(a for a in _corpus(project).articles if a.number == number)


def _append(project: Path, name: str, text: str) -> None:
    path = project / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_every_sentence_of_the_mini_project_is_touched(project):
    report = corpus_sentence_coverage(_corpus(project).articles)
    assert report.total == report.covered > 0
    assert report.uncovered() == [] and report.percent == 100.0


def test_a_sentence_no_quote_touches_is_uncovered_and_located(project):
    _append(project, ARTICLE, "Nobody met at the harbour later that week.\n")
    cov = sentence_coverage(_article(project))
    assert [(s.text, s.line, s.column) for s in cov.uncovered] == [("Nobody met at the harbour later that week.", 4, 1)]
    assert cov.covered == len(cov.sentences) - 1 and cov.ratio < 1
    (message,) = corpus_sentence_coverage([cov.article]).uncovered()
    assert message.startswith(f"{ARTICLE}:4:1 ({CURATION}) sentence 'Nobody met at the harbour")


def test_a_quote_inside_a_sentence_covers_the_whole_sentence(project):
    _append(project, ARTICLE, "Nobody met at the harbour later that week.\n")
    path = project / CURATION
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "claims:\n",
        "claims:\n  - key: nobody-met\n    about: state/freedonia\n    measure: event-report\n"
        '    stated_value: "met at the harbour"\n    speaker: article\n    modality: done\n'
        '    quote: "met at the harbour"\n',
        1,
    )
    path.write_text(text, encoding="utf-8")
    assert sentence_coverage(_article(project)).uncovered == []


def test_an_out_of_scope_sentence_is_counted_with_its_reason(project):
    _append(project, ARTICLE, "Advertisement: buy Freedonian soap.\n")
    _append(
        project,
        CURATION,
        '\nout_of_scope_sentences:\n  - quote: "Advertisement: buy Freedonian soap."\n'
        '    reason: "an advertising line, not a statement about the talks"\n',
    )
    article = _article(project)
    (entry,) = article.out_of_scope_sentences
    assert entry.reason.startswith("an advertising line")
    cov = sentence_coverage(article)
    assert cov.uncovered == [] and [s.text for s in cov.out_of_scope] == ["Advertisement: buy Freedonian soap."]
    assert corpus_sentence_coverage([article]).out_of_scope == 1


def test_an_out_of_scope_sentence_needs_a_reason(project):
    _append(project, CURATION, '\nout_of_scope_sentences:\n  - quote: "The two delegations"\n    reason: ""\n')
    with pytest.raises(SourceError) as err:
        _corpus(project)
    assert CURATION in str(err.value) and "out_of_scope_sentences" in str(err.value)


def test_check_reports_sentence_coverage_per_article_and_fails_naming_the_sentence(project):
    ok = CliRunner().invoke(cli, ["check", "--root", str(project)], catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    assert "sentences covered 3/3 (0 out of scope)" in ok.output
    assert "sentence coverage: 16/16 sentences (100.0%, 0 out of scope)" in ok.output
    _append(project, ARTICLE, "Nobody met at the harbour later that week.\n")
    bad = CliRunner().invoke(cli, ["-q", "check", "--root", str(project)], catch_exceptions=False)
    assert bad.exit_code == 1
    assert f"Error: {ARTICLE}:4:1 ({CURATION}) sentence 'Nobody met at the harbour later that week.'" in bad.output
    assert "out_of_scope_sentences" in bad.output


def test_the_real_build_records_full_sentence_coverage_per_article(build_dir):
    info = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))
    assert info["sentences"] == info["sentences_covered"] > 0
    assert sorted(info["sentence_coverage"]) == ["000", "001", "002", "003", "004"]
    for counts in info["sentence_coverage"].values():
        assert counts["covered"] == counts["sentences"]
    # only page furniture and advertising are out of scope: article 003 has neither
    assert info["sentence_coverage"]["003"]["out_of_scope"] == 0
    assert info["sentences_out_of_scope"] == sum(c["out_of_scope"] for c in info["sentence_coverage"].values())
