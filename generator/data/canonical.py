"""The one way managers.yaml and events.yaml are written: by ``python -m generator format``
and by the editing page (/redaktion/), byte for byte alike.

A form-based editor (Decap CMS) rewrites a whole data file on every save. For a save to
change only the lines of the entry it edited, the committed files must already look
exactly as the editing page writes them. The rules are small enough to implement twice,
here and in ``generator/redaktion/format.js``; the layout of the fields (order, kind,
default) comes from the pydantic models (:func:`field_layout`) and reaches the browser
in the page's configuration, and a test compares both writers on the same data.

The format:

- the file's leading comment block is kept (the editing page carries it along);
- one entry per block, entries separated by one blank line, two-space indentation;
- keys in the order of the model's fields, unknown keys after them as they came (the
  check names them);
- no empty values: ``null``, ``""`` and empty mappings are left out, and so is a value
  equal to the model's default (``aktiv: true``);
- text plain where YAML cannot misread it (:data:`PLAIN`), otherwise in double quotes
  with JSON's escapes, which YAML's double-quoted style reads alike; numbers and
  true/false plain. A bare year written as a number in a text field (``datum: 2008``)
  becomes text, which is what the model makes of it.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.data.yaml_lines import parse_yaml

#: Text that YAML (1.1 and 1.2) reads back as the same text without quotes: starts with
#: a letter, holds only letters, digits, space and ``_.,()/-``, ends with no space. The
#: editing page uses this very pattern (it is part of its configuration).
PLAIN = r"^[A-Za-zÄÖÜäöüß](?:[A-Za-z0-9ÄÖÜäöüß_ .,()/-]*[A-Za-z0-9ÄÖÜäöüß.)])?$"
#: Words YAML 1.1 reads as true, false or null (compared in lower case).
RESERVED = ("y", "n", "yes", "no", "on", "off", "true", "false", "null")
#: Characters escaped beyond JSON's: YAML reads U+0085, U+2028 and U+2029 as line breaks
#: and refuses DEL, the C1 controls and U+FEFF inside a document.
_EXTRA_ESCAPES = re.compile("[\u007f-\u009f\u2028\u2029\ufeff]")
_PLAIN_RE = re.compile(PLAIN)


@dataclass(frozen=True)
class FieldLayout:
    """One field of a record as the writers see it."""

    name: str
    #: "string", "integer", "number", "boolean" or "object"
    kind: str
    #: The model's default when it is not None (only such defaults are left out).
    default: Any = None
    #: The fields of a nested record (``kontakt``).
    fields: tuple[FieldLayout, ...] = ()

    def as_json(self) -> dict:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.default is not None:
            data["default"] = self.default
        if self.fields:
            data["fields"] = [f.as_json() for f in self.fields]
        return data


def unwrap(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` as X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _kind(annotation: Any) -> tuple[str, type[BaseModel] | None]:
    """The JSON kind of a field's annotation."""
    annotation = unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object", annotation
    for python, kind in ((bool, "boolean"), (int, "integer"), (float, "number")):
        if annotation is python:
            return kind, None
    return "string", None


def field_layout(model: type[BaseModel]) -> tuple[FieldLayout, ...]:
    """The model's fields with kind and (non-None) default: its own fields first, in
    their order (``id`` leads), then those it inherits (``adresse``, ``lat``, ``lon``)."""
    inherited = {
        name
        for base in model.__mro__[1:]
        if isinstance(base, type) and issubclass(base, BaseModel)
        for name in base.model_fields
    }
    names = sorted(model.model_fields, key=lambda name: name in inherited)
    layout = []
    for name in names:
        info = model.model_fields[name]
        kind, nested = _kind(info.annotation)
        default = None if info.is_required() else info.get_default()
        layout.append(
            FieldLayout(
                name=name,
                kind=kind,
                default=default,
                fields=field_layout(nested) if nested else (),
            )
        )
    return tuple(layout)


def format_scalar(value: Any) -> str:
    """One value as the canonical YAML scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # JavaScript's String(n): no ".0" on whole numbers.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    if _PLAIN_RE.match(text) and text.lower() not in RESERVED:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _EXTRA_ESCAPES.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, Mapping) and not value)


def _ordered(entry: Mapping, layout: tuple[FieldLayout, ...]) -> list[tuple[str, Any]]:
    """The entry's keys in the model's order, empty values and defaults left out."""
    known = {f.name: f for f in layout}
    pairs = []
    for name in [f.name for f in layout if f.name in entry] + [
        key for key in entry if key not in known
    ]:
        value = entry[name]
        spec = known.get(name)
        if spec is not None:
            if spec.kind == "object" and isinstance(value, Mapping):
                value = dict(_ordered(value, spec.fields))
            elif spec.kind == "string" and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if (
                spec.default is not None
                and value == spec.default
                and type(value) is type(spec.default)
            ):
                continue
        if _empty(value):
            continue
        pairs.append((str(name), value))
    return pairs


def _lines(value: Any, indent: str) -> list[str]:
    """Block YAML for a nested mapping or list (values outside the model's kinds are
    written all the same, so formatting never loses what an editor wrote)."""
    lines = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            lines += _pair(format_scalar(str(key)), item, indent)
    else:
        for item in value:
            if isinstance(item, (Mapping, list)) and item:
                inner = _lines(item, indent + "  ")
                lines.append(indent + "- " + inner[0][len(indent) + 2 :])
                lines += inner[1:]
            else:
                lines.append(f"{indent}- {_flow(item)}")
    return lines


def _flow(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return "null" if value is None else format_scalar(value)


def _pair(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, (Mapping, list)) and value:
        return [f"{indent}{key}:", *_lines(value, indent + "  ")]
    return [f"{indent}{key}: {_flow(value)}"]


def format_entry(entry: Mapping, layout: tuple[FieldLayout, ...]) -> str:
    """One entry as its block of lines (each ending in a newline)."""
    pairs = _ordered(entry, layout)
    if not pairs:
        return "- {}\n"
    lines: list[str] = []
    for key, value in pairs:
        lines += _pair(format_scalar(key), value, "  ")
    lines[0] = "- " + lines[0][2:]
    return "\n".join(lines) + "\n"


def header_of(text: str) -> str:
    """The comment lines at the top of a file, up to the first line that is not one."""
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line.rstrip())
    return "".join(f"{line}\n" for line in header)


def format_entries(header: str, entries: list, layout: tuple[FieldLayout, ...]) -> str:
    """The whole file: the header comment, a blank line, the entries one blank line apart."""
    blocks = [
        format_entry(entry, layout) if isinstance(entry, Mapping) else f"- {_flow(entry)}\n"
        for entry in entries
    ]
    body = "\n".join(blocks) if blocks else "[]\n"
    return f"{header}\n{body}" if header else body


class FormatProblem(ValueError):
    """The file cannot be read as a list of entries; ``str()`` is the German message."""


def format_text(text: str, model: type[BaseModel], filename: str) -> str:
    """``text`` (a data file) in the canonical format; the data it holds is unchanged."""
    parsed = parse_yaml(text, filename)
    if parsed.problems:
        raise FormatProblem("\n".join(str(p) for p in parsed.problems))
    data = [] if parsed.data is None else parsed.data
    if not isinstance(data, list):
        raise FormatProblem(
            f"{filename}:1: die Datei muss eine Liste von Einträgen sein (jeder beginnt mit „- “)."
        )
    return format_entries(header_of(text), data, field_layout(model))
