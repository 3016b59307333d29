"""``parley add``: filing an article that is not in the corpus, its draft curation, and refusals.

The fixture article (``tests/fixtures/articles/freedonia_exchange.txt``) is fictional and
names entities the mini project declares already (Freedonia, Vera Trentino, ...).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from tests.mini import ROOT, make_project

from .conftest import parley

ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "freedonia_exchange.txt"
EXPECTED_NAME = f"005_{hashlib.sha256(ARTICLE.read_bytes()).hexdigest()[:16]}"


@pytest.fixture
def mini(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def listing(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}


def add(project: Path, path: Path, *options: str):
    return parley("add", "--root", str(project), str(path), *options, cwd=project.parent)


@pytest.fixture
def draft(mini) -> dict:
    result = add(mini, ARTICLE, "--outlet", "Marvin Ledger", "--published", "2000-07-08")
    assert result.returncode == 0, str(result)
    return yaml.safe_load((mini / "curation" / f"{EXPECTED_NAME}.yaml").read_text(encoding="utf-8"))


def test_add_files_the_article_byte_for_byte_under_the_next_number_and_its_sha256(mini):
    result = add(mini, ARTICLE)
    assert result.returncode == 0, str(result)
    assert (mini / "corpus" / f"{EXPECTED_NAME}.txt").read_bytes() == ARTICLE.read_bytes()
    assert (mini / "curation" / f"{EXPECTED_NAME}.yaml").is_file()
    assert f"corpus/{EXPECTED_NAME}.txt" in result.stdout


def test_draft_is_valid_yaml_naming_its_article(draft):
    assert draft["article"] == f"{EXPECTED_NAME}.txt"


def test_draft_quotes_are_slices_of_the_article(draft):
    text = ARTICLE.read_text(encoding="utf-8")
    quotes = [e["quote"] for e in draft["entities"] + draft["claims"] + draft["out_of_scope"]]
    source = dict(draft["source"])
    del source["published"]  # given to `parley add`: its quote is left to the curator
    quotes += [field["quote"] for field in [*source.pop("cites", []), *source.values()]]
    assert quotes and all(quote in text for quote in quotes)


def test_draft_has_the_source_fields_the_text_states(draft):
    source = draft["source"]
    assert source["headline"]["quote"] == "Freedonia and Sylvania swap prisoners again in Port Marvin"
    assert source["dateline"] == {"quote": "PORT MARVIN, July 8", "places": ["place/port-marvin"]}
    assert source["outlet"] == {"ref": "org/marvin-ledger", "quote": "(Marvin Ledger)"}
    assert source["published"]["date"].isoformat() == "2000-07-08"


@pytest.mark.parametrize(
    ("figure", "approximation", "bound", "value"),
    [
        ("more than 300", "more-than", "min", 300),
        ("nearly 250", "nearly", "value", 250),
        ("about 40", "about", "value", 40),
        ("at least 12", "at-least", "min", 12),
        ("up to 75", "up-to", "max", 75),
        ("1,150", "exact", "value", 1150),
        ("fourth", "exact", "value", 4),
    ],
)
def test_draft_has_a_claim_candidate_for_each_number(draft, figure, approximation, bound, value):
    claim = next(c for c in draft["claims"] if c["figure"] == figure)
    assert (claim["approximation"], claim[bound]) == (approximation, value)
    assert figure in claim["quote"]
    assert claim["about"] == "TODO"  # only a curator can say what a figure is about


@pytest.mark.parametrize(
    ("figure", "speaker"),
    [
        ("more than 300", "state/freedonia"),  # "Freedonia said it had received"
        ("nearly 250", "person/vera-trentino"),  # "Sylvanian envoy Vera Trentino said"
        ("about 40", "person/vera-trentino"),  # the same clause
        ("at least 12", "person/rufus-firefly"),  # "Rufus T. Firefly, speaking for ..., said" (a variant label)
        ("up to 75", "org/relief-society"),  # "The International Relief Society said on July 9"
        ("1,150", "state/sylvania"),  # "Sylvania said"
    ],
)
def test_draft_proposes_the_speaker_of_the_reporting_clause(draft, figure, speaker):
    claim = next(c for c in draft["claims"] if c["figure"] == figure)
    assert claim["speaker"] == speaker


@pytest.mark.parametrize(
    ("figure", "measure"),
    [
        (
            "more than 300",
            "prisoners-exchanged-per-side",
        ),  # received by Freedonia: no measure of that frame, label words
        ("fourth", "exchange-round-ordinal"),  # an ordinal, "exchange" near it
        ("up to 75", "prisoners-exchanged-total"),  # "detainees ... could be exchanged": no "each", so in total
        ("nearly 250", "TODO"),  # soldiers: no label of the scheme fits
        ("at least 12", "TODO"),  # "returned" alone is not enough
        ("1,150", "TODO"),
    ],
)
def test_draft_proposes_a_measure_when_the_words_near_the_figure_match_its_label(draft, figure, measure):
    assert next(c for c in draft["claims"] if c["figure"] == figure)["measure"] == measure


def test_draft_takes_the_year_from_published_when_the_text_gives_none(draft):
    claim = next(c for c in draft["claims"] if c["figure"] == "up to 75")
    assert claim["as_of"].isoformat() == "2000-07-09"
    assert {(o["text"], o["quote"]) for o in draft["out_of_scope"]} == {("9", "July 9"), ("1", "August 1")}
    assert {o["reason"] for o in draft["out_of_scope"]} == {
        "a date (2000-07-09), not a figure",
        "a date (2000-08-01), not a figure",
    }


def test_draft_resolves_on_tuesday_against_published_and_says_how(mini):
    assert add(mini, ARTICLE, "--published", "2000-07-08").returncode == 0
    text = (mini / "curation" / f"{EXPECTED_NAME}.yaml").read_text(encoding="utf-8")
    claim = next(c for c in yaml.safe_load(text)["claims"] if c["figure"] == "more than 300")
    assert claim["as_of"].isoformat() == "2000-07-04"  # 2000-07-08 is a Saturday
    assert "# as_of 2000-07-04: 'on Tuesday': the last Tuesday on or before publication" in text


def test_draft_declares_the_new_outlet_as_a_new_entity(draft):
    found = {e["ref"]: e for e in draft["entities"]}
    assert found["org/marvin-ledger"]["type"] == "NewsOrganisation"
    assert found["org/marvin-ledger"]["label"] == "Marvin Ledger"


def test_draft_finds_known_entities_by_label_and_variant_label(draft):
    found = {e["ref"]: e for e in draft["entities"]}
    assert found["person/vera-trentino"]["label"] == "Vera Trentino"
    assert found["person/rufus-firefly"]["label"] == "Rufus T. Firefly"  # a variant label
    assert found["person/rufus-firefly"]["name"] == "Rufus Firefly"
    assert {"state/freedonia", "state/sylvania", "org/relief-society"} <= set(found)
    assert all(e["label"] in e["quote"] for e in draft["entities"])


def test_draft_is_reported_by_check_as_unfinished(mini):
    assert add(mini, ARTICLE).returncode == 0
    result = parley("check", "--root", str(mini), cwd=mini.parent)
    assert result.returncode == 1, str(result)
    assert f"curation/{EXPECTED_NAME}.yaml:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"Freedonia\x00Sylvania\n", "a binary file"),
        ("Sylvania sagte: 300 Gefangene in Port Marvin.\n".replace("a", "\xe4").encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "blank", "binary", "latin-1"],
)
def test_add_refuses_a_file_that_is_not_an_article_and_writes_nothing(mini, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    before = listing(mini)
    result = add(mini, bad)
    assert result.returncode == 1, str(result)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert listing(mini) == before


def test_add_refuses_a_duplicate_and_writes_nothing(mini):
    existing = sorted((mini / "corpus").glob("*.txt"))[0]
    copy = mini.parent / "copy-of-an-article.txt"
    copy.write_bytes(existing.read_bytes())
    before = listing(mini)
    result = add(mini, copy)
    assert result.returncode == 1, str(result)
    assert f"already corpus/{existing.name}" in result.stderr
    assert listing(mini) == before


def test_add_refuses_the_same_article_twice(mini):
    assert add(mini, ARTICLE).returncode == 0
    before = listing(mini)
    result = add(mini, ARTICLE)
    assert result.returncode == 1, str(result)
    assert listing(mini) == before


def test_add_refuses_a_malformed_published_date_as_usage(mini):
    before = listing(mini)
    result = add(mini, ARTICLE, "--published", "8 July 2000")
    assert result.returncode == 2, str(result)
    assert listing(mini) == before


def test_draft_lists_the_news_organisations_the_article_cites():
    from graph.draft import Label, draft_curation

    text = (
        "Headline of a test\nPort Marvin, June 20 (Ledger) - 40 prisoners were freed, citing the Marvin Post.\n"
        "The talks will go on, according to Rufus Firefly.\nThe exchange was smooth, citing the Relief Society.\n"
    )
    labels = [
        Label("Marvin Post", "org/marvin-post", "NewsOrganisation", "Marvin Post"),
        Label("Rufus Firefly", "person/rufus-firefly", "Person", "Rufus Firefly"),
        Label("Relief Society", "org/relief-society", "Organisation", "Relief Society"),
    ]
    draft = yaml.safe_load(draft_curation(text, "005_x.txt", labels))
    # a known news organisation is cited; a person or an organisation of another type is a speaker
    assert draft["source"]["cites"] == [{"ref": "org/marvin-post", "quote": "citing the Marvin Post"}]


def test_a_dateline_without_a_dash_is_found_and_ends_a_sentence():
    from graph.draft import Label, draft_curation

    text = "Headline of a test\nPort Marvin/Example City, June 20 (Ledger) On Friday, 40 prisoners were freed.\n"
    labels = [Label("Port Marvin", "place/port-marvin", "Place", "Port Marvin")]
    draft = yaml.safe_load(draft_curation(text, "005_x.txt", labels))
    assert draft["source"]["dateline"] == {
        "quote": "Port Marvin/Example City, June 20",
        "places": ["place/port-marvin", "place/example-city"],
    }
    assert draft["source"]["outlet"] == {"ref": "org/ledger", "quote": "(Ledger)"}
    assert [c["quote"] for c in draft["claims"]] == ["On Friday, 40 prisoners were freed."]
