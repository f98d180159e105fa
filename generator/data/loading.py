"""Load the editors' YAML files into typed records, with every problem reported at once.

Each problem names file, line and field and says in German what to do. The YAML is
composed into nodes (not constructed) so every value keeps its line; dates and times
stay text so that "2010-02-30" or "10:00" become a clear message, not a crash or 600.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from yaml.constructor import SafeConstructor

from generator.data.models import Event, FieldProblem, Manager

Path_ = tuple[int | str, ...]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class DataError(Exception):
    """Raised with every problem found; ``str()`` is the German report for editors."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = "1 Fehler gefunden" if count == 1 else f"{count} Fehler gefunden"
        lines = [str(p) for p in self.problems]
        return "\n".join([*lines, f"{head}. Es wurde nichts veröffentlicht."])


@dataclass(frozen=True)
class Parsed:
    """Plain Python data plus the line of every mapping key and value (1-based)."""

    data: Any
    lines: dict[Path_, int]
    problems: list[Problem]


_SCALARS = SafeConstructor()


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser without the timestamp resolver (dates stay text anyway).

    About six times faster than the pure-Python loader on large files; on a syntax
    error the file is parsed again with the pure-Python loader, whose messages the
    German translations below are written for.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "timestamp":
        return node.value  # validated as text by the models
    if tag in ("int", "float") and ":" in node.value:
        return node.value  # YAML 1.1 reads 10:00 as the number 600
    return _SCALARS.construct_object(node, deep=True)


def parse_yaml(text: str, filename: str) -> Parsed:
    """Parse YAML keeping line numbers; syntax errors and duplicate keys become problems."""
    try:
        try:
            root = yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            root = yaml.compose(text, Loader=yaml.SafeLoader)  # raises with Python's messages
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = _translate_syntax(exc.problem or "")
        hint = _syntax_hint(text, line)
        return Parsed(
            None, {}, [Problem(filename, line, "YAML", f"Syntaxfehler: {detail}. {hint}")]
        )
    except yaml.YAMLError as exc:
        return Parsed(None, {}, [Problem(filename, 1, "YAML", f"Datei nicht lesbar: {exc}")])
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []

    def walk(node: yaml.Node, path: Path_) -> Any:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [walk(child, (*path, i)) for i, child in enumerate(node.value)]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                problems.append(
                    Problem(
                        filename,
                        key_node.start_mark.line + 1,
                        str(key),
                        "Feldnamen müssen Text sein.",
                    )
                )
                continue
            if key in result:
                problems.append(
                    Problem(
                        filename,
                        key_node.start_mark.line + 1,
                        _dotted((*path, key)),
                        f"steht in diesem Eintrag doppelt (zuerst in Zeile {lines[(*path, key)]}). "
                        "Löschen Sie eine der beiden Zeilen.",
                    )
                )
                continue
            result[key] = walk(value_node, (*path, key))
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result

    data = walk(root, ()) if root is not None else None
    return Parsed(data, lines, problems)


_SYNTAX_MESSAGES = {
    "mapping values are not allowed": "unerwarteter Doppelpunkt",
    "could not find expected ':'": "Doppelpunkt nach dem Feldnamen fehlt",
    "expected <block end>": "die Einrückung passt nicht zu den Zeilen davor",
    "found character '\\t'": "Tabulator gefunden",
    "found unexpected end of stream": "ein Anführungszeichen oder eine Klammer wird nicht geschlossen",
    "found undefined alias": "unbekannter Verweis mit „*“",
    "found duplicate anchor": "doppelter Anker mit „&“",
    "did not find expected key": "die Einrückung passt nicht zu den Zeilen davor",
    "did not find expected '-' indicator": "die Einrückung der Liste passt nicht",
    "did not find expected ',' or ']'": "eine eckige Klammer wird nicht geschlossen",
    "did not find expected ',' or '}'": "eine geschweifte Klammer wird nicht geschlossen",
}


def _translate_syntax(problem: str) -> str:
    for english, german in _SYNTAX_MESSAGES.items():
        if english in problem:
            return german
    return (
        f"die Datei ist kein gültiges YAML ({problem})"
        if problem
        else "die Datei ist kein gültiges YAML"
    )


def _syntax_hint(text: str, line: int) -> str:
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in source:
        return "In der Zeile steht ein Tabulator: rücken Sie nur mit Leerzeichen ein."
    return (
        "Prüfen Sie die Einrückung (nur Leerzeichen, gleich tief wie die Nachbarzeilen), "
        "ob nach jedem Feldnamen ein Doppelpunkt mit Leerzeichen folgt und ob Texte mit "
        "„:“ oder „#“ in Anführungszeichen stehen."
    )


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path if isinstance(p, str)) or "Eintrag"


