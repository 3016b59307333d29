"""Range requests on the dumps and on pages made in memory, over a real HTTP server on the mini
build (``tests.helpers.served``, read with ``requests``): a single range is a 206 with its
bytes; several ranges (``bytes=0-9,20-29``) are a 206 ``multipart/byteranges`` whose parts
(read with the standard library's MIME parser) carry the right bytes and ``Content-Range``,
never a 416 (RFC 9110 14.2 and 14.6); overlapping ranges are merged; ranges past the end are
dropped and a request with none left is a 416 naming the length (``bytes */N``); an ``If-Range``
that does not hold gives the whole body."""

from __future__ import annotations

import email.parser

import pytest
import requests

from server.http.conditional import byte_ranges, satisfiable
from tests.helpers import make_app, served
from tests.pages.conftest import PERSON

DUMP = "/dumps/parley.nq.gz"
SUMS = "/dumps/SHA256SUMS"
PAGE = f"/doc/{PERSON}.ttl"


@pytest.fixture(scope="module")
def server(mini_build):
    with served(make_app(mini_build)) as url:
        yield url


def _get(server, path, **headers):
    return requests.get(server + path, headers=headers, timeout=30)


def _parts(response) -> list[tuple[str, str, bytes]]:
    """(Content-Type, Content-Range, body) of each part of a multipart/byteranges response."""
    head = f"Content-Type: {response.headers['Content-Type']}\r\n\r\n".encode()
    parser = email.parser.BytesParser()  # compat32: each header as sent
    message = parser.parsebytes(head + response.content)
    assert message.is_multipart()
    return [(p["Content-Type"], p["Content-Range"], p.get_payload(decode=True)) for p in message.get_payload()]


@pytest.mark.parametrize("path", [DUMP, SUMS, PAGE])
def test_a_single_range_is_a_206_with_its_bytes(server, path):
    whole = _get(server, path).content
    part = _get(server, path, Range="bytes=0-9")
    assert part.status_code == 206 and part.content == whole[:10]
    assert part.headers["Content-Range"] == f"bytes 0-9/{len(whole)}"


@pytest.mark.parametrize("path", [DUMP, SUMS, PAGE])
def test_several_ranges_are_a_multipart_206_with_each_part(server, path):
    full = _get(server, path)
    whole, size = full.content, len(full.content)
    response = _get(server, path, Range="bytes=0-9,20-29,-5")
    assert response.status_code == 206
    assert response.headers["Content-Type"].startswith("multipart/byteranges; boundary=")
    assert response.headers["ETag"] == full.headers["ETag"]
    assert int(response.headers["Content-Length"]) == len(response.content)
    media = full.headers["Content-Type"]
    assert _parts(response) == [
        (media, f"bytes 0-9/{size}", whole[:10]),
        (media, f"bytes 20-29/{size}", whole[20:30]),
        (media, f"bytes {size - 5}-{size - 1}/{size}", whole[-5:]),
    ]


def test_overlapping_ranges_merge_and_one_left_is_a_plain_206(server):
    whole = _get(server, DUMP).content
    response = _get(server, DUMP, Range="bytes=0-9,5-19")
    assert response.status_code == 206 and response.content == whole[:20]
    assert response.headers["Content-Range"] == f"bytes 0-19/{len(whole)}"


def test_ranges_past_the_end_are_dropped_and_none_left_is_a_416(server):
    size = len(_get(server, DUMP).content)
    kept = _get(server, DUMP, Range=f"bytes=0-9,{size + 10}-{size + 20}")
    assert kept.status_code == 206 and kept.headers["Content-Range"] == f"bytes 0-9/{size}"
    refused = _get(server, DUMP, Range=f"bytes={size + 10}-{size + 20},{size + 30}-")
    assert refused.status_code == 416
    assert refused.headers["Content-Range"] == f"bytes */{size}"
    single = _get(server, DUMP, Range=f"bytes={size + 10}-")
    assert single.status_code == 416 and single.headers["Content-Range"] == f"bytes */{size}"


def test_an_if_range_that_does_not_hold_gives_the_whole_body(server):
    full = _get(server, DUMP)
    stale = _get(server, DUMP, Range="bytes=0-9,20-29", **{"If-Range": '"an-older-version"'})
    assert stale.status_code == 200 and stale.content == full.content
    current = _get(server, DUMP, Range="bytes=0-9,20-29", **{"If-Range": full.headers["ETag"]})
    assert current.status_code == 206 and len(_parts(current)) == 2


def test_a_head_of_several_ranges_has_no_body(server):
    response = requests.head(server + DUMP, headers={"Range": "bytes=0-9,20-29"}, timeout=30)
    assert response.status_code == 206 and response.content == b""
    assert response.headers["Content-Type"].startswith("multipart/byteranges")


@pytest.mark.parametrize(
    ("value", "ranges"),
    [
        ("bytes=0-9,20-29", [(0, 10), (20, 30)]),
        ("bytes=5-9, -3", [(5, 10), (-3, None)]),
        ("bytes=7-", [(7, None)]),
        ("bytes=9-1", None),
        ("bytes=a-b", None),
        ("bytes=\u00b2-3", None),
        ("items=0-1", None),
        ("bytes=,", None),
    ],
)
def test_the_range_header_is_read_as_rfc_9110_writes_it(value, ranges):
    assert byte_ranges(value) == ranges


def test_overlapping_and_adjacent_ranges_merge_and_unsatisfiable_ones_drop():
    assert satisfiable([(0, 10), (5, 20), (20, 25), (90, None), (-5, None), (200, None)], 100) == [(0, 25), (90, 100)]
    assert satisfiable(byte_ranges("bytes=-0"), 100) == []
