"""Pages that read well (issue 10, part 6): each quoted passage shown once with the statements
it supports, links in read towards the resource, labels instead of raw IRIs, long lists
collapsed behind their count, and a validation page that shows every check with its figures."""

from __future__ import annotations

import json
import re
from collections import Counter

from tests.conftest import java_available
from tests.pages.conftest import PERSON

BLOCK = re.compile(r'<blockquote class="quote" data-start="(\d+)" data-end="(\d+)">')


def _html(client, path):
    response = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _timeline_passages(html):
    """Per event: the (article, start, end) of each quote block, and the statements listed."""
    out = []
    for chunk in html.split('<li class="event">')[1:]:
        chunk = chunk.split("</li>", 1)[0] if "</blockquote>" not in chunk else chunk
        sources = re.findall(r'<div class="source"><p class="attests">(.*?)</p>\s*<blockquote', chunk, re.S)
        blocks = BLOCK.findall(chunk)
        assert len(sources) == len(blocks)
        keys = [(re.findall(r'href="([^"]+)"', p)[-1], *b) for p, b in zip(sources, blocks, strict=True)]
        out.append((keys, [p.count("; ") + 1 for p in sources]))
    return out


def test_timeline_shows_each_passage_once_with_every_statement_it_supports(real_client):
    events = _timeline_passages(_html(real_client, "/timeline"))
    assert len(events) >= 10
    for keys, _ in events:
        assert len(keys) == len(set(keys)), Counter(keys).most_common(3)  # one block per passage
    # some passages support several statements, and each lists them all (a date and a place, say)
    assert any(n > 1 for _, counts in events for n in counts)


def test_resource_page_groups_its_sources_by_passage(real_client):
    html = _html(real_client, "/doc/delegation/ukraine-2025-06-02")
    section = html.split('id="att-heading"', 1)[1].split("</section>", 1)[0]
    passages = re.findall(r'<li class="passage-group">(.*?)</blockquote></li>', section, re.S)
    assert passages
    keys = [(BLOCK.search(p).groups(), re.findall(r'<footer>— <a href="([^"]+)"', p)) for p in passages]
    assert len({(k, tuple(a)) for k, a in keys}) == len(keys)
    assert any(p.count("<li>") > 1 for p in passages)  # one passage supports several statements
    # every statement the sources support is still there: as many as attestations of the delegation
    statements = sum(p.count("<li>") for p in passages)
    assert statements > len(passages)


def test_links_in_read_from_the_other_resource_to_this_one(client):
    html = _html(client, f"/id/{PERSON}")
    section = html.split('id="in-heading"', 1)[1].split("</section>", 1)[0]
    # "the Freedonian delegation — headed by Rufus Firefly", not "headed by: the delegation" read as the person's
    assert re.search(r'>headed by</a> <span class="this">Rufus Firefly</span></th>', section)
    assert "Each row reads from the resources listed to this one" in section


def test_attestations_passages_and_quantities_have_readable_labels(real_client):
    for path in (
        "/doc/person/rustem-umerov",
        "/doc/attestation/002-umerov-holds-post",
        "/doc/claim/003-umerov-only-leaders-meeting-can-resolve",
    ):
        html = _html(real_client, path)
        assert "pid:attestation/" not in html and "pid:evidence/" not in html
        assert not re.search(r"(?<!<code)>https://w3id\.org/parley/id/(attestation|evidence)/", html), (
            path
        )  # the IRI line aside
        assert not re.search(r">[^<]*\(https://w3id\.org/parley/id/evidence/", html), path
    html = _html(real_client, "/doc/attestation/002-umerov-holds-post")
    # Article 002 is named by its headline (cut to its first words), never by its number.
    headline = "Ukraine, Russia agree to exchange 6,000 bodies at…"
    assert f"<h1>Rustem Umerov – holds post, attested in {headline}</h1>" in html
    assert f">passage in {headline} supporting Rustem Umerov – holds post" in html
    assert "article 002" not in html


def test_long_lists_are_collapsed_behind_their_count_short_ones_open(real_client, client):
    html = _html(real_client, "/types/parley:Attestation")
    n = int(re.search(r"<p>([\d,]+) instances", html).group(1).replace(",", ""))
    assert n > 30
    assert f'<details class="collapsible"><summary>{n:,} instances</summary>' in html
    html = _html(client, "/types/parley:Person")
    assert re.search(r'<details class="collapsible" open><summary>\d+ instances?</summary>', html)


def test_validation_page_lists_every_check_with_its_figures(client, mini_build):
    info = json.loads((mini_build / "build.json").read_text(encoding="utf-8"))
    html = _html(client, "/validation")
    section = html.split('id="checks-heading"', 1)[1].split("</section>", 1)[0]
    section = re.sub(r"<td [^>]*>", "<td>", section)  # a cell's card label and class aside
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td>', section))
    for name in ("SHACL", "QC queries", "Reasoner: OWL consistency (HermiT)", "Number coverage", "Sentence coverage"):
        assert name in rows, rows
    assert rows["SHACL"] == info["checks"]["SHACL"]
    assert rows["QC queries"] == info["checks"]["QC queries"]
    assert rows["Reasoner: OWL consistency (HermiT)"] == info["checks"]["OWL consistency (HermiT)"]
    assert f"{info['qc_queries']:,} queries run" in section and info["qc_queries"] > 0
    assert f"{info['numbers_covered']:,} of {info['numbers']:,} numbers" in section
    assert f"{info['sentences_covered']:,} of {info['sentences']:,} sentences" in section
    # a row per article for both coverages, with the build's figures
    assert "Number coverage per article" in section and "Sentence coverage per article" in section
    for number, counts in info["sentence_coverage"].items():
        assert (
            f'<tr><th scope="row">{number}</th><td>{counts["covered"]}</td><td>{counts["sentences"]}</td>'
            f"<td>{counts['out_of_scope']}</td></tr>" in section
        )
    for number, counts in info["number_coverage"].items():
        assert f'<tr><th scope="row">{number}</th><td>{counts["covered"]}</td><td>{counts["numbers"]}</td></tr>' in (
            section
        )


def test_real_validation_page_shows_the_reasoner_status_of_the_build(real_client, build_dir):
    status = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))["checks"]["OWL consistency (HermiT)"]
    html = re.sub(r"<td [^>]*>", "<td>", _html(real_client, "/validation"))
    assert f'<th scope="row">Reasoner: OWL consistency (HermiT)</th><td>{status}</td>' in html
    assert status == "consistent" or not java_available()  # HermiT runs wherever Java does
