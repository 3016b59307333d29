"""The draft's extraction, function by function: new names and their kinds, measures from the
scheme's labels, dates without a year and relative days resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from graph.draft import Label, _dates, draft_curation, measure_labels, name_candidates, propose_kind, propose_measure
from graph.vocabulary import load_vocabulary
from tests.mini import ROOT

SATURDAY = dt.date(2000, 7, 8)
MEASURES = measure_labels(load_vocabulary(ROOT / "ontology"))


def test_measure_labels_are_the_measure_scheme_of_the_code_lists():
    assert MEASURES["prisoners-exchanged-per-side"] == "prisoners exchanged per side"
    assert "exact" not in MEASURES  # an approximation, another scheme


@pytest.mark.parametrize(
    ("sentence", "figure", "measure"),
    [
        ("Ukraine received 1,212 bodies on Friday.", "1,212", "bodies-received-by-ukraine"),
        ("Russia said it received 27 bodies.", "27", "bodies-received-by-russia"),
        ("The sides exchanged 390 prisoners each.", "390", "prisoners-exchanged-per-side"),
        ("It was the third round of talks.", "third", "exchange-round-ordinal"),
        ("At least 12 of the returned men needed care.", "12", None),  # "returned" alone is not enough
        ("About 90 percent of the returned bodies were identified.", "90", "bodies-identified-percent"),
        ("The talks lasted two hours.", "two", "talks-duration-hours"),
    ],
)
def test_a_measure_is_proposed_when_two_words_of_its_label_are_near(sentence, figure, measure):
    start = sentence.index(figure)
    found = propose_measure(sentence, start, start + len(figure), figure, MEASURES)
    assert (found[0] if found else None) == measure


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("On Monday the sides met.", [("2000-07-03", "the last Monday on or before publication")]),
        ("They met on Saturday.", [("2000-07-08", "the last Saturday on or before publication")]),
        ("Talks resume next Tuesday.", [("2000-07-11", "the next Tuesday after publication")]),
        ("Officials said yesterday that 40 were freed.", [("2000-07-07", "the day before")]),
        ("It happened last week.", [("2000-06-26/2000-07-02", "some day of 2000-06-26 to 2000-07-02")]),
        ("Earlier this month they met.", [("2000-07-01/2000-07-07", "the day before publication")]),
        ("In May they met.", [("2000-05", "the month 2000-05")]),
        ("By December 30 it was over.", [("2000-12-30", "year 2000 from --published")]),
        ("On July 9, 2001, they met.", [("2001-07-09", None)]),
    ],
)
def test_dates_are_resolved_against_published_with_a_note_saying_how(sentence, dates):
    found = _dates(sentence, SATURDAY)
    assert [d for d, _, _, _ in found] == [d for d, _ in dates]
    for (_, _, _, how), (_, expected) in zip(found, dates, strict=True):
        assert (how is None) if expected is None else (expected in how)


def test_a_date_more_than_half_a_year_after_publication_takes_the_year_before():
    [(date, _, _, how)] = _dates("By December 30 it was over.", dt.date(2001, 1, 3))
    assert date == "2000-12-30" and "year 2000 from --published 2001-01-03" in how


def test_without_published_the_year_is_left_to_the_curator_and_weekdays_stay_unresolved():
    assert [d for d, _, _, _ in _dates("On Monday, July 9, they met.")] == ["TODO-07-09"]


@pytest.mark.parametrize(
    ("text", "name", "kind", "type_"),
    [
        ("Talks were held, said Foreign Minister Jan Kowal in a statement.", "Jan Kowal", "person", "Person"),
        (
            "The talks were hosted by the Ministry of Defence of Ruritania.",
            "Ministry of Defence of Ruritania",
            "org",
            "Organisation",
        ),
        ("Officials from the Ruritanian Republic attended.", "Ruritanian Republic", "state", "State"),
        ("The prisoners were flown, the Strelsau Herald wrote.", "Strelsau Herald", "org", "NewsOrganisation"),
        ("The exchange took place in Zenda on the border.", "Zenda", "place", "Place"),
        ("Later, Rudolf Rassendyll said the exchange went well.", "Rudolf Rassendyll", "person", "Person"),
    ],
)
def test_a_new_name_gets_the_kind_its_cues_say(text, name, kind, type_):
    found = dict(name_candidates(text, [], []))
    assert name in found
    assert propose_kind(text, name, found[name])[:2] == (kind, type_)


def test_demonyms_sentence_starts_and_times_are_not_names():
    text = "Regrettably, the Sylvanian envoy left on Monday in June.\nLater the Sylvanians said so."
    labels = [Label("Sylvania", "state/sylvania", "State", "Sylvania")]
    assert name_candidates(text, labels, [], {0, text.index("Later")}) == []


def test_the_draft_marks_a_new_name_new_with_its_kind_ref_and_a_todo():
    text = "Prisoners freed\nZENDA, May 2 - Foreign Minister Jan Kowal said 40 prisoners were freed in Zenda.\n"
    draft_text = draft_curation(text, "007_x.txt", [], measures=MEASURES)
    draft = yaml.safe_load(draft_text)
    found = {e["ref"]: e for e in draft["entities"]}
    assert found["person/jan-kowal"]["type"] == "Person"
    assert found["place/zenda"]["type"] == "Place"  # the dateline's place, not declared anywhere
    assert all(e["label"] in e["quote"] and e["quote"] in text for e in draft["entities"])
    assert "# TODO: new entity 'Jan Kowal' (no known label matches it); kind person proposed from the title" in (
        draft_text
    )
