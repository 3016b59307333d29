"""Load and check the curation files: one YAML file per article, every entry anchored by an
exact quote from its article.

``load_corpus(root, vocab)`` reads ``corpus/*.txt`` and ``curation/*.yaml`` and returns a
``Corpus`` of checked ``ArticleCuration`` records whose quotes have been found in their
articles (offsets computed here, never taken from the file) and whose references, properties,
concepts and dates are known. Anything wrong raises ``SourceError`` naming the file, the line
and the fix. The format is documented in ``curation/README.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import SourceError
from .namespaces import ID, KINDS, PARLEY, SLUG
from .vocabulary import Vocabulary

CONTEXT_CHARS = 32
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ARTICLE_FILE = re.compile(r"^(\d{3})_([0-9a-f]+)\.txt$")
ENTITY_TYPES = (
    "State",
    "Organisation",
    "NewsOrganisation",
    "Person",
    "Delegation",
    "Post",
    "Place",
    "Event",
    "NegotiationProcess",
    "NegotiationRound",
    "Agreement",
    "Provision",
    "Proposal",
    "ExchangeProcess",
    "ExchangeRound",
)
SOURCE_FIELDS = {
    # field: (property, kind) where kind is "ref", "date", "text" (the quote itself)
    "headline": ("headline", "text"),
    "outlet": ("outlet", "ref"),
    "author": ("author", "ref"),
    "published": ("publishedOn", "date"),
    "page_date": ("pageDate", "date"),
    "dateline": ("dateline", "text"),
    "republisher": ("republishedBy", "ref"),
    "cites": ("citesSource", "ref"),
}
CLAIM_FIELDS = {
    "key",
    "about",
    "measure",
    "figure",
    "approximation",
    "value",
    "min",
    "max",
    "stated_value",
    "speaker",
    "stated_on",
    "as_of",
    "modality",
    "quote",
    "occurrence",
    "note",
    "conflicts_with",
    "corroborates",
}


# --------------------------------------------------------------------------------------
# YAML with line numbers


class _Mapping(dict):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# --------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Anchor:
    """A passage of an article: the exact quote, where it is, and its context."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass
class Entity:
    ref: str
    type: str
    name: str
    label: str
    anchor: Anchor
    line: int


@dataclass
class Fact:
    key: str
    subject: URIRef
    prop: URIRef
    value: URIRef | Literal
    anchor: Anchor
    note: str | None
    line: int


@dataclass
class Claim:
    key: str
    about: URIRef
    measure: URIRef
    speaker: URIRef | None  # None: the article's own voice
    modality: URIRef
    anchor: Anchor
    line: int
    figure: str | None = None
    approximation: URIRef | None = None
    value: Literal | None = None
    min: Literal | None = None
    max: Literal | None = None
    stated_value: str | None = None
    stated_on: dt.date | None = None
    as_of: dt.date | None = None
    note: str | None = None
    conflicts_with: list[str] = field(default_factory=list)
    corroborates: list[str] = field(default_factory=list)


@dataclass
class OutOfScope:
    text: str
    anchor: Anchor
    reason: str
    line: int


@dataclass
class ArticleCuration:
    """One article and everything its curation file says about it, checked."""

    number: str
    stem: str
    path: Path
    text: str
    sha256: str
    curation_path: Path
    curation_sha256: str
    source_facts: list[Fact] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    out_of_scope: list[OutOfScope] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.stem.replace("_", "-")

    @property
    def iri(self) -> URIRef:
        return ID[f"article/{self.slug}"]


@dataclass
class Corpus:
    articles: list[ArticleCuration]
    entities: dict[str, Entity]  # first declaration of each ref, in file order


# --------------------------------------------------------------------------------------
# Helpers


