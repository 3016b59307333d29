"""An article is named by its headline, or by what it prints: never by its number."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.article_names import article_label, first_words
from graph.build import ingest_sources
from graph.namespaces import ID, PARLEY
from graph.records import Anchor, ArticleCuration, Fact

OUTLET = ID["org/example-wire"]


def _article(text: str, **source: tuple[str, object]) -> ArticleCuration:
    article = ArticleCuration("007", "007_x", Path("007_x.txt"), text, "0", Path("007_x.yaml"), "0")
    for prop, (quote, value) in source.items():
        start = text.index(quote)
        anchor = Anchor(quote, start, start + len(quote), "", "")
        article.source_facts.append(Fact(f"source-{prop}", article.iri, PARLEY[prop], value, anchor, None, 1))
    return article


def test_a_headline_names_the_article():
    text = "Sides swap prisoners\nThe two sides swapped 90 prisoners on Monday."
    article = _article(text, headline=("Sides swap prisoners", Literal("Sides swap prisoners")))
    assert article_label(article, {}) == "Sides swap prisoners"


def test_without_a_headline_the_outlet_and_the_first_words_name_it():
    text = "The two sides swapped 90 prisoners on Monday, officials in both capitals said.\nMore."
    article = _article(text, outlet=("officials", OUTLET))
    assert (
        article_label(article, {OUTLET: "Example Wire"})
        == "Example Wire: “The two sides swapped 90 prisoners on Monday…”"
    )


def test_a_dateline_that_heads_the_text_names_it_and_the_words_after_it_follow():
    text = "Port Marvin, June 14 – The bodies of 40 soldiers were returned, the office said."
    article = _article(text, dateline=("Port Marvin, June 14", Literal("Port Marvin, June 14")))
    assert article_label(article, {}) == "Port Marvin, June 14: “The bodies of 40 soldiers were returned, the…”"


def test_a_dateline_inside_a_sentence_is_left_to_the_first_words():
    text = "Both sides agreed in Example City on May 5 to swap prisoners."
    article = _article(text, dateline=("Example City on May 5", Literal("Example City on May 5")))
    assert article_label(article, {}) == "“Both sides agreed in Example City on May…”"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Short report.", "Short report."),
        ("  – One, two, three, four, five, six, seven, eight, nine", "One, two, three, four, five, six, seven, eight…"),
        ("First line only\nsecond line", "First line only"),
    ],
)
def test_first_words_are_cut_at_a_word_with_an_ellipsis(text, words):
    assert first_words(text) == words


def test_no_article_or_claim_label_is_a_number(project):
    dataset = ingest_sources(project)
    articles = {s for s, _p, _o, _g in dataset.quads((None, RDF.type, PARLEY.Article, None))}
    assert articles
    for _s, _p, label, _g in dataset.quads((None, RDFS.label, None, None)):
        assert not str(label).startswith("Article "), label
    speakers = {o for _s, _p, o, _g in dataset.quads((None, PARLEY.speaker, None, None))}
    assert articles & speakers, "the fixture has claims in an article's own voice"
    for article in articles & speakers:
        assert isinstance(article, URIRef)
