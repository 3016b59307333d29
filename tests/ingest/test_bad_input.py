"""Every kind of bad input gives exit 1, a message naming the file and the fix, and no
partial build: the previous build stays exactly as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import cli

from .conftest import make_project

CURATION = "curation/001_00aa11bb00aa11bb.yaml"


def _run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["-q", *args, "--root", str(project)], catch_exceptions=False)


def _tree_digest(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _edit(project: Path, old: str, new: str, name: str = CURATION) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _hand_conflict_with_freedonia(project: Path) -> None:
    """Make Firefly's claim conflict with Freedonia's by hand (a relation the curator asserts)."""
    _edit(
        project,
        """    note: "The year follows the fixture's convention."\n""",
        """    note: "The year follows the fixture's convention."\n"""
        """    conflicts_with:\n      - claim: 001/freedonia-bodies\n        reason: "Two figures for one round."\n""",
        name="curation/002_00cc22dd00cc22dd.yaml",
    )


def _append(project: Path, name: str, text: str) -> None:
    path = project / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


BAD_INPUTS = {
    "malformed-yaml": (
        lambda p: _edit(p, "claims:\n", "claims:\n  - key: [unclosed\n"),
        [CURATION, "malformed", "fix the YAML syntax"],
    ),
    "quote-not-in-article": (
        lambda p: _edit(p, 'quote: "to swap 120 prisoners each"', 'quote: "to swap 120 prisoners apiece"'),
        [CURATION, "claim 'prisoners-agreed'", "quote not found", "character for character"],
    ),
    "unknown-measure": (
        lambda p: _edit(p, "measure: prisoners-agreed-per-side", "measure: prisoners-swapped-somehow"),
        [CURATION, "unknown measure 'prisoners-swapped-somehow'", "ontology/codelists.ttl"],
    ),
    "unknown-code": (
        lambda p: _edit(p, "modality: agreed", "modality: maybe"),
        [CURATION, "unknown modality 'maybe'", "modality codes"],
    ),
    "duplicate-key": (
        lambda p: _edit(p, "key: sylvania-bodies", "key: prisoners-agreed"),
        [CURATION, "duplicate key", "its own key"],
    ),
    "entity-declared-twice-differently": (
        lambda p: _edit(p, "    name: Sylvania\n", "    name: Sylvanie\n"),
        [CURATION, "entity 'state/sylvania'", "differs", "same name"],
    ),
    "undeclared-reference": (
        lambda p: _edit(p, "speaker: state/freedonia", "speaker: state/ruritania"),
        [CURATION, "'state/ruritania' is not declared", "add an entity"],
    ),
    "missing-article": (
        lambda p: (p / "corpus" / "001_00aa11bb00aa11bb.txt").unlink(),
        [CURATION, "missing article", "corpus/"],
    ),
    "missing-curation": (
        lambda p: (p / CURATION).unlink(),
        ["curation/001_00aa11bb00aa11bb.yaml", "missing curation", "write curation/001_00aa11bb00aa11bb.yaml"],
    ),
    "date-not-a-date": (
        lambda p: _edit(p, "value: 2000-05-05", "value: May 5th"),
        [CURATION, "fact 'round-date'", "is not a date", "YYYY-MM-DD"],
    ),
    "figure-not-in-quote": (
        lambda p: _edit(p, 'figure: "95"', 'figure: "96"'),
        [CURATION, "claim 'freedonia-bodies'", "figure '96' does not occur in its quote"],
    ),
    "uncovered-number": (
        lambda p: _edit(
            p,
            '  - text: "two"\n    quote: "The two delegations"\n    reason: "counts the delegations named in the same sentence, not a figure"\n',
            "",
        ),
        ["corpus/001_00aa11bb00aa11bb.txt:3:5 'two'", "below 100%", "out_of_scope"],
    ),
    "uncovered-sentence": (
        lambda p: _append(p, "corpus/001_00aa11bb00aa11bb.txt", "Nobody met at the harbour later that week.\n"),
        [
            "corpus/001_00aa11bb00aa11bb.txt:4:1 (curation/001_00aa11bb00aa11bb.yaml) "
            "sentence 'Nobody met at the harbour later that week.'",
            "sentence coverage",
            "below 100%",
            "out_of_scope_sentences",
        ],
    ),
    "unknown-property": (
        lambda p: _edit(p, "property: place", "property: venue"),
        [CURATION, "fact 'round-place'", "unknown property 'venue'"],
    ),
    "ambiguous-quote": (
        lambda p: _edit(p, 'quote: "Sylvania said"', 'quote: "Sylvania"'),
        [CURATION, "quote occurs", "occurrence: N"],
    ),
}


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """The mini project and a successful build of it, made once and copied by each test."""
    base = tmp_path_factory.mktemp("good")
    project = make_project(base / "project")
    result = _run(project, "build", "--out", str(base / "build"))
    assert result.exit_code == 0, result.output
    return base


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_with_a_message_and_leaves_the_build_alone(good_build, tmp_path, case):
    shutil.copytree(good_build / "project", tmp_path / "project")
    shutil.copytree(good_build / "build", tmp_path / "build")
    project, out = tmp_path / "project", tmp_path / "build"
    before = _tree_digest(out)

    breaker, expected = BAD_INPUTS[case]
    breaker(project)
    result = _run(project, "build", "--out", str(out))

    assert result.exit_code == 1, result.output
    message = result.stderr if hasattr(result, "stderr") else result.output
    assert message.startswith("Error: ")
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert "fix:" in message
    assert _tree_digest(out) == before, "a failed build changed the previous build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "project"], "a temporary build was left behind"


def test_check_reports_coverage(project):
    # without -q: the per-article summary is output, which -q (errors only) would hide
    result = CliRunner().invoke(cli, ["check", "--root", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "numbers covered 5/5" in result.output
    assert "coverage: 28/28 numbers (100.0%)" in result.output  # 5 + 2 + 14 + 7 in the four articles


def test_not_a_checkout_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a Parley checkout" in result.output


def test_a_shape_violation_names_the_file_the_claim_the_shape_and_the_fix(good_build, tmp_path):
    shutil.copytree(good_build / "project", tmp_path / "project")
    shutil.copytree(good_build / "build", tmp_path / "build")
    project, out = tmp_path / "project", tmp_path / "build"
    before = _tree_digest(out)
    # conflicting claims must share their measure: a SHACL-SPARQL rule, not a loader check
    _edit(
        project,
        'measure: bodies-received-by-ukraine\n    figure: "90"',
        'measure: bodies-received-by-russia\n    figure: "90"',
        name="curation/002_00cc22dd00cc22dd.yaml",
    )
    _hand_conflict_with_freedonia(project)
    result = _run(project, "build", "--out", str(out), "--no-reasoner")
    assert result.exit_code == 1, result.output
    message = result.stderr if hasattr(result, "stderr") else result.output
    assert "curation/002_00cc22dd00cc22dd.yaml: claim 'firefly-bodies'" in message
    assert "ConflictingClaimsShareSubject" in message or "ConflictingClaims" in message
    assert "fix" in message
    assert _tree_digest(out) == before


def test_validate_writes_the_report_and_exits_1_on_invalid_data(good_build, tmp_path):
    shutil.copytree(good_build / "project", tmp_path / "project")
    project = tmp_path / "project"
    report = tmp_path / "report.ttl"
    ok = _run(project, "validate", "--no-reasoner", "--report", str(report))
    assert ok.exit_code == 0, ok.output
    assert "sh:conforms true" in report.read_text()
    _edit(
        project,
        'measure: bodies-received-by-ukraine\n    figure: "90"',
        'measure: bodies-received-by-russia\n    figure: "90"',
        name="curation/002_00cc22dd00cc22dd.yaml",
    )
    _hand_conflict_with_freedonia(project)
    bad = _run(project, "validate", "--no-reasoner", "--report", str(report))
    assert bad.exit_code == 1
    assert "sh:conforms false" in report.read_text()
