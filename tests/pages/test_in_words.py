"""Pages in words (issue 21, part 6): intervals, days and relations said as a reader says them,
no datatype suffix, class CURIE or relation slug in running text, no doubled quote marks; the
key facts of an event at the top of its page; no link to a page empty of what it pages. Every
page of the mini build and of the real build is read for the machine-speak patterns."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from graph.namespaces import BASE
from server.views.wording import (
    as_of_text,
    date_text,
    interval_text,
    nested_quotes,
    quoted,
    reason_text,
    relation_text,
)
from tests.helpers import close_app, make_app
from tests.pages.conftest import ARTICLE, CLAIM, EXCHANGE, PERSON, ROUND

# What a reader should never meet in a page's text, with what it looks like when they do.
MACHINE_SPEAK = {
    "an interval in brackets": re.compile(r"[\[(]−?\d[\d.]*, (?:−?\d[\d.]*|∞)[\])]|\(−∞, −?\d"),
    "as of by": re.compile(r"\bas of by\b"),
    "a datatype": re.compile(r"\^\^|\bxsd:\w+"),
    "a language tag": re.compile(r"(?<![\w/])@en\b"),
    "a class CURIE": re.compile(r"\b(?:owl|skos|rdfs|prov|oa):[A-Z]\w+"),
    "doubled quote marks": re.compile(r"[“\"]\s*[“\"]|[”\"]\s*[”\"]"),
    "a claim key": re.compile(r"\b\d{3}/[a-z][a-z0-9]*-[a-z0-9-]+"),
    "a relation slug": re.compile(r"\b\d{3}-[a-z0-9-]+ (?:agrees|conflicts|consistent|updates|not comparable)\b"),
    "a kind slug": re.compile(r"\b(?:possibly-conflicts|not-comparable)\b"),
}
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_RESOURCES = """SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x }
  FILTER(isIRI(?x) && STRSTARTS(STR(?x), "https://w3id.org/parley/id/") && !CONTAINS(STR(?x), "#")) }"""
ENTRY_PAGES = ["/", "/types", "/timeline", "/claims", "/compare", "/types/parley:Person", "/validation", "/dumps/"]


def visible_text(html: str) -> str:
    """The text a reader sees: no script, style, code (an IRI shown as such) or attributes."""
    html = re.sub(r"<(script|style|code)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def machine_speak(path: str, html: str) -> list[str]:
    """What of ``MACHINE_SPEAK`` (and ISO days outside ``<time>``) the page at ``path`` says."""
    text = visible_text(html)
    found = [
        f"{path}: {name}: …{text[max(0, m.start() - 60) : m.end() + 40]}…"
        for name, pattern in MACHINE_SPEAK.items()
        for m in pattern.finditer(text)
    ]
    for m in ISO_DAY.finditer(text):
        found.append(f"{path}: an ISO day: …{text[max(0, m.start() - 60) : m.end() + 40]}…")
    return found


def every_page(app) -> list[str]:
    store = app.extensions["parley_site"].store
    docs = sorted(
        row["x"].value[len(BASE) - 1 :].replace("/id/", "/doc/", 1) + ".html" for row in store.select(_RESOURCES)
    )
    return ENTRY_PAGES + docs


def _speak_of_every_page(app) -> list[str]:
    client, found = app.test_client(), []
    for path in every_page(app):
        response = client.get(path)
        assert response.status_code == 200, path
        found += machine_speak(path, response.get_data(as_text=True))
    return found


def test_no_page_of_the_mini_build_speaks_like_a_machine(mini_build):
    app = make_app(mini_build)
    try:
        found = _speak_of_every_page(app)
    finally:
        close_app(app)
    assert found == [], "\n".join(found[:20])


def test_no_page_of_the_real_build_speaks_like_a_machine(real_app):
    found = _speak_of_every_page(real_app)
    assert found == [], f"{len(found)} cases, the first:\n" + "\n".join(found[:20])


@pytest.mark.parametrize(
    ("lo", "hi", "lo_closed", "hi_closed", "words"),
    [
        ("3012", "3012", True, True, "3,012"),
        ("1000", "1200", True, True, "between 1,000 and 1,200"),
        ("6000", None, False, True, "more than 6,000"),
        ("6000", None, True, True, "at least 6,000"),
        (None, "1000", True, False, "less than 1,000"),
        ("0.18", "0.18", True, True, "0.18"),
    ],
)
def test_an_interval_in_words(lo, hi, lo_closed, hi_closed, words):
    assert interval_text(lo, hi, lo_closed, hi_closed) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2025-06-19", "19 June 2025"),
        ("by 2025-06-19 (said then)", "19 June 2025 at the latest (when it was said)"),
        ("by 2025-06-03 (published then)", "3 June 2025 at the latest (when the article was published)"),
        ("between 2025-06-14 and 2025-06-20", "some day between 14 and 20 June 2025"),
        ("by 2024-06 (said then)", "June 2024 at the latest (when it was said)"),
        ("unknown", "a day not given"),
    ],
)
def test_an_as_of_text_in_words(text, words):
    assert as_of_text(text) == words


def test_a_reason_in_words_names_each_claim_by_its_speaker_and_reads_its_figures():
    reason = (
        "001/putin-bodies-returned-6000 “6,000” [6000, 6000] as of by 2025-06-19 (said then); "
        "000/bodies-total-to-date “some 12,000” [10800, 13200] as of 2025-06-13: the intervals overlap as printed."
    )
    names = {"001-putin-bodies-returned-6000": "Vladimir Putin", "000-bodies-total-to-date": "Ukraine"}
    assert reason_text(reason, names.get) == (
        "Vladimir Putin “6,000”, as of 19 June 2025 at the latest (when it was said); "
        "Ukraine “some 12,000” (read as between 10,800 and 13,200), as of 13 June 2025: the intervals overlap as printed."
    )
    assert relation_text("000-a agrees 001-b", {"000-a": "A: 1", "001-b": "B: 2"}.get) == "A: 1 agrees with B: 2"
    assert relation_text("not a relation label", dict().get) is None


def test_quotes_in_quotes_are_single_and_never_doubled():
    assert nested_quotes('Vladimir Medinsky: “"rescued" rather than abducted” (x)') == (
        "Vladimir Medinsky: “‘rescued’ rather than abducted” (x)"
    )
    assert quoted('"rescued" rather than abducted') == "“‘rescued’ rather than abducted”"
    assert quoted("“already quoted”") == "“already quoted”"
    assert date_text("2024-06") == "June 2024" and date_text("not a date") == "not a date"
    assert date_text(dt.date(2000, 6, 2).isoformat()) == "2 June 2000"


@pytest.mark.parametrize(("path", "facts"), [(ROUND, ("date", "place")), (EXCHANGE, ("date", "exchanged"))])
def test_an_events_key_facts_stand_at_the_top_of_its_page(client, path, facts):
    html = client.get(f"/doc/{path}.html").get_data(as_text=True)
    assert '<dl class="key-facts"' in html
    top = html.index('<dl class="key-facts"')
    assert top < html.index('id="props-heading"')
    if 'id="claims-heading"' in html:
        assert top < html.index('id="claims-heading"')
    block = html[top : html.index("</dl>", top)]
    labels = re.findall(r"<dt>([^<]+)</dt>", block)
    assert all(fact in labels for fact in facts), labels
    assert "<time" in block  # the day, in words, with its ISO form for machines


def test_a_claim_page_says_its_days_and_relations_in_words(client):
    html = client.get(f"/doc/{CLAIM}.html").get_data(as_text=True)
    assert '<dt>as of</dt><dd><time class="date" datetime="2000-06-13">13 June 2000</time></dd>' in html
    assert "Vera Trentino “more than 2,000”, as of 19 June 2000 at the latest (when it was said)" in html
    assert "[1012, 1012]" not in html and "as of by" not in html


def test_the_claims_table_says_its_days_in_words_and_names_every_cell_by_its_column(client):
    html = client.get("/claims").get_data(as_text=True)
    table = html[html.index('<table class="list cards claims-table">') : html.index("</table>")]
    headings = [
        unescape(h) for h in re.findall(r'<th scope="col"[^>]*><a href="[^"]*">([^<▲▼]+?)\s*[▲▼]?</a></th>', table)
    ]
    assert headings[6:8] == ["stated on", "as of"], headings
    rows = re.findall(r"<tr>\s*(<td.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    assert rows
    days = 0
    for row in rows:
        cells = re.findall(r'<td data-label="([^"]*)">(.*?)</td>', row, re.S)
        assert [unescape(label) for label, _ in cells] == headings, row[:200]
        for _, cell in cells[6:8]:
            if cell:
                day = re.fullmatch(r'<time datetime="([0-9-]+)">([^<]+)</time>', cell)
                assert day, cell
                assert day.group(2) == date_text(day.group(1)) != day.group(1)
                days += 1
    assert days > 0


def _pagers(html: str) -> dict[str, str | None]:
    """Each paged section's "next" link (None where it has none), by the section's heading id."""
    out = {}
    for heading, body in re.findall(r'<h2 id="(props|in)-heading">(.*?)(?=<h2 |</main>)', html, re.S):
        pager = re.search(r'<p class="pager">(.*?)</p>', body, re.S)
        link = re.search(r'<a rel="next" href="([^"]+)"', pager.group(1)) if pager else None
        out[heading] = link.group(1) if link else None
    return out


def test_no_next_link_leads_to_a_page_empty_of_what_it_pages(mini_build):
    app = make_app(mini_build, page_links=3)
    try:
        client = app.test_client()
        for path in (f"/doc/{PERSON}.html", f"/doc/{ARTICLE}.html", f"/doc/{ROUND}.html"):
            html = client.get(path).get_data(as_text=True)
            seen = 0
            while True:
                links = {k: v for k, v in _pagers(html).items() if v}
                if not links:
                    break
                target = next(iter(links.values()))
                assert len({*links.values()}) == 1, links  # every section pages to the same next page
                html = client.get(target.replace("&amp;", "&")).get_data(as_text=True)
                for heading in links:  # the section that linked here shows some of its rows
                    body = html.split(f'id="{heading}-heading"', 1)[1].split("<h2 ", 1)[0]
                    assert "this page shows" in body, (path, target, heading)
                seen += 1
                assert seen < 50
            assert seen >= 1 or path.startswith("/doc/round")
    finally:
        close_app(app)
