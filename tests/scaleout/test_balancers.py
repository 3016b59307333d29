"""Two ``parley serve`` instances behind a real HAProxy and a real nginx answer as one site.

Through the balancer a client gets the same status, ETag and body for every URL whichever
instance answers, and a validator from one instance gets a 304 from the other. An instance
killed with SIGKILL under a steady request loop fails at most ``HANDFUL`` requests (HAProxy
resends a GET whose instance refused or dropped it, and its health checks take the instance out;
nginx resends it and leaves the instance out after one failure). A new build rolled out one
instance at a time, each drained through HAProxy's runtime API, reloaded with SIGHUP onto its
new copy and put back, fails no request. Loops are short (tens of requests): rates and timings
belong in bench/, never here.
"""

from __future__ import annotations

import collections

import pytest
import requests

from tests.robustness.test_instances import URLS

from .conftest import Loop

#: the most requests that killing an instance may fail
HANDFUL = 5
#: URLs that answer 200: the loops count any other status as a failure
PAGES = [
    "/",
    "/doc/person/rufus-firefly.ttl",
    "/doc/claim/003-bodies-total-to-date.html",
    "/types",
    URLS[-2],  # a SPARQL SELECT
]
DOCUMENT = "/doc/person/rufus-firefly.ttl"
#: enough requests for round-robin to send each URL to both instances
ROUNDS = 4


def _by_instance(base: str, url: str, headers: dict | None = None) -> dict[str, list[tuple]]:
    """GET ``url`` ``ROUNDS`` times through the balancer; the answers grouped by instance."""
    answers = collections.defaultdict(list)
    for _ in range(ROUNDS):
        response = requests.get(base + url, headers=headers or {}, timeout=30, allow_redirects=False)
        answer = (response.status_code, response.headers.get("ETag"), response.content)
        answers[response.headers.get("X-Parley-Instance", "?")].append(answer)
    return answers


@pytest.mark.integration
@pytest.mark.parametrize("kind", ["haproxy", "nginx"])
def test_a_client_through_the_balancer_sees_one_site(kind, request):
    balancer = request.getfixturevalue(kind)
    for url in URLS:
        answers = _by_instance(balancer.url, url)
        assert len(answers) == 2, f"{url}: expected both instances to answer, got {sorted(answers)}"
        distinct = {answer for group in answers.values() for answer in group}
        assert len(distinct) == 1, f"{url}: the instances answered differently: {sorted(answers)}"
    etag = requests.get(balancer.url + DOCUMENT, timeout=30).headers["ETag"]
    again = _by_instance(balancer.url, DOCUMENT, {"If-None-Match": etag})
    assert len(again) == 2, f"expected both instances to revalidate, got {sorted(again)}"
    assert {answer[0] for group in again.values() for answer in group} == {304}


@pytest.mark.integration
@pytest.mark.parametrize("kind", ["haproxy", "nginx"])
def test_killing_an_instance_under_load_fails_at_most_a_handful(kind, request, instances):
    balancer = request.getfixturevalue(kind)
    with Loop(balancer.url, PAGES) as loop:
        loop.wait_for(20, "answers before the kill")
        instances[0].kill()
        if kind == "haproxy":
            balancer.wait_status(instances[0].name, "DOWN")
        loop.wait_for(40, "answers after the kill")
    print(f"{kind}: {loop.answered} answered, {len(loop.failures)} failed after SIGKILL of one instance")
    assert len(loop.failures) <= HANDFUL, loop.failures
    survivor = {requests.get(balancer.url + "/", timeout=30).headers["X-Parley-Instance"] for _ in range(ROUNDS)}
    assert len(survivor) == 1, f"a dead instance still answers: {survivor}"


@pytest.mark.integration
def test_a_new_build_rolled_out_one_instance_at_a_time_fails_none(haproxy, instances, builds):
    old = requests.get(instances[0].url + DOCUMENT, timeout=30).headers["ETag"]
    with Loop(haproxy.url, PAGES) as loop:
        loop.wait_for(20, "answers before the rollout")
        for instance in instances:
            haproxy.set_state(instance.name, "drain")
            haproxy.wait_status(instance.name, "DRAIN")
            instance.replace_build(builds[1])
            instance.reload()
            assert requests.get(instance.url + DOCUMENT, timeout=30).headers["ETag"] != old
            haproxy.set_state(instance.name, "ready")
            haproxy.wait_status(instance.name, "UP")
            loop.wait_for(20, f"answers with {instance.name} back")
    print(f"rollout: {loop.answered} answered, {len(loop.failures)} failed")
    assert loop.failures == []
    after = _by_instance(haproxy.url, DOCUMENT)
    assert len(after) == 2
    etags = {answer[1] for group in after.values() for answer in group}
    assert len(etags) == 1 and old not in etags, etags
    assert loop.etags[DOCUMENT] == {old, *etags}, "the loop saw the old build, then the new one, nothing else"
