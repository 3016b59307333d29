"""The labelled set of claim pairs and the project it is judged on, for ``bench/claims_eval.py``.

``load_pairs()`` reads ``tests/fixtures/claims-eval/pairs.yaml`` (each pair of claims ``NNN/key``
with the kinds a careful reader accepts, those they never would, and why); ``source_claims``,
``both_sides`` and ``compared_pairs`` read the sources' own claims, so the set's tests can check
that it holds every pair the build compares; ``make_project(target)`` copies the real corpus,
curation, ontology and shapes into ``target`` with the test articles and their curation (their
newer fields dropped by ``strip_fields`` for an older curation model), and
``build_project(workdir)`` builds it with ``graph.build.build`` (no reasoner).
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "claims-eval"
PAIRS = FIXTURES / "pairs.yaml"
COPIED = ("corpus", "curation", "ontology", "shapes")  # what the build reads

# The relation kinds of the claims model (docs/claims.md; notes of issue 17).
KINDS = ("agrees", "consistent", "conflicts", "possibly-conflicts", "updates", "not-comparable")
# An update read against the pair's order (``b`` updates ``a``): pairs name the later claim first.
REVERSED_UPDATE = "updated-by"

ID = "https://w3id.org/parley/id/"
CLAIM = ID + "claim/"
BOTH_SIDES = "https://w3id.org/parley/ontology#bothSidesOf"
MEASURE = ID + "measure/"


# -- the labelled set


@dataclass(frozen=True)
class Pair:
    """One labelled pair: the kinds a careful reader accepts between ``a`` and ``b``, those they
    never would, and why. ``updates`` reads from ``a`` to ``b`` (``a`` is the later figure)."""

    a: str
    b: str
    accepts: tuple[str, ...]
    rejects: tuple[str, ...]
    why: str
    line: int = 0

    @property
    def id(self) -> str:
        return f"{self.a}~{self.b}"


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """Return the pairs of ``path`` in file order. Raises ValueError naming the entry whose shape is
    wrong (a missing key, a kind that is not a string); the tests check the rest (known kinds,
    claims that exist)."""
    text = path.read_text(encoding="utf-8")
    document = yaml.compose(text)
    if document is None or document.id != "mapping":
        raise ValueError(f"{path}: expected a mapping with a `pairs` list")
    entries = {k.value: v for k, v in document.value}.get("pairs")
    if entries is None or entries.id != "sequence":
        raise ValueError(f"{path}: expected a `pairs` list")
    pairs = []
    for node in entries.value:
        entry = yaml.safe_load(yaml.serialize(node))
        where = f"{path}:{node.start_mark.line + 1}"
        if not isinstance(entry, dict) or set(entry) - {"a", "b", "accepts", "rejects", "why"}:
            raise ValueError(f"{where}: a pair has the keys a, b, accepts, rejects, why (got {entry!r})")
        try:
            a, b, accepts, why = entry["a"], entry["b"], entry["accepts"], entry["why"]
        except KeyError as missing:
            raise ValueError(f"{where}: the pair lacks {missing}") from None
        rejects = entry.get("rejects") or []
        kinds = [accepts, rejects] if isinstance(accepts, list) and isinstance(rejects, list) else None
        if kinds is None or not all(isinstance(k, str) for k in accepts + rejects):
            raise ValueError(f"{where}: accepts and rejects are lists of relation kinds")
        pairs.append(Pair(str(a), str(b), tuple(accepts), tuple(rejects), str(why).strip(), node.start_mark.line + 1))
    return pairs


# -- the claims of the sources, for the set's own checks


@dataclass(frozen=True)
class SourceClaim:
    name: str  # NNN/key
    about: tuple[str, ...]
    measure: str
    numeric: bool


def source_claims(root: Path = ROOT, fixtures: Path = FIXTURES) -> dict[str, SourceClaim]:
    """Return every claim of the corpus's curation files and the test articles', by ``NNN/key``."""
    files = sorted((root / "curation").glob("[0-9][0-9][0-9]_*.yaml")) + sorted(
        (fixtures / "curation").glob("[0-9][0-9][0-9]_*.yaml")
    )
    claims = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for claim in data.get("claims") or []:
            about = claim.get("about")
            name = f"{path.name[:3]}/{claim.get('key')}"
            claims[name] = SourceClaim(
                name,
                tuple(about) if isinstance(about, list) else (about,),
                str(claim.get("measure")),
                "figure" in claim,
            )
    return claims


def both_sides(root: Path = ROOT) -> dict[str, str]:
    """Return ``{total measure slug: per-side measure slug}`` from ``parley:bothSidesOf`` in the code lists."""
    from rdflib import Graph, URIRef

    graph = Graph().parse(root / "ontology" / "codelists.ttl")
    return {str(s)[len(MEASURE) :]: str(o)[len(MEASURE) :] for s, o in graph.subject_objects(URIRef(BOTH_SIDES))}


def compared_pairs(claims: dict[str, SourceClaim], totals: dict[str, str]) -> set[frozenset[str]]:
    """Return every two numeric claims the build compares: a shared subject, and the same measure or a
    total and its per-side measure (``graph.relations.pairs``)."""
    numeric = sorted((c for c in claims.values() if c.numeric), key=lambda c: c.name)
    found = set()
    for x, y in combinations(numeric, 2):
        if not set(x.about) & set(y.about):
            continue
        if x.measure == y.measure or totals.get(x.measure) == y.measure or totals.get(y.measure) == x.measure:
            found.add(frozenset((x.name, y.name)))
    return found


# -- the project and its build


def make_project(target: Path, strip=(), root: Path = ROOT, fixtures: Path = FIXTURES) -> Path:
    """Copy the real project's sources into ``target`` and add the test articles and their curation.

    ``strip`` names fields of ``NEW_FIELDS`` to drop from the test articles' curation, which a
    curation model without them refuses, to score the rules of such a checkout. Raises
    ValueError when a test article's number is taken.
    """
    target = Path(target)
    for name in COPIED:
        shutil.copytree(root / name, target / name)
    taken = {p.name[:3] for p in (target / "corpus").glob("*.txt")}
    for article in sorted((fixtures / "articles").glob("*.txt")):
        if article.name[:3] in taken:
            raise ValueError(
                f"test article {article.name}: corpus/ already has an article {article.name[:3]}; "
                "renumber the test articles (file each again with `parley add`)"
            )
        shutil.copy2(article, target / "corpus" / article.name)
        curation = fixtures / "curation" / f"{article.stem}.yaml"
        text = curation.read_text(encoding="utf-8")
        (target / "curation" / curation.name).write_text(strip_fields(text, strip) if strip else text, encoding="utf-8")
    return target


# The curation fields of issue 17 that an older curation model refuses; "coarse-dates" are
# `stated_on`/`as_of` given to the month or the year.
NEW_FIELDS = ("baseline", "sides", "overrides", "coarse-dates")
_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[a-z_]+):")
_COARSE_DATE = re.compile(r"^\s*(?:stated_on|as_of):\s*\d{4}(?:-\d{2})?\s*(?:#.*)?$")


def strip_fields(text: str, fields=NEW_FIELDS) -> str:
    """Return curation ``text`` without the ``fields`` of ``NEW_FIELDS`` (a key with the lines of its
    block; for ``coarse-dates``, the month or year dates)."""
    unknown = set(fields) - set(NEW_FIELDS)
    if unknown:
        raise ValueError(f"cannot strip {sorted(unknown)}: the fields are {', '.join(NEW_FIELDS)}")
    kept, block = [], None
    for line in text.splitlines(keepends=True):
        if block is not None:
            if line.strip() and (len(line) - len(line.lstrip())) > block:
                continue
            block = None
        match = _KEY.match(line)
        if match and match.group("key") in fields:
            block = len(match.group("indent"))
            continue
        if "coarse-dates" in fields and _COARSE_DATE.match(line):
            continue
        kept.append(line)
    return "".join(kept)


def build_project(workdir: Path, strip=()) -> Path:
    """Make the project in ``workdir/project``, build it into ``workdir/build`` and return the build."""
    sys.path.insert(0, str(ROOT))
    from graph.build import build

    project = Path(workdir) / "project"
    if project.exists():  # a kept work directory (--work) of an earlier run
        shutil.rmtree(project)
    make_project(project, strip)
    out = Path(workdir) / "build"
    build(out=out, root=project, reasoner=False)
    return out
