"""``parley check`` on a curation in progress, run as a user runs it: what remains is listed
(lines marked TODO, uncovered numbers and sentences, unknown refs, every problem with file:line),
exit 1 and no traceback; what the build's shapes would refuse is refused by check too (it runs
the same validation); ``--partial`` reports an article without curation instead of skipping it."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from tests.mini import ROOT, make_project

from .conftest import parley

ARTICLES = ROOT / "tests" / "fixtures" / "articles"
ARTICLE = ARTICLES / "freedonia_exchange.txt"
FINISHED = ARTICLES / "freedonia_exchange.curation.yaml"
NAME = f"005_{hashlib.sha256(ARTICLE.read_bytes()).hexdigest()[:16]}"


@pytest.fixture
def drafted(tmp_path) -> Path:
    project = make_project(tmp_path / "project")
    added = parley("add", "--root", str(project), str(ARTICLE), "--published", "2000-07-08", cwd=tmp_path)
    assert added.returncode == 0, str(added)
    return project


def check(project: Path, *args: str):
    return parley("check", "--root", str(project), *args, cwd=project.parent)


def test_check_on_a_draft_lists_what_remains_and_exits_1(drafted):
    result = check(drafted)
    assert result.returncode == 1, str(result)
    assert "Traceback" not in result.stderr
    draft = f"curation/{NAME}.yaml"
    todo_lines = [n for n, line in enumerate((drafted / draft).read_text().splitlines(), 1) if "TODO" in line]
    listed = re.search(r"^Error: (\d+) line\(s\) still marked TODO:$", result.stderr, re.M)
    assert listed and int(listed.group(1)) == len(todo_lines), str(result)
    for line in todo_lines:
        assert f"\n{draft}:{line}: " in result.stderr
    # a problem of the loader, with its line and fix
    assert re.search(rf"^{re.escape(draft)}:\d+: claim 'todo-more-than-300': `about` 'TODO'", result.stderr, re.M)
    # a number whose candidate claim fails (its TODOs) is named with that entry, not as uncovered too
    claim = re.search(r"^(\d+):\s*- key: todo-1-150$", _numbered(drafted / draft), re.M).group(1)
    assert (
        f"Error: corpus/{NAME}.txt:6:30 '1,150': covered by claim 'todo-1-150' ({draft}:{claim}), "
        "an entry that failed its checks" in result.stderr
    )
    assert "'1,150': not covered" not in result.stderr
    # and so is the sentence only its quote touches
    assert (
        f"Error: corpus/{NAME}.txt:6:1 (curation/{NAME}.yaml) sentence "
        f"'Sylvania said it still holds 1,150 Freedonians.': covered by claim 'todo-1-150'" in result.stderr
    )
    assert re.search(
        rf"^{re.escape(draft)}: .*numbers covered 3/10 \(7 more in entries that failed\), "
        rf"{len(todo_lines)} lines marked TODO",
        result.stdout,
        re.M,
    )


def _numbered(path: Path) -> str:
    """The file's text with each line preceded by its number and a colon."""
    return "\n".join(f"{n}:{line}" for n, line in enumerate(path.read_text().splitlines(), 1))


def finished(project: Path) -> Path:
    path = project / "curation" / f"{NAME}.yaml"
    shutil.copyfile(FINISHED, path)
    return path


def with_unknown_speaker(project: Path) -> None:
    """The finished curation, with the speaker of its first claim a ref no file declares."""
    path = finished(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("speaker: state/freedonia", "speaker: person/nobody-declared", 1), encoding="utf-8")


def test_check_lists_an_unknown_ref(drafted):
    with_unknown_speaker(drafted)
    result = check(drafted)
    assert result.returncode == 1, str(result)
    assert re.search(
        rf"^(?:Error: )?curation/{NAME}\.yaml:\d+: claim '[a-z-]+': 'person/nobody-declared' is not declared in any "
        r"curation file's entities(?:; |\n  )fix: add an entity with `ref: person/nobody-declared`",
        result.stderr,
        re.M,
    ), str(result)


def test_check_passes_the_finished_curation(drafted):
    finished(drafted)
    result = check(drafted)
    assert result.returncode == 0, str(result)
    assert re.search(r"^validation: load \d+\.\d s, validation \d+\.\d s$", result.stdout, re.M)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        # the outlet declared as a plain organisation: the loader accepts it, the shapes do not
        (
            ('type: NewsOrganisation\n    name: "Marvin Ledger"', 'type: Organisation\n    name: "Marvin Ledger"'),
            "property parley:outlet",
        ),
        # a cited source that is a state, not a news organisation
        (
            (
                "outlet: {ref: org/marvin-ledger",
                'cites: [{ref: state/sylvania, quote: "Sylvania said it still holds"}]\n  outlet: {ref: org/marvin-ledger',
            ),
            "property parley:citesSource",
        ),
    ],
    ids=["outlet-of-the-wrong-type", "cited-source-not-an-organisation"],
)
def test_check_refuses_what_the_builds_shapes_refuse(drafted, change, fragment):
    path = finished(drafted)
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = check(drafted)
    assert result.returncode == 1, str(result)
    assert "Error: the build's validation (SHACL, QC queries, metadata) would refuse" in result.stderr
    assert f"[shacl] corpus/{NAME}.txt, {fragment}" in result.stderr and "Traceback" not in result.stderr
    built = parley("build", "--root", str(drafted), "--no-reasoner", cwd=drafted.parent)
    assert built.returncode == 1 and fragment in built.stderr, str(built)  # the build agrees


def test_partial_reports_an_article_without_curation_and_its_unknown_refs(drafted):
    with_unknown_speaker(drafted)
    (drafted / "curation" / "004_00ff44ee00ff44ee.yaml").unlink()
    result = check(drafted, "--partial")
    assert result.returncode == 0, str(result)
    assert re.search(
        r"^corpus/004_00ff44ee00ff44ee\.txt: no curation file yet; write curation/004_00ff44ee00ff44ee\.yaml "
        r"\(see curation/README\.md\); it prints 7 numbers to cover in \d+ sentences$",
        result.stdout,
        re.M,
    ), str(result)
    assert f"curation/{NAME}.yaml: " in result.stdout  # the new article is reported, not skipped
    # a missing file may declare it: listed, not failed
    assert (
        f"unknown ref (declare it, unless an article not curated yet will): curation/{NAME}.yaml:"
    ) in result.stdout and "'person/nobody-declared' is not declared" in result.stdout, str(result)
    assert "validation, on the articles curated so far" in result.stdout and "untyped-reference" in result.stdout
