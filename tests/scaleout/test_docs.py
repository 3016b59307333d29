"""docs/deploying.md quotes the configurations the tests run, word for word.

Every fenced ``haproxy`` or ``nginx`` block of docs/deploying.md must be in
``tests/scaleout/haproxy.cfg`` or ``tests/scaleout/nginx.conf``, and every ``ini`` block in
``VIRTUOSO_INI`` of tests/remote/conftest.py, so that the guide cannot drift from what is tested.
"""

from __future__ import annotations

import re

import pytest

from tests.mini import ROOT
from tests.remote.conftest import VIRTUOSO_INI

GUIDE = ROOT / "docs" / "deploying.md"
SOURCES = {
    "haproxy": (ROOT / "tests" / "scaleout" / "haproxy.cfg").read_text(encoding="utf-8"),
    "nginx": (ROOT / "tests" / "scaleout" / "nginx.conf").read_text(encoding="utf-8"),
    "ini": VIRTUOSO_INI,
}
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    return [(kind, text) for kind, text in BLOCK.findall(GUIDE.read_text(encoding="utf-8")) if kind in SOURCES]


def test_the_guide_quotes_a_block_of_each_configuration():
    assert {kind for kind, _ in _blocks()} == set(SOURCES)


@pytest.mark.parametrize("kind, text", _blocks(), ids=lambda value: value.splitlines()[0][:40])
def test_each_quoted_block_is_in_the_file_the_tests_run(kind, text):
    assert text in SOURCES[kind], f"docs/deploying.md quotes a {kind} block that is not in its source:\n{text}"
