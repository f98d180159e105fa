"""Load the editors' YAML files into typed records, with every problem reported at once.

Each problem names file, line and field and says in German what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.data.checks import (
    date_problems,
    deadline_problem,
    documentation_problem,
    duration_problem,
)
from generator.data.fields import FieldProblem
from generator.data.ids import id_problems
from generator.data.messages import german_message, model_at
from generator.data.models import Event, Manager
from generator.data.problems import DataError, Problem
from generator.data.source import read_source
from generator.data.yaml_guard import MAX_NODES
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
    """What one data file (or one entry's lines of it) gives, before the checks across
    both files."""

    records: tuple[Any, ...]
    #: The validation's problems, then (``later``) those of the date checks.
    problems: tuple[Problem, ...]
    later: tuple[Problem, ...]
    #: (file name, id, line, is an event) of every entry with an id.
    ids: tuple[tuple[str, str, int, bool], ...]
    #: (kind, id) -> (file name, {field: line}), the first entry of each id.
    origins: dict[tuple[str, str], tuple[str, dict[str, int]]]
    #: The values the YAML guard counted (its limit is per file).
    nodes: int = 0

    def moved(self, lines: int) -> _File:
        """The same, ``lines`` further down in the file."""
        if not lines:
            return self
        return _File(
            self.records,
            tuple(replace(p, line=p.line + lines) for p in self.problems),
            tuple(replace(p, line=p.line + lines) for p in self.later),
            tuple((name, id, line + lines, event) for name, id, line, event in self.ids),
            {
                key: (name, {field: line + lines for field, line in at.items()})
                for key, (name, at) in self.origins.items()
            },
            self.nodes,
        )


def _file_of(parsed: Parsed, name: str, kind: str, today: dt.date | None) -> _File:
    model, label = (Event, "Veranstaltungen") if kind == EVENTS else (Manager, MANAGER_LABEL)
    records, problems = _validate_entries(parsed, name, model, label, kind == EVENTS)
    later: list[Problem] = []
    ids = []
    origins: dict[tuple[str, str], tuple[str, dict[str, int]]] = {}
    for index, item in enumerate(parsed.data if isinstance(parsed.data, list) else []):
        if not isinstance(item, dict):
            continue
        lines = {key: line_for(parsed.lines, (index, key)) for key in item}
        lines[""] = line_for(parsed.lines, (index,))
        if kind == EVENTS:
            at = lambda field, lines=lines: lines.get(field, lines[""])  # noqa: E731
            later += date_problems(item, at, name, today)
        if isinstance(item.get("id"), str):
            ids.append((name, item["id"], lines.get("id", lines[""]), kind == EVENTS))
            origins.setdefault((kind, item["id"]), (name, lines))
    return _File(tuple(records), tuple(problems), tuple(later), tuple(ids), origins, parsed.nodes)


#: Both files as they are: a save of one finds the other here.
@lru_cache(maxsize=2)
def _read_file(text: str, name: str, kind: str, today: dt.date | None, by_entry: bool) -> _File:
    """Parse and validate one file's text: memoized by the text, so a save of one file
    leaves the other's records as they are (``mkdocs serve``); ``by_entry``: entry by
    entry (see _read_entries)."""
    if by_entry and (file := _read_entries(text, name, kind, today)) is not None:
        return file
    return _file_of(parse_yaml(text, name), name, kind, today)


#: A line that starts an entry of the file's list ("- id: …" or "-" alone).
_ENTRY_START = re.compile(r"^-(?=[ \r\n])", re.MULTILINE)
#: What may stand above the first entry: blank lines, comments, a "---" of its own.
_HEAD = re.compile(r"(?:(?:---)?[ \t\r]*(?:#[^\n]*)?\n)*")
_DOCUMENT_MARK = re.compile(r"^(?:---|\.\.\.)", re.MULTILINE)


def _read_entries(text: str, name: str, kind: str, today: dt.date | None) -> _File | None:
    """The file read entry by entry, each memoized by its lines' text, so that after a
    save only the entries it changed are parsed and validated again, and the others'
    records are the same objects as before (the calendar's memos find them by identity,
    with their cached dates). None unless the file is plainly a list of entries each of
    which reads without a problem: then the whole file is read at once, as without
    ``by_entry``, for the same messages."""
    if text.count("\r") != text.count("\r\n"):  # a lone CR is a line break for YAML
        return None
    starts = [match.start() for match in _ENTRY_START.finditer(text)]
    if len(starts) < 2 or not _HEAD.fullmatch(text, 0, starts[0]):
        return None
    if _DOCUMENT_MARK.search(text, starts[0]):  # "..." or "---" would end the list
        return None
    starts[0] = 0  # the comments above the first entry go with it
    parts, line = [], 1
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        lines = text[start:end]
        part = _entry_at(lines, line, name, kind, today)
        if part is None:
            return None
        parts.append(part)
        line += lines.count("\n")
    # Each part counted its own list; the guard's limit is for the whole file.
    if sum(part.nodes - 1 for part in parts) + 1 > MAX_NODES:
        return None
    origins: dict[tuple[str, str], tuple[str, dict[str, int]]] = {}
    for part in parts:
        for key, origin in part.origins.items():
            origins.setdefault(key, origin)
    return _File(
        tuple(record for part in parts for record in part.records),
        tuple(problem for part in parts for problem in part.problems),
        tuple(problem for part in parts for problem in part.later),
        tuple(entry for part in parts for entry in part.ids),
        origins,
    )


#: Room for the entries of 50,000 events (an entry has its own lines' text once).
@lru_cache(maxsize=1 << 16)
def _entry_at(lines: str, first: int, name: str, kind: str, today: dt.date | None) -> _File | None:
    part = _entry(lines, name, kind, today)
    return part.moved(first - 1) if part is not None else None


@lru_cache(maxsize=1 << 16)
def _entry(lines: str, name: str, kind: str, today: dt.date | None) -> _File | None:
    """One entry's lines (they make a list of one) read on their own, lines counted from 1."""
    parsed = parse_yaml(lines, name)
    if parsed.problems or not isinstance(parsed.data, list):
        return None
    return _file_of(parsed, name, kind, today)


def forget_records() -> None:
    """Let go of the memoized files and entries: a one-off build has no use for them
    once its files are made; `mkdocs serve` keeps them for the next save."""
    _read_file.cache_clear()
    _entry_at.cache_clear()
    _entry.cache_clear()


def load_dataset(
    managers_path: Path,
    events_path: Path,
    docs_dir: Path | None = None,
    *,
    today: dt.date | None = None,
    by_entry: bool = False,
) -> Dataset:
    """Load and validate both files; raise :class:`DataError` listing every problem.

    ``today`` is the build date: dates more than a few years after it are typos
    (:mod:`generator.data.checks`); without it only the lower bound is checked.
    ``by_entry`` (`mkdocs serve`) reads the files entry by entry and memoizes each, so
    that a load after a save reads again only what the save changed.
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
        file = _read_file(text, path.name, kind, today, by_entry)
        problems += file.problems + file.later
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
        if problem := deadline_problem(event, at, file):
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
