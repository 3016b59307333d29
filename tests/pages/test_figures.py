"""Figures in dispute on the real build of the corpus: each figure set dereferences (303, content
negotiation, Link headers), its CSV and JSON tables hold its figures, its page shows them with
the relations in words, and its chart is drawn to scale with every mark labelled and linked.

What the documents must hold is read from the store with the test's own SPARQL (not the pages'
canned queries), then looked for in the answers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import unescape
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph, URIRef

from graph.namespaces import BASE, PARLEY
from server.views.chart import NARROW, WIDE, Mark, chart_svg, text_width
from server.views.terms import reason_words
from tests.helpers import assert_error_shape
from tests.pages.conftest import fetch

SVG = "{http://www.w3.org/2000/svg}"
RUSSIA = BASE + "id/state/russia"
RETURNED = BASE + "id/measure/bodies-returned-to-ukraine-total"
PUTIN = BASE + "id/person/vladimir-putin"
NAME = "state-russia--bodies-returned-to-ukraine-total"
SET = BASE + "id/figures/" + NAME
ID_PATH = "/id/figures/" + NAME
DOC = "/doc/figures/" + NAME
OLD_PAGE = "/compare?" + urlencode({"subject": RUSSIA, "measure": RETURNED})

PREFIX = """PREFIX parley: <https://w3id.org/parley/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
SETS = PREFIX + "SELECT DISTINCT ?set ?label WHERE { ?set a parley:FigureSet ; rdfs:label ?label }"
FIGURES = (
    PREFIX
    + """
SELECT ?set ?claim ?figure ?lower ?upper ?from ?until ?text ?speaker ?name ?exact WHERE {
  ?set parley:hasFigure ?claim . ?claim parley:quantity ?q ; parley:asOfText ?text ; parley:evidence ?ev .
  ?q parley:figure ?figure .
  OPTIONAL { ?q parley:lowerBound ?lower } OPTIONAL { ?q parley:upperBound ?upper }
  OPTIONAL { ?claim parley:asOfFrom ?from } OPTIONAL { ?claim parley:asOfUntil ?until }
  OPTIONAL { ?claim parley:speaker ?speaker . ?speaker rdfs:label ?name }
  ?ev <http://www.w3.org/ns/oa#hasSelector> ?sel . ?sel <http://www.w3.org/ns/oa#exact> ?exact .
}"""
)
RELATIONS = (
    PREFIX
    + """
SELECT ?set ?r ?from ?to ?reason ?kindLabel WHERE {
  ?set parley:hasRelation ?r . ?r parley:fromClaim ?from ; parley:toClaim ?to ; parley:reason ?reason ;
     parley:relationKind ?kind . ?kind skos:prefLabel ?kindLabel .
}"""
)


def _select(real_app, text: str, **bindings) -> list[dict]:
    import pyoxigraph as ox

    store = real_app.extensions["parley_site"].store
    rows = store.select(text, {k: ox.NamedNode(v) for k, v in bindings.items()})
    return [{k: (row[k].value if row.get(k) is not None else None) for k in row.keys()} for row in rows]


def _figures(real_app, iri: str = SET) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for row in _select(real_app, FIGURES, set=iri):
        f = found.setdefault(row["claim"], {**row, "speakers": set()})
        if row.get("name"):
            f["speakers"].add(row["name"])
    return found


def _links(response) -> dict[str, str]:
    """The Link header's alternates: media type -> target."""
    found = {}
    for target, params in re.findall(r"<([^>]+)>((?:;\s*[^,;]+)*)", response.headers.get("Link", "")):
        if 'rel="alternate"' in params:
            found[re.search(r'type="([^"]+)"', params).group(1)] = target
    return found


def _visible_text(html: str) -> str:
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def _marks(svg: ET.Element) -> list[ET.Element]:
    return [a for a in svg.iter(SVG + "a") if a.get("class") == "mark-link"]


def _bar_x(mark: ET.Element) -> float:
    dot = mark.find(f".//{SVG}circle")
    return float(dot.get("cx")) if dot is not None else float(mark.find(f".//{SVG}line[@class='bar']").get("x1"))


# -- dereferencing