class _Context:
    """Where we are, for error messages: file, entry kind, key and line."""

    def __init__(self, path: Path, root: Path):
        self.path = path
        self.display = _display(path, root)

    def error(self, line: int | None, what: str, problem: str, hint: str) -> SourceError:
        where = f"{self.display}:{line}" if line else self.display
        return SourceError(f"{where}: {what}: {problem}", hint=hint)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def find_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int] | str:
    """Return (start, end) of the quote in the text, or a reason string when it cannot be used."""
    starts = []
    index = text.find(quote)
    while index != -1:
        starts.append(index)
        index = text.find(quote, index + 1)
    if not starts:
        return "quote not found in the article"
    if occurrence is None:
        if len(starts) > 1:
            return (
                f"quote occurs {len(starts)} times in the article; lengthen it or add "
                f"'occurrence: N' (1 to {len(starts)})"
            )
        return starts[0], starts[0] + len(quote)
    if not 1 <= occurrence <= len(starts):
        return f"occurrence {occurrence} asked but the quote occurs {len(starts)} time(s)"
    start = starts[occurrence - 1]
    return start, start + len(quote)


def make_anchor(text: str, start: int, end: int) -> Anchor:
    return Anchor(
        exact=text[start:end],
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def _parse_decimal(value: Any) -> Literal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if number == number.to_integral_value() and "." not in str(value):
        return Literal(int(number), datatype=XSD.integer)
    return Literal(number, datatype=XSD.decimal)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


# --------------------------------------------------------------------------------------
# Loading one file


class _FileLoader:
    def __init__(self, article: ArticleCuration, vocab: Vocabulary, ctx: _Context):
        self.article = article
        self.vocab = vocab
        self.ctx = ctx
        self.keys: dict[str, int] = {}

    # -- shared pieces

    def anchor(self, entry: dict, what: str, line: int) -> Anchor:
        quote = entry.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            raise self.ctx.error(line, what, "has no quote", "add `quote:` with the exact words from the article")
        occurrence = entry.get("occurrence")
        if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool)):
            raise self.ctx.error(
                line, what, f"occurrence {occurrence!r} is not a whole number", "write e.g. `occurrence: 2`"
            )
        found = find_quote(self.article.text, quote, occurrence)
        if isinstance(found, str):
            raise self.ctx.error(
                line,
                what,
                found + f" ({_display(self.article.path, self.ctx.path.parent.parent)})",
                "copy the quote character for character from the article, curly quotes, dashes and whitespace included",
            )
        return make_anchor(self.article.text, *found)

    def key(self, entry: dict, what: str, line: int) -> str:
        key = entry.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            raise self.ctx.error(
                line,
                what,
                f"key {key!r} is missing or not lower-case words joined by hyphens",
                "give it a key like `bodies-returned-june-13`",
            )
        if key in self.keys:
            raise self.ctx.error(
                line,
                f"{what} '{key}'",
                f"duplicate key (first used on line {self.keys[key]})",
                "give each entry of the file its own key",
            )
        self.keys[key] = line
        return key

    def ref(self, value: Any, what: str, line: int, field_name: str) -> URIRef:
        if not isinstance(value, str) or "/" not in value:
            raise self.ctx.error(
                line,
                what,
                f"{field_name} {value!r} is not a reference `kind/slug`",
                "refer to things as e.g. `person/vladimir-medinsky`",
            )
        kind, _, slug = value.partition("/")
        if kind not in KINDS or not SLUG.match(slug):
            raise self.ctx.error(
                line,
                what,
                f"{field_name} {value!r} is not a valid reference",
                f"use one of the kinds {', '.join(KINDS)} and a slug of lower-case words joined by hyphens",
            )
        return ID[value]

    def concept(self, value: Any, scheme: str, what: str, line: int, field_name: str) -> URIRef:
        iri = self.vocab.concept(scheme, str(value)) if isinstance(value, str) else None
        if iri is None:
            known = ", ".join(sorted(self.vocab.schemes.get(scheme, ())))
            raise self.ctx.error(
                line,
                what,
                f"unknown {field_name} {value!r}",
                f"use one of the {scheme} codes ({known}) or add the code to ontology/codelists.ttl",
            )
        return iri

    def date(self, value: Any, what: str, line: int, field_name: str) -> dt.date:
        date = _as_date(value)
        if date is None:
            raise self.ctx.error(
                line,
                what,
                f"{field_name} {value!r} is not a date",
                "write dates as YYYY-MM-DD; give a vague date as a range (startDate/endDate) and explain it in `note`",
            )
        return date

    def require_in_quote(self, needle: str, anchor: Anchor, what: str, line: int, field_name: str) -> None:
        if needle not in anchor.exact:
            raise self.ctx.error(
                line,
                what,
                f"{field_name} {needle!r} does not occur in its quote",
                f"make the quote include {needle!r} exactly as printed",
            )

    # -- sections

    def source(self, source: Any) -> None:
        if source is None:
            return
        if not isinstance(source, dict):
            raise self.ctx.error(None, "source", "is not a mapping", "see curation/README.md")
        line0 = getattr(source, "line", None)
        for name, value in source.items():
            if name not in SOURCE_FIELDS:
                raise self.ctx.error(
                    line0, f"source field '{name}'", "unknown field", "use " + ", ".join(SOURCE_FIELDS)
                )
            prop_name, kind = SOURCE_FIELDS[name]
            entries = value if isinstance(value, list) else [value]
            for entry in entries:
                line = getattr(entry, "line", line0)
                what = f"source {name}"
                if not isinstance(entry, dict):
                    raise self.ctx.error(
                        line,
                        what,
                        "is not a mapping with a quote",
                        'write e.g. `outlet: {ref: org/tass, quote: "..."}`',
                    )
                anchor = self.anchor(entry, what, line)
                if kind == "ref":
                    obj = self.ref(entry.get("ref"), what, line, "ref")
                    key = f"source-{name}-{entry['ref'].partition('/')[2]}" if len(entries) > 1 else f"source-{name}"
                elif kind == "date":
                    obj = Literal(self.date(entry.get("date"), what, line, "date"), datatype=XSD.date)
                    key = f"source-{name}"
                else:
                    obj = Literal(anchor.exact)
                    key = f"source-{name}"
                self.article.source_facts.append(
                    Fact(key, self.article.iri, PARLEY[prop_name], obj, anchor, entry.get("note"), line)
                )
                if name == "dateline":
                    for place in entry.get("places", []) or []:
                        obj = self.ref(place, what, line, "place")
                        self.article.source_facts.append(
                            Fact(
                                f"source-dateline-place-{place.partition('/')[2]}",
                                self.article.iri,
                                PARLEY["datelinePlace"],
                                obj,
                                anchor,
                                None,
                                line,
                            )
                        )

    def entities(self, entries: Any) -> None:
        for entry in self._list(entries, "entities"):
            line = entry.line
            ref = entry.get("ref")
            what = f"entity '{ref}'"
            self.ref(ref, what, line, "ref")
            etype = entry.get("type")
            if etype not in ENTITY_TYPES:
                raise self.ctx.error(line, what, f"unknown type {etype!r}", "use one of " + ", ".join(ENTITY_TYPES))
            name, label = entry.get("name"), entry.get("label")
            for field_name, value in (("name", name), ("label", label)):
                if not isinstance(value, str) or not value.strip():
                    raise self.ctx.error(
                        line, what, f"has no {field_name}", "give `name` (canonical) and `label` (as printed here)"
                    )
            anchor = self.anchor(entry, what, line)
            self.require_in_quote(label, anchor, what, line, "label")
            self.article.entities.append(Entity(ref, etype, name, label, anchor, line))

    def facts(self, entries: Any) -> None:
        for entry in self._list(entries, "facts"):
            line = entry.line
            key = self.key(entry, "fact", line)
            what = f"fact '{key}'"
            subject = self.ref(entry.get("subject"), what, line, "subject")
            prop_name = entry.get("property")
            value = entry.get("value")
            if prop_name in self.vocab.object_properties:
                obj = self._object_value(value, what, line)
            elif prop_name in self.vocab.datatype_properties:
                obj = self._literal_value(value, self.vocab.datatype_properties[prop_name], what, line)
            else:
                raise self.ctx.error(
                    line,
                    what,
                    f"unknown property {prop_name!r}",
                    "use the local name of an object or datatype property of ontology/parley.ttl",
                )
            anchor = self.anchor(entry, what, line)
            self.article.facts.append(Fact(key, subject, PARLEY[prop_name], obj, anchor, entry.get("note"), line))

    def _object_value(self, value: Any, what: str, line: int) -> URIRef:
        if isinstance(value, str) and "/" in value:
            kind, _, slug = value.partition("/")
            if kind in self.vocab.schemes:
                return self.concept(slug, kind, what, line, "value")
        return self.ref(value, what, line, "value")

    def _literal_value(self, value: Any, rng: URIRef | None, what: str, line: int) -> Literal:
        if rng == XSD.date:
            return Literal(self.date(value, what, line, "value"), datatype=XSD.date)
        if rng in (XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger):
            if not isinstance(value, int) or isinstance(value, bool) or (rng == XSD.positiveInteger and value <= 0):
                raise self.ctx.error(
                    line, what, f"value {value!r} is not a {rng.split('#')[-1]}", "write a whole number"
                )
            return Literal(value, datatype=rng)
        if rng == XSD.decimal:
            number = _parse_decimal(value)
            if number is None:
                raise self.ctx.error(line, what, f"value {value!r} is not a number", "write a number")
            return number
        if not isinstance(value, str):
            raise self.ctx.error(line, what, f"value {value!r} is not text", "quote the value as a string")
        return Literal(value)

    def claims(self, entries: Any) -> None:
        for entry in self._list(entries, "claims"):
            line = entry.line
            key = self.key(entry, "claim", line)
            what = f"claim '{key}'"
            unknown = set(entry) - CLAIM_FIELDS
            if unknown:
                raise self.ctx.error(
                    line,
                    what,
                    f"unknown field(s) {', '.join(sorted(unknown))}",
                    "see the claim fields in curation/README.md",
                )
            anchor = self.anchor(entry, what, line)
            speaker_value = entry.get("speaker")
            if speaker_value is None:
                raise self.ctx.error(
                    line,
                    what,
                    "has no speaker",
                    "name who made the claim (`person/...`, `org/...`) or `article` for the article's own voice",
                )
            speaker = None if speaker_value == "article" else self.ref(speaker_value, what, line, "speaker")
            claim = Claim(
                key=key,
                about=self.ref(entry.get("about"), what, line, "about"),
                measure=self.concept(entry.get("measure"), "measure", what, line, "measure"),
                speaker=speaker,
                modality=self.concept(entry.get("modality"), "modality", what, line, "modality"),
                anchor=anchor,
                line=line,
                note=entry.get("note"),
            )
            figure, stated = entry.get("figure"), entry.get("stated_value")
            if (figure is None) == (stated is None):
                raise self.ctx.error(
                    line,
                    what,
                    "needs exactly one of `figure` and `stated_value`",
                    "give the number as printed in `figure`, or the words of a non-numeric claim in `stated_value`",
                )
            if figure is not None:
                figure = str(figure)
                self.require_in_quote(figure, anchor, what, line, "figure")
                claim.figure = figure
                claim.approximation = self.concept(
                    entry.get("approximation"), "approximation", what, line, "approximation"
                )
                for name in ("value", "min", "max"):
                    if entry.get(name) is not None:
                        number = _parse_decimal(entry[name])
                        if number is None:
                            raise self.ctx.error(
                                line,
                                what,
                                f"{name} {entry[name]!r} is not a number",
                                f"write {name} as a plain number without separators, e.g. 3012",
                            )
                        setattr(claim, name, number)
                if claim.value is not None and (claim.min is not None or claim.max is not None):
                    raise self.ctx.error(
                        line,
                        what,
                        "has both value and bounds",
                        "give `value` for a stated number, or `min`/`max` for bounds",
                    )
                if claim.min is not None and claim.max is not None and claim.min.toPython() > claim.max.toPython():
                    raise self.ctx.error(line, what, "min is greater than max", "swap or correct the bounds")
            else:
                if entry.get("approximation") or any(entry.get(n) is not None for n in ("value", "min", "max")):
                    raise self.ctx.error(
                        line,
                        what,
                        "a stated_value claim has numeric fields",
                        "drop approximation/value/min/max, or use `figure` instead of `stated_value`",
                    )
                stated = str(stated)
                self.require_in_quote(stated, anchor, what, line, "stated_value")
                claim.stated_value = stated
            for name in ("stated_on", "as_of"):
                if entry.get(name) is not None:
                    setattr(claim, name, self.date(entry[name], what, line, name))
            for name in ("conflicts_with", "corroborates"):
                refs = entry.get(name) or []
                if not isinstance(refs, list):
                    raise self.ctx.error(line, what, f"{name} is not a list", f"write `{name}: [NNN/key, ...]`")
                setattr(claim, name, [str(r) for r in refs])
            self.article.claims.append(claim)

    def out_of_scope(self, entries: Any) -> None:
        for entry in self._list(entries, "out_of_scope"):
            line = entry.line
            text = entry.get("text")
            what = f"out_of_scope entry {text!r}"
            if not isinstance(text, (str, int)) or not str(text).strip():
                raise self.ctx.error(line, what, "has no text", "give the number as printed in `text`")
            reason = entry.get("reason")
            if not isinstance(reason, str) or len(reason.strip()) < 5:
                raise self.ctx.error(line, what, "has no reason", "say in `reason` why this number is not a claim")
            anchor = self.anchor(entry, what, line)
            self.require_in_quote(str(text), anchor, what, line, "text")
            # narrow the anchor to the number itself within the quote
            offset = anchor.exact.index(str(text))
            narrowed = make_anchor(self.article.text, anchor.start + offset, anchor.start + offset + len(str(text)))
            self.article.out_of_scope.append(OutOfScope(str(text), narrowed, reason, line))

    def _list(self, entries: Any, section: str) -> list:
        if entries is None:
            return []
        if not isinstance(entries, list):
            raise self.ctx.error(None, section, "is not a list", f"write `{section}:` followed by `- ...` entries")
        for entry in entries:
            if not isinstance(entry, dict):
                raise self.ctx.error(None, section, f"entry {entry!r} is not a mapping", "see curation/README.md")
        return entries


