"""Score the relations the build derives between claims against a labelled set of pairs.

How two figures relate (agrees, consistent, conflicts, possibly conflicts, updates, not
comparable: docs/claims.md) is a judgement, so it is held by a labelled set rather than by
expectations written from the rules: ``tests/fixtures/claims-eval/pairs.yaml`` lists pairs of
claims (``NNN/key``), each with the kinds a careful reader of the texts accepts, those they never
would, and why. The pairs are every two numeric claims the build compares (a shared subject and
the same measure, or a total and its per-side measure), of the real corpus and of the articles
written for the tests in ``tests/fixtures/claims-eval/articles/`` (fabricated, see the README
there).

``bench/claims_set.py`` reads the set and makes the project: the real corpus, curation,
ontology and shapes with the test articles and their curation, built with ``graph.build.build``
(no reasoner). Here ``read_relations(store)`` reads every relation of the built
store (derived ones and a curator's, with what a curator's overrides); ``judge(pair, relations)``
says whether what the build derived for a pair is accepted, rejected or neither. The script
prints, for each pair, what was derived and the verdict, then per kind how many pairs got an
accepted or a rejected kind, every false conflict or possible conflict (derived, rejected) and
every missed real conflict. It exits 0 whatever the scores (it is a report; the tests in
``tests/relations/test_labelled_set.py`` hold the set), 2 when the project does not build.

    .venv/bin/python bench/claims_eval.py
    .venv/bin/python bench/claims_eval.py --json scores.json
    .venv/bin/python bench/claims_eval.py --strip-new-fields   # a curation model before issue 17
    .venv/bin/python bench/claims_eval.py --strip coarse-dates # one without dates to the month
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is no package: its sibling below

from claims_set import (  # noqa: E402
    CLAIM,
    FIXTURES,
    KINDS,
    NEW_FIELDS,
    REVERSED_UPDATE,
    ROOT,
    Pair,
    build_project,
    load_pairs,
)

DISAGREEMENTS = ("conflicts", "possibly-conflicts")
# Kinds of builds before the graded model: both are sub-kinds of agrees in it.
LEGACY_KINDS = {"corroborates": "agrees", "restates": "agrees"}
NONE = "none"


# -- the relations of a build


@dataclass(frozen=True)
class Found:
    """One relation of the build, from ``source`` to ``target`` (``NNN/key``)."""

    source: str
    target: str
    kind: str  # relation-kind slug, legacy kinds mapped onto the graded ones
    rule: str
    reason: str
    curator: bool  # asserted by a curator (by hand, or overriding a derived relation)
    overridden: bool = False  # a derived relation a curator's override replaces


RELATIONS = """
PREFIX parley: <https://w3id.org/parley/ontology#>
SELECT DISTINCT ?r ?from ?to ?kind ?rule ?reason ?overrides WHERE {
    ?r a parley:ClaimRelation ; parley:fromClaim ?from ; parley:toClaim ?to ;
       parley:relationKind ?kind ; parley:relationRule ?rule .
    OPTIONAL { ?r parley:reason ?reason }
    OPTIONAL { ?r parley:overrides ?overrides }
}
"""


def _claim(iri: str) -> str:
    local = iri[len(CLAIM) :]
    return f"{local[:3]}/{local[4:]}"


def read_relations(store_dir: Path) -> dict[frozenset[str], list[Found]]:
    """Return the build's relations by pair of claims (a frozenset of two ``NNN/key``)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    rows = list(store.query(RELATIONS, use_default_graph_as_union=True))
    overridden = {row["overrides"].value for row in rows if row["overrides"] is not None}
    found: dict[frozenset[str], list[Found]] = {}
    for row in rows:
        kind = row["kind"].value.rsplit("/", 1)[-1]
        rule = row["rule"].value.rsplit("/", 1)[-1]
        relation = Found(
            source=_claim(row["from"].value),
            target=_claim(row["to"].value),
            kind=LEGACY_KINDS.get(kind, kind),
            rule=rule,
            reason=row["reason"].value if row["reason"] is not None else "",
            curator=rule == "curator",
            overridden=row["r"].value in overridden,
        )
        found.setdefault(frozenset((relation.source, relation.target)), []).append(relation)
    return found


# -- verdicts


