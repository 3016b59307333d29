"""What is wrong with the shape of a curation file, each problem with its line and fix.

``parse_file(data, ctx)`` validates parsed YAML (``graph.curation_yaml.load_lines``) against the
models of ``graph.curation_models`` and returns the file as a ``CurationFile`` of the entries
that passed, with every problem of the rest at once, in line order: an unknown key with the
known ones and the closest, a missing key, a value of the wrong type or form, and what a rule
across fields refuses, worded by the rule. An entry that fails here is left out of the model,
so the checks against the article and the vocabulary (``graph.curation_entries``) never see it.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from .curation_fields import ENTITY_TYPES, ENTRY_ERROR
from .curation_models import (
    ClaimEntry,
    CurationFile,
    EntityEntry,
    Entry,
    FactEntry,
    OutOfScopeEntry,
    OutOfScopeSentenceEntry,
    Source,
)
from .curation_yaml import Context
from .errors import SourceError
from .namespaces import KINDS

_SECTION_WHAT = {"entities": ("entity", "ref"), "facts": ("fact", "key"), "claims": ("claim", "key")}
SECTIONS: dict[str, type[Entry]] = {
    "entities": EntityEntry,
    "facts": FactEntry,
    "claims": ClaimEntry,
    "out_of_scope": OutOfScopeEntry,
    "out_of_scope_sentences": OutOfScopeSentenceEntry,
}


def parse_file(data: dict, ctx: Context) -> tuple[CurationFile, list[SourceError]]:
    """Return the file as a model of what passed, and every problem of the rest in line order.

    ``data`` is a mapping from ``load_lines``. A section whose whole value is wrong (a source
    with one bad field, a list that is not one) is None in the model, an entry at fault is left
    out of its list, and ``article`` is None when it is wrong.
    """
    try:
        return CurationFile.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    problems, bad = _problems(data, errors, ctx)
    return _what_passed(data, bad), problems


def _what_passed(data: dict, bad: frozenset[tuple]) -> CurationFile:
    """The model of ``data`` without the parts named in ``bad``, each part validated on its own."""
    parts: dict[str, Any] = dict.fromkeys(CurationFile.model_fields)
    for name in CurationFile.model_fields:
        if (name,) in bad or data.get(name) is None:
            continue
        if name in SECTIONS:
            entry = SECTIONS[name]
            parts[name] = [entry.model_validate(e) for i, e in enumerate(data[name]) if (name, i) not in bad]
        elif name == "source":
            parts[name] = Source.model_validate(data[name])
        else:
            parts[name] = data[name]
    model = CurationFile.model_construct(**parts)
    model.locate(data)
    return model


def _problems(data: Any, errors: list[dict], ctx: Context) -> tuple[list[SourceError], frozenset[tuple]]:
    """Every problem of ``errors`` worded with its line, and where they are: ``(section, index)``
    of each entry at fault, ``(section,)`` of a whole section or field of the file."""
    grouped: dict[tuple, list[dict]] = {}
    bad = set()
    for error in errors:
        path, line = _resolve(data, error["loc"], error["type"])
        grouped.setdefault(path, []).append({**error, "line": line})
        loc = error["loc"]
        bad.add(tuple(loc[:2]) if len(loc) > 1 and isinstance(loc[1], int) else tuple(loc[:1]))
    problems = [(group[0]["line"] or 0, _problem(data, path, group, ctx)) for path, group in grouped.items()]
    return [problem for _, problem in sorted(problems, key=lambda item: item[0])], frozenset(bad)


def _resolve(data: Any, loc: tuple, kind: str) -> tuple[tuple, int | None]:
    """The part of ``loc`` that names a place in ``data`` (union tags dropped), and its line."""
    node, path = data, ()
    line = getattr(data, "line", None)
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = getattr(node, "key_lines", {}).get(part, line)
            node, path = node[part], (*path, part)
            line = getattr(node, "line", line) if isinstance(node, dict) else line
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node, path = node[part], (*path, part)
            line = getattr(node, "line", line)
        else:
            if kind == "missing" and isinstance(part, str):
                path = (*path, part)
            break
    return path, line


def _problem(data: Any, path: tuple, group: list[dict], ctx: Context) -> SourceError:
    first = group[0]
    if first["type"] == ENTRY_ERROR:  # a rule across fields: its own words, on the entry's line
        return ctx.error(first["line"], entry_name(data, path), first["ctx"]["problem"], first["ctx"]["fix"])
    field = path[-1] if path and isinstance(path[-1], str) else None
    what = entry_name(data, path[:-1] if first["type"] in ("extra_forbidden", "missing") else path)
    if first["type"] == "extra_forbidden":
        model = _model_at(path[:-1])
        fields = list(model.model_fields) if model else []
        known = ", ".join(
            [f for f in fields if f not in Entry.model_fields] + [f for f in fields if f in Entry.model_fields]
        )
        close = difflib.get_close_matches(str(field), fields, n=1)
        guess = f" (did you mean `{close[0]}`?)" if close else ""
        return ctx.error(
            first["line"], what, f"unknown key '{field}'{guess}", f"correct or remove it; known keys: {known}"
        )
    if first["type"] == "missing":
        return ctx.error(first["line"], what, f"`{field}` is missing", f"add `{field}:` (see curation/README.md)")
    messages = sorted({_message(e) for e in group})
    got = _at(data, path)
    subject = f"`{field}` {got!r}" if field else f"{got!r}"
    return ctx.error(first["line"], what, f"{subject}: {' or '.join(messages)}", _fix(field, first))


_MESSAGES = {
    "int_type": "is not a number",
    "int_parsing": "is not a number",
    "float_type": "is not a number",
    "float_parsing": "is not a number",
    "string_type": "is not text",
    "date_type": "is not a date",
    "date_parsing": "is not a date",
    "date_from_datetime_inexact": "is not a date",
    "list_type": "is not a list",
    "model_type": "is not a mapping",
    "model_attributes_type": "is not a mapping",
}


def _message(error: dict) -> str:
    if error["type"] in _MESSAGES:
        return _MESSAGES[error["type"]]
    if error["type"] == "literal_error":
        return "is not a known type"
    if error["type"] == "string_pattern_mismatch":
        return "is not of the right form"
    return error["msg"][0].lower() + error["msg"][1:]


def _fix(field: str | None, error: dict) -> str:
    if error["type"] == "list_type":
        return f"write `{field}:` followed by one `- ...` item a line"
    if error["type"] in ("model_type", "model_attributes_type") and {"conflicts_with", "corroborates"} & set(
        error["loc"]
    ):
        return "write each as `{claim: NNN/key, reason: why}`: a relation asserted by hand needs its reason (docs/claims.md)"
    if error["type"] in ("model_type", "model_attributes_type"):
        return "write it as `key: value` lines (see curation/README.md)"
    if field == "type":
        return "use one of " + ", ".join(ENTITY_TYPES)
    if field in ("ref", "subject", "about", "object") or (
        error["type"] == "string_pattern_mismatch" and field == "places"
    ):
        return f"refer to things as `kind/slug` with a kind of {', '.join(KINDS)}, e.g. `person/vladimir-medinsky`"
    if field == "key":
        return "give it a key of lower-case words joined by hyphens, e.g. `bodies-returned-june-13`"
    if field == "article":
        return "write `article: NNN_hash.txt`, the article's file name in corpus/"
    if field in ("value", "min", "max"):
        return "write a plain number without separators, e.g. 3012"
    if field in ("date", "stated_on", "as_of"):
        return "write dates as YYYY-MM-DD"
    return "see the format in curation/README.md or `parley schema`"


def entry_name(data: Any, path: tuple) -> str:
    """Name the entry at ``path`` as the loader's messages do: ``claim 'key'``, ``source outlet``."""
    if not path:
        return "file"
    section = path[0]
    if section in _SECTION_WHAT and len(path) > 1:
        kind, name = _SECTION_WHAT[section]
        entry = _at(data, path[:2])
        label = entry.get(name) if isinstance(entry, dict) else None
        return f"{kind} '{label}'" if label else f"{kind} {path[1] + 1} of {section}"
    if section == "out_of_scope_sentences" and len(path) > 1:
        entry = _at(data, path[:2])
        return f"out_of_scope_sentences entry {entry.get('quote') if isinstance(entry, dict) else None!r}"
    if section == "out_of_scope" and len(path) > 1:
        entry = _at(data, path[:2])
        return f"out_of_scope entry {entry.get('text') if isinstance(entry, dict) else None!r}"
    if section == "source" and len(path) > 1:
        return f"source {path[1]}"
    return str(section)


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _model_at(path: tuple) -> type[BaseModel] | None:
    model: Any = CurationFile
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(model, type) else None
        if field is None:
            return None
        model = _model_of(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