# --------------------------------------------------------------------------------------
# The whole corpus


def article_files(corpus_dir: Path) -> list[Path]:
    """Return the article files of the corpus in file-name order."""
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and ARTICLE_FILE.match(p.name))


def load_corpus(
    root: Path,
    vocab: Vocabulary,
    corpus_dir: Path | None = None,
    curation_dir: Path | None = None,
    partial: bool = False,
) -> Corpus:
    """Return every article with its checked curation; raise SourceError on the first problem.

    With ``partial`` an article without a curation file is skipped instead of an error (for
    curators working file by file; the build never uses it).
    """
    corpus_dir = corpus_dir or root / "corpus"
    curation_dir = curation_dir or root / "curation"
    if not corpus_dir.is_dir():
        raise SourceError(f"{corpus_dir}: corpus directory missing", hint="vendor the articles into corpus/")
    texts = article_files(corpus_dir)
    if not texts:
        raise SourceError(f"{corpus_dir}: no article files (NNN_hash.txt)", hint="vendor the articles into corpus/")
    articles = []
    stems = {p.stem for p in texts}
    for yaml_path in sorted(curation_dir.glob("*.yaml")):
        if yaml_path.stem not in stems:
            raise SourceError(
                f"{_display(yaml_path, root)}: curation for a missing article corpus/{yaml_path.stem}.txt",
                hint="restore the article in corpus/ or remove the curation file",
            )
    for path in texts:
        if partial and not (curation_dir / f"{path.stem}.yaml").is_file():
            continue
        articles.append(_load_article(path, curation_dir, vocab, root))
    corpus = Corpus(articles=articles, entities={})
    _check_across_files(corpus, root, partial=partial)
    return corpus


