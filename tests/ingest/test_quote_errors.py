"""Errors that point at the word (issue 19 part 5): a quote not found is reported at the line of
its ``quote`` key with the nearest passage of the article and the words that differ, and a quote
found more than once says how to make it unique."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from graph.quotes import nearest_passage
from parley.cli import cli
from tests.ingest.test_curation_format import CURATION, _edit


def _check(project: Path):
    return CliRunner().invoke(cli, ["-q", "check", "--root", str(project)], catch_exceptions=False)


def test_a_changed_word_is_reported_at_the_quote_line_with_the_nearest_passage(project):
    line = _edit(project, 'quote: "to swap 120 prisoners each"', 'quote: "to swap 120 prisoners apiece"')
    result = _check(project)
    assert result.exit_code == 1
    message = result.stderr
    assert f"{CURATION}:{line}: claim 'prisoners-agreed': quote not found" in message, message
    assert 'nearest passage: "to swap 120 prisoners each."' in message, message
    assert "'apiece' -> 'each.'" in message, message
    assert "character for character" in message


def test_a_quote_found_twice_says_how_to_make_it_unique(project):
    line = _edit(project, 'quote: "Sylvania said"', 'quote: "Sylvania"')
    result = _check(project)
    assert result.exit_code == 1
    message = result.stderr
    assert f"{CURATION}:{line}:" in message and "quote occurs 2 times" in message, message
    assert "lengthen the quote until it occurs once, or add 'occurrence: N'" in message, message


def test_nearest_passage_names_added_and_missing_words():
    text = "Russia has handed over the bodies of 1,212 soldiers on Friday, the ministry said."
    passage, differ = nearest_passage(text, "Russia handed over the bodies of 1,212 soldiers on Friday")
    assert passage == "Russia has handed over the bodies of 1,212 soldiers on"
    assert differ.startswith("+'has'"), differ
    assert nearest_passage("", "anything") is None
    assert nearest_passage("nothing alike here", "Sylvania") is None
