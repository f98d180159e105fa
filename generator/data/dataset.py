"""Load the editors' YAML files into typed records, with every problem reported at once.

Each problem names file, line and field and says in German what to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.data.checks import date_problems, documentation_problem, duration_problem
from generator.data.fields import FieldProblem
from generator.data.ids import id_problems
from generator.data.messages import german_message, model_at
from generator.data.models import Event, Manager
from generator.data.problems import DataError, Problem
from generator.data.source import read_source
from generator.data.yaml_lines import Parsed, dotted, line_for, parse_yaml


def _validate_entries(
    parsed: Parsed, filename: str, model: type[BaseModel], label: str, allow_empty: bool
) -> tuple[list[Any], list[Problem]]:
    problems = list(parsed.problems)
    if parsed.data is None and not problems:
        problems.append(
            Problem(
                filename,
                1,
                "Datei",
                f"die Datei ist leer (oder enthält nur Kommentare). Hier gehört die Liste der "
                f"{label} hinein, jeder Eintrag beginnt mit „- id: …“. Wurde versehentlich "
                "alles gelöscht? Stellen Sie die letzte Fassung wieder her (EDITING.md, "
                "„Eine Änderung rückgängig machen“).",
            )
        )
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
    if not parsed.data and not allow_empty:
        problems.append(
            Problem(
                filename,
                parsed.lines.get((), 1),
                "Datei",
                f"die Liste ist leer („[]“): ohne {label} hat die Website nichts zu zeigen. "
                "Stellen Sie die Einträge wieder her (EDITING.md, „Eine Änderung rückgängig machen“).",
            )
        )
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
    return [r for _, r in records], problems


#: The two files' records, kept apart: a manager and an event are never confused,
#: even while (invalid) data gives both the same id.
MANAGERS, EVENTS = "managers", "events"


def kind_of(record: Manager | Event) -> str:
    return EVENTS if isinstance(record, Event) else MANAGERS


@dataclass(frozen=True)
class Dataset:
    """Everything the generator renders from, validated."""

    managers: tuple[Manager, ...]
    events: tuple[Event, ...]
    #: (kind, record id) -> (file name, {field: line}); "" is the entry's own line.
    origins: dict[tuple[str, str], tuple[str, dict[str, int]]]

    def where(self, record: Manager | Event, field: str = "") -> tuple[str, int]:
        """(file, line) of a record's field, for messages of later stages (e.g. geocoding)."""
        file, lines = self.origins[(kind_of(record), record.id)]
        return file, lines.get(field, lines[""])


def load_dataset(
    managers_path: Path,
    events_path: Path,
    docs_dir: Path | None = None,
    *,
    today: dt.date | None = None,
) -> Dataset:
    """Load and validate both files; raise :class:`DataError` listing every problem.

    ``today`` is the build date: dates more than a few years after it are typos
    (:mod:`generator.data.checks`); without it only the lower bound is checked.
    """
    problems: list[Problem] = []
    origins: dict[tuple[str, str], tuple[str, dict[str, int]]] = {}
    results: dict[str, list] = {}
    ids: list[tuple[str, str, int, bool]] = []
    for path, model, kind, label in (
        (managers_path, Manager, MANAGERS, "Familienmanagerinnen und -manager"),
        (events_path, Event, EVENTS, "Veranstaltungen"),
    ):
        text, problem = read_source(path)
        if problem:
            problems.append(problem)
            results[kind] = []
            continue
        parsed = parse_yaml(text, path.name)
        records, found = _validate_entries(parsed, path.name, model, label, kind == EVENTS)
        problems += found
        results[kind] = records
        for index, item in enumerate(parsed.data if isinstance(parsed.data, list) else []):
            if not isinstance(item, dict):
                continue
            lines = {key: line_for(parsed.lines, (index, key)) for key in item}
            lines[""] = line_for(parsed.lines, (index,))
            if kind == EVENTS:
                at = lambda field, lines=lines: lines.get(field, lines[""])  # noqa: E731
                problems += date_problems(item, at, path.name, today)
            if isinstance(item.get("id"), str):
                ids.append((path.name, item["id"], lines.get("id", lines[""]), kind == EVENTS))
                origins.setdefault((kind, item["id"]), (path.name, lines))
    problems += id_problems(ids)
    events: list[Event] = results[EVENTS]
    dataset = Dataset(tuple(results[MANAGERS]), tuple(events), origins)
    for event in events:
        file, lines = origins[(EVENTS, event.id)]
        at = lambda field, lines=lines: lines.get(field, lines[""])  # noqa: E731
        if event.bis is not None and (problem := duration_problem(event, at, file)):
            problems.append(problem)
        if (
            docs_dir is not None
            and event.dokumentation
            and (problem := documentation_problem(event.dokumentation, docs_dir, at, file))
        ):
            problems.append(problem)
    if problems:
        raise DataError(problems)
    return dataset
