"""Attribution: claims with several speakers, world statements with the speaker the text names
(else the article), dates read from context with their note, and dates the text only bounds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS, XSD

from graph.curation import load_corpus
from graph.errors import SourceError
from graph.ingest import build_dataset
from graph.namespaces import ID, PARLEY
from graph.provenance import BuildRun
from graph.records import DateRange
from graph.validate import union_graph
from graph.vocabulary import load_vocabulary

CURATION = "curation/001_00aa11bb00aa11bb.yaml"
ATTESTATION = ID["attestation/001-round-place"]


def _edit(project: Path, old: str, new: str) -> None:
    path = project / CURATION
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load(project: Path):
    vocab = load_vocabulary(project / "ontology")
    return load_corpus(project, vocab), vocab


def _dataset(project: Path):
    corpus, vocab = _load(project)
    dataset = build_dataset(corpus, vocab, BuildRun(timestamp=dt.datetime(2000, 6, 20, tzinfo=dt.UTC)))
    return union_graph(dataset), corpus


def _claim(corpus, key):
    return next(c for a in corpus.articles for c in a.claims if c.key == key)


def test_a_claim_with_several_speakers_has_each_as_speaker(project):
    _edit(project, "    speaker: state/sylvania\n", "    speaker: [state/sylvania, state/freedonia]\n")
    dataset, corpus = _dataset(project)
    claim = _claim(corpus, "sylvania-bodies")
    assert claim.speakers == [ID["state/sylvania"], ID["state/freedonia"]] and claim.speaker == ID["state/sylvania"]
    iri = ID["claim/001-sylvania-bodies"]
    assert set(dataset.objects(iri, PARLEY.speaker)) == {ID["state/sylvania"], ID["state/freedonia"]}
    assert "Sylvania and Freedonia: about 100" in str(dataset.value(iri, RDFS.label))


@pytest.mark.parametrize(
    ("speaker", "problem"),
    [
        ("[]", "empty speaker list"),
        ("[state/sylvania, state/sylvania]", "names a speaker twice"),
        ("[article, state/sylvania]", "mixes `article` with named speakers"),
        ("[state/ruritania]", "'state/ruritania' is not declared"),
    ],
)
def test_a_bad_speaker_list_is_refused_with_its_line(project, speaker, problem):
    _edit(project, "    speaker: state/sylvania\n", f"    speaker: {speaker}\n")
    with pytest.raises(SourceError) as err:
        _load(project)
    assert CURATION in str(err.value) and "claim 'sylvania-bodies'" in str(err.value) and problem in str(err.value)


def test_a_world_statement_carries_the_speaker_the_text_names(project):
    _edit(project, "    value: place/example-city\n", "    value: place/example-city\n    speaker: state/freedonia\n")
    dataset, _ = _dataset(project)
    assert set(dataset.objects(ATTESTATION, PARLEY.speaker)) == {ID["state/freedonia"]}


def test_a_world_statement_nobody_is_named_for_is_the_articles_own(project):
    dataset, corpus = _dataset(project)
    article = next(a for a in corpus.articles if a.number == "001")
    assert set(dataset.objects(ATTESTATION, PARLEY.speaker)) == {article.iri}
    mention = ID["attestation/001-mention-state-freedonia"]
    assert set(dataset.objects(mention, PARLEY.speaker)) == {article.iri}


def test_a_date_read_from_context_needs_a_note(project):
    _edit(project, '    quote: "Freedonia put the figure at 95"\n', '    quote: "Freedonia put the figure at 95"\n')
    _edit(project, "    speaker: state/freedonia\n", "    speaker: state/freedonia\n    stated_on: 2000-05-05\n")
    with pytest.raises(SourceError) as err:
        _load(project)
    message = str(err.value)
    assert "claim 'freedonia-bodies'" in message and "stated_on is read from context" in message
    assert "say in `note` how the date was read" in message


def test_a_date_with_its_note_loads(project):
    _edit(
        project,
        "    speaker: state/freedonia\n",
        '    speaker: state/freedonia\n    stated_on: 2000-05-05\n    note: "Said at the May 5 round (the sentence before)."\n',
    )
    corpus, _ = _load(project)
    assert _claim(corpus, "freedonia-bodies").stated_on == dt.date(2000, 5, 5)


def test_a_date_the_text_only_bounds_is_a_range(project):
    _edit(
        project,
        "    speaker: state/freedonia\n",
        "    speaker: state/freedonia\n    as_of: {earliest: 2000-05-05, latest: 2000-05-31}\n"
        '    note: "Some day after the May 5 agreement and within May, as the text puts it."\n',
    )
    dataset, corpus = _dataset(project)
    assert _claim(corpus, "freedonia-bodies").as_of == DateRange(dt.date(2000, 5, 5), dt.date(2000, 5, 31))
    iri = ID["claim/001-freedonia-bodies"]
    assert set(dataset.objects(iri, PARLEY.asOfEarliest)) == {Literal(dt.date(2000, 5, 5), datatype=XSD.date)}
    assert set(dataset.objects(iri, PARLEY.asOfLatest)) == {Literal(dt.date(2000, 5, 31), datatype=XSD.date)}
    assert not set(dataset.objects(iri, PARLEY.asOf))


def test_a_range_that_ends_before_it_starts_is_refused(project):
    _edit(
        project,
        "    speaker: state/freedonia\n",
        '    speaker: state/freedonia\n    as_of: {earliest: 2000-05-31, latest: 2000-05-05}\n    note: "reversed"\n',
    )
    with pytest.raises(SourceError) as err:
        _load(project)
    assert "earliest is after latest" in str(err.value)
