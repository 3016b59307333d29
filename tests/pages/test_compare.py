"""The comparison views and the claims on a person's page, on the real build of the corpus.

What the pages must show is read from the store with the test's own SPARQL (not the pages'
canned queries), then looked for in the HTML, the inline SVG chart and the SVG document.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import unescape
from urllib.parse import urlencode

import pytest

from graph.namespaces import BASE
from server.views.chart import Mark, chart_svg, parse_interval
from tests.pages.conftest import fetch

SVG_NS = "{http://www.w3.org/2000/svg}"
RUSSIA = BASE + "id/state/russia"
RETURNED = BASE + "id/measure/bodies-returned-to-ukraine-total"
PUTIN = BASE + "id/person/vladimir-putin"
PAGE = "/compare?" + urlencode({"subject": RUSSIA, "measure": RETURNED})
CHART = "/compare/chart.svg?" + urlencode({"subject": RUSSIA, "measure": RETURNED})

FIGURES = """
PREFIX parley: <https://w3id.org/parley/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?m ?claim ?figure ?interval ?speakerName WHERE {
  ?claim a parley:Claim ; parley:about ?s ; parley:measure ?m ; parley:quantity ?q .
  ?q parley:figure ?figure ; parley:interval ?interval .
  OPTIONAL { ?claim parley:speaker ?sp . ?sp rdfs:label ?speakerName }
}"""
RELATIONS = """
PREFIX parley: <https://w3id.org/parley/ontology#>
SELECT ?s ?m ?r ?reason WHERE {
  ?r a parley:ClaimRelation ; parley:fromClaim ?a ; parley:toClaim ?b ; parley:reason ?reason .
  ?a parley:about ?s ; parley:measure ?m ; parley:quantity [] .
  ?b parley:about ?s ; parley:measure ?m ; parley:quantity [] .
}"""
SPOKEN = """
PREFIX parley: <https://w3id.org/parley/ontology#>
SELECT DISTINCT ?p ?claim WHERE { ?claim a parley:Claim ; parley:speaker ?p }"""


def _select(real_app, text: str, **bindings) -> list[dict]:
    import pyoxigraph as ox

    store = real_app.extensions["parley_site"].store
    rows = store.select(text, {k: ox.NamedNode(v) for k, v in bindings.items()})
    return [{k: (row[k].value if row.get(k) is not None else None) for k in row.keys()} for row in rows]


def _figures(real_app) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for row in _select(real_app, FIGURES, s=RUSSIA, m=RETURNED):
        f = found.setdefault(row["claim"], {"figure": row["figure"], "interval": row["interval"], "speakers": set()})
        if row["speakerName"]:
            f["speakers"].add(row["speakerName"])
    return found


def _rows(html: str) -> dict[str, str]:
    """The comparison table's rows by their id, as text."""
    body = html.split('<table class="list compare-table">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr id="figure-([^"]+)" class="figure-row">(.*?)</tr>', body, re.S)
    return {key: unescape(re.sub(r"<[^>]+>", " ", text)) for key, text in rows}


def _marks(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(SVG_NS + "g") if "mark" in g.get("class", "").split()]


def test_the_bodies_returned_comparison_lists_every_figure_with_its_speakers(real_app, real_client):
    response = fetch(real_client, PAGE)
    assert response.status_code == 200
    assert response.headers["ETag"]
    html = response.get_data(as_text=True)
    figures = _figures(real_app)
    assert len(figures) >= 3
    rows = _rows(html)
    assert set(rows) == {iri.rsplit("/", 1)[-1] for iri in figures}
    for iri, f in figures.items():
        text = rows[iri.rsplit("/", 1)[-1]]
        assert f["figure"] in text
        for name in f["speakers"]:
            assert name in text
    assert "Vladimir Putin" in rows["001-putin-bodies-returned-6000"]


def test_the_comparison_shows_every_relation_between_its_figures(real_app, real_client):
    html = unescape(fetch(real_client, PAGE).get_data(as_text=True))
    relations = _select(real_app, RELATIONS, s=RUSSIA, m=RETURNED)
    assert relations, "the build derives relations between these figures"
    section = html.split('id="relations-heading"', 1)[1]
    items = re.findall(r'<li class="relation [^"]+">', section)
    assert len(items) == len({r["r"] for r in relations})
    for r in relations:
        assert r["reason"] in section


def test_the_chart_has_one_mark_per_figure_and_ranges_for_bounded_figures(real_app, real_client):
    figures = _figures(real_app)
    html = fetch(real_client, PAGE).get_data(as_text=True)
    inline = ET.fromstring(re.search(r"<svg .*?</svg>", html, re.S).group(0))
    document = fetch(real_client, CHART)
    assert document.status_code == 200 and document.mimetype == "image/svg+xml"
    standalone = ET.fromstring(document.get_data())
    for svg in (inline, standalone):
        assert svg.tag == SVG_NS + "svg"
        assert svg.find(SVG_NS + "title").text and svg.find(SVG_NS + "desc").text
        marks = _marks(svg)
        assert len(marks) == len(figures)
        by_row = {svg_a.get("href"): g for svg_a in svg.iter(SVG_NS + "a") for g in _marks(svg_a)}
        for iri, f in figures.items():
            mark = by_row["#figure-" + iri.rsplit("/", 1)[-1]]
            lo, hi = parse_interval(f["interval"])
            if lo == hi:
                assert "exact" in mark.get("class") and mark.find(SVG_NS + "circle") is not None
            else:
                assert "range" in mark.get("class")
                assert mark.find(f"{SVG_NS}line[@class='bar']") is not None
                if hi is None:  # "over 6,000": open at the top
                    assert mark.find(f"{SVG_NS}polygon[@class='open']") is not None
        labels = [t.text for t in svg.iter(SVG_NS + "text")]
        assert any(text and "," in text for text in labels), "axis labels have thousands separators"
    # claim 000 has an as-of date; Zelensky's "6,000" has none and stands at its article's date, marked so
    assert "undated" not in by_row["#figure-000-bodies-total-to-date"].get("class")
    undated = by_row["#figure-004-zelensky-bodies-handed-over-6000"]
    assert "undated" in undated.get("class") and "article date" in undated.find(SVG_NS + "title").text


