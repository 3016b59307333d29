"""Load and check the curation files: one YAML file per article, every entry anchored by an
exact quote from its article.

``load_corpus(root, vocab)`` reads ``corpus/*.txt`` and ``curation/*.yaml`` and returns a
``Corpus`` of checked ``ArticleCuration`` records whose quotes have been found in their
articles (offsets computed here, never taken from the file) and whose references, properties,
concepts and dates are known. Each file is checked first against the models of
``graph.curation_models`` (keys, types, the rules across the fields of an entry;
``graph.curation_shape``), then the entries that passed, entry by entry, against its article and
the vocabulary (``graph.curation_entries``), then across files; every problem found is collected, and one ``SourceError`` lists
them all, one a line, each naming the file, the line and the fix. Each entry that fails is kept
as a ``FailedEntry`` of its article (``failed_entries``: its name, file:line and the passages its
quote points at), so the coverage check names it rather than calling its figures uncovered too.
The format is documented in ``curation/README.md``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml
from rdflib import URIRef

from .curation_entries import check_entries
from .curation_fields import ARTICLE_FILE
from .curation_models import CurationFile
from .curation_shape import SECTIONS, entry_name, parse_file
from .curation_yaml import Context, display, load_lines
from .errors import SourceError
from .namespaces import ID, KINDS, PARLEY, concept
from .quotes import nearest_passage
from .records import Anchor, ArticleCuration, Claim, Corpus, Entity, Fact, FailedEntry, OutOfScope  # noqa: F401 (re-exported)
from .vocabulary import Vocabulary

WHEREABOUTS = concept("measure", "whereabouts")  # the measure whose claims name a place (`object:`)


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
    """Return every article with its checked curation; raise one SourceError listing every problem.

    With ``partial`` an article without a curation file is not an error but listed in the
    corpus's ``missing`` (for curators working file by file; the build never uses it).
    Files are checked across (entities, references, claim links) only when each passed alone.
    """
    corpus, problems = load_corpus_tolerant(root, vocab, corpus_dir, curation_dir, partial=partial, across=False)
    if problems:
        raise all_problems(problems)
    return corpus


def load_corpus_tolerant(
    root: Path,
    vocab: Vocabulary,
    corpus_dir: Path | None = None,
    curation_dir: Path | None = None,
    partial: bool = False,
    across: bool = True,
) -> tuple[Corpus, list[SourceError]]:
    """Return the corpus of every entry that passed, and the problems of the rest (never raises for them).

    What ``parley check`` reports from and ``parley preview`` builds from: a draft's TODO
    entries fail their checks and are left out, the rest stands. An article whose curation
    file cannot be read at all is left out. With ``across`` the checks across files run even
    when a file has problems (on what passed), so unknown references are listed too; without
    it (``load_corpus``) only when every file passed alone. Raises SourceError only when the
    corpus itself is missing.
    """
    corpus_dir = corpus_dir or root / "corpus"
    curation_dir = curation_dir or root / "curation"
    if not corpus_dir.is_dir():
        raise SourceError(f"{corpus_dir}: corpus directory missing", hint="vendor the articles into corpus/")
    texts = article_files(corpus_dir)
    if not texts:
        raise SourceError(f"{corpus_dir}: no article files (NNN_hash.txt)", hint="vendor the articles into corpus/")
    problems: list[SourceError] = []
    articles, missing = [], []
    stems = {p.stem for p in texts}
    for yaml_path in sorted(curation_dir.glob("*.yaml")):
        if yaml_path.stem not in stems:
            problems.append(
                SourceError(
                    f"{display(yaml_path, root)}: curation for a missing article corpus/{yaml_path.stem}.txt",
                    hint="restore the article in corpus/ or remove the curation file",
                )
            )
    for path in texts:
        if partial and not (curation_dir / f"{path.stem}.yaml").is_file():
            missing.append(path)
            continue
        try:
            article, file_problems = _load_article(path, curation_dir, vocab, root)
        except SourceError as exc:  # the file cannot be read at all
            problems.append(exc)
            continue
        problems.extend(file_problems)
        articles.append(article)
    corpus = Corpus(articles=articles, entities={}, missing=missing)
    if across or not problems:
        # An entity or claim whose entry failed is still declared: naming it is no second problem.
        problems += _check_across_files(corpus, root, partial=partial, attempted=_attempted(curation_dir))
    return corpus, problems


def _attempted(curation_dir: Path) -> tuple[set[str], set[str]]:
    """The ``ref`` of every entity entry and ``NNN/key`` of every claim of the curation files, checked or not."""
    refs: set[str] = set()
    keys: set[str] = set()
    for path in sorted(curation_dir.glob("*.yaml")):
        try:
            data = load_lines(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        number = path.stem.split("_", 1)[0]
        for section, field_name, prefix, found in (
            ("entities", "ref", "", refs),
            ("claims", "key", number + "/", keys),
        ):
            entries = data.get(section)
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get(field_name), str):
                    found.add(prefix + entry[field_name])
    return refs, keys


def all_problems(problems: list[SourceError]) -> SourceError:
    """Return one SourceError for ``problems``: itself for one, else one line (with its fix) for each."""
    if len(problems) == 1:
        return problems[0]
    lines = [f"{p.message}; fix: {p.hint}" if p.hint else p.message for p in problems]
    return SourceError(
        f"{len(problems)} problems in the curation:\n" + "\n".join(lines),
        hint="fix each problem listed above (file:line: entry: what is wrong; fix), then run `parley check` again",
    )


def _load_article(
    path: Path, curation_dir: Path, vocab: Vocabulary, root: Path
) -> tuple[ArticleCuration, list[SourceError]]:
    """Return the article with what of its curation passed, and the problems of the rest.

    Raises SourceError when the file cannot be read at all (missing, not UTF-8, not YAML).
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{display(path, root)}: not UTF-8 ({exc})", hint="re-vendor the article unchanged") from None
    number = ARTICLE_FILE.match(path.name).group(1)
    curation_path = curation_dir / f"{path.stem}.yaml"
    if not curation_path.is_file():
        raise SourceError(
            f"{display(curation_path, root)}: missing curation for {display(path, root)}",
            hint=f"write {display(curation_path, root)} (see curation/README.md)",
        )
    curation_bytes = curation_path.read_bytes()
    ctx = Context(curation_path, root)
    try:
        data = load_lines(curation_bytes.decode("utf-8"))
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
    model, problems = parse_file(data, ctx)
    if model.article is not None and model.article != path.name:  # None: its shape is wrong, reported
        problems.insert(
            0,
            ctx.error(
                model.key_lines.get("article", model.line),
                "article",
                f"names {data.get('article')!r}, not {path.name!r}",
                f"write `article: {path.name}`",
            ),
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
    failed: set[int] = set()
    problems += check_entries(model, article, vocab, ctx, failed)
    article.failed = failed_entries(data, model, failed, text, ctx)
    return article, sorted(problems, key=lambda p: _line_of(p, ctx))


def failed_entries(data: dict, model: CurationFile, failed: set[int], text: str, ctx: Context) -> list[FailedEntry]:
    """Every entry of the file that failed, its shape (left out of ``model``) or its checks (its
    line in ``failed``), named as its problem names it, with the passages its quote points at."""
    found = []
    for section in SECTIONS:
        passed = {entry.line for entry in getattr(model, section) or ()} - failed
        entries = data.get(section)
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            if isinstance(entry, dict) and entry.line not in passed:
                found.append(_failed_entry(entry_name(data, (section, index)), entry, text, ctx))
    source = data.get("source")
    for name, value in source.items() if isinstance(source, dict) else ():
        field = getattr(model.source, name, None) if model.source is not None else None
        kept = field if isinstance(field, list) else [field]
        passed = {entry.line for entry in kept if entry is not None} - failed
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, dict) and entry.line not in passed:
                found.append(_failed_entry(f"source {name}", entry, text, ctx))
    return found


