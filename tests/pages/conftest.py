"""Fixtures for the page, dereferencing, published-artefact, dump and HTTP-layer tests.

They all read the session's ``mini_build`` (tests/conftest.py): the real build of the fictional
project in tests/fixtures/mini, made by ``graph.build.build``. Its articles 003 and 004 hold
what these tests look at: a delegation headed by a person (Rufus Firefly, who has a variant
label), a dated negotiation round with its place and agreement, dated exchange rounds (one over
a range of days), three conflicting running totals across two articles (an exact one, a "more
than" lower bound said by a person on a given day, a "nearly" upper bound), attestations, and
an organisation whose name has to be escaped in HTML and in a JSON-LD script. The names below
are the references the tests share; ``app`` and ``client`` are per test.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from graph import __version__

ROOT = Path(__file__).resolve().parents[2]

PERSON = "person/rufus-firefly"
DELEGATION = "delegation/freedonia-2000-06-02"
ROUND = "round/2000-06-02-port-marvin"
AGREEMENT = "agreement/2000-06-02-port-marvin"
EXCHANGE = "exchange/2000-06-13-bodies"
ARTICLE = "article/003-00ee33ff00ee33ff"
CLAIM = "claim/003-bodies-total-to-date"
AGENT = f"agent/parley-{__version__}"
ESCAPE_LABEL = "Escape test </script><script>alert(1)</script> & <b>bold</b>"
TOTAL_QUOTE = "brings the total to date to 1,012"
TRENTINO_QUOTE = "said on June 19, 2000 that her side had returned more than 2,000 bodies of fallen Freedonian soldiers"
DELEGATION_HEAD_QUOTE = "Rufus Firefly, who heads the Freedonian delegation"
ROUND_DATE_QUOTE = "The second round of talks took place in Port Marvin on June 2, 2000"

# The canned query 03 names the real corpus's agreement; on the mini build it asks about the
# fictional one instead (the query's text is otherwise unchanged).
REAL_AGREEMENT_IRI = "<https://w3id.org/parley/id/agreement/2025-06-02-istanbul>"
MINI_AGREEMENT_IRI = f"<https://w3id.org/parley/id/{AGREEMENT}>"


def _stub_sparql_if_missing() -> None:
    """TEMPORARY: until server/sparql/ lands, let create_app import a no-op protocol module."""
    if (ROOT / "server" / "sparql" / "protocol.py").is_file() or "server.sparql.protocol" in sys.modules:
        return
    protocol = types.ModuleType("server.sparql.protocol")
    protocol.register = lambda app, site: None
    package = types.ModuleType("server.sparql")
    package.protocol = protocol
    package.__path__ = []
    sys.modules["server.sparql"] = package
    sys.modules["server.sparql.protocol"] = protocol


_stub_sparql_if_missing()


def make_app(build_dir):
    from server import create_app

    app = create_app({"build_dir": build_dir})
    app.config["TESTING"] = True
    return app


def close_app(app) -> None:
    endpoint = app.extensions.get("parley_sparql")
    if endpoint is not None:  # the SPARQL endpoint's query processes, if a test started them
        endpoint.close()


def build_time(build: Path):
    """The build's own time stamp (build.json), which every Last-Modified must carry."""
    import datetime as dt

    return dt.datetime.fromisoformat(json.loads((build / "build.json").read_text(encoding="utf-8"))["modified"])


def fetch(client, path, method="GET", **kwargs):
    """Make a request, read the body and close the response (send_file keeps the file open)."""
    response = client.open(path, method=method, **kwargs)
    response.get_data()
    response.close()
    return response


def canned_query_text(path: Path) -> str:
    """The text of a canned query, pointed at the mini build's agreement (see above)."""
    return path.read_text(encoding="utf-8").replace(REAL_AGREEMENT_IRI, MINI_AGREEMENT_IRI)


@pytest.fixture
def app(mini_build):
    app = make_app(mini_build)
    yield app
    close_app(app)


@pytest.fixture
def client(app):
    return app.test_client()
