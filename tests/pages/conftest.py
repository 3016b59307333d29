"""Fixtures for the page, dereferencing, published-artefact, dump and HTTP-layer tests.

They all read the session's ``mini_build`` (tests/conftest.py): the real build of the fictional
project in tests/fixtures/mini, made by ``graph.build.build``. Its articles 003 and 004 hold
what these tests look at: a delegation headed by a person (Rufus Firefly, who has a variant
label), a dated negotiation round with its place and agreement, dated exchange rounds (one over
a range of days), three conflicting running totals across two articles (an exact one, a "more
than" lower bound said by a person on a given day, a "nearly" upper bound), attestations, and
an organisation whose name has to be escaped in HTML and in a JSON-LD script. The names below
are the references the tests share; ``app`` and ``client`` (tests/conftest.py) are per test.
"""

from __future__ import annotations

import json
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
# Article 003 prints no headline: it is named by its leading dateline and first words.
ARTICLE_LABEL = "Port Marvin, June 14, 2000: “The Freedonian Coordination Office for Prisoners of War…”"
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


@pytest.fixture(scope="module")
def real_app(build_dir):
    """The real app over the real build of the corpus (the session's ``build_dir``), per module."""
    from tests.helpers import close_app, make_app

    app = make_app(build_dir)
    yield app
    close_app(app)


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()
