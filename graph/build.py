"""``parley build``: ingest, validate, then write the build, all or nothing.

``build(out, root)`` writes into a temporary directory beside ``out`` and swaps it in only
when ingest and validation passed and every file is written (the store with ``store.json``,
the size and SHA-256 of each store file, which ``parley serve`` checks before it starts); a
failure raises and leaves the previous build untouched. ``ingest_sources(root)`` is the
ingest alone (used by ``validate``).
"""

from __future__ import annotations

import ctypes
import errno
import gc
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset
from rdflib.namespace import DCTERMS

from . import __version__
from .build_cache import default_cache_dir
from .coverage import NUMBER_FIX, SENTENCE_FIX, CorpusCoverage, corpus_coverage, corpus_sentence_coverage
from .curation import Corpus, load_corpus, load_corpus_tolerant
from .dump import STORE_MANIFEST, serialize_sorted, sorted_quads, void_graph, write_dumps, write_store
from .errors import SourceError, ValidationFailed
from .ingest import build_dataset
from .namespaces import ONTOLOGY
from .provenance import BuildRun, source_timestamp
from .search_index import SEARCH_INDEX, QuadSource, write_search_index
from .validate import validate
from .vocabulary import load_vocabulary

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    out: Path
    triples: int = 0
    graphs: int = 0
    articles: int = 0
    claims: int = 0
    entities: int = 0
    numbers: int = 0
    numbers_covered: int = 0
    sentences: int = 0
    sentences_covered: int = 0
    sentences_out_of_scope: int = 0
    sentences_per_article: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        cov = 100.0 * self.numbers_covered / max(self.numbers, 1)
        sen = 100.0 * self.sentences_covered / max(self.sentences, 1)
        times = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
        return (
            f"{self.out}: {self.triples} triples in {self.graphs} graphs; {self.articles} articles, "
            f"{self.entities} entities, {self.claims} claims; number coverage {cov:.0f}% "
            f"({self.numbers_covered}/{self.numbers}); sentence coverage {sen:.0f}% "
            f"({self.sentences_covered}/{self.sentences}, {self.sentences_out_of_scope} out of scope); {times}\n"
            f"  store: {self.out / 'store'}\n  dumps: {self.out / 'dumps'}\n"
            f"  VoID:  {self.out / 'void.ttl'}\n  validation report: {self.out / 'validation.ttl'}"
        )


def check_coverage(corpus: Corpus, root: Path) -> CorpusCoverage:
    """Return the number coverage; raise SourceError naming every number no entry represents."""
    cov = corpus_coverage(corpus.articles)
    log.info("number coverage: %d/%d", cov.covered, cov.total)
    missing = cov.uncovered()
    if missing:
        raise SourceError(
            f"number coverage {cov.percent:.1f}% is below 100%: " + "; ".join(missing),
            hint=f"{NUMBER_FIX} (run `parley check` for the list per article)",
        )
    return cov


@dataclass
class SentenceCounts:
    total: int
    covered: int
    out_of_scope: int
    per_article: dict[str, dict[str, int]]


def check_sentence_coverage(corpus: Corpus, strict: bool = True) -> SentenceCounts:
    """Return the sentence counts; raise SourceError naming every sentence no quote touches
    (unless ``strict`` is false: a tolerant build for ``parley preview`` only counts them)."""
    cov = corpus_sentence_coverage(corpus.articles)
    log.info("sentence coverage: %d/%d (%d out of scope)", cov.covered, cov.total, cov.out_of_scope)
    missing = cov.uncovered()
    if missing and strict:
        raise SourceError(
            f"sentence coverage {cov.percent:.1f}% is below 100%: " + "; ".join(missing),
            hint=f"{SENTENCE_FIX} (run `parley check` for the list per article)",
        )
    per_article = {
        c.article.number: {"sentences": len(c.sentences), "covered": c.covered, "out_of_scope": len(c.out_of_scope)}
        for c in cov.articles
    }
    return SentenceCounts(cov.total, cov.covered, cov.out_of_scope, per_article)


def ingest_sources(root: Path) -> Dataset:
    """Return the dataset built from ``root``'s corpus, curation and ontology (no validation)."""
    dataset, _corpus, _counts, _run = _ingest(root)
    return dataset


def _ingest(
    root: Path, tolerant: bool = False
) -> tuple[Dataset, Corpus, tuple[CorpusCoverage, SentenceCounts], BuildRun]:
    vocab = load_vocabulary(root / "ontology")
    if tolerant:
        corpus, _problems = load_corpus_tolerant(root, vocab)
        counts = (corpus_coverage(corpus.articles), check_sentence_coverage(corpus, strict=False))
        drop_dangling_links(corpus)
    else:
        corpus = load_corpus(root, vocab)
        counts = (check_coverage(corpus, root), check_sentence_coverage(corpus))
    modified = vocab.graph.value(ONTOLOGY, DCTERMS.modified)
    run = BuildRun(timestamp=source_timestamp(root, modified.toPython() if modified is not None else None))
    return build_dataset(corpus, vocab, run), corpus, counts, run