def _failed_entry(what: str, entry: dict, text: str, ctx: Context) -> FailedEntry:
    """The failed entry with the passages its quote points at: the occurrence it asks for, every
    occurrence, or the nearest passage when the quote is not in the text (none without a quote)."""
    quote, occurrence = entry.get("quote"), entry.get("occurrence")
    spans: list[tuple[int, int]] = []
    if isinstance(quote, str) and quote.strip():
        starts = [m.start() for m in re.finditer(re.escape(quote), text)]
        if isinstance(occurrence, int) and 1 <= occurrence <= len(starts):
            starts = [starts[occurrence - 1]]
        spans = [(start, start + len(quote)) for start in starts]
        near = None if spans else nearest_passage(text, quote)
        if near:
            start = text.index(near[0])
            spans = [(start, start + len(near[0]))]
    words = tuple(str(entry[k]) for k in ("figure", "stated_value", "text") if isinstance(entry.get(k), str | int))
    return FailedEntry(what, f"{ctx.display}:{entry.line}", tuple(spans), words)


def _line_of(problem: SourceError, ctx: Context) -> int:
    found = re.match(rf"{re.escape(ctx.display)}:(\d+):", problem.message)
    return int(found.group(1)) if found else 0


def _check_across_files(
    corpus: Corpus, root: Path, partial: bool = False, attempted: tuple[set, set] = (set(), set())
) -> list[SourceError]:
    """Return the problems across files: entities disagree, references undeclared, claim links broken,
    a claim's object not named by its words or a whereabouts claim without a place.

    With ``partial`` and some curation files not written yet, claim links into the missing
    files are not checked and undeclared references go to ``corpus.unknown_refs``.
    """
    problems: list[SourceError] = []
    loaded = {a.number for a in corpus.articles}
    declared_in: dict[str, str] = {}
    for article in corpus.articles:
        ctx = Context(article.curation_path, root)
        for entity in article.entities:
            first = corpus.entities.get(entity.ref)
            if first is None:
                corpus.entities[entity.ref] = entity
                declared_in[entity.ref] = f"{ctx.display}:{entity.line}"
                continue
            for field_name in ("type", "name"):
                if getattr(first, field_name) != getattr(entity, field_name):
                    problems.append(
                        ctx.error(
                            entity.line,
                            f"entity '{entity.ref}'",
                            f"{field_name} {getattr(entity, field_name)!r} differs from "
                            f"{getattr(first, field_name)!r} declared in {declared_in[entity.ref]}",
                            f"use the same {field_name} for one ref in every curation file",
                        )
                    )
    attempted_refs, attempted_claims = attempted
    declared = {ID[ref] for ref in set(corpus.entities) | attempted_refs}
    names: dict[URIRef, set[str]] = {}  # every name and label each ref has in any file
    for entity in (e for a in corpus.articles for e in a.entities):
        names.setdefault(ID[entity.ref], set()).update((entity.name, entity.label))
    claims = {f"{a.number}/{c.key}": (a, c) for a in corpus.articles for c in a.claims}
    for article in corpus.articles:
        ctx = Context(article.curation_path, root)
        refs: list[tuple[int, str, URIRef]] = []
        for fact in article.source_facts + article.facts:
            refs.append((fact.line, f"fact '{fact.key}'", fact.subject))
            refs += [(fact.line, f"fact '{fact.key}'", speaker) for speaker in fact.speakers if speaker is not None]
            if isinstance(fact.value, URIRef) and not _is_concept(fact.value):
                refs.append((fact.line, f"fact '{fact.key}'", fact.value))
        for claim in article.claims:
            refs.append((claim.line, f"claim '{claim.key}'", claim.about))
            refs += [(claim.line, f"claim '{claim.key}'", speaker) for speaker in claim.speakers if speaker is not None]
            if claim.scope is not None and claim.scope != PARLEY.unspecifiedScope:
                refs.append((claim.line, f"claim '{claim.key}'", claim.scope))
            if claim.baseline is not None and claim.baseline != PARLEY.unspecifiedBaseline:
                refs.append((claim.line, f"claim '{claim.key}'", claim.baseline))
            refs += [(claim.line, f"claim '{claim.key}'", entity) for entity in claim.objects]
            problems += _object_problems(claim, ctx, names, corpus.entities)
            for name in ("conflicts_with", "corroborates", "overrides"):
                for target in (link.target for link in getattr(claim, name)):
                    if partial and target.partition("/")[0] not in loaded:
                        continue
                    if target not in claims and target not in attempted_claims:
                        problems.append(
                            ctx.error(
                                claim.line,
                                f"claim '{claim.key}'",
                                f"{name} names unknown claim {target!r}",
                                "refer to claims as NNN/key, NNN being the article number",
                            )
                        )
                    if target == f"{article.number}/{claim.key}":
                        problems.append(
                            ctx.error(
                                claim.line,
                                f"claim '{claim.key}'",
                                f"{name} names the claim itself",
                                "remove it from the list",
                            )
                        )
        for line, what, iri in refs:
            if iri != article.iri and iri not in declared:
                ref = str(iri)[len(str(ID)) :]
                (corpus.unknown_refs if partial and corpus.missing else problems).append(
                    ctx.error(
                        line,
                        what,
                        f"'{ref}' is not declared in any curation file's entities",
                        f"add an entity with `ref: {ref}` (type, name, label, quote) where an article names it",
                    )
                )
    return problems


