"""The README's promises about the ``parley`` command, run as a user runs it: ``--root`` on
every command (relative ``--out`` taken from it), ``-q`` prints only errors, and the exit codes
0 (ok), 1 (invalid data), 2 (usage or configuration error), each with ``Error: ...`` on stderr
and never a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from parley.cli import cli

from .conftest import SCRIPT, clean_env, parley

CURATION = "curation/001_00aa11bb00aa11bb.yaml"


def _edit(project, old: str, new: str, name: str = CURATION) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the mini fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _break_a_quote(project) -> None:
    _edit(project, 'quote: "to swap 120 prisoners each"', 'quote: "to swap 120 prisoners apiece"')


def _break_a_shape(project) -> None:
    # conflicting claims must share their measure: a SHACL-SPARQL rule, not a loader check
    # (the conflict is asserted by hand: the build derives none between different measures)
    _edit(
        project,
        'measure: bodies-received-by-ukraine\n    figure: "90"',
        'measure: bodies-received-by-russia\n    figure: "90"',
        name="curation/002_00cc22dd00cc22dd.yaml",
    )
    _edit(
        project,
        """    note: "The year follows the fixture's convention."\n""",
        """    note: "The year follows the fixture's convention."\n"""
        """    conflicts_with:\n      - claim: 001/freedonia-bodies\n        reason: "Two figures for one round."\n""",
        name="curation/002_00cc22dd00cc22dd.yaml",
    )


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_takes_root(name, elsewhere):
    result = parley(name, "--help", cwd=elsewhere)
    assert result.returncode == 0, str(result)
    assert "--root DIR" in result.stdout and "PARLEY_ROOT" in result.stdout, str(result)


def test_the_installed_script_is_the_same_command(elsewhere):
    result = subprocess.run(
        [str(SCRIPT), "--version"], cwd=elsewhere, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("parley, version ")


def test_quiet_build_prints_nothing_and_builds_into_the_root(project, elsewhere):
    result = parley("-q", "build", "--root", str(project), "--no-reasoner", cwd=elsewhere)
    assert result.returncode == 0, str(result)
    assert (result.stdout, result.stderr) == ("", ""), str(result)
    assert (project / "build" / "build.json").is_file()
    assert list(elsewhere.iterdir()) == [], "a relative --out must be taken from --root, not the working directory"


def test_build_prints_its_summary_and_progress_and_takes_a_relative_out_from_the_root(project, elsewhere):
    result = parley("build", "--root", str(project), "--out", "releases/next", "--no-reasoner", cwd=elsewhere)
    assert result.returncode == 0, str(result)
    assert "triples in" in result.stdout and "number coverage 100%" in result.stdout, str(result)
    assert "ingest:" in result.stderr and "write:" in result.stderr, str(result)
    assert (project / "releases" / "next" / "store.json").is_file()
    assert list(elsewhere.iterdir()) == []


def test_build_keeps_its_cache_beside_the_build_unless_told_otherwise(project, elsewhere):
    shutil.rmtree(project / ".parley-cache", ignore_errors=True)  # the fixture's own build kept one
    result = parley("-q", "build", "--root", str(project), "--no-reasoner", "--no-cache", cwd=elsewhere)
    assert result.returncode == 0, str(result)
    assert (project / "build" / "build.json").is_file()
    assert not (project / ".parley-cache").exists(), "--no-cache must write no cache directory"

    result = parley("-q", "build", "--root", str(project), "--no-reasoner", "--cache", "units", cwd=elsewhere)
    assert result.returncode == 0, str(result)
    kept = list((project / "units" / "shacl").iterdir())
    assert kept, "--cache DIR (relative, so taken from --root) must hold the units that passed"
    assert not (project / ".parley-cache").exists() and list(elsewhere.iterdir()) == []

    result = parley("-q", "build", "--root", str(project), "--no-reasoner", cwd=elsewhere)
    assert result.returncode == 0, str(result)
    assert sorted(p.name for p in (project / ".parley-cache" / "shacl").iterdir()) == sorted(p.name for p in kept)


def test_quiet_check_and_validate_print_nothing(built_project, elsewhere):
    for args in (("check",), ("validate", "--no-reasoner")):
        result = parley("-q", *args, "--root", str(built_project), cwd=elsewhere)
        assert result.returncode == 0, str(result)
        assert (result.stdout, result.stderr) == ("", ""), str(result)


def test_check_and_validate_report_without_quiet(built_project, elsewhere):
    check = parley("check", cwd=elsewhere, env=clean_env(PARLEY_ROOT=str(built_project)))
    assert check.returncode == 0, str(check)
    assert re.search(r"^coverage: (\d+)/\1 numbers \(100\.0%\)$", check.stdout, re.M), str(check)
    validate = parley("validate", "--root", str(built_project), "--no-reasoner", cwd=elsewhere)
    assert validate.returncode == 0, str(validate)
    assert "SHACL: conforms" in validate.stdout and validate.stdout.rstrip().endswith("valid"), str(validate)


@pytest.mark.parametrize(
    "args", [("build", "--no-reasoner"), ("check",), ("validate", "--no-reasoner")], ids=lambda args: args[0]
)
def test_a_quote_not_in_its_article_exits_1_with_the_file_and_the_fix(project, elsewhere, args):
    _break_a_quote(project)
    result = parley("-q", *args, "--root", str(project), cwd=elsewhere)
    assert result.returncode == 1, str(result)
    assert result.stdout == "", str(result)
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr, str(result)
    assert CURATION in result.stderr and "quote not found" in result.stderr and "fix:" in result.stderr, str(result)


def test_a_shape_violation_exits_1_from_validate_and_build(project, elsewhere):
    _break_a_shape(project)
    for args in (("validate",), ("build",)):
        result = parley("-q", *args, "--root", str(project), "--no-reasoner", cwd=elsewhere)
        assert result.returncode == 1, str(result)
        assert result.stdout == "", str(result)
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr, str(result)
        assert "curation/002_00cc22dd00cc22dd.yaml: claim 'firefly-bodies'" in result.stderr, str(result)
        assert "ConflictingClaimsShareSubject" in result.stderr and "fix:" in result.stderr, str(result)


USAGE_ERRORS = {
    "unknown-command": (("frobnicate",), {}, "No such command"),
    "unknown-option": (("build", "--frob"), {}, "No such option"),
    "root-does-not-exist": (("build", "--root", "no/such/dir"), {}, "'--root'"),
    "build-cache-and-no-cache": (("build", "--no-cache", "--cache", "units"), {}, "--no-cache and --cache DIR"),
    "root-env-does-not-exist": (("check",), {"PARLEY_ROOT": "no/such/dir"}, "PARLEY_ROOT"),
    "root-is-not-a-checkout": (("validate", "--root", "."), {}, "not a Parley checkout"),
    "serve-root-does-not-exist": (("serve", "--root", "no/such/dir"), {}, "'--root'"),
    "serve-bad-port": (("serve", "--port", "http"), {}, "'--port'"),
    "serve-zero-workers": (("serve", "--workers", "0"), {}, "'--workers'"),
    "serve-bad-timeout": (("serve", "--query-timeout-s", "-1"), {}, "'--query-timeout-s'"),
    "serve-bad-variable": (("serve",), {"PARLEY_MAX_ROWS": "lots"}, "PARLEY_MAX_ROWS"),
}


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_usage_and_configuration_errors_exit_2(case, elsewhere):
    args, env, named = USAGE_ERRORS[case]
    result = parley("-q", *args, cwd=elsewhere, env=clean_env(**env))
    assert result.returncode == 2, str(result)
    assert "Error: " in result.stderr and named in result.stderr, str(result)
    assert "Traceback" not in result.stderr, str(result)
