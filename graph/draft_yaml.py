"""Writing a draft curation file: its candidates, as data, turned into YAML text with their comments.

A draft (``graph.draft``) is a document of sections: scalars (``article``), a mapping of
fields (``source``) and lists of entries (``entities``, ``claims``, ...), each a
``Candidate``: its fields in order, the comment lines above it (its ``# TODO``) and those above
one of its fields. ``render(document, comments)`` writes them out in one layout: a blank line
between sections, entries as block mappings two spaces in, a field whose value is a mapping or
a list of scalars in flow style (``{ref: ..., quote: ...}``, ``[a, b]``), a list of mappings as
one flow mapping a line. Text is double-quoted (JSON's string syntax, a subset of YAML's); a
``Code`` (a ref, a key, a code, a date, the ``TODO`` placeholder) and a number are written as
they are, so that ``TODO`` stays a bare word the loader's models refuse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

TODO = "TODO"


class Code(str):
    """A value written as it is, unquoted: a ref, a key, a code, a date, ``TODO``."""


@dataclass
class Candidate:
    """One entry of a draft (or the fields of ``source``), with its comments."""

    fields: dict[str, Any]
    comments: list[str] = field(default_factory=list)  # above the entry, without the "# "
    field_comments: dict[str, list[str]] = field(default_factory=dict)  # above a field


def render(document: dict[str, Any], comments: list[str] = ()) -> str:
    """Return the YAML text of ``document``: section name -> a scalar, a ``Candidate`` (a mapping)
    or a list of ``Candidate`` (entries), after the ``comments`` lines of the file's head."""
    lines = [f"# {line}" for line in comments]
    for index, (name, value) in enumerate(document.items()):
        if index:
            lines.append("")
        if isinstance(value, Candidate):
            lines += [f"{name}:", *_mapping(value, "  ", dash=False)] if value.fields else [f"{name}: {{}}"]
        elif isinstance(value, list):
            entries = [line for entry in value for line in _mapping(entry, "  ", dash=True)]
            lines += [f"{name}:", *(entries or ["  []"])]
        else:
            lines.append(f"{name}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _mapping(candidate: Candidate, indent: str, dash: bool) -> list[str]:
    """The lines of one block mapping at ``indent``, as a list item when ``dash``."""
    inner = indent + "  " if dash else indent
    lines = [f"{indent}# {line}" for line in candidate.comments]
    for index, (key, value) in enumerate(candidate.fields.items()):
        lines += [f"{inner}# {line}" for line in candidate.field_comments.get(key, ())]
        prefix = f"{indent}- " if dash and index == 0 else inner
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            lines.append(f"{prefix}{key}:")
            lines += [f"{inner}  - {_scalar(item)}" for item in value]
        else:
            lines.append(f"{prefix}{key}: {_scalar(value)}")
    return lines


def _scalar(value: Any) -> str:
    """One value in flow style."""
    if isinstance(value, Code):
        return str(value)
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_scalar(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    return str(value)


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)
