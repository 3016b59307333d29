"""The build's own provenance: the ingest run as a prov:Activity of a prov:SoftwareAgent.

The run's timestamp comes from the sources, never from the clock: ``SOURCE_DATE_EPOCH`` if
set, else the time of the last git commit, else the ontology's ``dcterms:modified`` date. So
the same input gives byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from . import __version__
from .errors import ConfigError
from .namespaces import GRAPH, ID, ONTOLOGY, PARLEY, PROVENANCE_GRAPH, SCHEMA


@dataclass(frozen=True)
class BuildRun:
    """When the build's sources were last changed, and by which version of Parley."""

    timestamp: dt.datetime
    version: str = __version__

    @property
    def stamp(self) -> str:
        """The timestamp as xsd:dateTime text in UTC."""
        return self.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def activity(self):
        return ID["activity/ingest"]

    @property
    def agent(self):
        return ID[f"agent/parley-{self.version}"]


def source_timestamp(root: Path, ontology_modified: dt.date | None = None) -> dt.datetime:
    """Return the build timestamp (UTC) from SOURCE_DATE_EPOCH, git, or the ontology date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except ValueError:
            raise ConfigError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds",
                hint="unset it or set it to e.g. $(git log -1 --format=%ct)",
            ) from None
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if out.returncode == 0 and out.stdout.strip():
            return dt.datetime.fromtimestamp(int(out.stdout.strip()), tz=dt.UTC)
    except (OSError, subprocess.TimeoutExpired):
        pass
    day = ontology_modified or dt.date(1970, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def add_provenance(dataset: Dataset, corpus, run: BuildRun) -> None:
    """Add the provenance graph: activity, agent, used files, and which graphs it generated."""
    graph = dataset.graph(PROVENANCE_GRAPH)
    stamp = Literal(run.stamp, datatype=XSD.dateTime, normalize=False)  # "Z" as written, as the store keeps it
    graph.add((run.agent, RDF.type, PROV.SoftwareAgent))
    graph.add((run.agent, RDFS.label, Literal(f"Parley {run.version}", lang="en")))
    graph.add((run.agent, SCHEMA.softwareVersion, Literal(run.version)))
    activity = run.activity
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal("Parley ingest of the corpus and its curation", lang="en")))
    graph.add((activity, PROV.wasAssociatedWith, run.agent))
    graph.add((activity, PROV.startedAtTime, stamp))
    graph.add((activity, PROV.endedAtTime, stamp))
    graph.add((activity, PROV.used, ONTOLOGY))
    for article in corpus.articles:
        graph.add((activity, PROV.used, article.iri))
        curation = ID[f"curation/{article.number}"]
        graph.add((activity, PROV.used, curation))
        graph.add((curation, RDF.type, PROV.Entity))
        graph.add((curation, RDFS.label, Literal(f"Curation of article {article.number}", lang="en")))
        graph.add((curation, PARLEY.sourceFile, Literal(f"curation/{article.curation_path.name}")))
        graph.add((curation, PARLEY.sha256, Literal(article.curation_sha256)))
        graph.add((curation, DCTERMS.source, article.iri))
    for context in dataset.graphs():
        name = context.identifier
        if isinstance(name, type(GRAPH["x"])) and str(name).startswith(str(GRAPH)):
            graph.add((name, PROV.wasGeneratedBy, activity))
    graph.add((PROVENANCE_GRAPH, PROV.wasGeneratedBy, activity))
