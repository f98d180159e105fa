"""Load the editors' YAML files into typed records, with every problem reported at once.

Each problem names file, line and field and says in German what to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
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
    previous, current = _last_records.get(model, {}), {}
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
        key = _frozen(item)
        if (record := previous.get(key)) is not None:
            records.append((index, record))
            current[key] = record
            continue
        try:
            record = model.model_validate(item)
            records.append((index, record))
            current[key] = record
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
    _last_records[model] = current
    return [r for _, r in records], problems


#: The valid records of the last load of each file, by their YAML values (see _frozen):
#: after a save that changed one entry, the others come back as the same objects, not
#: validated again, with their cached properties, and the calendar's memos find them by
#: identity. Holds one file's records per model.
_last_records: dict[type[BaseModel], dict[tuple, BaseModel]] = {}


def _frozen(value: Any) -> Any:
    """A YAML value as a hashable key that tells apart what validation tells apart:
    types too (1, 1.0 and True are equal in Python), and floats by their text (-0.0).
    Strings, most values, stand for themselves: no other key is a string."""
    kind = type(value)
    if kind is dict:
        return (
            dict,
            tuple(
                (
                    k if type(k) is str else _frozen(k),
                    v if type(v) is str else _frozen(v),
                )
                for k, v in value.items()
            ),
        )
    if kind is list:
        return (list, tuple(map(_frozen, value)))
    if kind is float:
        return (float, repr(value))
    return value if kind is str else (kind, value)


#: The two files' records, kept apart: a manager and an event are never confused,
#: even while (invalid) data gives both the same id.
MANAGERS, EVENTS = "managers", "events"
MANAGER_LABEL = "Familienmanagerinnen und -manager"


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


@dataclass(frozen=True)
class _File:
    """What one data file's text gives, before the checks across both files."""

    records: tuple[Any, ...]
    problems: tuple[Problem, ...]
    #: (file name, id, line, is an event) of every entry with an id.
    ids: tuple[tuple[str, str, int, bool], ...]
    #: (kind, id) -> (file name, {field: line}), the first entry of each id.
    origins: dict[tuple[str, str], tuple[str, dict[str, int]]]


#: Both files as they are: a save of one finds the other here.
@lru_cache(maxsize=2)
def _read_file(text: str, name: str, kind: str, today: dt.date | None) -> _File:
    """Parse and validate one file's text: memoized by the text, so a save of one file
    leaves the other's records as they are (``mkdocs serve``)."""
    model, label = (Event, "Veranstaltungen") if kind == EVENTS else (Manager, MANAGER_LABEL)
    parsed = parse_yaml(text, name)
    records, problems = _validate_entries(parsed, name, model, label, kind == EVENTS)
    ids = []
    origins: dict[tuple[str, str], tuple[str, dict[str, int]]] = {}
    for index, item in enumerate(parsed.data if isinstance(parsed.data, list) else []):
        if not isinstance(item, dict):
            continue
        lines = {key: line_for(parsed.lines, (index, key)) for key in item}
        lines[""] = line_for(parsed.lines, (index,))
        if kind == EVENTS:
            at = lambda field, lines=lines: lines.get(field, lines[""])  # noqa: E731
            problems += date_problems(item, at, name, today)
        if isinstance(item.get("id"), str):
            ids.append((name, item["id"], lines.get("id", lines[""]), kind == EVENTS))
            origins.setdefault((kind, item["id"]), (name, lines))
    return _File(tuple(records), tuple(problems), tuple(ids), origins)


def forget_records() -> None:
    """Let go of the memoized files and records: a one-off build has no use for them
    once its files are made; `mkdocs serve` keeps them for the next save."""
    _read_file.cache_clear()
    _last_records.clear()


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
    results: dict[str, tuple] = {}
    ids: list[tuple[str, str, int, bool]] = []
    for path, kind in ((managers_path, MANAGERS), (events_path, EVENTS)):
        text, problem = read_source(path)
        if problem:
            problems.append(problem)
            results[kind] = ()
            continue
        file = _read_file(text, path.name, kind, today)
        problems += file.problems
        results[kind] = file.records
        ids += file.ids
        for key, origin in file.origins.items():
            origins.setdefault(key, origin)
    problems += id_problems(ids)
    events: tuple[Event, ...] = results[EVENTS]
    dataset = Dataset(results[MANAGERS], events, origins)
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
