"""Search over the build's index (``search.sqlite``, written by ``graph.search_index``).

``SearchIndex.search(q, types=None, kinds=None)`` returns ranked hits, one per resource. The
query's words are cut into trigrams and asked of the FTS5 table joined by OR, each trigram a
quoted string (so nothing a reader types is FTS5 syntax: ``"``, ``NEAR(``, ``*`` are text);
FTS5 returns the candidates in bm25 order and each is then scored in Python: how well each
query word matches a word of the text (equal, a prefix, or close by ``difflib``'s ratio, which
lets "Rustam" find "Rustem"), a bonus when the whole query occurs in the text, how much of the
text the query covers, and the kind of text (a label counts most, a quote least). The file is
opened read-only, one connection per thread, in each worker process.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import ConfigError
from graph.search_index import SCHEMA_VERSION, SEARCH_INDEX

from ..problems import BadQuery

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
CANDIDATES = 400
KIND_WEIGHT = {"label": 1.0, "altLabel": 0.85, "quote": 0.6, "mention": 0.5}
CLOSE = 0.75  # the least difflib ratio at which a word counts as a misspelling of another

_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Case-folded text without accents (``Zelenskyy`` and ``zelenskyy``, ``é`` and ``e``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


@functools.lru_cache(maxsize=1 << 14)
def _text_words(text: str) -> tuple[str, ...]:
    return tuple(words(text))


@dataclass
class Hit:
    iri: str
    label: str
    types: list[str]
    score: float
    kind: str
    text: str
    quotes: list[str] = field(default_factory=list)


def check_query(q: str | None) -> str:
    """Return the query stripped; BadQuery (400) when it is too long or holds control characters."""
    q = " ".join((q or "").split())  # tabs and line breaks of a pasted name are spaces
    if len(q) > MAX_QUERY_CHARS:
        raise BadQuery(
            f"the search query has {len(q)} characters; at most {MAX_QUERY_CHARS} are taken",
            hint="search for a name or a few words of a quote",
        )
    if any(unicodedata.category(c) == "Cc" for c in q):
        raise BadQuery("the search query holds control characters", hint="search for plain text")
    return q


@functools.lru_cache(maxsize=1 << 16)
def _pair_score(word: str, candidate: str) -> float:
    """How well ``candidate`` (a word of a text) matches ``word`` (a word of the query)."""
    if candidate == word:
        return 1.0
    if len(word) >= 3 and candidate.startswith(word):
        return 0.95
    if len(word) < 4:
        return 0.0
    matcher = difflib.SequenceMatcher(None, word, candidate)
    if matcher.real_quick_ratio() >= CLOSE and matcher.quick_ratio() >= CLOSE:
        ratio = matcher.ratio()
        if ratio >= CLOSE:
            return 0.9 * ratio
    return 0.0


def _word_score(word: str, text_words: tuple[str, ...]) -> float:
    return max((_pair_score(word, candidate) for candidate in text_words), default=0.0)


def score_text(query_words: list[str], phrase: str, text: str, kind: str) -> float:
    """Score one text against the query: 0 when a query word matches nothing in it."""
    text_words = _text_words(text)
    if not text_words:
        return 0.0
    scores = [_word_score(w, text_words) for w in query_words]
    if min(scores) == 0.0:
        return 0.0
    value = sum(scores) / len(scores)
    if phrase and phrase in " ".join(text_words):
        value += 0.5
    value += 0.3 * min(1.0, len(query_words) / len(text_words))
    return value * KIND_WEIGHT.get(kind, 0.5)


def _trigrams(query_words: list[str]) -> list[str]:
    grams: list[str] = []
    for w in query_words:
        for i in range(max(0, len(w) - 2)):
            g = w[i : i + 3]
            if g not in grams:
                grams.append(g)
    return grams


class SearchIndex:
    """The build's search index, opened read-only."""

    def __init__(self, path: Path):
        self.path = Path(path).absolute()
        self._local = threading.local()
        db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            db.close()
            raise ConfigError(
                f"{self.path}: not a search index written by `parley build` ({exc})", hint="rebuild with `parley build`"
            ) from None
        if version is None or version[0] != str(SCHEMA_VERSION):
            raise ConfigError(f"{self.path}: a search index of another version", hint="rebuild with `parley build`")
        self.classes = [
            {"iri": iri, "label": label, "instances": n}
            for iri, label, n in db.execute("SELECT iri, label, instances FROM classes ORDER BY label")
        ]
        db.close()  # each thread of each worker process opens its own connection (``_connect``)

    @classmethod
    def of_build(cls, build_dir: Path) -> SearchIndex:
        path = Path(build_dir) / SEARCH_INDEX
        if not path.is_file():
            raise ConfigError(f"no search index at {path}", hint="rebuild with `parley build`")
        return cls(path)

    def _connect(self) -> sqlite3.Connection:
        db, pid = getattr(self._local, "db", (None, None))
        if db is None or pid != os.getpid():  # never a connection made before a fork
            db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True)
            self._local.db = (db, os.getpid())
        return db

    def resource(self, iri: str) -> tuple[str, list[str]] | None:
        """(label, types) of a resource the index knows, else None."""
        row = self._connect().execute("SELECT label, types FROM resources WHERE iri = ?", (iri,)).fetchone()
        return (row[0], row[1].split()) if row else None

    def search(
        self, q: str, *, types: list[str] | None = None, kinds: tuple[str, ...] | None = None, limit: int | None = None
    ) -> list[Hit]:
        """Return the hits for ``q``, best first, one per resource (its best-scoring text)."""
        query_words = words(q)[:MAX_WORDS]
        grams = _trigrams(query_words)
        if not grams:
            return []
        match = " OR ".join(f'"{g}"' for g in grams)  # \w characters only: nothing to escape
        phrase = " ".join(query_words)
        db = self._connect()
        rows = db.execute(
            "SELECT e.text, e.target, e.kind, r.label, r.types FROM entries e JOIN resources r ON r.iri = e.target "
            "WHERE entries MATCH ? ORDER BY bm25(entries) LIMIT ?",
            (match, CANDIDATES),
        ).fetchall()
        wanted = set(types or ())
        hits: dict[str, Hit] = {}
        for rank, (text, target, kind, label, type_text) in enumerate(rows):
            if kinds is not None and kind not in kinds:
                continue
            target_types = type_text.split()
            if wanted and not wanted.intersection(target_types):
                continue
            value = score_text(query_words, phrase, text, kind)
            if value <= 0:
                continue
            value += 0.01 * (1 - rank / CANDIDATES)  # bm25's order breaks ties
            hit = hits.get(target)
            if hit is None:
                hit = hits[target] = Hit(target, label, target_types, value, kind, text)
            elif value > hit.score:
                hit.score, hit.kind, hit.text = value, kind, text
            if kind in ("quote", "mention") and text not in hit.quotes:
                hit.quotes.append(text)
        ranked = sorted(hits.values(), key=lambda h: (-h.score, h.label.lower(), h.iri))
        return ranked[:limit] if limit else ranked