@dataclass
class Verdict:
    """What the build derived for one pair, read from ``a`` to ``b``, and how it scores."""

    pair: Pair
    labels: list[str]  # the kinds in force (derived and not overridden, or a curator's); updated-by when reversed
    relations: list[Found] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.labels and set(self.labels) <= set(self.pair.accepts):
            return "accepted"
        if set(self.labels) & set(self.pair.rejects):
            return "rejected"
        return "neither"

    @property
    def false_disagreements(self) -> list[str]:
        return [k for k in self.labels if k in DISAGREEMENTS and k in self.pair.rejects]

    @property
    def missed_conflict(self) -> bool:
        return "conflicts" in self.pair.accepts and "conflicts" not in self.labels

    def shown(self) -> str:
        if not self.relations:
            return NONE
        parts = []
        for r in self.relations:
            label = _label(self.pair, r)
            parts.append(f"{label} ({r.rule}{', overridden' if r.overridden else ''})")
        return "; ".join(sorted(set(parts)))


def _label(pair: Pair, relation: Found) -> str:
    if relation.kind == "updates" and relation.source == pair.b:
        return REVERSED_UPDATE
    return relation.kind


def judge(pair: Pair, relations: dict[frozenset[str], list[Found]]) -> Verdict:
    """Return the verdict on ``pair`` given the build's ``relations`` (``read_relations``)."""
    found = relations.get(frozenset((pair.a, pair.b)), [])
    labels = sorted({_label(pair, r) for r in found if not r.overridden})
    return Verdict(pair, labels, sorted(found, key=lambda r: (r.source, r.kind, r.rule)))


def source_of(pair: Pair, fixture_numbers: set[str]) -> str:
    """``corpus``, ``test+corpus`` or ``test``: where the pair's two claims come from."""
    tests = sum(name[:3] in fixture_numbers for name in (pair.a, pair.b))
    return ("corpus", "test+corpus", "test")[tests]


def fixture_numbers(fixtures: Path = FIXTURES) -> set[str]:
    return {p.name[:3] for p in (fixtures / "articles").glob("*.txt")}


def summary(verdicts: list[Verdict], numbers: set[str]) -> dict:
    """Return the scores of ``verdicts``: overall, per source, per kind, and the lists."""
    overall = Counter(v.verdict for v in verdicts)
    by_source: dict[str, Counter] = {}
    for v in verdicts:
        by_source.setdefault(source_of(v.pair, numbers), Counter())[v.verdict] += 1
    per_kind: dict[str, Counter] = {}
    for v in verdicts:
        for label in v.labels or [NONE]:
            row = per_kind.setdefault(label, Counter())
            row["derived"] += 1
            row["accepted" if label in v.pair.accepts else "rejected" if label in v.pair.rejects else "neither"] += 1
    for kind in KINDS:
        row = per_kind.setdefault(kind, Counter())
        row["labelled"] = sum(kind in v.pair.accepts for v in verdicts)
        row["found"] = sum(kind in v.pair.accepts and kind in v.labels for v in verdicts)
    return {
        "pairs": len(verdicts),
        "overall": {k: overall.get(k, 0) for k in ("accepted", "rejected", "neither")},
        "by_source": {
            s: {k: c.get(k, 0) for k in ("accepted", "rejected", "neither")} for s, c in sorted(by_source.items())
        },
        "per_kind": {
            k: {c: row.get(c, 0) for c in ("derived", "accepted", "rejected", "neither", "labelled", "found")}
            for k, row in sorted(per_kind.items(), key=lambda item: (item[0] not in KINDS, item[0]))
        },
        "false_disagreements": [_listed(v) for v in verdicts if v.false_disagreements],
        "missed_conflicts": [_listed(v) for v in verdicts if v.missed_conflict],
    }


def _listed(v: Verdict) -> dict:
    return {
        "a": v.pair.a,
        "b": v.pair.b,
        "derived": v.shown(),
        "accepts": list(v.pair.accepts),
        "why": v.pair.why,
        "reasons": sorted({r.reason for r in v.relations if r.reason}),
    }


# -- the report


