"""The draft learns from the curated files (issue 19): speakers from reporting clauses, measures
from the direction and the running-total cues of a figure, numbers that are not figures, a
surname of a known person, rounds the dataset dates, generic phrases only on their date.

Each test drafts a short fictional text against a small curated directory written here (its
entities, facts and one claim are invented) and the real measure scheme of ``ontology/``.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml

from graph.draft import draft_curation, learn, measure_labels
from graph.vocabulary import load_vocabulary
from tests.mini import ROOT

MEASURES = measure_labels(load_vocabulary(ROOT / "ontology"))
CURATED = textwrap.dedent(
    """\
    article: 000_x.txt
    entities:
      - {ref: state/russia, type: State, name: Russia, label: Russia, quote: q}
      - {ref: state/ukraine, type: State, name: Ukraine, label: Ukraine, quote: q}
      - {ref: place/moscow, type: Place, name: Moscow, label: Moscow, quote: q}
      - {ref: place/zenda, type: Place, name: Zenda, label: Zenda, quote: q}
      - {ref: person/jan-kowal, type: Person, name: Jan Kowal, label: Jan Kowal, quote: q}
      - {ref: post/envoy, type: Post, name: Envoy of Ruritania, label: Ruritanian Envoy, quote: q}
      - {ref: org/russian-defence-ministry, type: Organisation, name: Russian Defence Ministry, label: Russian Defence Ministry, quote: q}
      - {ref: exchange/2000-06-09-prisoners, type: ExchangeRound, name: Exchange of 9 June 2000, label: the exchange, quote: q}
      - {ref: exchange/2000-06-11-prisoners, type: ExchangeRound, name: Exchange of 11 June 2000, label: the swap, quote: q}
      - {ref: round/2000-06-02-zenda, type: NegotiationRound, name: Second round of the Zenda talks, label: Zenda talks, quote: q}
      - {ref: agreement/2000-06-02-zenda, type: Agreement, name: Agreement of the Zenda talks, label: the accords, quote: q}
    facts:
      - {subject: exchange/2000-06-09-prisoners, property: date, value: 2000-06-09, quote: q}
      - {subject: exchange/2000-06-11-prisoners, property: date, value: 2000-06-11, quote: q}
      - {subject: round/2000-06-02-zenda, property: date, value: 2000-06-02, quote: q}
      - {subject: round/2000-06-02-zenda, property: ordinal, value: 2, quote: q}
      - {subject: round/2000-06-02-zenda, property: place, value: place/zenda, quote: q}
      - {subject: agreement/2000-06-02-zenda, property: reachedAt, value: round/2000-06-02-zenda, quote: q}
      - {subject: person/jan-kowal, property: holdsPost, value: post/envoy, quote: q}
    claims:
      - {measure: bodies-returned-to-ukraine-total, figure: "500", modality: done, speaker: state/russia,
         quote: "Moscow says it has returned 500 bodies so far."}
    """
)


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory):
    directory = tmp_path_factory.mktemp("curation")
    (directory / "000_x.yaml").write_text(CURATED, encoding="utf-8")
    (directory / "001_broken.yaml").write_text("entities: [unclosed\n", encoding="utf-8")  # skipped, not fatal
    return learn(directory)


def draft(knowledge, text: str, published: str = "2000-06-14") -> dict:
    body = "Test headline\nZENDA, June 14 (Test Wire) - " + text + "\n"
    return yaml.safe_load(
        draft_curation(body, "009_x.txt", knowledge.labels, published=published, measures=MEASURES, knowledge=knowledge)
    )


def claim(data: dict, figure: str) -> dict:
    return next(c for c in data["claims"] if c["figure"] == figure)


def test_learn_reads_variants_dates_posts_and_who_a_place_stands_for(knowledge):
    assert ("Kowal", "person/jan-kowal") in {(lab.text, lab.ref) for lab in knowledge.labels}
    assert ("Russia's Defence Ministry", "org/russian-defence-ministry") in {
        (lab.text, lab.ref) for lab in knowledge.labels
    }
    assert knowledge.dates["2000-06-02"] == {"round/2000-06-02-zenda", "agreement/2000-06-02-zenda"}
    assert knowledge.posts["person/jan-kowal"] == {"post/envoy"}
    assert knowledge.stands_for == {"place/moscow": "state/russia"}  # "Moscow says", curated as Russia
    assert knowledge.modality["bodies-returned-to-ukraine-total"] == ("done", 1, 1)


@pytest.mark.parametrize(
    ("text", "figure", "speaker"),
    [
        (
            "Russia received 84 prisoners on Friday, the Russian Defence Ministry said.",
            "84",
            "org/russian-defence-ministry",
        ),
        ("Jan Kowal said 40 prisoners were freed.", "40", "person/jan-kowal"),
        ("Talks went on. Kowal said 40 prisoners were freed.", "40", "person/jan-kowal"),  # the surname
        ("Russia freed 40 prisoners, according to Jan Kowal.", "40", "person/jan-kowal"),
        (
            "Russia's Defence Ministry spoke. The ministry said 40 prisoners were freed.",
            "40",
            "org/russian-defence-ministry",
        ),
        ("Jan Kowal spoke on Monday. He said 40 prisoners were freed.", "40", "person/jan-kowal"),
        ("Moscow said it had returned 40 bodies.", "40", "state/russia"),  # a place the corpus curates as Russia
        ("Ukraine received 40 bodies on Friday.", "40", "article"),  # no reporting clause
    ],
)
def test_the_speaker_is_the_subject_of_the_reporting_clause(knowledge, text, figure, speaker):
    found = claim(draft(knowledge, text), figure)
    assert found["speaker"] == speaker


def test_said_on_a_weekday_is_the_stated_date_and_the_as_of_of_a_running_total(knowledge):
    found = claim(
        draft(knowledge, "Russia has returned 3,600 bodies to Ukraine so far, Jan Kowal said on Monday."), "3,600"
    )
    assert str(found["stated_on"]) == str(found["as_of"]) == "2000-06-12"  # 2000-06-14 is a Wednesday


@pytest.mark.parametrize(
    ("text", "figure", "measure"),
    [
        ("Russia has returned 3,600 bodies to Ukraine so far.", "3,600", "bodies-returned-to-ukraine-total"),
        ("Ukraine returned the bodies of 40 Russian soldiers in total.", "40", "bodies-returned-to-russia-total"),
        ("Russia had received 78 bodies of its own soldiers in total.", "78", "bodies-returned-to-russia-total"),
        ("Ukraine received the bodies of 1,212 soldiers from Russia on Friday.", "1,212", "bodies-received-by-ukraine"),
        ("Russia received 84 prisoners from Ukraine on Friday.", "84", "prisoners-received-by-russia"),
        ("So far Russia has released 500 prisoners.", "500", "prisoners-released-by-russia"),
        ("The two sides each released about 80 people on Friday.", "80", "prisoners-exchanged-per-side"),
        ("On June 11, 1,200 prisoners were exchanged.", "1,200", "prisoners-exchanged-total"),
        ("Each side has pledged to return 6,000 bodies.", "6,000", "bodies-agreed-per-side"),
        ("The sides are to exchange 1,200 prisoners in all.", "1,200", "prisoners-agreed-total"),
    ],
)
def test_the_measure_follows_the_direction_and_the_running_total_cues(knowledge, text, figure, measure):
    found = next(c for c in draft(knowledge, text)["claims"] if figure in c["figure"])
    assert found["measure"] == measure


def test_a_phrasal_verb_before_a_figure_is_no_approximation(knowledge):
    data = draft(knowledge, "Russia has handed over 6,000 bodies to Ukraine. It had earlier returned over 900.")
    assert (claim(data, "6,000")["approximation"], claim(data, "6,000")["value"]) == ("exact", 6000)
    assert claim(data, "over 900")["approximation"] == "more-than"


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("The two sides each released 80 people on Friday.", "two", "names the parties"),
        ("Russia freed 80 people, most of them under 25.", "25", "an age"),
        ("Most were aged between 20 and 35.", "35", "an age"),
        ("A fourth convoy could follow.", "fourth", "the ordinal of a convoy"),
    ],
)
def test_numbers_that_are_no_figure_are_out_of_scope_with_the_reason(knowledge, text, number, reason):
    data = draft(knowledge, text)
    assert number not in [c["figure"].split()[-1] for c in data["claims"]]
    entry = next(o for o in data["out_of_scope"] if o["text"] == number)
    assert reason in entry["reason"] and entry["quote"] in text


def test_the_ordinal_of_a_round_of_talks_is_a_fact_of_that_round(knowledge):
    data = draft(knowledge, "The accords were reached at the second round of talks in Zenda.")
    (fact,) = data["facts"]
    assert (fact["subject"], fact["property"], fact["value"]) == ("round/2000-06-02-zenda", "ordinal", 2)
    assert "round/2000-06-02-zenda" in {e["ref"] for e in data["entities"]}


def test_a_surname_of_a_known_person_is_that_person_and_the_title_gives_the_post(knowledge):
    data = draft(knowledge, "Envoy Jan Kowal spoke. Later Kowal said 40 prisoners were freed.")
    refs = [e["ref"] for e in data["entities"]]
    assert "person/jan-kowal" in refs and "post/envoy" in refs
    assert not any(r.endswith("/kowal") for r in refs)


def test_each_printed_date_proposes_the_round_the_dataset_holds_for_it(knowledge):
    data = draft(knowledge, "The exchanges of June 9 and June 11 were the first and second, Jan Kowal said.")
    refs = {e["ref"] for e in data["entities"]}
    assert {"exchange/2000-06-09-prisoners", "exchange/2000-06-11-prisoners"} <= refs
    assert claim(data, "second")["measure"] == "exchange-round-ordinal"
    assert "as_of" not in claim(data, "second")  # an ordinal has no as-of date


def test_a_generic_label_counts_only_when_the_sentence_names_its_date(knowledge):
    assert "exchange/2000-06-09-prisoners" not in {
        e["ref"] for e in draft(knowledge, "The exchange went well.")["entities"]
    }
    dated = draft(knowledge, "The exchange on June 9 went well.")["entities"]
    assert "exchange/2000-06-09-prisoners" in {e["ref"] for e in dated}


def test_a_platform_and_a_name_without_a_cue_are_not_proposed(knowledge):
    data = draft(knowledge, "Jan Kowal said in a Telegram post that 40 prisoners were freed. Zorblat was calm.")
    names = {e["name"] for e in data["entities"]}
    assert "Telegram" not in names and "Zorblat" not in names
