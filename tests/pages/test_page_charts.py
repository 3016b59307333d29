"""Charts where people would rather look (issue 21, part 8): the figures claimed about an exchange,
the figures a person stated and every figure of a measure over time, and the timeline's events,
each drawn to scale as SVG made on the server: well-formed, no inline style or script, every mark
a link named for screen readers and labelled in visible text with its speaker (or name) and date."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.pages.conftest import PERSON

SVG = "{http://www.w3.org/2000/svg}"
EXCHANGE_WITH_FIGURES = "exchange/2000-05-05-bodies"
MEASURE = "measure/bodies-received-by-ukraine"


def _charts(html: str, layout: str = "wide") -> list[ET.Element]:
    found = re.findall(rf'<svg [^>]*class="chart[^"]*chart-{layout}".*?</svg>', html, re.S)
    return [ET.fromstring(svg) for svg in found]


def _marks(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(f".//{SVG}a")


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "marks"),
    [(f"/doc/{EXCHANGE_WITH_FIGURES}.html", 3), (f"/doc/{MEASURE}.html", 4), (f"/doc/{PERSON}.html", 1)],
)
def test_the_page_charts_its_figures_with_every_mark_a_named_labelled_link(client, path, marks):
    html = _html(client, path)
    assert 'id="charts-heading"' in html
    for layout in ("wide", "narrow"):
        (svg,) = _charts(html, layout)
        assert svg.get("role") == "group" and svg.find(f"{SVG}title") is not None and svg.find(f"{SVG}desc") is not None
        found = _marks(svg)
        assert len(found) == marks
        for a in found:
            assert a.get("href").startswith("/id/claim/")
            assert "said by" in a.get("aria-label") and " as of " in a.get("aria-label")
            assert a.get("aria-hidden") is None
            label = a.find(f".//{SVG}text[@class='mark-label']")
            speaker, detail = (t.text for t in label.findall(f"{SVG}tspan"))
            assert speaker and "·" in detail  # who, then the figure and its date, in visible text
    assert " style=" not in html and "<script>" not in html.split("</head>", 1)[1]


SHORT_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b")
DAY_IN_WORDS = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


@pytest.mark.parametrize("path", [f"/doc/{EXCHANGE_WITH_FIGURES}.html", f"/doc/{MEASURE}.html", f"/doc/{PERSON}.html"])
def test_a_charts_days_are_said_with_the_months_name_and_never_cut(client, path):
    html = _html(client, path)
    for layout in ("wide", "narrow"):
        (svg,) = _charts(html, layout)
        texts = [t for t in svg.itertext() if t.strip()]
        names = [a.get("aria-label") for a in _marks(svg)]
        for text in texts + names:
            assert not SHORT_MONTH.search(text), f"{layout}: {text!r} shortens a month"
        dated = 0
        for a in _marks(svg):
            detail = a.find(f".//{SVG}tspan[@class='detail']").text
            assert "…" not in detail, f"{layout}: {detail!r} is cut"
            if not detail.endswith("date unknown"):
                assert DAY_IN_WORDS.search(detail), f"{layout}: {detail!r}"
                assert DAY_IN_WORDS.search(a.get("aria-label")), a.get("aria-label")
                dated += 1
        assert dated > 0


def test_a_measure_page_names_each_figure_by_speaker_and_subject(client):
    (svg,) = _charts(_html(client, f"/doc/{MEASURE}.html"))
    names = [a.get("aria-label") for a in _marks(svg)]  # the visible label may be cut short; the name never is
    assert all(re.search(r"said by .+ on .+, as of ", n) for n in names), names


def test_a_page_without_figures_over_time_has_no_chart(client):
    html = _html(client, "/doc/org/escape-test.html")
    assert "<svg" not in html and 'id="charts-heading"' not in html


def _position(a: ET.Element) -> float:
    """Where an event mark starts on the axis: its dot's centre or its bar's left end."""
    dot = a.find(f".//{SVG}circle")
    return float(dot.get("cx")) if dot is not None else float(a.find(f".//{SVG}rect").get("x"))


def test_the_timeline_draws_every_dated_event_to_scale(client):
    import datetime as dt

    html = _html(client, "/timeline")
    days = re.findall(r'<p class="when"><time datetime="([0-9-]+)">', html)
    charts = _charts(html)
    marks = [a for svg in charts for a in _marks(svg)]
    assert len(marks) == len(days) >= 3
    for svg in charts:
        points = sorted((dt.date.fromisoformat(a.get("data-date")), _position(a)) for a in _marks(svg))
        (d0, x0), (d1, x1) = points[0], points[-1]
        if d1 == d0:
            continue
        scale = (x1 - x0) / (d1 - d0).days
        for day, x in points:  # a day's width is the same everywhere on the axis
            assert abs(x0 + (day - d0).days * scale - x) < 0.5, (day, x)
    for a in marks:
        assert a.get("href").startswith("/id/") and a.get("aria-label")
        speaker, when = (t.text for t in a.find(f".//{SVG}text").findall(f"{SVG}tspan"))
        assert speaker and re.search(r"\d{4}", when)  # its name and its date, in visible text
