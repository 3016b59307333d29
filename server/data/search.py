"""Search over the build's index (``search.sqlite``, written by ``graph.search_index``).

``SearchIndex.search(q, types=None, kinds=None)`` returns ranked hits, one per resource. The
query's words are cut into trigrams and asked of the FTS5 table joined by OR, each trigram a
quoted string (so nothing a reader types is FTS5 syntax: ``"``, ``NEAR(``, ``*`` are text);
FTS5 returns the candidates in bm25 order and each is then scored in Python: how well each
query word matches a word of the text (equal, a prefix, or close by ``difflib``'s ratio, which
lets "Rustam" find "Rustem"), a bonus when the whole query occurs in the text, how much of the
text the query covers, and the kind of text (a label counts most, a quote least).

An entity's names are one: when the query names an entity (its words and those of one of the
entity's labels or variant labels, ``skos:altLabel``, match each other, as "Kiev" and Kyiv's
variant "Kiev" do), every other name of that entity is searched too ("Kyiv"), passages
included, and a text scores by the best of them; so "Kiev" and "Kyiv" find the same. Hits are
ranked in three groups, each by score: entities (people, places, organisations, events ...),
then claims (and the other statements: attestations, quantities), then claim relations, so
relations never crowd people out. Each hit says which words of its text matched
(``Hit.spans``: offsets in code points, for ``<mark>`` on the page and ``highlights`` in JSON),
and ``type_facet`` counts the hits by class for the type filter. The file is opened read-only,
one connection per thread, in each worker process.
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
from graph.namespaces import PARLEY
from graph.search_index import SCHEMA_VERSION, SEARCH_INDEX

from ..problems import BadQuery

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
CANDIDATES = 400
KIND_WEIGHT = {"label": 1.0, "altLabel": 0.85, "quote": 0.6, "mention": 0.5}
CLOSE = 0.75  # the least difflib ratio at which a word counts as a misspelling of another
NAMES = 0.85  # how well the words of a query and of a name must match each other for the name to be the query's
MAX_NAMED = 5  # at most this many entities named by one query lend it their other names
MAX_VARIANTS = 12  # and at most this many other names in all
STATEMENTS = frozenset(str(PARLEY[c]) for c in ("Claim", "Attestation", "Quantity"))
RELATIONS = frozenset({str(PARLEY.ClaimRelation)})
NAME_KINDS = ("label", "altLabel")

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
    spans: list[tuple[int, int]] = field(default_factory=list)  # what matched in ``text``
    exact: bool = False  # one of its names is the query, word for word

    @property
    def group(self) -> int:
        """0 for an entity, 1 for a claim or another statement, 2 for a claim relation."""
        if RELATIONS.intersection(self.types):
            return 2
        return 1 if STATEMENTS.intersection(self.types) else 0


def type_key(label: str) -> str:
    """The key of a class in ``?type=``: its label, lower case, words joined by hyphens
    ("person", "claim-relation")."""
    return "-".join(words(label))


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


def names_match(query_words: list[str], text: str) -> bool:
    """Whether ``text`` names what the query names: every query word matches a word of the text
    and every word of the text is matched by a query word (equal, a prefix, or nearly equal)."""
    text_words = _text_words(text)
    if not query_words or not text_words:
        return False
    return all(_word_score(w, text_words) >= NAMES for w in query_words) and all(
        max(_pair_score(w, t) for w in query_words) >= NAMES for t in text_words
    )


def spans(query_words: list[str], text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` (start, end; code points) whose words match a query word,
    neighbours separated only by spaces joined into one."""
    found: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        normal = words(m.group())
        if normal and any(_pair_score(w, c) > 0 for w in query_words for c in normal):
            if found and not text[found[-1][1] : m.start()].strip():
                found[-1] = (found[-1][0], m.end())
            else:
                found.append((m.start(), m.end()))
    return found


def segments(text: str, marked: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) at the ``marked`` spans, for a template's ``<mark>``."""
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in marked:
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


