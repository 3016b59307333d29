"""A claim's `object:`: the entities its words name (where someone is, who took part, under which
agreement) as refs, written as parley:statedObject beside the words it keeps in parley:statedValue;
refused, with the file, the line and the fix, when a ref is malformed, undeclared, on a figure, or
not named by the words, and for a whereabouts claim without a place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Literal

from graph.curation import load_corpus
from graph.errors import SourceError
from graph.ingest import build_dataset
from graph.namespaces import ID, PARLEY
from graph.provenance import BuildRun
from graph.validate import union_graph
from graph.vocabulary import load_vocabulary

CURATION = "curation/001_00aa11bb00aa11bb.yaml"
VENUE = """  - key: talks-venue
    about: round/2000-05-05-example-city
    measure: event-report
    stated_value: "agreed in Example City"
    object: place/example-city
    speaker: article
    modality: done
    quote: "Freedonia and Sylvania agreed in Example City"
"""


def _add_claim(project: Path, entry: str) -> int:
    """Append a claim to the fixture's claims; return the line its entry starts on."""
    path = project / CURATION
    text = path.read_text(encoding="utf-8")
    marker = "\nout_of_scope:\n"
    assert marker in text, "fixture no longer has an out_of_scope section after its claims"
    before = text[: text.index(marker) + 1]
    path.write_text(before + entry + text[len(before) :], encoding="utf-8")
    return before.count("\n") + 1


def _load(project: Path):
    vocab = load_vocabulary(project / "ontology")
    return load_corpus(project, vocab), vocab


def _dataset(project: Path):
    corpus, vocab = _load(project)
    return union_graph(build_dataset(corpus, vocab, BuildRun(timestamp=dt.datetime(2000, 6, 20, tzinfo=dt.UTC))))


def _refused(project: Path) -> str:
    with pytest.raises(SourceError) as err:
        _load(project)
    return str(err.value) + "\n" + (err.value.hint or "")


def test_an_object_is_written_beside_the_words_it_keeps(project):
    _add_claim(project, VENUE)
    dataset = _dataset(project)
    claim = ID["claim/001-talks-venue"]
    assert set(dataset.objects(claim, PARLEY.statedObject)) == {ID["place/example-city"]}
    assert set(dataset.objects(claim, PARLEY.statedValue)) == {Literal("agreed in Example City")}


def test_a_list_of_objects_names_each_entity(project):
    _add_claim(
        project,
        VENUE.replace("talks-venue", "who-agreed")
        .replace('"agreed in Example City"', '"Freedonia and Sylvania agreed"', 1)
        .replace("object: place/example-city", "object: [state/freedonia, state/sylvania]"),
    )
    dataset = _dataset(project)
    assert set(dataset.objects(ID["claim/001-who-agreed"], PARLEY.statedObject)) == {
        ID["state/freedonia"],
        ID["state/sylvania"],
    }


def test_a_whereabouts_claim_names_its_place(project):
    _add_claim(project, VENUE.replace("measure: event-report", "measure: whereabouts"))
    dataset = _dataset(project)
    claim = ID["claim/001-talks-venue"]
    assert set(dataset.objects(claim, PARLEY.measure)) == {ID["measure/whereabouts"]}
    assert set(dataset.objects(claim, PARLEY.statedObject)) == {ID["place/example-city"]}


def test_an_undeclared_object_is_refused_with_its_line_and_the_fix(project):
    line = _add_claim(project, VENUE.replace("object: place/example-city", "object: place/atlantis"))
    message = _refused(project)
    assert f"{CURATION}:{line}: claim 'talks-venue': 'place/atlantis' is not declared" in message
    assert "add an entity with `ref: place/atlantis`" in message


@pytest.mark.parametrize(
    ("value", "problem", "offset", "fix"),
    [
        ('"Example City"', "object 'Example City' is not a reference `kind/slug`", 0, "refer to things as"),
        ("city/example-city", "object 'city/example-city' is not a valid reference", 0, "use one of the kinds"),
        ("[]", "has an empty object list", 0, "name at least one entity"),
        ("[place/example-city, place/example-city]", "names an object twice", 0, "list each entity once"),
        ("[5]", "`object` [5]: is not text", 4, "refer to things as"),
        (
            "{ref: place/example-city}",
            "`object` {'ref': 'place/example-city'}: is not a list or is not text",
            4,
            "refer to things as",
        ),
    ],
    ids=["words", "unknown-kind", "empty-list", "twice", "number", "mapping"],
)
def test_an_object_that_is_not_a_ref_is_refused_with_its_line(project, value, problem, offset, fix):
    """A rule across fields names the entry's line; a value of the wrong type, the line of its key."""
    line = _add_claim(project, VENUE.replace("object: place/example-city", f"object: {value}"))
    message = _refused(project)
    assert f"{CURATION}:{line + offset}: claim 'talks-venue': {problem}" in message
    assert fix in message


def test_an_object_on_a_figure_is_refused(project):
    _add_claim(
        project,
        """  - key: swap-venue
    about: round/2000-05-05-example-city
    measure: prisoners-agreed-per-side
    figure: "120"
    approximation: exact
    value: 120
    object: place/example-city
    speaker: article
    modality: agreed
    quote: "to swap 120 prisoners each"
""",
    )
    message = _refused(project)
    assert "claim 'swap-venue': has `object:` but is a figure" in message and "drop `object:`" in message


def test_an_object_its_words_do_not_name_is_refused(project):
    _add_claim(project, VENUE.replace("object: place/example-city", "object: state/freedonia"))
    message = _refused(project)
    assert "claim 'talks-venue': object 'state/freedonia' is not named in its stated value" in message
    assert "point `object:` only at what the words name" in message


def test_a_whereabouts_claim_without_a_place_is_refused(project):
    _add_claim(
        project,
        VENUE.replace("measure: event-report", "measure: whereabouts").replace("    object: place/example-city\n", ""),
    )
    assert "claim 'talks-venue': is a whereabouts claim with no place in `object:`" in _refused(project)


def test_a_whereabouts_claim_whose_object_is_not_a_place_is_refused(project):
    _add_claim(
        project,
        """  - key: firefly-whereabouts
    about: round/2000-05-05-example-city
    measure: whereabouts
    stated_value: "led by Rufus Firefly"
    object: person/rufus-firefly
    speaker: article
    modality: done
    quote: "The two delegations were led by Rufus Firefly"
""",
    )
    message = _refused(project)
    assert "is a whereabouts claim, but its object 'person/rufus-firefly' is a Person, not a place" in message
