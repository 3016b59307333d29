"""``graph.search_index``: what the build's search index holds for a small dataset, and a clear
error naming the file when SQLite cannot make it; ``server.data.search`` over it: an entity's
variant names are searched as one, entities rank above claims, and the match is marked."""

from __future__ import annotations

import sqlite3

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph import search_index
from graph.errors import ConfigError
from graph.namespaces import PARLEY
from server.data.search import SearchIndex

OA = "http://www.w3.org/ns/oa#"
P = URIRef("https://w3id.org/parley/id/person/ada")
CLAIM = URIRef("https://w3id.org/parley/id/claim/ada-1")
ATT = URIRef("https://w3id.org/parley/id/attestation/ada-mention")


def _dataset() -> Dataset:
    ds = Dataset()
    g = ds.graph(URIRef("https://w3id.org/parley/graph/world"))
    g.add((P, RDF.type, PARLEY.Person))
    g.add((P, RDFS.label, Literal("Ada Lovelace", lang="en")))
    g.add((P, SKOS.altLabel, Literal("Countess of Lovelace", lang="en")))
    g.add((P, SKOS.altLabel, Literal("Ада", lang="ru")))  # not English: left out
    g.add((PARLEY.Person, RDF.type, OWL.Class))
    g.add((PARLEY.Person, RDFS.label, Literal("person", lang="en")))
    for thing, passage in ((CLAIM, "the engine might compose music"), (ATT, "Ada Lovelace wrote the notes")):
        ev, sel = URIRef(str(thing) + "#ev"), URIRef(str(thing) + "#sel")
        g.add((thing, PARLEY.evidence, ev))
        g.add((ev, URIRef(OA + "hasSelector"), sel))
        g.add((sel, URIRef(OA + "exact"), Literal(passage)))
    g.add((CLAIM, RDF.type, PARLEY.Claim))
    g.add((ATT, PARLEY.attestedSubject, P))
    return ds


def test_labels_variants_quotes_and_mentions_are_indexed(tmp_path):
    path = tmp_path / "search.sqlite"
    info = search_index.write_search_index(_dataset(), path)
    assert info["entries"] == 5 and info["bytes"] == path.stat().st_size
    db = sqlite3.connect(path)
    rows = set(db.execute("SELECT text, target, kind FROM entries"))
    assert ("Countess of Lovelace", str(P), "altLabel") in rows
    assert ("the engine might compose music", str(CLAIM), "quote") in rows
    assert ("Ada Lovelace wrote the notes", str(P), "mention") in rows  # an attestation leads to its subject
    assert not any(text == "Ада" for text, _t, _k in rows)
    assert list(db.execute("SELECT iri, label, instances FROM classes")) == [(str(PARLEY.Person), "person", 1)]
    index = SearchIndex(path)
    assert [h.iri for h in index.search("lovelase")] == [str(P)]
    assert [h.iri for h in index.search("compose music")] == [str(CLAIM)]


def test_the_builds_quads_give_the_index_its_dataset_gives(tmp_path):
    """``parley build`` writes the index from its sorted quads (``QuadSource``), after it has let
    the rdflib dataset go: the same file, byte for byte, as from the dataset."""
    from graph.dump import sorted_quads

    dataset = _dataset()
    dataset.graph(URIRef("https://w3id.org/parley/graph/article/001")).add(
        (P, RDFS.label, Literal("Augusta Ada King", lang="en"))  # a second label, in another graph
    )
    a = search_index.write_search_index(dataset, tmp_path / "a.sqlite")
    b = search_index.write_search_index(search_index.QuadSource(sorted_quads(dataset)), tmp_path / "b.sqlite")
    assert {**a, "file": ""} == {**b, "file": ""} and a["entries"] == 6
    assert (tmp_path / "a.sqlite").read_bytes() == (tmp_path / "b.sqlite").read_bytes()


def test_an_sqlite_without_the_tokenizer_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "_SCHEMA", search_index._SCHEMA.replace("'trigram'", "'no_such_tokenizer'"))
    with pytest.raises(ConfigError) as caught:
        search_index.write_search_index(_dataset(), tmp_path / "search.sqlite")
    assert str(tmp_path / "search.sqlite") in caught.value.message and "FTS5" in caught.value.hint


TOWN = URIRef("https://w3id.org/parley/id/place/vetrograd")
SAYING = URIRef("https://w3id.org/parley/id/claim/vetrograd-quiet")
LINK = URIRef("https://w3id.org/parley/id/claim-relation/vetrograd-1")


def _variants_dataset() -> Dataset:
    """A made-up town with a variant name, a claim quoting only the variant, a claim relation."""
    ds = _dataset()
    g = ds.graph(URIRef("https://w3id.org/parley/graph/world"))
    g.add((TOWN, RDF.type, PARLEY.Place))
    g.add((TOWN, RDFS.label, Literal("Vetrograd", lang="en")))
    g.add((TOWN, SKOS.altLabel, Literal("Wetrogard", lang="en")))
    ev, sel = URIRef(str(SAYING) + "#ev"), URIRef(str(SAYING) + "#sel")
    g.add((SAYING, RDF.type, PARLEY.Claim))
    g.add((SAYING, RDFS.label, Literal("The mayor: a quiet night", lang="en")))
    g.add((SAYING, PARLEY.evidence, ev))
    g.add((ev, URIRef(OA + "hasSelector"), sel))
    g.add((sel, URIRef(OA + "exact"), Literal("the night in Wetrogard was quiet, the mayor said")))
    g.add((LINK, RDF.type, PARLEY.ClaimRelation))
    g.add((LINK, RDFS.label, Literal("vetrograd-quiet agrees vetrograd-calm", lang="en")))
    return ds


def test_a_variant_name_is_searched_with_the_name(tmp_path):
    path = tmp_path / "search.sqlite"
    search_index.write_search_index(_variants_dataset(), path)
    index = SearchIndex(path)
    by_name, variants = index.searched("Vetrograd")
    assert variants == ["Wetrogard"]
    by_variant, others = index.searched("wetrogard")
    assert others == ["Vetrograd"]
    assert [h.iri for h in by_name] == [h.iri for h in by_variant] == [str(TOWN), str(SAYING), str(LINK)]
    quote = next(h for h in by_name if h.iri == str(SAYING))
    assert quote.kind == "quote" and [quote.text[s:e] for s, e in quote.spans] == ["Wetrogard"]
    assert index.searched("ada lovelace")[1] == ["Countess of Lovelace"]
    assert index.searched("lovelace")[1] == []  # a part of a name names nothing
    assert index.searched("night")[1] == []  # names nothing: searched alone
