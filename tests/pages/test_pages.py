"""Resource pages, the home page, types and the timeline: what a reader sees, escaped, with
properties named by their ontology labels and every claim shown with its quote and the claims
it conflicts with."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests.pages.conftest import (
    AGENT,
    AGREEMENT,
    ARTICLE,
    ARTICLE_LABEL,
    CLAIM,
    DELEGATION,
    DELEGATION_HEAD_QUOTE,
    ESCAPE_LABEL,
    EXCHANGE,
    PERSON,
    ROUND,
    ROUND_DATE_QUOTE,
    TOTAL_QUOTE,
    TRENTINO_QUOTE,
)


class _Collect(HTMLParser):
    """Collect the JSON-LD scripts, the <mark> texts and every src/href of a page."""

    def __init__(self):
        super().__init__()
        self.json_ld, self.marks, self.urls, self.ids = [], [], [], set()
        self._in_script = self._in_mark = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_script = True
            self.json_ld.append("")
        if tag == "mark":
            self._in_mark = True
            self.marks.append("")
        for key in ("src", "href"):
            if attrs.get(key):
                self.urls.append((tag, attrs[key]))
        if attrs.get("id"):
            self.ids.add(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        if self._in_script:
            self.json_ld[-1] += data
        if self._in_mark:
            self.marks[-1] += data


def page(client, path):
    response = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    parsed = _Collect()
    parsed.feed(html)
    return html, parsed


def test_person_page_has_label_type_properties_by_ontology_label_and_links_in(client):
    html, parsed = page(client, f"/id/{PERSON}")
    assert "<h1>Rufus Firefly</h1>" in html
    assert ">person</a>" in html  # its type, by the class's ontology label
    assert ">alternative label</a>" in html and "Rufus T. Firefly" in html
    assert ">mentioned in</a>" in html  # parley:mentionedIn by its label
    assert "Links in" in html and ">headed by</a>" in html
    assert f'href="/id/{DELEGATION}"' in html
    assert DELEGATION_HEAD_QUOTE not in html or "<mark>" in html
    data = json.loads(parsed.json_ld[0])
    assert data["@type"] == "Person" and data["name"] == "Rufus Firefly"
    assert data["@id"] == f"https://w3id.org/parley/id/{PERSON}"


def test_claim_page_shows_figure_speaker_dates_quote_and_conflicting_claims(client):
    html, parsed = page(client, f"/id/{CLAIM}")
    assert (
        "1,012" in html and "more than 2,000" in html and "nearly 1,000" in html
    )  # the claim and both it may conflict with
    assert TOTAL_QUOTE in parsed.marks
    assert TRENTINO_QUOTE in parsed.marks
    assert ">Vera Trentino</a>" in html  # who said the conflicting figure
    assert '<time class="date" datetime="2000-06-13">13 June 2000</time>' in html  # as of, in words
    assert '<time class="date" datetime="2000-06-19">19 June 2000</time>' in html  # stated on
    assert "Possibly conflicts with" in html  # the as-of dates of the other two are not given
    # the reason in words: each claim named by who said it, its figure read, its day a day
    assert "“1,012”, as of 13 June 2000; Vera Trentino “more than 2,000”, as of 19 June 2000 at the latest" in html
    assert "the order of the dates open" in html
    assert 'class="claim current"' in html
    # the quote sits in a window of the article's text
    assert (
        "the third such round of bodies being returned by Sylvania under the Port Marvin agreement, and <mark>" in html
    )
    data = json.loads(parsed.json_ld[0])
    assert data["@type"] == "Claim"
    assert data["text"] == TOTAL_QUOTE
    assert data["appearance"][0]["@id"].endswith(f"/id/{ARTICLE}")


def test_resource_page_groups_claims_by_measure_side_by_side(client):
    html, _ = page(client, f"/id/{AGREEMENT}")
    assert "Figures claimed about" in html
    section = html[html.index('class="claims"') : html.index('id="props-heading"')]
    assert section.count('<article class="claim') == 3
    assert "3 claims, 3 possibly in conflict" in section
    claim_marks = _Collect()
    claim_marks.feed(section)
    assert len(claim_marks.marks) == 3  # each claim's quote, once
    assert set(claim_marks.marks) == {
        TOTAL_QUOTE,
        TRENTINO_QUOTE,
        "the bodies of nearly 1,000 fallen soldiers have been returned to Freedonia",
    }
    assert 'href="/id/measure/bodies-returned-to-ukraine-total"' in section


def test_exchange_round_page_shows_its_claim_with_speaker(client):
    html, parsed = page(client, f"/id/{EXCHANGE}")
    assert "the bodies of 400 fallen soldiers were returned" in parsed.marks
    assert "Freedonian Coordination Office for Prisoners of War" in html
    assert json.loads(parsed.json_ld[0])["startDate"] == "2000-06-13"


def test_attested_statements_show_their_quote(client):
    html, parsed = page(client, f"/id/{DELEGATION}")
    assert "Sources of these statements" in html
    assert DELEGATION_HEAD_QUOTE in parsed.marks


def test_article_page_has_its_text_with_every_evidence_passage_marked(client):
    html, parsed = page(client, f"/id/{ARTICLE}")
    assert "Full text" in html and "Freedonian Coordination Office for Prisoners of War said" in html
    assert ">reported in</a>" in html  # links in from its claims
    assert "the bodies of 400 fallen soldiers were returned" in parsed.marks
    assert TOTAL_QUOTE in parsed.marks
    assert f'href="/id/{CLAIM}" title="{ARTICLE_LABEL}: 1,012 (bodies returned to Ukraine, cumulative)"><mark>' in html


@pytest.mark.parametrize(
    "path",
    [
        "/id/measure/bodies-received-by-ukraine",
        "/id/scheme/measure",
        "/graph/world",
        "/id/evidence/003-bodies-total-to-date",
        "/id/attestation/003-round-2-date",
        f"/id/{ROUND}",
        "/graph/provenance",
        "/id/activity/ingest",
        f"/id/{AGENT}",
        f"/doc/{AGENT}",
    ],
)
def test_every_kind_of_resource_has_a_page(client, path):
    html, parsed = page(client, path)
    assert "<h1>" in html
    assert parsed.json_ld and json.loads(parsed.json_ld[0])["@context"] == "https://schema.org"


def test_labels_are_escaped_in_html_and_in_json_ld(client):
    html, _ = page(client, "/id/org/escape-test")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(scripts) == 1  # the label did not close the script early
    assert json.loads(scripts[0])["name"] == ESCAPE_LABEL


def test_pages_load_nothing_from_other_hosts(client):
    for path in ("/", f"/id/{CLAIM}", "/timeline", "/query", "/ontology"):
        _, parsed = page(client, path)
        for tag, url in parsed.urls:
            if tag in ("script", "link", "img"):
                assert not url.startswith(("http:", "https:", "//")), (path, url)


def test_pages_work_without_javascript(client):
    """Everything a reader needs is in the HTML: no page but the query page loads a script."""
    for path in ("/", f"/id/{CLAIM}", "/timeline", "/types", "/ontology", "/dumps/"):
        html, _ = page(client, path)
        assert "<script src" not in html, path


def test_home_page_has_figures_and_entry_points(client):
    html, _ = page(client, "/")
    figures = {k: v.replace(",", "") for k, v in re.findall(r'<dt>([^<]+)</dt><dd class="num">([\d,]+)</dd>', html)}
    # the mini fixture: 8 claims in 4 articles; 95 and 90 for one round conflict (001/002); the
    # three totals of 003/004 possibly conflict (two have no as-of date)
    assert figures["claims"] == "8" and figures["articles"] == "4" and figures["conflicting pairs"] == "1"
    assert figures["possibly conflicting pairs"] == "3"
    assert int(figures["triples"]) > 1000 and figures["entities"] == "16"
    for href in ("/timeline", "/types", "/query", "/ontology", "/shapes", "/dumps/", "/void", "/validation"):
        assert f'href="{href}"' in html, href
    assert "Where the sources disagree" in html
    assert "the data conforms" in html


def test_types_and_type_lists(client):
    html, _ = page(client, "/types")
    assert 'href="/types/parley:Person"' in html
    html, _ = page(client, "/types/parley:Person")
    assert "Rufus Firefly" in html and "Vera Trentino" in html
    assert client.get("/types/parley:Nothing").status_code == 404


def test_timeline_lists_events_in_date_order_with_their_sources(client):
    html, parsed = page(client, "/timeline")
    order = [
        html.index(label)
        for label in (
            "Prisoner exchange, 23-25 May 2000",
            "Port Marvin talks, 2 June 2000",
            "Return of bodies, 13 June 2000",
        )
    ]
    assert order == sorted(order)
    assert ROUND_DATE_QUOTE in parsed.marks
    assert '<time datetime="2000-05-23">23 May 2000</time> – <time datetime="2000-05-25">25 May 2000</time>' in html
    assert f">{ARTICLE_LABEL}</a>" in html  # reported in, through its claim