@pytest.mark.parametrize(
    ("accept", "ext"),
    [
        ("text/html", "html"),
        ("*/*", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "rdf"),
        ("text/csv", "csv"),
        ("application/json", "json"),
        ("image/svg+xml", "svg"),
    ],
)
def test_a_figure_set_iri_answers_303_to_the_document_accept_prefers(real_client, accept, ext):
    response = fetch(real_client, ID_PATH, headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{DOC}.{ext}"
    assert "Accept" in response.headers["Vary"]
    assert set(_links(response)) >= {"text/html", "text/turtle", "text/csv", "application/json", "image/svg+xml"}


def test_the_document_without_an_extension_negotiates_and_every_twin_is_in_its_link_header(real_client):
    response = fetch(real_client, DOC, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Location"] == f"{DOC}.csv"
    assert "Accept" in response.headers["Vary"]
    page = fetch(real_client, f"{DOC}.html")
    assert _links(page) == {
        "text/html": f"{DOC}.html",
        "text/turtle": f"{DOC}.ttl",
        "application/ld+json": f"{DOC}.jsonld",
        "application/rdf+xml": f"{DOC}.rdf",
        "application/n-triples": f"{DOC}.nt",
        "text/csv": f"{DOC}.csv",
        "application/json": f"{DOC}.json",
        "image/svg+xml": f"{DOC}.svg",
    }
    html = page.get_data(as_text=True)
    for ext in ("csv", "json", "ttl", "svg"):
        assert f'href="{DOC}.{ext}"' in html, f"the page links its .{ext} twin"
        assert '<link rel="alternate" type="' in html and f'href="{DOC}.{ext}">' in html


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize(("ext", "fmt"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")])
def test_the_rdf_twins_hold_the_set_its_figures_and_its_formats(real_app, real_client, ext, fmt):
    response = fetch(real_client, f"{DOC}.{ext}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(as_text=True), format=fmt)
    node = URIRef(SET)
    assert (node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), PARLEY.FigureSet) in graph
    assert set(graph.objects(node, PARLEY.hasFigure)) == {URIRef(c) for c in _figures(real_app)}
    assert (node, PARLEY.figureSubject, URIRef(RUSSIA)) in graph
    assert (node, PARLEY.figureMeasure, URIRef(RETURNED)) in graph
    doc = URIRef(BASE + "doc/figures/" + NAME)
    formats = {str(o) for o in graph.objects(doc, URIRef("http://purl.org/dc/terms/hasFormat"))}
    assert {f"{doc}.csv", f"{doc}.json", f"{doc}.svg", f"{doc}.html"} <= formats
    assert (doc, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), node) in graph


# -- the figures table as data


def test_the_csv_has_one_row_per_figure_with_bounds_speakers_dates_and_quote(real_app, real_client):
    response = fetch(real_client, f"{DOC}.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "\r\n" in text  # RFC 4180
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = _figures(real_app)
    assert len(rows) == len(expected) == 5
    assert list(rows[0]) == [
        "claim",
        "figure",
        "lower_bound",
        "upper_bound",
        "approximation",
        "speakers",
        "speaker_iris",
        "stated_on",
        "as_of_from",
        "as_of_until",
        "as_of",
        "modality",
        "article",
        "article_label",
        "quote",
    ]
    for row in rows:
        f = expected[row["claim"]]
        assert row["figure"] == f["figure"]
        assert row["lower_bound"] == (f.get("lower") or "") and row["upper_bound"] == (f.get("upper") or "")
        assert row["as_of_from"] == (f.get("from") or "") and row["as_of_until"] == (f.get("until") or "")
        assert row["as_of"] == f["text"]
        assert set(row["speakers"].split("; ")) == f["speakers"]
        assert row["quote"] == f["exact"]
        assert row["article"].startswith(BASE + "id/article/") and row["modality"]
    over = next(r for r in rows if r["figure"] == "over 6,000")
    assert (over["lower_bound"], over["upper_bound"], over["approximation"]) == ("6000", "", "more than")


def test_the_json_has_the_same_figures_and_the_relations_with_their_reasons(real_app, real_client):
    response = fetch(real_client, f"{DOC}.json")
    assert response.mimetype == "application/json"
    body = json.loads(response.get_data(as_text=True))
    assert body["figure_set"] == SET and body["subject"]["iri"] == RUSSIA and body["measure"]["iri"] == RETURNED
    expected = _figures(real_app)
    assert {f["claim"] for f in body["figures"]} == set(expected)
    for f in body["figures"]:
        want = expected[f["claim"]]
        assert f["lower_bound"] == (None if want.get("lower") is None else Decimal(want.get("lower")))
        assert f["upper_bound"] == (None if want.get("upper") is None else Decimal(want.get("upper")))
        assert {s["label"] for s in f["speakers"]} == want["speakers"]
        assert f["as_of_until"] == want.get("until") and f["as_of"] == want["text"]
    relations = {r["r"]: r for r in _select(real_app, RELATIONS, set=SET)}
    assert {r["relation"] for r in body["relations"]} == set(relations)
    for r in body["relations"]:
        assert (r["from"], r["to"], r["reason"]) == tuple(relations[r["relation"]][k] for k in ("from", "to", "reason"))
        assert r["kind_label"] == relations[r["relation"]]["kindLabel"]


def test_every_figure_set_of_the_build_has_a_page_a_table_and_a_chart(real_app, real_client):
    sets = _select(real_app, SETS)
    assert len(sets) >= 8
    for row in sets:
        doc = "/doc/" + row["set"][len(BASE + "id/") :]
        rows = list(csv.DictReader(io.StringIO(fetch(real_client, doc + ".csv").get_data(as_text=True))))
        assert {r["claim"] for r in rows} == set(_figures(real_app, row["set"]))
        page = fetch(real_client, doc + ".html")
        assert page.status_code == 200 and row["label"] in unescape(page.get_data(as_text=True))
        assert fetch(real_client, doc + ".svg").mimetype == "image/svg+xml"


# -- errors


@pytest.mark.parametrize(
    "path",
    [
        "/id/figures/state-russia--no-such-measure",
        "/doc/figures/state-russia--no-such-measure.html",
        "/doc/figures/state-russia--no-such-measure.csv",
        "/doc/figures/state-russia--no-such-measure.json",
        "/doc/figures/" + NAME + ".xml",
        "/doc/figures/" + NAME + "/extra.csv",
        "/id/figures/" + quote("> } DROP ALL #"),
        "/doc/figures/" + quote("> } DROP ALL #") + ".csv",
        "/doc/figures/" + quote("<script>alert(1)</script>") + ".html",
        "/id/figures/" + "a" * 5000,
        "/id/figures/" + quote("\u00e9\u0000") + ".json",
        "/doc/figures/..%2F..%2Fetc%2Fpasswd.csv",
    ],
)
def test_an_unknown_or_hostile_figure_set_is_a_404_in_the_error_shape(real_client, path):
    response = fetch(real_client, path, headers={"Accept": "application/json"})
    assert_error_shape(response, 404)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"{DOC}.csv?page=abc", 400),
        (f"{DOC}.json?page=-1", 400),
        (f"{DOC}.html?page=2", 404),
        (f"{DOC}.csv?page=99999999999", 400),
    ],
)
def test_hostile_parameters_on_a_figure_set_are_client_errors(real_client, path, status):
    assert_error_shape(fetch(real_client, path, headers={"Accept": "application/json"}), status)


def test_an_unacceptable_accept_is_a_406(real_client):
    assert_error_shape(fetch(real_client, ID_PATH, headers={"Accept": "application/pdf"}), 406)


# -- the page


def test_the_page_lists_every_figure_with_its_speakers_and_the_relations_in_words(real_app, real_client):
    response = fetch(real_client, f"{DOC}.html")
    assert response.status_code == 200 and response.headers["ETag"]
    html = response.get_data(as_text=True)
    table = html.split('<table class="list figures-table">', 1)[1].split("</table>", 1)[0]
    rows = dict(re.findall(r'<tr id="figure-([^"]+)" class="figure-row">(.*?)</tr>', table, re.S))
    figures = _figures(real_app)
    assert set(rows) == {iri.rsplit("/", 1)[-1] for iri in figures}
    for iri, f in figures.items():
        text = unescape(re.sub(r"<[^>]+>", " ", rows[iri.rsplit("/", 1)[-1]]))
        assert f["figure"] in text
        assert all(name in text for name in f["speakers"])
    section = unescape(html.split('id="relations-heading"', 1)[1].split("</section>", 1)[0])
    relations = _select(real_app, RELATIONS, set=SET)
    assert len(re.findall(r'<li class="relation [^"]+">', section)) == len(relations) == 10
    for r in relations:  # the build's reason, said in words (views.wording)
        assert reason_words(r["reason"], real_app.extensions["parley_site"]) in section
        assert r["reason"] not in section
    text = _visible_text(html)
    assert "conflicts" in text and "possibly conflicts" in text.lower() and "updates" in text
    assert "possibly-conflicts" not in text and "relation-kind" not in text
    assert " style=" not in html and "<style" not in html and "<script>" not in html


def test_the_old_comparison_addresses_move_permanently_to_the_figure_set(real_client):
    page = fetch(real_client, OLD_PAGE)
    assert page.status_code == 301 and page.headers["Location"] == ID_PATH
    chart = fetch(real_client, OLD_PAGE.replace("/compare?", "/compare/chart.svg?"))
    assert chart.status_code == 301 and chart.headers["Location"] == f"{DOC}.svg"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"subject": RUSSIA}, 400),
        ({"measure": RETURNED}, 400),
        ({"subject": "russia", "measure": RETURNED}, 400),
        ({"subject": "> } DROP ALL #", "measure": RETURNED}, 400),
        ({"subject": "http://example.org/a b", "measure": RETURNED}, 400),
        ({"subject": "http://example.org/" + "a" * 600, "measure": RETURNED}, 400),
        ({"subject": RUSSIA, "measure": BASE + "id/measure/no-such-measure"}, 404),
        ({"subject": PUTIN, "measure": RETURNED}, 404),
        ({"subject": BASE + "id/state/ukraine", "measure": BASE + "id/measure/bodies-returned-to-russia-total"}, 404),
    ],
)
def test_bad_parameters_on_the_old_addresses_are_client_errors(real_client, query, status):
    for path in ("/compare?", "/compare/chart.svg?"):
        response = fetch(real_client, path + urlencode(query), headers={"Accept": "application/json"})
        assert_error_shape(response, status)


