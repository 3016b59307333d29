"""Parley's graph package: turns the corpus and its curation into a validated RDF dataset
and writes the build (store, dumps, VoID/DCAT, validation report)."""

__version__ = "0.1.0"
