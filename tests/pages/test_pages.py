"""Resource pages, the home page, types and the timeline: what a reader sees, escaped, with
properties named by their ontology labels and every claim shown with its quote and the claims
it conflicts with."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests.pages.conftest import ESCAPE_LABEL


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
    html, parsed = page(client, "/id/person/vladimir-medinsky")
    assert "<h1>Vladimir Medinsky</h1>" in html
    assert ">person</a>" in html                       # its type, by the class's ontology label
    assert ">alternative label</a>" in html and "Medinsky" in html
    assert ">mentioned in</a>" in html                 # parley:mentionedIn by its label
    assert "Links in" in html and ">headed by</a>" in html
    assert 'href="/id/delegation/russia-2025-06-02"' in html
    assert "Medinsky, who heads the Russian team" not in html or "<mark>" in html
    data = json.loads(parsed.json_ld[0])
    assert data["@type"] == "Person" and data["name"] == "Vladimir Medinsky"
    assert data["@id"] == "https://w3id.org/parley/id/person/vladimir-medinsky"


def test_claim_page_shows_figure_speaker_dates_quote_and_conflicting_claims(client):
    html, parsed = page(client, "/id/claim/000-bodies-total-to-date")
    assert "3,012" in html and "over 6,000" in html and "3,600" in html   # the claim and both conflicts
    assert "brings the total to date to 3,012" in parsed.marks
    assert "We have returned over 6,000 bodies of fallen Ukrainian servicemen" in parsed.marks
    assert ">Vladimir Putin</a>" in html                # who said the conflicting figure
    assert "2025-06-13" in html                         # as of
    assert "2025-06-19" in html                         # stated on
    assert "Conflicts with" in html
    assert 'class="claim current"' in html
    # the quote sits in a window of the article's text
    assert "third such round of Ukrainian bodies being returned by Russia, and <mark>" in html
    data = json.loads(parsed.json_ld[0])
    assert data["@type"] == "Claim"
    assert data["text"] == "brings the total to date to 3,012"
    assert data["appearance"][0]["@id"].endswith("/id/article/000-36ce8dffabdc45fd")


def test_resource_page_groups_claims_by_measure_side_by_side(client):
    html, parsed = page(client, "/id/agreement/2025-06-02-istanbul")
    assert "Figures claimed about" in html
    section = html[html.index('class="claims"'):html.index('id="props-heading"')]
    assert section.count('<article class="claim') == 3
    assert "3 claims, 3 in conflict" in section
    assert len(parsed.marks) == 3
    assert 'href="/id/measure/bodies-returned-to-ukraine-total"' in section


def test_exchange_round_page_shows_its_claim_with_speaker(client):
    html, parsed = page(client, "/id/exchange/2025-06-13-bodies")
    assert "the bodies of 1,200 killed were returned" in parsed.marks
    assert "Coordination Headquarters for the Treatment of Prisoners of War" in html
    assert json.loads(parsed.json_ld[0])["startDate"] == "2025-06-13"


def test_attested_statements_show_their_quote(client):
    html, parsed = page(client, "/id/delegation/russia-2025-06-02")
    assert "Sources of these statements" in html
    assert "Medinsky, who heads the Russian team" in parsed.marks


def test_article_page_has_its_text_with_every_evidence_passage_marked(client):
    html, parsed = page(client, "/id/article/000-36ce8dffabdc45fd")
    assert "Full text" in html and "Coordination Headquarters for the Treatment of Prisoners of War said" in html
    assert ">reported in</a>" in html                   # links in from its claims
    assert "the bodies of 1,200 killed were returned" in parsed.marks
    assert "brings the total to date to 3,012" in parsed.marks
    assert 'href="/id/claim/000-bodies-total-to-date" title="3,012: bodies returned to ukraine total"><mark>' in html


@pytest.mark.parametrize("path", ["/id/measure/bodies-received-by-ukraine", "/id/scheme/measure",
                                  "/graph/world", "/id/evidence/000-bodies-total-to-date",
                                  "/id/attestation/001-round-2-date", "/id/round/2025-06-02-istanbul",
                                  "/graph/provenance", "/id/activity/ingest", "/id/agent/parley-0.1.0",
                                  "/doc/agent/parley-0.1.0"])
def test_every_kind_of_resource_has_a_page(client, path):
    html, parsed = page(client, path)
    assert "<h1>" in html
    assert parsed.json_ld and json.loads(parsed.json_ld[0])["@context"] == "https://schema.org"


def test_labels_are_escaped_in_html_and_in_json_ld(client):
    html, parsed = page(client, "/id/org/escape-test")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1                             # the label did not close the script early
    assert json.loads(scripts[0])["name"] == ESCAPE_LABEL


def test_pages_load_nothing_from_other_hosts(client):
    for path in ("/", "/id/claim/000-bodies-total-to-date", "/timeline", "/query", "/ontology"):
        _, parsed = page(client, path)
        for tag, url in parsed.urls:
            if tag in ("script", "link", "img"):
                assert not url.startswith(("http:", "https:", "//")), (path, url)


def test_pages_work_without_javascript(client):
    """Everything a reader needs is in the HTML: no page but the query page loads a script."""
    for path in ("/", "/id/claim/000-bodies-total-to-date", "/timeline", "/types", "/ontology", "/dumps/"):
        html, _ = page(client, path)
        assert "<script src" not in html, path


def test_home_page_has_figures_and_entry_points(client):
    html, _ = page(client, "/")
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html))
    assert figures["claims"] == "4" and figures["articles"] == "3" and figures["conflicting pairs"] == "3"
    assert int(figures["triples"]) > 1000 and figures["entities"] == "13"
    for href in ("/timeline", "/types", "/query", "/ontology", "/shapes", "/dumps/", "/void", "/validation"):
        assert f'href="{href}"' in html, href
    assert "Where the sources disagree" in html
    assert "the data conforms" in html


def test_types_and_type_lists(client):
    html, _ = page(client, "/types")
    assert 'href="/types/parley:Person"' in html
    html, _ = page(client, "/types/parley:Person")
    assert "Vladimir Medinsky" in html and "Vladimir Putin" in html
    assert client.get("/types/parley:Nothing").status_code == 404


def test_timeline_lists_events_in_date_order_with_their_sources(client):
    html, parsed = page(client, "/timeline")
    order = [html.index(label) for label in ("Prisoner exchange, 23-25 May 2025", "Istanbul talks, 2 June 2025",
                                             "Return of bodies, 13 June 2025")]
    assert order == sorted(order)
    assert "The second round of peace discussions occurred in Istanbul on June 2." in parsed.marks
    assert '<time datetime="2025-05-23">2025-05-23</time> – <time datetime="2025-05-25">' in html
    assert ">Article 000</a>" in html                   # reported in, through its claim
