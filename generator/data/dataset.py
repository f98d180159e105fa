"""Load the editors' YAML files into typed records, with every problem reported at once.

Each problem names file, line and field and says in German what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.data.messages import german_message, model_at
from generator.data.models import Event, FieldProblem, Manager
from generator.data.problems import DataError, Problem
from generator.data.yaml_lines import Parsed, dotted, line_for, parse_yaml


def _validate_entries(
    parsed: Parsed, filename: str, model: type[BaseModel], label: str
) -> tuple[list[Any], list[Problem]]:
    problems = list(parsed.problems)
    if parsed.data is None and not problems:
        return [], problems  # an empty file is valid: no entries
    if parsed.data is None:
        return [], problems
    if not isinstance(parsed.data, list):
        problems.append(
            Problem(
                filename,
                parsed.lines.get((), 1),
                "Datei",
                f"die Datei muss eine Liste von {label} sein: jeder Eintrag beginnt mit „- id: …“.",
            )
        )
        return [], problems
    records = []
    for index, item in enumerate(parsed.data):
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    filename,
                    line_for(parsed.lines, (index,)),
                    "Eintrag",
                    "jeder Eintrag muss aus Feldern bestehen (Feldname: Wert). Prüfen Sie Bindestrich und Einrückung.",
                )
            )
            continue
        try:
            records.append((index, model.model_validate(item)))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                cause = error.get("ctx", {}).get("error")
                if isinstance(cause, FieldProblem):  # a cross-field check names its field
                    loc = (*loc, cause.field)
                path = (index, *loc)
                problems.append(
                    Problem(
                        filename,
                        line_for(parsed.lines, path),
                        dotted(path),
                        german_message(error, model_at(model, loc) if loc else model),
                    )
                )
    # Duplicate ids across entries, also among entries with other problems.
    first_line: dict[str, int] = {}
    for index, item in enumerate(parsed.data):
        record_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(record_id, str):
            continue
        line = line_for(parsed.lines, (index, "id"))
        if record_id in first_line:
            problems.append(
                Problem(
                    filename,
                    line,
                    "id",
                    f"die Kennung „{record_id}“ gibt es schon (Zeile {first_line[record_id]}). "
                    "Jede Kennung darf nur einmal vorkommen: hängen Sie z. B. „-2“ an.",
                )
            )
        else:
            first_line[record_id] = line
    return [r for _, r in records], problems


@dataclass(frozen=True)
class Dataset:
    """Everything the generator renders from, validated."""

    managers: tuple[Manager, ...]
    events: tuple[Event, ...]
    #: record id -> (file name, {field: line}); "" is the entry's own line.
    origins: dict[str, tuple[str, dict[str, int]]]

    def where(self, record_id: str, field: str = "") -> tuple[str, int]:
        """(file, line) of a record's field, for messages of later stages (e.g. geocoding)."""
        file, lines = self.origins[record_id]
        return file, lines.get(field, lines[""])


def _read(path: Path) -> tuple[str | None, Problem | None]:
    try:
        return path.read_text(encoding="utf-8"), None
    except FileNotFoundError:
        return None, Problem(path.name, 1, "Datei", "Datei nicht gefunden.")
    except UnicodeDecodeError as exc:
        return None, Problem(
            path.name,
            1,
            "Datei",
            f"die Datei ist nicht in UTF-8 gespeichert ({exc.reason}). Speichern Sie sie als UTF-8.",
        )


def load_dataset(managers_path: Path, events_path: Path, docs_dir: Path | None = None) -> Dataset:
    """Load and validate both files; raise :class:`DataError` listing every problem."""
    problems: list[Problem] = []
    origins: dict[str, tuple[str, dict[str, int]]] = {}
    results = {}
    for path, model, label in (
        (managers_path, Manager, "Familienmanagerinnen und -managern"),
        (events_path, Event, "Veranstaltungen"),
    ):
        text, problem = _read(path)
        if problem:
            problems.append(problem)
            results[model] = []
            continue
        parsed = parse_yaml(text, path.name)
        records, found = _validate_entries(parsed, path.name, model, label)
        problems += found
        results[model] = records
        for index, item in enumerate(parsed.data if isinstance(parsed.data, list) else []):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                lines = {key: line_for(parsed.lines, (index, key)) for key in item}
                lines[""] = line_for(parsed.lines, (index,))
                origins.setdefault(item["id"], (path.name, lines))
    events: list[Event] = results[Event]
    dataset = Dataset(tuple(results[Manager]), tuple(events), origins)
    if docs_dir is not None:
        for event in events:
            if event.dokumentation and not (docs_dir / event.dokumentation).is_file():
                file, line = dataset.where(event.id, "dokumentation")
                problems.append(
                    Problem(
                        file,
                        line,
                        "dokumentation",
                        f"die Seite „{event.dokumentation}“ gibt es in {docs_dir.name}/ nicht. "
                        "Prüfen Sie den Pfad (relativ zum Ordner content/) oder löschen Sie die Zeile.",
                    )
                )
    if problems:
        raise DataError(problems)
    return dataset
