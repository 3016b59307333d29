"""What remains to do in the curation: the report ``parley check`` prints and ``parley preview`` shows.

``check_corpus(root, partial)`` loads the curation tolerantly (``load_corpus_tolerant``: a
draft's TODO entries fail their checks and are left out, the rest stands), ingests what passed
and runs the build's own validation over it (SHACL, QC queries, ontology metadata; not the
reasoner), so ``check`` rejects what the build would and the two can never disagree. The
``CheckReport`` lists, per article: the lines still marked TODO, the numbers no entry represents,
the sentences no quote touches (and, apart, those only an entry that failed reaches); and for the corpus: every loader problem (file:line and fix),
the references declared nowhere, and the validation problems.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import DCTERMS

from .coverage import Coverage, SentenceCoverage, SentenceMention, coverage, sentence_coverage
from .curation import load_corpus_tolerant
from .curation_yaml import display
from .errors import SourceError
from .ingest import build_dataset
from .namespaces import ONTOLOGY
from .numbers import NumberMention, find_numbers, sentences
from .provenance import BuildRun, source_timestamp
from .records import ArticleCuration, Corpus
from .validate import Problem, validate
from .vocabulary import load_vocabulary

TODO = re.compile(r"\bTODO\b")


@dataclass(frozen=True)
class Todo:
    """A line of a curation file still marked TODO."""

    line: int
    text: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    line: int
    column: int
    text: str


@dataclass
class ArticleReport:
    """What remains for one article: TODO lines, uncovered numbers, sentences no quote touches
    (``coverage`` and ``sentence_coverage`` tell apart those only a failed entry reaches)."""

    article: ArticleCuration
    todos: list[Todo]
    numbers: list[NumberMention]
    # not covered by an entry that passed (``coverage.pending``: those a failed entry's quote reaches)
    uncovered: list[NumberMention]
    sentences: list[SentenceMention]
    untouched: list[SentenceMention]  # touched by no quote of an entry that passed, nor listed out of scope
    out_of_scope: list[SentenceMention] = field(default_factory=list)
    coverage: Coverage | None = None
    sentence_coverage: SentenceCoverage | None = None


@dataclass
class CheckReport:
    root: Path
    corpus: Corpus
    articles: list[ArticleReport]
    problems: list[SourceError]
    validation: list[Problem]
    dataset: Dataset | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def validation_pending(self) -> bool:
        """True when articles have no curation yet (``--partial``): a missing file may declare what
        the validation finds missing, so its problems are listed, not failed."""
        return bool(self.corpus.missing)

    @property
    def passed(self) -> bool:
        """True when the build would accept the curation: no problem, TODO, uncovered number or sentence."""
        return not (
            self.problems
            or (self.validation and not self.validation_pending)
            or any(a.todos or a.uncovered or a.untouched for a in self.articles)
        )


def todo_lines(path: Path) -> list[Todo]:
    """Return the lines of ``path`` that say TODO (comments and values alike)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [Todo(n, line.strip()) for n, line in enumerate(lines, 1) if TODO.search(line)]


def article_sentences(text: str) -> list[Sentence]:
    """Return the sentences of an article with their line and column."""
    found = []
    for start, end in sentences(text):
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        found.append(Sentence(start, end, line, column, text[start:end]))
    return found


def article_report(article: ArticleCuration) -> ArticleReport:
    cov = coverage(article)
    sentence_cov = sentence_coverage(article)
    return ArticleReport(
        article=article,
        todos=todo_lines(article.curation_path),
        numbers=cov.numbers,
        uncovered=sorted(cov.uncovered + [n for n, _ in cov.pending], key=lambda n: n.start),
        sentences=sentence_cov.sentences,
        untouched=sorted(sentence_cov.uncovered + [s for s, _ in sentence_cov.pending], key=lambda s: s.start),
        out_of_scope=sentence_cov.out_of_scope,
        coverage=cov,
        sentence_coverage=sentence_cov,
    )


def tolerant_dataset(root: Path, corpus: Corpus, vocab) -> Dataset:
    """Ingest what passed of the corpus, as the build does (links to claims that failed dropped)."""
    from .build import drop_dangling_links

    drop_dangling_links(corpus)
    modified = vocab.graph.value(ONTOLOGY, DCTERMS.modified)
    run = BuildRun(timestamp=source_timestamp(root, modified.toPython() if modified is not None else None))
    return build_dataset(corpus, vocab, run)


def check_corpus(root: Path, partial: bool = False, validation: bool = True) -> CheckReport:
    """Return what remains in ``root``'s curation (raises only when the corpus or ontology is missing)."""
    timings = {}
    started = time.perf_counter()
    vocab = load_vocabulary(root / "ontology")
    corpus, problems = load_corpus_tolerant(root, vocab, partial=partial)
    reports = [article_report(article) for article in corpus.articles]
    timings["load"] = time.perf_counter() - started
    dataset, found = None, []
    if validation:
        started = time.perf_counter()
        dataset = tolerant_dataset(root, corpus, vocab)
        found = validate(dataset, root, reasoner=False).problems
        timings["validation"] = time.perf_counter() - started
    return CheckReport(root, corpus, reports, problems, found, dataset, timings)


def missing_summary(path: Path, root: Path) -> str:
    """One line on an article that has no curation file yet (``check --partial``)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    numbers = len(find_numbers(text))
    count = len(article_sentences(text))
    return (
        f"{display(path, root)}: no curation file yet; write curation/{path.stem}.yaml (see curation/README.md); "
        f"it prints {numbers} numbers to cover in {count} sentences"
    )