def drop_dangling_links(corpus: Corpus) -> None:
    """Drop the claim links to claims that failed their checks (tolerant loads; the loader reported them)."""
    keys = {f"{a.number}/{c.key}" for a in corpus.articles for c in a.claims}
    for article in corpus.articles:
        for claim in article.claims:
            claim.conflicts_with = [k for k in claim.conflicts_with if k.target in keys]
            claim.corroborates = [k for k in claim.corroborates if k.target in keys]
            claim.overrides = [k for k in claim.overrides if k.target in keys]


def build(
    out: Path, root: Path, *, reasoner: bool = True, tolerant: bool = False, cache: Path | None | bool = True
) -> BuildResult:
    """Ingest, validate and write the build into ``out``; raise ParleyError on failure.

    ``cache`` is where the SHACL units that passed are kept between builds (``graph.build_cache``):
    True (the default) for ``.parley-cache/`` beside ``out``, a directory, or False for none. A
    build from the cache is byte-identical to one without it.

    ``tolerant`` (``parley preview``) builds what passed of a curation in progress: entries
    that fail their checks (a draft's TODOs) are left out, uncovered numbers and validation
    problems do not stop it (``validation.ttl`` records them), and the reasoner is not run.
    """
    out = Path(out).absolute()
    result = BuildResult(out=out)
    started = time.perf_counter()
    log.info("ingest: reading corpus/ and curation/")
    dataset, corpus, (numbers, sentences), run = _ingest(root, tolerant)
    result.numbers, result.numbers_covered = numbers.total, numbers.covered
    number_coverage = {c.article.number: {"numbers": len(c.numbers), "covered": c.covered} for c in numbers.articles}
    result.articles = len(corpus.articles)
    result.claims = sum(len(a.claims) for a in corpus.articles)
    result.entities = len(corpus.entities)
    # Only the corpus's counts are kept: its texts, curation and coverage are let go before the
    # quads are made.
    del corpus, numbers
    result.sentences, result.sentences_covered = sentences.total, sentences.covered
    result.sentences_out_of_scope, result.sentences_per_article = sentences.out_of_scope, sentences.per_article
    result.timings["ingest"] = time.perf_counter() - started

    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        # The rdflib dataset is let go once its quads are made; the search index reads the quads.
        # Its graphs and store refer to each other, so only the cycle collector frees them: run
        # now, before the checks' store and indexes are made beside what it held. (Emptying it
        # graph by graph as the quads are made peaked higher: 2.6 GB against 2.4 at 1M.)
        quads = sorted_quads(dataset)
        del dataset
        gc.collect()
        search_index = write_search_index(QuadSource(quads), tmp / SEARCH_INDEX)
        result.timings["ingest"] += time.perf_counter() - started

        started = time.perf_counter()
        reasoner = reasoner and not tolerant
        log.info("validate: SHACL, QC queries, ontology metadata%s", ", OWL consistency (HermiT)" if reasoner else "")
        store = ox.Store()  # in memory: the checks' SPARQL reads it
        store.extend(quads)
        cache_dir = default_cache_dir(out) if cache is True else (Path(cache) if cache else None)
        outcome = validate(None, root, reasoner=reasoner, store=store, quads=quads, cache_dir=cache_dir)
        del store
        result.timings["validation"] = time.perf_counter() - started
        if not outcome.conforms and not tolerant:
            raise ValidationFailed(
                "the dataset is not valid; nothing was written:\n" + outcome.human(),
                hint="fix the curation entries named above, then run `parley build` again",
            )

        started = time.perf_counter()
        log.info("write: store, dumps, VoID, validation report")
        manifest = write_store(quads, tmp / "store")
        (tmp / STORE_MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        dumps = write_dumps(quads, root / "shapes" / "parley.ttl", tmp / "dumps")
        modified = run.stamp
        (tmp / "void.ttl").write_bytes(serialize_sorted(void_graph(quads, dumps, modified)))
        (tmp / "validation.ttl").write_bytes(serialize_sorted(outcome.report_graph))
        result.triples = len(quads)
        result.graphs = len({q.graph_name for q in quads})
        info = {
            "version": __version__,
            "modified": modified,
            "triples": result.triples,
            "graphs": result.graphs,
            "articles": result.articles,
            "entities": result.entities,
            "claims": result.claims,
            "numbers": result.numbers,
            "numbers_covered": result.numbers_covered,
            "sentences": result.sentences,
            "sentences_covered": result.sentences_covered,
            "sentences_out_of_scope": result.sentences_out_of_scope,
            "sentence_coverage": result.sentences_per_article,
            "checks": outcome.checks,
            "qc_queries": len(list((root / "shapes" / "qc").glob("*-violation.rq"))),
            "number_coverage": number_coverage,
            "search_index": search_index,
        }
        (tmp / "build.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.chmod(0o755)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.timings["write"] = time.perf_counter() - started
    return result


def _swap(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` with renames, so a reader never sees a half-written build.

    Where the system can, the two directories are exchanged in one step, so ``out`` never
    stops existing: a server reading files of the build it serves (dumps, VoID) while a new
    build goes in finds the old files or the new ones, never none.
    """
    if out.exists() and _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous build
        return
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{tmp.name.rsplit('-', 1)[-1]}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``).

    Returns False where the C library or the file system cannot; then the caller renames twice.
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)  # glibc 2.28 and later
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))
