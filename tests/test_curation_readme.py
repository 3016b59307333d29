"""The worked examples of curation/README.md cannot go stale: every claim an example cites
exists in its article's curation file, the words it quotes are in that claim's quote, and the
`field: value` pairs it gives are what the entry says (a `field:` without a value: the entry
has none)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "curation" / "README.md").read_text(encoding="utf-8")
CONVENTIONS = README.split("\n## Conventions\n", 1)[1].split("\n## ", 1)[0]
CLAIM = re.compile(r"`(\d{3})/([a-z0-9-]+)`")
FIELDS = ("about", "measure", "baseline", "sides", "scope", "value", "figure", "speaker", "approximation")
PAIR = re.compile(rf"`({'|'.join(FIELDS)}):(?: ([^`]+))?`")


def _claims(number: str) -> tuple[Path, dict[str, dict]]:
    (path,) = (ROOT / "curation").glob(f"{number}_*.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return path, {claim["key"]: claim for claim in data.get("claims") or []}


def _examples() -> list[str]:
    """Each bullet of the Conventions section, its lines joined."""
    bullets = re.findall(r"^- (.+(?:\n  .+)*)", CONVENTIONS, re.M)
    return [" ".join(line.strip() for line in bullet.splitlines()) for bullet in bullets]


def test_the_conventions_have_examples_for_every_topic():
    for topic in ("`about` of a running total", '"Received by"', "direction of a measure", "Per side", "Baselines"):
        assert topic in CONVENTIONS, f"the Conventions section has no paragraph on {topic}"
    assert len(_examples()) >= 15


@pytest.mark.parametrize("example", _examples(), ids=lambda e: CLAIM.search(e).group(0) if CLAIM.search(e) else e[:30])
def test_an_example_quotes_its_claim_and_gives_its_fields(example):
    cited = CLAIM.search(example)
    assert cited, f"an example names no claim as NNN/key: {example}"
    number, key = cited.groups()
    path, claims = _claims(number)
    assert key in claims, f"{path.name} has no claim {key!r}"
    claim = claims[key]
    article = re.search(r"\(`corpus/([^`]+)`\)", example)
    assert article and article.group(1) == path.stem + ".txt", f"{key}: the example cites another article file"
    corpus_text = " ".join((ROOT / "corpus" / article.group(1)).read_text(encoding="utf-8").split())
    quote = " ".join(claim["quote"].split())
    quoted = re.findall(r'"([^"]+)"', example)
    assert quoted, f"{key}: the example quotes no words of the article"
    for words in quoted:
        assert words in quote and words in corpus_text, f"{key}: {words!r} is not in its quote {quote!r}"
    pairs = PAIR.findall(example)
    assert pairs, f"{key}: the example gives no `field: value`"
    for field, value in pairs:
        if value:
            assert str(claim.get(field)) == value, f"{key}: {field} is {claim.get(field)!r}, not {value!r}"
        else:
            assert field not in claim, f"{key}: the example says it has no {field}, but it has {claim[field]!r}"


def test_every_claim_the_readme_cites_exists():
    for number, key in CLAIM.findall(README):
        path, claims = _claims(number)
        assert key in claims, f"curation/README.md cites {number}/{key}, which {path.name} does not have"
