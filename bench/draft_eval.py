"""Score the draft ``parley add`` writes against a careful curator's hand curation of the same article.

The draft (``graph.draft.draft_curation``) proposes entities and a claim for every figure; how
good a start it is can only be judged against what a curator kept. The articles scored here were
written for the tests (fabricated, see the READMEs beside them) and each has its hand curation:
``tests/fixtures/draft-eval/`` (written for this evaluation), ``tests/fixtures/claims-eval/`` and
``tests/fixtures/articles/freedonia_exchange.*``. The draft learns only from the real curated
corpus (``curation/`` of the checkout and ``ontology/``), never from the test article's own
curation, and is given what ``parley add`` is given: the text, the file name and the publication
date (``--published``, the hand curation's ``source.published.date``).

Per article and overall it prints: entity recall (the curated entity refs the draft proposed)
and precision (the draft's entity candidates that are curated refs; a ``TODO/...`` ref never
is), and, over the curated claims that carry a figure, the share whose figure the draft found
and whose measure, speaker, approximation and as-of date it got right (a draft claim is paired
with a curated one by its figure as printed, or the figure's number and the quote; an unpaired
figure counts as wrong on every field; a missing as-of date is right when the curator gives none
either). It exits 0 whatever the scores (a report, not a test).

    .venv/bin/python bench/draft_eval.py
    .venv/bin/python bench/draft_eval.py --json scores.json
    .venv/bin/python bench/draft_eval.py tests/fixtures/draft-eval/008_a1b2c3d4e5f60708
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELDS = ("figure", "measure", "speaker", "approximation", "as_of")


@dataclass
class Score:
    """What the draft got right for one article (or, summed, for all of them)."""

    article: str
    entities_curated: int = 0
    entities_drafted: int = 0
    entities_right: int = 0
    figures: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    def add(self, other: Score) -> None:
        self.entities_curated += other.entities_curated
        self.entities_drafted += other.entities_drafted
        self.entities_right += other.entities_right
        self.figures += other.figures
        for name in FIELDS:
            self.right[name] += other.right[name]

    def shares(self) -> dict[str, float | None]:
        def share(n: int, d: int) -> float | None:
            return round(n / d, 3) if d else None

        out = {
            "entity_recall": share(self.entities_right, self.entities_curated),
            "entity_precision": share(self.entities_right, self.entities_drafted),
        }
        out.update({name: share(self.right[name], self.figures) for name in FIELDS})
        return out


def pairs(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(article, curation) pairs: each path is a stem (``dir/NNN_hex``) or a directory of them."""
    found = []
    for path in paths:
        if path.is_dir() and (path / "articles").is_dir():
            found += [(a, path / "curation" / (a.stem + ".yaml")) for a in sorted((path / "articles").glob("*.txt"))]
        elif path.is_dir():
            found += [(a, a.with_suffix(".yaml")) for a in sorted(path.glob("*.txt"))]
        else:
            article = path.with_suffix(".txt")
            curation = next(c for c in (path.with_suffix(".yaml"), path.with_suffix(".curation.yaml")) if c.exists())
            found.append((article, curation))
    return found


def _speaker(value) -> tuple:
    return tuple(sorted(value)) if isinstance(value, list) else (value,)


def _digits(figure: str) -> str:
    return re.sub(r"[^\d]", "", str(figure))


def _pair(gold: dict, drafted: list[dict], used: set[int]) -> dict | None:
    """The draft claim for a curated figure: the same figure as printed, else its number in an overlapping quote."""
    figure = str(gold["figure"])
    for exact in (True, False):
        for i, claim in enumerate(drafted):
            if i in used or "figure" not in claim:
                continue
            same = str(claim["figure"]) == figure
            if not exact:
                quote, gquote = str(claim.get("quote", "")), str(gold.get("quote", ""))
                same = _digits(claim["figure"]) == _digits(figure) and (gquote in quote or quote in gquote)
            if same:
                used.add(i)
                return claim
    return None


def score(article: Path, curation: Path, base: Path = ROOT) -> Score:
    """Draft ``article`` from what ``base``'s curated corpus knows and score it against ``curation``."""
    from graph.draft import draft_curation, known_labels, learn, measure_labels
    from graph.vocabulary import load_vocabulary

    gold = yaml.safe_load(curation.read_text(encoding="utf-8"))
    published = ((gold.get("source") or {}).get("published") or {}).get("date")
    name = gold.get("article") or article.name
    text = article.read_text(encoding="utf-8")
    measures = measure_labels(load_vocabulary(base / "ontology"))
    draft = yaml.safe_load(
        draft_curation(
            text,
            name,
            known_labels(base / "curation"),
            published=str(published) if published else None,
            measures=measures,
            knowledge=learn(base / "curation"),
        )
    )
    result = Score(article=name)
    curated_refs = {e["ref"] for e in gold.get("entities") or []}
    drafted_refs = [e["ref"] for e in draft.get("entities") or []]
    result.entities_curated = len(curated_refs)
    result.entities_drafted = len(drafted_refs)
    result.entities_right = len(curated_refs & set(drafted_refs))
    drafted, used = [c for c in draft.get("claims") or [] if isinstance(c, dict)], set()
    for claim in gold.get("claims") or []:
        if "figure" not in claim:
            continue
        result.figures += 1
        match = _pair(claim, drafted, used)
        if match is None:
            continue
        result.right["figure"] += 1
        result.right["measure"] += match.get("measure") == claim.get("measure")
        result.right["speaker"] += _speaker(match.get("speaker")) == _speaker(claim.get("speaker"))
        result.right["approximation"] += match.get("approximation") == claim.get("approximation")
        result.right["as_of"] += str(match.get("as_of")) == str(claim.get("as_of"))
    return result


def _row(label: str, shares: dict) -> str:
    cells = ["   -  " if v is None else f"{100 * v:5.1f}%" for v in shares.values()]
    return f"{label:<34}" + " ".join(f"{c:>9}" for c in cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="article stems or fixture directories")
    parser.add_argument("--json", type=Path, default=None, help="also write the scores as JSON to this file")
    args = parser.parse_args(argv)
    fixtures = ROOT / "tests" / "fixtures"
    paths = args.paths or [
        fixtures / "draft-eval",
        fixtures / "claims-eval",
        fixtures / "articles" / "freedonia_exchange",
    ]
    total, rows = Score(article="overall"), []
    print(f"{'article':<34}" + " ".join(f"{h:>9}" for h in ("ent.rec", "ent.prec", *FIELDS)))
    for article, curation in pairs(args.paths and [p.resolve() for p in args.paths] or paths):
        result = score(article, curation)
        total.add(result)
        rows.append(result)
        print(_row(f"{result.article} ({result.figures} fig.)", result.shares()))
    print(_row(f"overall ({total.figures} fig.)", total.shares()))
    if args.json:
        data = {
            "articles": [asdict(r) | {"shares": r.shares()} for r in rows],
            "overall": asdict(total) | {"shares": total.shares()},
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