def _line_for(lines: dict[Path_, int], path: Path_) -> int:
    """The line of the deepest part of ``path`` the file has (a missing field: its entry)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 1)


def _model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel]:
    """The (nested) model a pydantic error location points into."""
    for part in loc[:-1]:
        field = model.model_fields.get(str(part)) if isinstance(part, str) else None
        if field is None:
            break
        annotation = field.annotation
        candidates = [annotation, *get_args(annotation)] if get_origin(annotation) else [annotation]
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not nested:
            break
        model = nested[0]
    return model


def _choices(error: dict) -> list[str]:
    expected = error.get("ctx", {}).get("expected", "")
    return [
        part.strip().strip("'") for part in expected.replace(" or ", ",").split(",") if part.strip()
    ]


def _german(error: dict, model: type[BaseModel]) -> str:
    """Translate one pydantic error into a German instruction."""
    kind, value = error["type"], error.get("input")
    field = str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return f"Pflichtfeld fehlt. Ergänzen Sie im Eintrag die Zeile „{field}: …“."
    if kind == "extra_forbidden":
        known = list(model.model_fields)
        close = difflib.get_close_matches(field, known, n=1, cutoff=0.6)
        if close:
            return f"unbekanntes Feld. Meinten Sie „{close[0]}“?"
        return "unbekanntes Feld. Erlaubt sind: " + ", ".join(known) + "."
    if kind == "literal_error":
        choices = _choices(error)
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        hint = f" Meinten Sie „{close[0]}“?" if close else ""
        return f"„{value}“ ist nicht erlaubt.{hint} Möglich sind: " + ", ".join(choices) + "."
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in ("string_type", "string_sub_type"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (
                f"Text erwartet, aber YAML hat eine Zahl gelesen. Setzen Sie den Wert in "
                f'Anführungszeichen, z. B. {field}: "…" (führende Nullen gehen sonst verloren).'
            )
        if isinstance(value, (dict, list)):
            return "Text erwartet, aber hier steht eine Liste oder ein Unterabschnitt. Prüfen Sie die Einrückung."
        if value is None:
            return "der Wert fehlt. Tragen Sie nach dem Doppelpunkt einen Text ein oder löschen Sie die Zeile."
        return "Text erwartet."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"ganze Zahl erwartet, z. B. {field}: 2009 (nicht „{value}“)."
    if kind in ("float_type", "float_parsing"):
        return f"Zahl mit Dezimalpunkt erwartet, z. B. {field}: 51.8 (nicht „{value}“)."
    if kind in ("bool_type", "bool_parsing"):
        return f"true oder false erwartet (nicht „{value}“)."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limits = error.get("ctx", {})
        bound = ", ".join(f"{k} {v}" for k, v in limits.items())
        return f"„{value}“ liegt außerhalb des erlaubten Bereichs ({bound.replace('ge', 'mindestens').replace('le', 'höchstens')})."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "hier wird ein Abschnitt mit eingerückten Feldern erwartet (Feldname: Wert)."
    if kind == "string_pattern_mismatch":
        if field == "id":
            return (
                f"„{value}“ ist keine gültige Kennung. Verwenden Sie nur Kleinbuchstaben, Ziffern "
                "und Bindestriche, ohne Umlaute (ue statt ü), z. B. „kreis-dueren-1“."
            )
        if field in ("beginn", "ende"):
            return f"„{value}“ ist keine Uhrzeit. Schreiben Sie SS:MM, z. B. „10:00“."
        if field == "dokumentation":
            return f"„{value}“ ist kein Pfad zu einer Seite. Schreiben Sie z. B. „werkstattreihe/2010-11-bochum-marketing.md“."
        if field == "url" or field == "web":
            return "keine gültige Internetadresse. Schreiben Sie sie vollständig mit „https://“."
        return f"„{value}“ hat nicht das erwartete Format."
    return f"ungültiger Wert „{value}“ ({error.get('msg', kind)})."


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
                    _line_for(parsed.lines, (index,)),
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
                        _line_for(parsed.lines, path),
                        _dotted(path),
                        _german(error, _model_at(model, loc) if loc else model),
                    )
                )
    # Duplicate ids across entries, also among entries with other problems.
    first_line: dict[str, int] = {}
    for index, item in enumerate(parsed.data):
        record_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(record_id, str):
            continue
        line = _line_for(parsed.lines, (index, "id"))
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
                lines = {key: _line_for(parsed.lines, (index, key)) for key in item}
                lines[""] = _line_for(parsed.lines, (index,))
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
