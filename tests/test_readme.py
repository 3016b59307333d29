"""The README's tables cannot go stale: commands, options, exit codes, output files and
settings are checked against the code and a real build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parley.cli import cli
from server.config import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_is_documented(name):
    command = cli.commands[name]
    assert f"`parley {name}" in README, f"README does not document `parley {name}`"
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--"):
                assert opt in README, f"README does not document {opt} of `parley {name}`"


def test_every_exit_code_is_documented():
    for code in ("0", "1", "2"):
        assert re.search(rf"^\| {code} \| \w", README, re.M), f"exit code {code} is not in the README table"


def test_every_output_file_is_documented(build_dir):
    documented = set(re.findall(r"^\| `build/([^`]+)` \|", README, re.M))
    produced = set()
    for path in build_dir.iterdir():
        produced.add(path.name + "/" if path.is_dir() and path.name == "store" else path.name)
    for path in (build_dir / "dumps").iterdir():
        produced.add(f"dumps/{path.name}")
    produced.discard("dumps")
    assert produced == documented, (
        f"undocumented: {sorted(produced - documented)}; documented but not built: {sorted(documented - produced)}"
    )


def test_every_setting_is_documented():
    for setting in SETTINGS:
        row = re.search(rf"^\| `{setting.env}` \|(.+)$", README, re.M)
        assert row, f"{setting.env} is not in the README's settings table"
        assert str(setting.default) in row.group(1), f"README gives the wrong default for {setting.env}"


def test_every_documented_setting_exists():
    documented = set(re.findall(r"^\| `(PARLEY_[A-Z0-9_]+)` \|", README, re.M))
    assert documented <= {s.env for s in SETTINGS}, (
        f"the README documents settings that server/config.py's SETTINGS lacks: {sorted(documented - {s.env for s in SETTINGS})}"
    )


def test_the_serve_row_lists_one_option_per_setting_in_the_tables_order():
    # `parley serve`'s options are generated from SETTINGS, so its README row is too, by hand:
    # this says what to write when a setting is added.
    row = re.search(r"^\| `parley serve ([^`]*)` \|", README, re.M)
    assert row, "the README's commands table has no `parley serve ...` row"
    expected = " ".join(f"[--{s.name.replace('_', '-')} {s.metavar}]" for s in SETTINGS)
    assert row.group(1) == expected, f"write the `parley serve` row as: `parley serve {expected}`"


def test_root_and_quiet_are_documented():
    section = README[README.index("## The `parley` command") : README.index("### Exit codes")]
    assert "Every command takes `--root DIR`" in section and "PARLEY_ROOT" in section
    assert "`parley -q`" in section and "prints only errors" in section


def test_the_two_commands_are_there():
    assert "make serve" in README and "make test" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci, ".ci/run must run the README's test command"
