"""What an article is called wherever it is shown: its headline, or what it does print.

Many reports print no headline; some no outlet either. A reader still needs to tell them apart
in facets, labels and charts, and a number ("Article 000") tells them nothing. So an article
without a headline is named by what it prints: its outlet and dateline where the curation
records them (a dateline when it heads the text), then its first words, in quotation marks. ``article_label`` returns that name;
the ingest uses it for the article's label and wherever the article speaks in its own voice.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from .namespaces import PARLEY
from .records import ArticleCuration

# Enough words to tell two reports apart, few enough for a facet or a chart's legend.
FIRST_WORDS = 8
# Dashes and colons that join a dateline to the first sentence ("Dhaka, June 3, 2025 – Despite").
_JOINER = re.compile(r"^[\s\-–—:|]*")
_WORD = re.compile(r"\S+")


def article_label(article: ArticleCuration, names: dict[URIRef, str]) -> str:
    """Return the headline, or ``Outlet, dateline: “first words…”`` from what the article prints."""
    facts = {fact.prop: fact for fact in article.source_facts}
    headline = facts.get(PARLEY.headline)
    if headline is not None:
        return " ".join(str(headline.value).split())
    parts = []
    outlet = facts.get(PARLEY.outlet)
    if outlet is not None and outlet.value in names:
        parts.append(names[outlet.value])
    start = 0
    dateline = facts.get(PARLEY.dateline)
    # A dateline that heads the text names the report; one inside a sentence is in its first words.
    if dateline is not None and not article.text[: dateline.anchor.start].strip():
        parts.append(" ".join(str(dateline.value).split()))
        start = dateline.anchor.end
    words = first_words(article.text[start:])
    lead = ", ".join(parts)
    if not words:
        return lead or article.path.stem
    return f"{lead}: “{words}”" if lead else f"“{words}”"


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """Return the first ``count`` words of ``text``'s first paragraph, with an ellipsis if cut."""
    text = _JOINER.sub("", text).split("\n", 1)[0]
    words = _WORD.findall(text)
    if len(words) <= count:
        return " ".join(words)
    return " ".join(words[:count]).rstrip(",;:") + "…"
