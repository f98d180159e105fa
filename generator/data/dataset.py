"""Load the editors' YAML files into typed records, with every problem reported at once.

Each problem names file, line and field and says in German what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.build_cache import BuildCache
from generator.data.checks import (
    date_problems,
    documentation_problem,
    duplicate_event_problems,
    duration_problem,
    person_problems,
    spelling_problems,
    status_problem,
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
            errors = exc.errors(include_url=False)
            for error in errors + _checks_across_fields(model, item, errors):
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


#: Stand-ins for required fields that no check across fields looks at: with them, an
#: entry whose title is wrong still has its Kreis or its dates checked.
_STAND_INS: dict[type[BaseModel], dict[str, str]] = {
    Manager: {"id": "x"},
    Event: {
        "id": "x",
        "titel": "x",
        "veranstalter": "x",
        "beschreibung": "x",
        "reihe": "Werkstattreihe",
    },
}


def _checks_across_fields(model: type[BaseModel], item: dict, errors: list[dict]) -> list[dict]:
    """The checks across fields (Kreis against the town, dates against each other) of an
    entry in which some field is wrong: pydantic runs them only when every field is
    valid, so a number in ``dienststelle`` would hide a wrong ``kreis`` until it is
    fixed. The entry is validated again without the wrong fields (the required ones
    that no check reads take a stand-in); what the checks find about the other fields
    is reported with the rest, all at once."""
    failed = {str(error["loc"][0]) for error in errors if error["loc"]}
    if not failed or any(
        isinstance(error.get("ctx", {}).get("error"), FieldProblem) for error in errors
    ):
        return []
    stand_ins = _STAND_INS.get(model, {})
    retry = {key: value for key, value in item.items() if key not in failed}
    for field in failed:
        info = model.model_fields.get(field)
        if info is not None and info.is_required():
            if field not in stand_ins:
                return []  # a check would read the stand-in: no second pass
            retry[field] = stand_ins[field]
    try:
        model.model_validate(retry)
    except ValidationError as exc:
        return [
            error
            for error in exc.errors(include_url=False)
            if isinstance(cause := error.get("ctx", {}).get("error"), FieldProblem)
            and cause.field not in failed
        ]
    return []


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
    #: Hints that stop nothing (``check`` prints them): e.g. one name under two ids.
    notes: tuple[Problem, ...] = ()

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
        if isinstance(item.get("kontakt"), dict) and "name" in item["kontakt"]:
            lines["kontakt.name"] = line_for(parsed.lines, (index, "kontakt", "name"))
        if kind == EVENTS:
            at = lambda field, lines=lines: lines.get(field, lines[""])  # noqa: E731
            later += date_problems(item, at, name, today)
        if isinstance(item.get("id"), str):
            ids.append((name, item["id"], lines.get("id", lines[""]), kind == EVENTS))
            origins.setdefault((kind, item["id"]), (name, lines))
    return _File(tuple(records), tuple(problems), tuple(later), tuple(ids), origins, parsed.nodes)


def _read_file(
    text: str, name: str, kind: str, today: dt.date | None, cache: BuildCache | None
) -> _File:
    """Parse and validate one file's text. With a ``cache`` (`mkdocs serve`): memoized by
    the text, so a save of one file leaves the other's records as they are, and read
    entry by entry (see _read_entries)."""
    if cache is None:
        return _file_of(parse_yaml(text, name), name, kind, today)

    def read() -> _File:
        file = _read_entries(text, name, kind, today, cache)
        return file if file is not None else _file_of(parse_yaml(text, name), name, kind, today)

    return cache.get("file", (text, name, kind, today), read)


#: A line that starts an entry of the file's list ("- id: …" or "-" alone).
_ENTRY_START = re.compile(r"^-(?=[ \r\n])", re.MULTILINE)
#: What may stand above the first entry: blank lines, comments, a "---" of its own.
_HEAD = re.compile(r"(?:(?:---)?[ \t\r]*(?:#[^\n]*)?\n)*")
_DOCUMENT_MARK = re.compile(r"^(?:---|\.\.\.)", re.MULTILINE)


@dataclass(frozen=True)
class _Entries:
    """A file as it was read entry by entry: its text, where each entry starts (the
    first at 0, with the comments above it), the line it starts on, and what it gave."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[int, ...]
    parts: tuple[_File, ...]


