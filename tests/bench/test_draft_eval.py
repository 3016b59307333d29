"""The draft evaluation (``bench/draft_eval.py``): it prints a well-formed report for one test
article, its JSON holds a share in [0, 1] for every score and counts every curated figure, and
each article written for it passes ``parley check`` beside the real corpus (no score thresholds:
the scores are a report)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.helpers import load_bench_script

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "draft-eval"
STEMS = sorted(p.stem for p in FIXTURES.glob("*.txt"))

draft_eval = load_bench_script("draft_eval")


def test_report_on_one_article(tmp_path, capsys):
    stem = FIXTURES / STEMS[0]
    out = tmp_path / "scores.json"
    assert draft_eval.main([str(stem), "--json", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["article", "ent.rec", "ent.prec"]
    assert lines[1].startswith(f"{STEMS[0]}.txt (") and lines[2].startswith("overall (")
    assert len(lines) == 3
    data = json.loads(out.read_text())
    curation = yaml.safe_load(stem.with_suffix(".yaml").read_text())
    figures = [c for c in curation["claims"] if "figure" in c]
    (article,) = data["articles"]
    assert article["figures"] == len(figures) == data["overall"]["figures"]
    assert article["entities_curated"] == len(curation["entities"])
    assert set(article["shares"]) == {"entity_recall", "entity_precision", *draft_eval.FIELDS}
    for value in article["shares"].values():
        assert value is not None and 0 <= value <= 1


def test_pairs_finds_every_fixture_layout():
    found = draft_eval.pairs([FIXTURES, ROOT / "tests/fixtures/articles/freedonia_exchange"])
    assert [a.stem for a, _ in found] == [*STEMS, "freedonia_exchange"]
    assert all(c.exists() for _, c in found)


@pytest.mark.parametrize("stem", STEMS)
def test_fixture_curation_passes_check_beside_the_corpus(tmp_path, stem):
    from parley.cli import cli

    for name in ("corpus", "curation", "ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(FIXTURES / f"{stem}.txt", tmp_path / "corpus")
    shutil.copy(FIXTURES / f"{stem}.yaml", tmp_path / "curation")
    result = CliRunner().invoke(cli, ["check", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"curation/{stem}.yaml:" in result.output