def type_facet(hits: list[Hit], classes: list[dict], chosen: set[str]) -> list[dict]:
    """Each class of ``classes`` that some hit has, with how many hits have it, most first."""
    counts: dict[str, int] = {}
    for hit in hits:
        for t in set(hit.types):
            counts[t] = counts.get(t, 0) + 1
    out = [{**c, "count": counts[c["iri"]], "selected": c["key"] in chosen} for c in classes if counts.get(c["iri"])]
    return sorted(out, key=lambda c: (-c["count"], c["label"]))


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
            {"iri": iri, "label": label, "instances": n, "key": type_key(label)}
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

    def variants(self, query_words: list[str]) -> list[str]:
        """The other names (labels and variant labels) of the entities the query names."""
        grams = _trigrams(query_words)
        if not grams:
            return []
        db = self._connect()
        match = " OR ".join(f'"{g}"' for g in grams)
        rows = db.execute(
            "SELECT e.text, e.target, r.types FROM entries e JOIN resources r ON r.iri = e.target "
            "WHERE entries MATCH ? AND e.kind IN ('label', 'altLabel') ORDER BY bm25(entries) LIMIT ?",
            (match, CANDIDATES),
        ).fetchall()
        named: list[str] = []
        for text, target, type_text in rows:
            if target in named or len(named) >= MAX_NAMED:
                continue
            if not (STATEMENTS | RELATIONS).intersection(type_text.split()) and names_match(query_words, text):
                named.append(target)
        if not named:
            return []
        marks = ", ".join("?" for _ in named)
        texts = db.execute(
            f"SELECT DISTINCT text FROM entries WHERE kind IN ('label', 'altLabel') AND target IN ({marks}) "
            "ORDER BY text",
            named,
        ).fetchall()
        out = [t for (t,) in texts if words(t) != query_words]
        return out[:MAX_VARIANTS]

    def search(
        self, q: str, *, types: list[str] | None = None, kinds: tuple[str, ...] | None = None, limit: int | None = None
    ) -> list[Hit]:
        """Return the hits for ``q`` and the other names of what it names, best first: entities,
        then statements, then claim relations; one hit per resource (its best-scoring text)."""
        return self.searched(q, types=types, kinds=kinds, limit=limit)[0]

    def searched(
        self, q: str, *, types: list[str] | None = None, kinds: tuple[str, ...] | None = None, limit: int | None = None
    ) -> tuple[list[Hit], list[str]]:
        """``search``, and the other names searched for with the query (``variants``)."""
        query_words = words(q)[:MAX_WORDS]
        if not _trigrams(query_words):
            return [], []
        others = self.variants(query_words)
        alternatives = [query_words] + [w for w in (words(v)[:MAX_WORDS] for v in others) if w]
        grams: list[str] = []
        for alt in alternatives:
            grams += [g for g in _trigrams(alt) if g not in grams]
        match = " OR ".join(f'"{g}"' for g in grams)  # \w characters only: nothing to escape
        phrases = [" ".join(alt) for alt in alternatives]
        db = self._connect()
        rows = db.execute(
            "SELECT e.text, e.target, e.kind, r.label, r.types FROM entries e JOIN resources r ON r.iri = e.target "
            "WHERE entries MATCH ? ORDER BY bm25(entries) LIMIT ?",
            (match, CANDIDATES * len(alternatives)),
        ).fetchall()
        wanted = set(types or ())
        hits: dict[str, Hit] = {}
        for rank, (text, target, kind, label, type_text) in enumerate(rows):
            if kinds is not None and kind not in kinds:
                continue
            target_types = type_text.split()
            if wanted and not wanted.intersection(target_types):
                continue
            value, best = max(
                ((score_text(alt, phrase, text, kind), alt) for alt, phrase in zip(alternatives, phrases, strict=True)),
                key=lambda pair: pair[0],
            )
            if value <= 0:
                continue
            value += 0.01 * (1 - rank / len(rows))  # bm25's order breaks ties
            hit = hits.get(target)
            if hit is None:
                hit = hits[target] = Hit(target, label, target_types, value, kind, text, spans=spans(best, text))
            elif value > hit.score:
                hit.score, hit.kind, hit.text, hit.spans = value, kind, text, spans(best, text)
            if kind in NAME_KINDS and words(text) == query_words:
                hit.exact = True
            if kind in ("quote", "mention") and text not in hit.quotes:
                hit.quotes.append(text)
        ranked = sorted(hits.values(), key=lambda h: (h.group, -h.score, h.label.lower(), h.iri))
        return (ranked[:limit] if limit else ranked), others
