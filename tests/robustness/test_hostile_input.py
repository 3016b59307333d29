"""Hostile and malformed requests against a real server: each a prompt 4xx in the one error
shape, never a 500, and the server keeps answering afterwards."""

from __future__ import annotations

import socket

import pytest
import requests

from tests.helpers import assert_error_shape

pytestmark = pytest.mark.integration

DEEP = 20_000
# In a GET the nesting is percent-encoded (3 bytes a brace): 10,000 deep stays under the 64 KiB
# request target granian's parser takes (a longer one is its bare 414, tested below).
DEEP_GET = 10_000


def _still_answering(server) -> None:
    response = requests.get(
        server.url + "/sparql",
        params={"query": "ASK {}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    assert response.status_code == 200 and response.json()["boolean"] is True  # {} matches once


CASES = {
    "nested groups": lambda url: requests.get(
        url + "/sparql", timeout=30, params={"query": "SELECT * WHERE " + "{" * DEEP_GET + "}" * DEEP_GET}
    ),
    "nested parentheses": lambda url: requests.post(
        url + "/sparql", timeout=30, data={"query": "SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }"}
    ),
    "empty query": lambda url: requests.get(url + "/sparql", params={"query": ""}, timeout=30),
    "blank query": lambda url: requests.post(url + "/sparql", data={"query": "   \n"}, timeout=30),
    "invalid UTF-8 direct POST": lambda url: requests.post(
        url + "/sparql",
        data=b"SELECT * WHERE { ?s ?p \xff\xfe }",
        timeout=30,
        headers={"Content-Type": "application/sparql-query"},
    ),
    "invalid UTF-8 form POST": lambda url: requests.post(
        url + "/sparql",
        data=b"query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%FF%20%7D",
        timeout=30,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ),
    "malformed percent-encoding in a query": lambda url: requests.get(
        url + "/sparql?query=SELECT%20*%20WHERE%20%7B%zz%E0%A4%A", timeout=30
    ),
    "60 kB IRI": lambda url: requests.get(url + "/id/person/" + "a" * 60_000, timeout=30),
    "malformed percent-encoding in a path": lambda url: requests.get(url + "/id/person/%zz%E0%A4", timeout=30),
    "IRI injection": lambda url: requests.get(url + "/id/person/x%3E%20%7D%20DROP%20ALL%20%23", timeout=30),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_request_gets_a_prompt_4xx_in_the_error_shape(server, case):
    # Prompt means refused before any query runs: a query would end in the time limit's 503.
    response = CASES[case](server.url)
    assert 400 <= response.status_code < 500, f"{case}: {response.status_code} {response.text[:300]}"
    assert_error_shape(response, response.status_code)
    _still_answering(server)


def test_a_request_target_over_64_kib_is_refused_by_the_front_and_harms_no_one(server):
    """granian's HTTP parser (hyper) refuses a request target over 64 KiB itself, with a bare 414,
    before the app sees it; below that the app answers in its error shape (the 60 kB case)."""
    response = requests.get(server.url + "/id/person/" + "a" * 100_000, timeout=30)
    assert response.status_code == 414
    _still_answering(server)


def test_empty_query_is_400(server):
    assert_error_shape(requests.get(server.url + "/sparql", params={"query": ""}, timeout=30), 400)


def test_oversized_body_is_413_before_it_is_read(server):
    """A body announced over max_request_bytes is refused at once: the client sends only its
    first kilobyte and still gets 413, so the server did not wait to read the rest."""
    announced = 50_000_000
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            (
                f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                f"Content-Length: {announced}\r\nConnection: close\r\n\r\n"
            ).encode()
            + b"SELECT " * 150
        )
        data = b""
        while b"\r\n\r\n" not in data:  # the socket's timeout fails the test if no answer comes
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    status_line = data.split(b"\r\n", 1)[0]
    assert b" 413 " in status_line + b" ", status_line
    _still_answering(server)


def test_oversized_form_body_is_413(server):
    response = requests.post(server.url + "/sparql", data={"query": "ASK {}", "pad": "x" * 1_100_000}, timeout=30)
    assert_error_shape(response, 413)
    _still_answering(server)