def _read_entries(
    text: str, name: str, kind: str, today: dt.date | None, cache: BuildCache
) -> _File | None:
    """The file read entry by entry, each memoized by its lines' text, so that after a
    save only the entries it changed are parsed and validated again, and the others'
    records are the same objects as before (the calendar's memos find them by identity,
    with their cached dates). None unless the file is plainly a list of entries each of
    which reads without a problem: then the whole file is read at once, as without
    a cache, for the same messages.

    The entries before and after the part of the text a save changed are taken from
    the last reading as they were (:func:`_unchanged_entries`): at 10,000 entries,
    looking each of them up again took a tenth of a second of every save."""
    if text.count("\r") != text.count("\r\n"):  # a lone CR is a line break for YAML
        return None
    carried = ("entries", name, kind, today)
    last = cache.carried(carried)
    before, after = _unchanged_entries(last, text) if isinstance(last, _Entries) else (0, 0)
    if before:
        start, line = last.starts[before], last.lines[before]
    else:
        start, line = 0, 1
    end = len(text) - (len(last.text) - last.starts[-after]) if after else len(text)
    found = [match.start() for match in _ENTRY_START.finditer(text, start, end)]
    if before == 0:
        if not found or not _HEAD.fullmatch(text, 0, found[0]):
            return None
        search_from, found[0] = found[0], 0  # the comments above the first entry go with it
    else:
        search_from = start
    if _DOCUMENT_MARK.search(text, search_from, end):  # "..." or "---" would end the list
        return None
    starts: list[int] = list(last.starts[:before]) if before else []
    lines = list(last.lines[:before]) if before else []
    parts = list(last.parts[:before]) if before else []
    for entry_start, entry_end in zip(found, [*found[1:], end], strict=True):
        entry = text[entry_start:entry_end]
        key = (entry, line, name, kind, today)
        part = cache.get("entry at", key, partial(_entry_at, *key, cache))
        if part is None:
            return None
        starts.append(entry_start)
        lines.append(line)
        parts.append(part)
        line += entry.count("\n")
    if after:
        shift, moved = len(text) - len(last.text), line - last.lines[-after]
        starts += [old + shift for old in last.starts[-after:]]
        lines += [old + moved for old in last.lines[-after:]]
        parts += (
            [part.moved(moved) for part in last.parts[-after:]] if moved else last.parts[-after:]
        )
    if len(parts) < 2:
        return None
    # Each part counted its own list; the guard's limit is for the whole file.
    if sum(part.nodes - 1 for part in parts) + 1 > MAX_NODES:
        return None
    cache.carry(carried, _Entries(text, tuple(starts), tuple(lines), tuple(parts)))
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


def _unchanged_entries(last: _Entries, text: str) -> tuple[int, int]:
    """How many entries at the start and at the end of ``last`` are in ``text`` as they
    were: the same characters, and still entries of their own (the line break before an
    entry's "-" and the character after it unchanged too). The changed middle holds at
    least one entry."""
    same_start = _common_prefix(last.text, text)
    same_end = _common_suffix(last.text, text, limit=min(len(last.text), len(text)) - same_start)
    count = len(last.starts)
    # Entry i is kept if the next one starts two characters before the change or earlier.
    before = bisect_right(last.starts, same_start - 2, lo=1) - 1
    # Entry j (not the first) is kept if the line break before it is unchanged.
    after = count - max(bisect_right(last.starts, len(last.text) - same_end), before + 1, 1)
    return max(before, 0), max(after, 0)


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common start of ``a`` and ``b`` (compared in halves: the
    string comparison runs in C, a character loop would not)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common end of ``a`` and ``b``, at most ``limit``."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _entry_at(
    lines: str, first: int, name: str, kind: str, today: dt.date | None, cache: BuildCache
) -> _File | None:
    """One entry's lines read on their own, moved to their line in the file (an entry
    moved by a save elsewhere is read once, not again)."""
    part = cache.get("entry", (lines, name, kind, today), lambda: _entry(lines, name, kind, today))
    return part.moved(first - 1) if part is not None else None


def _entry(lines: str, name: str, kind: str, today: dt.date | None) -> _File | None:
    """One entry's lines (they make a list of one) read on their own, lines counted from 1."""
    parsed = parse_yaml(lines, name)
    if parsed.problems or not isinstance(parsed.data, list):
        return None
    return _file_of(parsed, name, kind, today)


def load_dataset(
    managers_path: Path,
    events_path: Path,
    docs_dir: Path | None = None,
    *,
    today: dt.date | None = None,
    cache: BuildCache | None = None,
) -> Dataset:
    """Load and validate both files; raise :class:`DataError` listing every problem.

    ``today`` is the build date: dates more than a few years after it are typos
    (:mod:`generator.data.checks`); without it only the lower bound is checked.
    With a ``cache`` (`mkdocs serve`) the files are read entry by entry and each is
    memoized, so that a load after a save reads again only what the save changed.
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
        file = _read_file(text, path.name, kind, today, cache)
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
        if problem := status_problem(event, today, at, file):
            problems.append(problem)
        if (
            docs_dir is not None
            and event.dokumentation
            and (problem := documentation_problem(event.dokumentation, docs_dir, at, file))
        ):
            problems.append(problem)
    problems += spelling_problems(events, lambda event: dataset.where(event, "ort"))
    problems += duplicate_event_problems(events, lambda event: dataset.where(event, "id"))
    errors, notes = person_problems(
        dataset.managers, lambda manager: dataset.where(manager, "kontakt.name")
    )
    problems += errors
    dataset = replace(dataset, notes=tuple(notes))
    if problems:
        error = DataError(problems)
        error.dataset = dataset  # what is valid, for the later stages' checks
        raise error
    return dataset
