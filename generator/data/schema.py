"""JSON Schemas for the editors' IDEs, generated from the same models the loader uses."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from generator.data.models import Event, Manager

SCHEMAS = {
    "managers.schema.json": (Manager, "Familienmanagerinnen und -manager in NRW (managers.yaml)"),
    "events.schema.json": (Event, "Veranstaltungen des IQZ (events.yaml)"),
}


def json_schema(model: type, title: str) -> dict:
    schema = TypeAdapter(list[model]).json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}


def render_schemas() -> dict[str, str]:
    """File name -> schema text, stable (sorted keys, trailing newline) so diffs stay small."""
    return {
        name: json.dumps(json_schema(model, title), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
        for name, (model, title) in SCHEMAS.items()
    }


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
