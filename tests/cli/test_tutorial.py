"""docs/archivists.md, tested: its commands run end to end on a copy of the mini project, from
``parley add`` of the fixture article (not in the corpus) to a passing ``parley build``; and
every ``parley ...`` command line the tutorial shows names a real command and real options."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from parley.cli import cli
from tests.mini import ROOT, make_project

DOC = ROOT / "docs" / "archivists.md"
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
ARTICLE = ARTICLES / "freedonia_exchange.txt"
CURATION = ARTICLES / "freedonia_exchange.curation.yaml"
NAME = f"005_{hashlib.sha256(ARTICLE.read_bytes()).hexdigest()[:16]}"
NUMBER = NAME.split("_")[0]


def parley(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "parley", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def shown_commands() -> list[list[str]]:
    """The ``$ parley ...`` lines of the tutorial's console blocks, split as a shell would."""
    blocks = re.findall(r"^```console\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S)
    return [shlex.split(line[2:]) for block in blocks for line in block.splitlines() if line.startswith("$ parley")]


def test_the_tutorial_runs_end_to_end(tmp_path):
    project = make_project(tmp_path / "project")
    draft = project / "curation" / f"{NAME}.yaml"

    added = parley(project, "add", str(ARTICLE), "--outlet", "Marvin Ledger", "--published", "2000-07-08")
    assert added.returncode == 0, added.stderr
    assert (project / "corpus" / f"{NAME}.txt").read_bytes() == ARTICLE.read_bytes()
    assert "TODO" in draft.read_text(encoding="utf-8")

    pending = parley(project, "check")
    assert pending.returncode == 1, pending.stdout + pending.stderr
    assert "Traceback" not in pending.stderr
    assert re.search(rf"^curation/{NAME}\.yaml:\d+: ", pending.stderr, re.M), pending.stderr
    assert "TODO" in pending.stderr

    shutil.copyfile(CURATION, draft)
    checked = parley(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    built = parley(project, "build", "--no-reasoner")
    assert built.returncode == 0, built.stdout + built.stderr
    store = ox.Store.read_only(str(project / "build" / "store"))
    claims = {
        row["c"].value
        for row in store.query(
            "SELECT ?c WHERE { GRAPH ?g { ?c a <https://w3id.org/parley/ontology#Claim> } }",
        )
    }
    prefix = f"https://w3id.org/parley/id/claim/{NUMBER}-"
    assert {c for c in claims if c.startswith(prefix)} == {
        prefix + key
        for key in (
            "prisoners-received",
            "exchange-ordinal",
            "more-detainees",
            "sylvania-still-holds",
            "exchange-went-smoothly",
        )
    }


def test_the_finished_curation_has_no_todo_and_quotes_the_article():
    text = CURATION.read_text(encoding="utf-8")
    article = ARTICLE.read_text(encoding="utf-8")
    assert "TODO" not in text
    for quote in re.findall(r'quote: "([^"]*)"', text):
        assert quote in article, quote


def test_the_tutorial_shows_commands():
    names = {args[1] for args in shown_commands()}
    assert {"add", "schema", "check", "build", "serve"} <= names


@pytest.mark.parametrize("args", shown_commands(), ids=shlex.join)
def test_every_command_line_shown_is_real(args, tmp_path):
    assert args[0] == "parley"
    name = args[1]
    assert name in cli.commands, f"`parley {name}` is not a command"
    command = cli.commands[name]
    options = {opt for param in command.params for opt in param.opts}
    for arg in args[2:]:
        if arg.startswith("-"):
            assert arg.split("=")[0] in options, f"{arg} is not an option of `parley {name}`"
    helped = parley(tmp_path, name, "--help")
    assert helped.returncode == 0, helped.stderr
