"""Reading curation YAML with the line of every mapping, and naming where an error is.

``load_lines(text)`` parses YAML safely and gives each mapping a ``line`` (and the line of each
of its keys in ``key_lines``): with libyaml where PyYAML has it (several times faster, which a
corpus of hundreds of files feels), and again with the pure-Python ``LineLoader`` when that
fails, so that an error names the problem as PyYAML words it;
``Context`` turns a problem into a ``SourceError`` that names the file, the line, the entry and
the fix.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import SourceError


class Mapping(dict):
    line: int = 0
    key_lines: dict  # the line of each key, for errors about one key of a mapping


class LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    mapping = Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {
        loader.construct_object(key, deep=True): key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

if getattr(yaml, "__with_libyaml__", False):

    class FastLineLoader(yaml.CSafeLoader):
        pass

    FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
else:  # pragma: no cover - PyYAML built without libyaml
    FastLineLoader = LineLoader


def load_lines(text: str):
    """Return the parsed YAML, each mapping a ``Mapping`` with its lines; raise yaml.YAMLError."""
    if FastLineLoader is not LineLoader:
        try:
            return yaml.load(text, Loader=FastLineLoader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            pass  # parse again below, for PyYAML's own message
    return yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader


class Context:
    """Where we are, for error messages: file, entry kind, key and line."""

    def __init__(self, path: Path, root: Path):
        self.path = path
        self.display = display(path, root)

    def error(self, line: int | None, what: str, problem: str, hint: str) -> SourceError:
        where = f"{self.display}:{line}" if line else self.display
        return SourceError(f"{where}: {what}: {problem}", hint=hint)


def display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