def _load_article(path: Path, curation_dir: Path, vocab: Vocabulary, root: Path) -> ArticleCuration:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{_display(path, root)}: not UTF-8 ({exc})", hint="re-vendor the article unchanged"
        ) from None
    number = ARTICLE_FILE.match(path.name).group(1)
    curation_path = curation_dir / f"{path.stem}.yaml"
    if not curation_path.is_file():
        raise SourceError(
            f"{_display(curation_path, root)}: missing curation for {_display(path, root)}",
            hint=f"write {_display(curation_path, root)} (see curation/README.md)",
        )
    curation_bytes = curation_path.read_bytes()
    ctx = _Context(curation_path, root)
    try:
        data = yaml.load(curation_bytes.decode("utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ctx.error(
            line, "YAML", f"malformed ({problem})", "fix the YAML syntax at that line (indentation, quotes, colons)"
        ) from None
    except UnicodeDecodeError:
        raise ctx.error(None, "file", "not UTF-8", "save the file as UTF-8") from None
    if not isinstance(data, dict):
        raise ctx.error(None, "file", "is not a YAML mapping", "start the file with `article: NNN_hash.txt`")
    if data.get("article") != path.name:
        raise ctx.error(
            getattr(data, "line", None),
            "article",
            f"names {data.get('article')!r}, not {path.name!r}",
            f"write `article: {path.name}`",
        )
    unknown = set(data) - {"article", "source", "entities", "facts", "claims", "out_of_scope"}
    if unknown:
        raise ctx.error(
            None,
            "file",
            f"unknown section(s) {', '.join(sorted(unknown))}",
            "use article, source, entities, facts, claims, out_of_scope",
        )
    article = ArticleCuration(
        number=number,
        stem=path.stem,
        path=path,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        curation_path=curation_path,
        curation_sha256=hashlib.sha256(curation_bytes).hexdigest(),
    )
    loader = _FileLoader(article, vocab, ctx)
    loader.source(data.get("source"))
    loader.entities(data.get("entities"))
    loader.facts(data.get("facts"))
    loader.claims(data.get("claims"))
    loader.out_of_scope(data.get("out_of_scope"))
    return article


def _check_across_files(corpus: Corpus, root: Path, partial: bool = False) -> None:
    """Entities agree across files; every reference is declared; claim links resolve.

    With ``partial`` (some curation files not written yet) references into the missing
    files are not checked.
    """
    loaded = {a.number for a in corpus.articles}
    declared_in: dict[str, str] = {}
    for article in corpus.articles:
        ctx = _Context(article.curation_path, root)
        for entity in article.entities:
            first = corpus.entities.get(entity.ref)
            if first is None:
                corpus.entities[entity.ref] = entity
                declared_in[entity.ref] = f"{ctx.display}:{entity.line}"
                continue
            for field_name in ("type", "name"):
                if getattr(first, field_name) != getattr(entity, field_name):
                    raise ctx.error(
                        entity.line,
                        f"entity '{entity.ref}'",
                        f"{field_name} {getattr(entity, field_name)!r} differs from "
                        f"{getattr(first, field_name)!r} declared in {declared_in[entity.ref]}",
                        f"use the same {field_name} for one ref in every curation file",
                    )
    declared = {ID[ref] for ref in corpus.entities}
    claims = {f"{a.number}/{c.key}": (a, c) for a in corpus.articles for c in a.claims}
    for article in corpus.articles:
        ctx = _Context(article.curation_path, root)
        refs: list[tuple[int, str, URIRef]] = []
        for fact in article.source_facts + article.facts:
            refs.append((fact.line, f"fact '{fact.key}'", fact.subject))
            if isinstance(fact.value, URIRef) and not _is_concept(fact.value):
                refs.append((fact.line, f"fact '{fact.key}'", fact.value))
        for claim in article.claims:
            refs.append((claim.line, f"claim '{claim.key}'", claim.about))
            if claim.speaker is not None:
                refs.append((claim.line, f"claim '{claim.key}'", claim.speaker))
            for name in ("conflicts_with", "corroborates"):
                for target in getattr(claim, name):
                    if partial and target.partition("/")[0] not in loaded:
                        continue
                    if target not in claims:
                        raise ctx.error(
                            claim.line,
                            f"claim '{claim.key}'",
                            f"{name} names unknown claim {target!r}",
                            "refer to claims as NNN/key, NNN being the article number",
                        )
                    if target == f"{article.number}/{claim.key}":
                        raise ctx.error(
                            claim.line,
                            f"claim '{claim.key}'",
                            f"{name} names the claim itself",
                            "remove it from the list",
                        )
        for line, what, iri in refs:
            if partial:
                break
            if iri != article.iri and iri not in declared:
                ref = str(iri)[len(str(ID)) :]
                raise ctx.error(
                    line,
                    what,
                    f"'{ref}' is not declared in any curation file's entities",
                    f"add an entity with `ref: {ref}` (type, name, label, quote) where an article names it",
                )


def _is_concept(iri: URIRef) -> bool:
    kind = str(iri)[len(str(ID)) :].partition("/")[0]
    return kind not in KINDS and kind != "article"