def report(verdicts: list[Verdict], scores: dict) -> str:
    """Return the human report: every pair, then the scores and the lists."""
    width = max(len(v.pair.a) + len(v.pair.b) for v in verdicts) + 3
    lines = [f"{'pair':<{width}} {'verdict':<8}  derived  [accepts | rejects]"]
    for v in verdicts:
        pair = f"{v.pair.a} ~ {v.pair.b}"
        lines.append(
            f"{pair:<{width}} {v.verdict:<8}  {v.shown()}  [{', '.join(v.pair.accepts)} | {', '.join(v.pair.rejects)}]"
        )
    o = scores["overall"]
    lines += [
        "",
        f"{scores['pairs']} labelled pairs: {o['accepted']} accepted, {o['rejected']} rejected, {o['neither']} neither",
    ]
    for source, c in scores["by_source"].items():
        lines.append(
            f"  {source:<12} {sum(c.values()):>4} pairs: {c['accepted']} accepted, {c['rejected']} rejected, {c['neither']} neither"
        )
    lines += [
        "",
        f"{'kind':<20} {'derived':>7} {'accepted':>8} {'rejected':>8} {'neither':>7}   {'labelled':>8} {'found':>5}",
    ]
    for kind, c in scores["per_kind"].items():
        lines.append(
            f"{kind:<20} {c['derived']:>7} {c['accepted']:>8} {c['rejected']:>8} {c['neither']:>7}   {c['labelled']:>8} {c['found']:>5}"
        )
    lines += [
        "  (derived: pairs the build gave this kind; accepted/rejected/neither: by the pair's labels;",
        "   labelled: pairs whose readers accept this kind; found: of those, pairs the build gave it)",
        "",
        f"False conflicts and possible conflicts (derived, rejected by the reader): {len(scores['false_disagreements'])}",
    ]
    for item in scores["false_disagreements"]:
        lines += [
            f"  {item['a']} ~ {item['b']}: {item['derived']}",
            f"      reader accepts {', '.join(item['accepts'])}: {item['why']}",
        ]
        lines += [f"      build: {reason}" for reason in item["reasons"]]
    lines += [
        "",
        f"Missed real conflicts (the reader accepts conflicts; the build did not derive one): {len(scores['missed_conflicts'])}",
    ]
    for item in scores["missed_conflicts"]:
        lines += [f"  {item['a']} ~ {item['b']}: derived {item['derived']}", f"      {item['why']}"]
    return "\n".join(lines)


def evaluate(strip=(), workdir: Path | None = None) -> tuple[list[Verdict], dict]:
    """Build the evaluation project and return the verdict on every labelled pair, with the scores."""
    pairs = load_pairs()
    with tempfile.TemporaryDirectory(prefix="claims-eval-") as tmp:
        where = Path(workdir) if workdir is not None else Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        build = build_project(where, strip)
        relations = read_relations(build / "store")
    verdicts = [judge(p, relations) for p in pairs]
    return verdicts, summary(verdicts, fixture_numbers())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--json", nargs="?", const="-", metavar="FILE", help="write the scores as JSON (to FILE, or stdout)"
    )
    parser.add_argument(
        "--strip",
        default="",
        metavar="FIELD,...",
        help=f"drop these fields from the test articles' curation, for a checkout whose curation model "
        f"refuses them: {', '.join(NEW_FIELDS)}",
    )
    parser.add_argument(
        "--strip-new-fields", action="store_true", help="drop them all (--strip " + ",".join(NEW_FIELDS) + ")"
    )
    parser.add_argument("--work", type=Path, help="build in DIR (kept) instead of a temporary directory")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from graph.errors import ParleyError

    strip = NEW_FIELDS if args.strip_new_fields else tuple(f for f in args.strip.split(",") if f)
    if set(strip) - set(NEW_FIELDS):
        parser.error(
            f"--strip: unknown fields {sorted(set(strip) - set(NEW_FIELDS))}; the fields are {', '.join(NEW_FIELDS)}"
        )
    try:
        verdicts, scores = evaluate(strip, args.work)
    except ParleyError as error:  # no build, no scores: say why, not a traceback
        print(f"the evaluation project does not build: {error}", file=sys.stderr)
        if "unknown key" in str(error) or "valid date" in str(error):
            print("  (a curation model without the fields of issue 17? see --strip)", file=sys.stderr)
        return 2
    if args.json:
        data = dict(
            scores,
            verdicts=[dict(asdict(v.pair), labels=v.labels, verdict=v.verdict, derived=v.shown()) for v in verdicts],
        )
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text, encoding="utf-8")
    if args.json != "-":
        print(report(verdicts, scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
