"""Is the dataset consistent under OWL 2: ``consistency(source)`` runs HermiT (through owlready2,
in a fresh ``World``) over an N-Triples copy made by ``reasoner_copy`` (of an rdflib graph) or
``write_reasoner_copy`` (of pyoxigraph quads, the union of their graphs), which map
the date datatypes HermiT does not know onto xsd:dateTime, order-preserving, so the copy is
consistent exactly when the graph is. One of the checks ``graph.validate`` runs; it needs a Java
runtime.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from .errors import ConfigError, ValidationFailed


def consistency(graph: Graph | list[ox.Quad]) -> tuple[bool, str]:
    """Return (consistent, status) from HermiT over an N-Triples copy of ``graph`` (an rdflib
    graph, or pyoxigraph quads: the union of their graphs), in a fresh World.

    Raises ConfigError when no Java runtime is installed (HermiT needs one).
    """
    if shutil.which("java") is None:
        raise ConfigError(
            "the OWL consistency check needs a Java runtime and none is installed",
            hint="install one (Debian: apt-get install default-jre-headless) or pass --no-reasoner",
        )
    import owlready2

    with tempfile.TemporaryDirectory(prefix="parley-owl-") as tmp:
        path = Path(tmp) / "dataset.nt"
        if isinstance(graph, list):
            write_reasoner_copy(graph, path)
        else:
            reasoner_copy(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return False, f"inconsistent: {str(exc).strip()[:500]}"
        except owlready2.OwlReadyJavaError as exc:  # HermiT could not read the copy: say why, no traceback
            lines = [
                line.strip() for line in str(exc).splitlines() if line.strip() and not line.strip().startswith("at ")
            ]
            raise ValidationFailed(
                "the OWL reasoner (HermiT) could not read the dataset: " + " ".join(lines[1:4])[:500],
                hint="a literal of a datatype HermiT does not know is the usual cause; report it with the "
                "message, and pass --no-reasoner meanwhile",
            ) from None
        finally:
            world.close()
    return True, "consistent"


def reasoner_copy(graph: Graph) -> Graph:
    """Return the graph as HermiT can read it.

    xsd:date, xsd:gYearMonth and xsd:gYear are not in the OWL 2 datatype map, so HermiT rejects
    them. The copy maps each xsd:date (as a range or a literal) to xsd:dateTime at midnight, and
    each month or year (a date kept at the precision printed) to the midnight it begins: an
    order-preserving, one-to-one mapping of each datatype, so the copy is consistent exactly
    when the original is.
    """
    copy = Graph()
    for s, p, o in graph:
        if o == XSD.date:
            o = XSD.dateTime
        elif isinstance(o, Literal) and o.datatype == XSD.date:
            o = Literal(f"{o}T00:00:00", datatype=XSD.dateTime)
        elif isinstance(o, Literal) and o.datatype == XSD.gYearMonth:
            o = Literal(f"{str(o)[:7]}-01T00:00:00", datatype=XSD.dateTime)
        elif isinstance(o, Literal) and o.datatype == XSD.gYear:
            o = Literal(f"{str(o)[:4]}-01-01T00:00:00", datatype=XSD.dateTime)
        copy.add((s, p, o))
    return copy


_XSD_DATE, _XSD_DATETIME = ox.NamedNode(str(XSD.date)), ox.NamedNode(str(XSD.dateTime))
_MIDNIGHT = {str(XSD.date): "T00:00:00", str(XSD.gYearMonth): "-01T00:00:00", str(XSD.gYear): "-01-01T00:00:00"}
_KEEP = {str(XSD.date): None, str(XSD.gYearMonth): 7, str(XSD.gYear): 4}


def write_reasoner_copy(quads: list[ox.Quad], path: Path) -> None:
    """Write the union of the quads' graphs as N-Triples to ``path``, mapped as ``reasoner_copy`` maps them."""
    triples = dict.fromkeys(ox.Triple(q.subject, q.predicate, _reasoner_term(q.object)) for q in quads)
    ox.serialize(triples, str(path), format=ox.RdfFormat.N_TRIPLES)


def _reasoner_term(term):
    if term == _XSD_DATE:
        return _XSD_DATETIME
    if isinstance(term, ox.Literal) and term.datatype.value in _MIDNIGHT:
        kind = term.datatype.value
        return ox.Literal(term.value[: _KEEP[kind]] + _MIDNIGHT[kind], datatype=_XSD_DATETIME)
    return term
