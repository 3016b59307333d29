"""The curation format as data: unknown keys refused with their line, every problem of a file
reported at once, the JSON Schema that `parley schema` writes, and `check --partial` listing the
articles that still need a curation file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from graph.curation_models import CurationFile, json_schema
from graph.curation_yaml import LineLoader
from parley.cli import cli

from .conftest import MINI, ROOT

CURATION = "curation/001_00aa11bb00aa11bb.yaml"


def _run(project: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--root", str(project)], catch_exceptions=False)


def _edit(project: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` once in the fixture's file; return the line ``new`` starts on."""
    path = project / CURATION
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


MISSPELT = {
    # entry kind: (a line of that entry, the misspelt key added after it, what the message names)
    "entity": ('    quote: "led by Rufus Firefly"\n', "    occurence: 1\n", "entity 'person/rufus-firefly'"),
    "fact": ('    note: "The year is the fixture\'s own convention."\n', '    notes: "x"\n', "fact 'round-date'"),
    "claim": ('    quote: "Freedonia put the figure at 95"\n', "    occurence: 1\n", "claim 'freedonia-bodies'"),
    "out_of_scope": ('    quote: "The two delegations"\n', '    notes: "x"\n', "out_of_scope entry 'two'"),
}


@pytest.mark.parametrize("kind", sorted(MISSPELT))
def test_a_misspelt_key_is_refused_naming_the_key_the_line_and_the_known_keys(project, kind):
    anchor, misspelt, what = MISSPELT[kind]
    line = _edit(project, anchor, anchor + misspelt) + 1
    key = misspelt.split(":")[0].strip()

    result = _run(project, "-q", "check")

    assert result.exit_code == 1, result.output
    assert f"{CURATION}:{line}: {what}: unknown key '{key}'" in result.output
    assert "known keys:" in result.output and "note" in result.output
    assert "Traceback" not in result.output


def test_every_problem_of_a_file_is_reported_at_once(project):
    _edit(project, '    quote: "led by Rufus Firefly"\n', '    quote: "led by Rufus Firefly"\n    occurence: 1\n')
    _edit(project, 'quote: "to swap 120 prisoners each"', 'quote: "to swap 120 prisoners apiece"')
    _edit(project, "modality: done", "modality: maybe")

    result = _run(project, "-q", "check")

    assert result.exit_code == 1, result.output
    message = result.output
    assert message.startswith("Error: 3 problems in the curation:\n"), message
    for fragment in (
        "entity 'person/rufus-firefly': unknown key 'occurence'",
        "claim 'prisoners-agreed': quote not found",
        "claim 'sylvania-bodies': unknown modality 'maybe'",
    ):
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    problem_lines = [line for line in message.splitlines() if line.startswith(CURATION + ":")]
    assert len(problem_lines) == 3 and all("; fix: " in line for line in problem_lines), message


def test_problems_in_several_files_are_reported_together(project):
    _edit(project, "modality: done", "modality: maybe")
    other = project / "curation" / "002_00cc22dd00cc22dd.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("  - key:", "  - kee:", 1), encoding="utf-8")

    result = _run(project, "-q", "check")

    assert result.exit_code == 1, result.output
    assert f"{CURATION}:" in result.output and "curation/002_00cc22dd00cc22dd.yaml:" in result.output
    assert "unknown key 'kee'" in result.output


CURATION_FILES = sorted((ROOT / "curation").glob("*.yaml")) + sorted((MINI / "curation").glob("*.yaml"))


def _object(schema: dict, node: dict) -> dict | None:
    """The object schema ``node`` stands for (``$ref`` and ``anyOf`` followed), or None when it is none."""
    if "$ref" in node:
        return _object(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[1]])
    if node.get("type") == "object":
        assert node.get("additionalProperties") is False, "the schema lets unknown keys through"
        return node
    return next((found for option in node.get("anyOf", ()) if (found := _object(schema, option))), None)


def _items(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        return _items(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[1]])
    if node.get("type") == "array":
        return node["items"]
    return next(_items(schema, option) for option in node["anyOf"] if option.get("type") == "array")


def _unknown_keys(schema: dict, node: dict, data, path: str = "") -> list[str]:
    """Every key of ``data`` that the schema does not allow where it stands (jsonschema is not installed)."""
    if isinstance(data, list):
        return [
            p for i, item in enumerate(data) for p in _unknown_keys(schema, _items(schema, node), item, f"{path}[{i}]")
        ]
    if not isinstance(data, dict):
        return []
    properties = _object(schema, node)["properties"]
    found = [f"{path}.{key}" for key in data if key not in properties]
    for key, value in data.items():
        if key in properties and isinstance(value, dict | list):
            found += _unknown_keys(schema, properties[key], value, f"{path}.{key}")
    return found


@pytest.mark.parametrize("path", CURATION_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_the_schema_accepts_every_curation_file(path):
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)
    CurationFile.model_validate(data)
    schema = json_schema()
    assert _unknown_keys(schema, schema, data) == []


def test_the_schema_refuses_an_unknown_key():
    data = yaml.load((MINI / CURATION).read_text(encoding="utf-8"), Loader=LineLoader)
    data["claims"][0]["occurence"] = 1
    schema = json_schema()
    assert _unknown_keys(schema, schema, data) == [".claims[0].occurence"]
    with pytest.raises(ValueError, match="occurence"):
        CurationFile.model_validate(data)


def test_parley_schema_prints_the_json_schema_and_writes_it_with_out(tmp_path):
    printed = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert printed.exit_code == 0, printed.output
    schema = json.loads(printed.output)
    assert schema == json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"article", "source", "entities", "facts", "claims", "out_of_scope", "out_of_scope_sentences"} == set(
        schema["properties"]
    )
    assert all("description" in prop for prop in schema["$defs"]["ClaimEntry"]["properties"].values())

    written = CliRunner().invoke(
        cli, ["schema", "--root", str(tmp_path), "--out", "curation.schema.json"], catch_exceptions=False
    )
    assert written.exit_code == 0, written.output
    assert json.loads((tmp_path / "curation.schema.json").read_text(encoding="utf-8")) == schema


def test_check_partial_lists_an_article_without_curation_and_passes(project):
    (project / "curation" / "004_00ff44ee00ff44ee.yaml").unlink()

    result = _run(project, "check", "--partial")

    assert result.exit_code == 0, result.output
    assert (
        "corpus/004_00ff44ee00ff44ee.txt: no curation file yet; write curation/004_00ff44ee00ff44ee.yaml"
        in result.output
    )
    assert "partial: 1 article(s) still need a curation file" in result.output
    assert "curation/001_00aa11bb00aa11bb.yaml: " in result.output  # the curated ones are still checked


def test_the_example_in_the_curation_readme_has_the_format_the_models_check():
    readme = (ROOT / "curation" / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    CurationFile.model_validate(yaml.load(example, Loader=LineLoader))
