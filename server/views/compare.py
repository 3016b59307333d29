"""The figures in dispute as other pages link them, and the claims a person made.

``comparisons()`` lists every figure set (a subject and measure with several figures, written by
the build; ``views.figures``) with its page's address, ``comparisons_about(subject)`` those of
one subject, ``compared_pairs()`` maps (subject, measure) to the page. ``spoken(person)`` gives
the claims a person made.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..data.canned import query
from ..data.site import site
from .figures import figure_sets, figure_sets_about
from .terms import iri_term, label, local_href


def comparisons() -> list[dict]:
    """Every figure set, most figures first: subject, measure, count, label and page (``href``)."""
    return figure_sets()


def comparisons_about(subject: str) -> list[dict]:
    """``comparisons()`` of one subject, in the same order, read for that subject alone (a page
    needs its own, and the whole list grows with the graph)."""
    return figure_sets_about(subject)


def compared_pairs() -> dict[tuple[str, str], str]:
    """(subject IRI, measure IRI) -> the figure set's page, for the pairs that have one."""
    return {(c["subject"]["iri"], c["measure"]["iri"]): c["href"] for c in comparisons()}


def spoken(person: str) -> list[dict]:
    """Return the claims ``person`` made (speaker = ``person``), in the order they were said."""
    s = site()
    found: dict[str, dict] = {}
    for row in s.store.select(query("claims-by-speaker"), {"s": ox.NamedNode(person)}):
        iri = row["claim"].value
        if iri in found:
            continue

        def value(name, row=row):
            node = row.get(name)
            return node.value if node is not None else None

        found[iri] = {
            "iri": iri,
            "href": local_href(iri) or iri,
            "label": value("label") or label(iri, s),
            "figure": value("figure"),
            "statement": value("statedValue"),
            "date": value("statedOn") or value("asOf"),
            "date_kind": "said on" if value("statedOn") else ("as of" if value("asOf") else None),
            "measure": iri_term(value("measure"), s) if value("measure") else None,
        }
    return list(found.values())