def _object_problems(claim: Claim, ctx: Context, names: dict[URIRef, set[str]], entities: dict) -> list[SourceError]:
    """What is wrong with a claim's objects: one its stated value does not name, or a whereabouts
    claim without a place. An undeclared object is reported as an undeclared reference, not here."""
    what = f"claim '{claim.key}'"
    problems = []
    if claim.measure == WHEREABOUTS:
        if not claim.objects:
            problems.append(
                ctx.error(
                    claim.line,
                    what,
                    "is a whereabouts claim with no place in `object:`",
                    "add `object:` with the `place/...` or `state/...` ref its words name (declared under "
                    "`entities:`), or choose another measure",
                )
            )
        for entity in claim.objects:
            found = entities.get(_ref(entity))
            if found is not None and found.type not in ("Place", "State"):
                problems.append(
                    ctx.error(
                        claim.line,
                        what,
                        f"is a whereabouts claim, but its object '{found.ref}' is a {found.type}, not a place",
                        "point `object:` at the place the words name (a `place/...` or `state/...` ref), "
                        "or choose another measure",
                    )
                )
    words = (claim.stated_value or "").casefold()
    for entity in claim.objects:
        if entity in names and not any(name.casefold() in words for name in names[entity]):
            problems.append(
                ctx.error(
                    claim.line,
                    what,
                    f"object '{_ref(entity)}' is not named in its stated value (as any of "
                    f"{', '.join(repr(n) for n in sorted(names[entity]))})",
                    "point `object:` only at what the words name, or widen `stated_value` to the words that name it",
                )
            )
    return problems


def _ref(iri: URIRef) -> str:
    return str(iri)[len(str(ID)) :]


def _is_concept(iri: URIRef) -> bool:
    kind = str(iri)[len(str(ID)) :].partition("/")[0]
    return kind not in KINDS and kind != "article"