def test_the_index_lists_every_figure_set_and_the_home_and_claim_pages_link_them(real_app, real_client):
    index = unescape(fetch(real_client, "/compare").get_data(as_text=True))
    for row in _select(real_app, SETS):
        assert f'href="/id/figures/{row["set"].rsplit("/", 1)[-1]}">{row["label"]}</a>' in index
    home = unescape(fetch(real_client, "/").get_data(as_text=True))
    assert f'class="compare-link" href="{ID_PATH}"' in home
    claim = unescape(fetch(real_client, "/doc/claim/001-putin-bodies-returned-6000.html").get_data(as_text=True))
    assert f'class="compare-link" href="{ID_PATH}"' in claim
    russia = unescape(fetch(real_client, "/doc/state/russia.html").get_data(as_text=True))
    assert f'href="{ID_PATH}"' in russia


def test_the_page_and_its_twins_answer_a_conditional_request_with_304(real_client):
    for path in (f"{DOC}.html", f"{DOC}.csv", f"{DOC}.json", f"{DOC}.svg"):
        first = fetch(real_client, path)
        again = fetch(real_client, path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
    assert fetch(real_client, f"{DOC}.csv").headers["ETag"] != fetch(real_client, f"{DOC}.json").headers["ETag"]


# -- the chart


def _charts(real_client) -> list[ET.Element]:
    html = fetch(real_client, f"{DOC}.html").get_data(as_text=True)
    inline = [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", html, re.S)]
    assert [svg.get("class") for svg in inline] == ["chart chart-wide", "chart chart-narrow"]
    document = fetch(real_client, f"{DOC}.svg")
    assert document.status_code == 200 and document.mimetype == "image/svg+xml"
    return [*inline, ET.fromstring(document.get_data())]


def test_the_chart_places_marks_in_proportion_to_their_dates(real_app, real_client):
    figures = _figures(real_app)
    for svg in _charts(real_client):
        assert svg.tag == SVG + "svg"
        marks = _marks(svg)
        assert len(marks) == len(figures)
        by_day: dict[dt.date, list[float]] = {}
        for mark in marks:
            by_day.setdefault(dt.date.fromisoformat(mark.get("data-date")), []).append(_bar_x(mark))
        centres = sorted((day, sum(xs) / len(xs)) for day, xs in by_day.items())  # marks of a day stand apart, centred
        assert len(centres) >= 4
        (d0, x0), (d1, x1) = centres[0], centres[-1]
        per_day = (x1 - x0) / (d1 - d0).days
        assert per_day > 0
        for day, x in centres:
            assert x == pytest.approx(x0 + (day - d0).days * per_day, abs=0.2), f"{day} is not to scale"
        # each mark stands at the last day it holds as of, and its as-of days are a band to scale
        for mark in marks:
            f = figures[mark.get("href").replace("/id/claim/", BASE + "id/claim/")]
            assert mark.get("data-date") == f.get("until")
            band = mark.find(f".//{SVG}rect[@class='as-of']")
            if f.get("from") == f.get("until"):
                assert band is None
            elif f.get("from") is None:  # no later than its last day: fades out to the left, an arrow at its end
                assert (
                    band.get("fill").startswith("url(#")
                    and mark.find(f".//{SVG}polygon[@class='open-date']") is not None
                )
                assert float(band.get("x")) + float(band.get("width")) == pytest.approx(_bar_x(mark), abs=0.2)
            else:  # between two days: both ends to scale
                start = dt.date.fromisoformat(f.get("from"))
                assert float(band.get("x")) == pytest.approx(x0 + (start - d0).days * per_day, abs=0.2)


def test_every_mark_is_labelled_linked_and_named_and_its_interval_drawn(real_app, real_client):
    figures = _figures(real_app)
    for svg in _charts(real_client):
        ident = svg.get("aria-labelledby")
        assert svg.find(SVG + "title").get("id") == ident and svg.find(SVG + "title").text
        assert (
            svg.find(SVG + "desc").get("id") == svg.get("aria-describedby")
            and "to scale" in svg.find(SVG + "desc").text
        )
        assert svg.get("role") != "img", "marks are not hidden from screen readers"
        for mark in _marks(svg):
            f = figures[BASE + mark.get("href").lstrip("/")]
            label = "".join(mark.find(f".//{SVG}text[@class='mark-label']").itertext())
            speaker = next(iter(f["speakers"]))
            assert speaker[:20] in label, f"the label names {speaker}: {label!r}"
            until = dt.date.fromisoformat(f.get("until"))
            assert f"{until.day} {until:%B}" in label, f"the label gives the date: {label!r}"
            name = mark.get("aria-label")
            assert f["figure"] in name and speaker in name
            lo, hi = f.get("lower"), f.get("upper")
            if lo == hi:
                assert mark.find(f".//{SVG}circle[@class='dot']") is not None
            else:
                assert mark.find(f".//{SVG}line[@class='bar']") is not None
                if hi is None:  # "over 6,000": open at the top
                    assert mark.find(f".//{SVG}polygon[@class='open']") is not None
        assert "6,000" in [t.text for t in svg.iter(SVG + "text")], "axis labels have thousands separators"


def _label_boxes(svg: ET.Element, font: float, line_h: float) -> list[tuple[float, float, float, float]]:
    """The boxes the labels take, by the chart's own measure of text (the widest common face)."""
    boxes = []
    for text in svg.iter(SVG + "text"):
        if text.get("class") != "mark-label":
            continue
        width = max(text_width(t.text, font) for t in text)
        x, y = float(text.get("x")), float(text.get("y")) - font
        x -= {"start": 0, "middle": width / 2, "end": width}[text.get("text-anchor")]
        boxes.append((x, y, x + width, y + 2 * line_h))
    return boxes


def _overlapping(boxes) -> list:
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def _stress_marks(n: int) -> list[Mark]:
    day = dt.date(2025, 6, 2)
    return [
        Mark(
            key=f"m{i}",
            href=f"/id/claim/900-m{i}",
            name=f"figure {i}",
            speaker=f"A speaker with a long name, number {i}",
            detail=f"{1000 + 10 * i:,} · by {i % 3 + 2} June 2025",
            lo=Decimal(1000 + 10 * i),
            hi=Decimal(1000 + 10 * i) if i % 4 else None,
            start=None if i % 2 else day,
            end=day + dt.timedelta(days=i % 3) if i % 5 else None,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=lambda layout: layout.name)
@pytest.mark.parametrize("n", [1, 3, 12, 30])
def test_labels_never_meet_even_when_many_figures_share_a_day(layout, n):
    svg = ET.fromstring(chart_svg(_stress_marks(n), "T", "D", layout=layout))
    boxes = _label_boxes(svg, layout.font, round(layout.font * 1.25, 1))
    assert len(boxes) == n, "every mark is labelled"
    assert _overlapping(boxes) == []
    width = float(svg.get("viewBox").split()[2])
    assert all(0 <= b[0] and b[2] <= width for b in boxes), "labels stay inside the chart"


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=lambda layout: layout.name)
def test_a_long_date_stays_whole_in_its_label_and_the_labels_still_never_meet(layout):
    marks = [
        Mark(
            key=f"m{i}",
            href=f"/id/claim/900-m{i}",
            name=f"figure {i}",
            speaker=f"A speaker with a long name, number {i}",
            detail=f"another 10,000 · 30 September – {i + 1} October 2025",
            lo=Decimal(1000 + 10 * i),
            hi=Decimal(1000 + 10 * i),
            start=dt.date(2025, 9, 30),
            end=dt.date(2025, 10, i + 1),
        )
        for i in range(6)
    ]
    svg = ET.fromstring(chart_svg(marks, "T", "D", layout=layout))
    details = [t.text for t in svg.iter(SVG + "tspan") if t.get("class") == "detail"]
    assert sorted(details) == sorted(m.detail for m in marks), "the figure and its date are never cut"
    boxes = _label_boxes(svg, layout.font, round(layout.font * 1.25, 1))
    assert len(boxes) == len(marks) and _overlapping(boxes) == []
    width = float(svg.get("viewBox").split()[2])
    assert all(0 <= b[0] and b[2] <= width for b in boxes), "labels stay inside the chart"


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=lambda layout: layout.name)
@pytest.mark.parametrize("days", [3, 10, 40, 120, 400, 1500, 9000])
def test_the_time_axis_says_its_months_in_full_and_its_labels_never_meet(layout, days):
    start = dt.date(2024, 9, 28)
    marks = [
        Mark("a", "/id/claim/a", "a", "A", "1 · x", Decimal(1), Decimal(1), start, start),
        Mark("b", "/id/claim/b", "b", "B", "2 · y", Decimal(2), Decimal(2), None, start + dt.timedelta(days=days)),
    ]
    svg = ET.fromstring(chart_svg(marks, "T", "D", layout=layout))
    axis = next(g for g in svg.iter(SVG + "g") if g.get("class") == "axis")
    ticks = [t for t in axis.iter(SVG + "text") if t.get("text-anchor") == "middle" and t.text != "date unknown"]
    assert ticks, "the time axis has labels"
    spans = []
    for t in ticks:
        assert not re.search(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", t.text), t.text
        w = text_width(t.text, layout.font)
        spans.append((float(t.get("x")) - w / 2, float(t.get("x")) + w / 2))
    spans.sort()
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), spans


def test_the_chart_draws_open_bounds_and_undated_figures_and_escapes_its_text():
    marks = [
        Mark(
            "a",
            "/id/claim/a",
            "a",
            "Speaker A",
            "1,000 · as of 1 June",
            Decimal(1000),
            Decimal(1000),
            dt.date(2025, 6, 1),
            dt.date(2025, 6, 1),
        ),
        Mark(
            "b",
            "/id/claim/b",
            "b",
            "B & <b>",
            "900 to 1,100",
            Decimal(900),
            Decimal(1100),
            dt.date(2025, 6, 2),
            dt.date(2025, 6, 5),
        ),
        Mark("c", "/id/claim/c", "c", "Speaker C", "more than 12,000", Decimal(12000), None, None, dt.date(2025, 6, 9)),
        Mark("d", "/id/claim/d", "d", "Speaker D", "up to 5", None, Decimal(5), None, None),
        Mark("e", "/id/claim/e", "e", "Speaker E", "from 3 June", Decimal(7), Decimal(7), dt.date(2025, 6, 3), None),
    ]
    svg = ET.fromstring(chart_svg(marks, "T & <t>", "D", layout=WIDE))
    assert svg.find(SVG + "title").text == "T & <t>"
    drawn = {m.get("href"): m for m in _marks(svg)}
    assert "mark exact" in drawn["/id/claim/a"].find(SVG + "g").get("class")
    bar = drawn["/id/claim/b"].find(f".//{SVG}line[@class='bar']")
    assert float(bar.get("y1")) > float(bar.get("y2"))  # from the lower bound up to the upper
    assert drawn["/id/claim/b"].find(f".//{SVG}rect[@class='as-of']").get("fill") == "#6b9ac4"  # both ends known
    assert drawn["/id/claim/c"].find(f".//{SVG}polygon[@class='open']") is not None
    assert drawn["/id/claim/c"].find(f".//{SVG}rect[@class='as-of']").get("fill").endswith("fade-left)")
    assert drawn["/id/claim/e"].find(f".//{SVG}rect[@class='as-of']").get("fill").endswith("fade-right)")
    undated = drawn["/id/claim/d"]
    assert "undated" in undated.find(SVG + "g").get("class") and undated.get("data-date") == ""
    assert "date unknown" in [t.text for t in svg.iter(SVG + "text")]
    assert "B & <b>" in "".join(drawn["/id/claim/b"].itertext())
    assert "12,500" in [t.text for t in svg.iter(SVG + "text")]  # the axis runs past the open bound