def test_the_comparison_page_obeys_the_csp_without_inline_style(real_client):
    response = fetch(real_client, PAGE)
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert " style=" not in html and "<style" not in html and "<script>" not in html


def test_the_index_links_every_comparison_and_the_home_page_links_them(real_client):
    index = fetch(real_client, "/compare").get_data(as_text=True)
    assert unescape(PAGE) in unescape(index)
    home = unescape(fetch(real_client, "/").get_data(as_text=True))
    assert "/compare" in home and 'class="compare-link"' in home
    claim = unescape(fetch(real_client, "/doc/claim/001-putin-bodies-returned-6000.html").get_data(as_text=True))
    assert f'class="compare-link" href="{unescape(PAGE)}"' in claim


def test_putins_page_lists_the_claims_he_made(real_app, real_client):
    made = {r["claim"] for r in _select(real_app, SPOKEN, p=PUTIN)}
    assert len(made) >= 2
    html = fetch(real_client, "/doc/person/vladimir-putin.html").get_data(as_text=True)
    section = html.split('id="spoken-heading"', 1)[1].split("</section>", 1)[0]
    linked = set(re.findall(r'<a href="/id/claim/([^"]+)">', section))
    assert linked == {iri.rsplit("/", 1)[-1] for iri in made}


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"subject": RUSSIA}, 400),
        ({"measure": RETURNED}, 400),
        ({"subject": "russia", "measure": RETURNED}, 400),
        ({"subject": "> } DROP ALL #", "measure": RETURNED}, 400),
        ({"subject": "http://example.org/a b", "measure": RETURNED}, 400),
        ({"subject": RUSSIA, "measure": BASE + "id/measure/no-such-measure"}, 404),
        ({"subject": PUTIN, "measure": RETURNED}, 404),
    ],
)
def test_bad_parameters_are_client_errors(real_client, query, status):
    from tests.helpers import assert_error_shape

    for path in ("/compare?", "/compare/chart.svg?"):
        response = fetch(real_client, path + urlencode(query), headers={"Accept": "application/json"})
        assert response.status_code == status
        assert_error_shape(response, status)


def test_the_chart_draws_bounds_as_ranges_and_exact_figures_as_dots():
    marks = [
        Mark("a", "1,000 exact", Decimal(1000), Decimal(1000), "2025-06-01", True),
        Mark("b", "between 900 and 1,100", Decimal(900), Decimal(1100), "2025-06-01", True),
        Mark("c", "more than 12,000", Decimal(12000), None, "2025-06-02", False),
        Mark("d", "no date", Decimal(5), Decimal(5), None, False),
    ]
    svg = ET.fromstring(chart_svg(marks, "T & <t>", "D"))
    drawn = _marks(svg)
    assert [g.get("class") for g in drawn] == ["mark exact", "mark range", "mark range undated", "mark exact undated"]
    assert svg.find(SVG_NS + "title").text == "T & <t>"
    bar = drawn[1].find(f"{SVG_NS}line[@class='bar']")
    assert float(bar.get("y1")) > float(bar.get("y2"))  # from the lower bound up to the upper
    assert drawn[2].find(f"{SVG_NS}polygon[@class='open']") is not None
    labels = [t.text for t in svg.iter(SVG_NS + "text")]
    assert "12,500" in labels  # the axis runs past the open bound, with separators
    assert labels[-3:] == ["2025-06-01", "2025-06-02", "no date"]


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("[3600, 3600]", (Decimal(3600), Decimal(3600))),
        ("(6000, ∞)", (Decimal(6000), None)),
        ("(−∞, 500]", (None, Decimal(500))),
        ("[2700.0, 3300]", (Decimal("2700.0"), Decimal(3300))),
        ("(−∞, ∞)", None),
        ("nonsense", None),
        (None, None),
    ],
)
def test_intervals_are_read_as_the_build_writes_them(text, bounds):
    assert parse_interval(text) == bounds


def test_the_comparison_answers_a_conditional_request_with_304(real_client):
    first = fetch(real_client, PAGE)
    again = fetch(real_client, PAGE, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    other = fetch(
        real_client,
        "/compare?"
        + urlencode(
            {"subject": BASE + "id/provision/2025-06-02-bodies", "measure": BASE + "id/measure/bodies-agreed-per-side"}
        ),
    )
    assert other.status_code == 200 and other.headers["ETag"] != first.headers["ETag"]
