"""YAML with the line of every value, and syntax errors in German.

The data is built straight from the parser's events, in one pass that also runs the
guard (:mod:`generator.data.yaml_guard`), so every value keeps its line without a node
tree in between (at 10,000 events that tree took more time and memory than the rest of
the loading); dates and times stay text so that "2010-02-30" or "10:00" become a clear
message, not a crash or 600.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.data.problems import Problem
from generator.data.source import clean_text
from generator.data.yaml_guard import ConstructGuard

Path_ = tuple[int | str, ...]


@dataclass(frozen=True)
class Parsed:
    """Plain Python data plus the line of every mapping key and value (1-based)."""

    data: Any
    lines: dict[Path_, int]
    problems: list[Problem]
    #: The values the guard counted (for its limit, which is per file).
    nodes: int = 0


_SCALARS = SafeConstructor()
#: libyaml's parser: about six times faster than the pure-Python one on large files; on a
#: syntax error the file is parsed again with the pure-Python parser, whose messages the
#: German translations below are written for.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.1's implicit types without timestamps (dates stay text anyway)."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }


_RESOLVE = _Resolver().resolve
_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(event: yaml.ScalarEvent) -> Any:
    if not event.implicit[0]:  # quoted: text; the parser has already undone the escapes
        return clean_text(event.value)
    tag = _RESOLVE(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR_TAG:
        return clean_text(event.value)
    if tag.endswith(("int", "float")) and ":" in event.value:
        return event.value  # YAML 1.1 reads 10:00 as the number 600
    construct = _SCALARS.yaml_constructors.get(tag)
    if construct is None:  # "<<" or "=" as a value: YAML's merge and value keys
        return clean_text(event.value)
    # The type's own constructor, not construct_object: that one keeps every node it saw.
    value = construct(_SCALARS, yaml.ScalarNode(tag, event.value))
    # Escapes such as "\e" or "\v" in double quotes: no control character reaches a page.
    return clean_text(value) if isinstance(value, str) else value


#: The mapping awaits a key; or the value to come belongs to a key that was refused.
_KEY, _SKIP = object(), object()


class _Collection:
    """An open list or mapping while its events are read. ``path`` is None for one that
    is not kept (a refused key, or inside one)."""

    __slots__ = ("value", "path", "key", "key_line")

    def __init__(self, value: list | dict, path: Path_ | None):
        self.value, self.path, self.key, self.key_line = value, path, _KEY, 0


class _Builder:
    """Plain data and lines from the parser's events; the guard sees every event first."""

    def __init__(self, filename: str):
        self.filename = filename
        self.guard = ConstructGuard(filename)
        self.data: Any = None
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self.open: list[_Collection] = []

    def read(self, events) -> None:
        """Raises yaml.YAMLError on a syntax error, as the parser does."""
        stop, start, end = self.guard.stop, yaml.CollectionStartEvent, yaml.CollectionEndEvent
        for event in events:
            if stop(event):
                return
            if isinstance(event, yaml.ScalarEvent):
                self.node(event, _scalar(event), None)
            elif isinstance(event, start):
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
                self.open.append(_Collection(value, self.node(event, value, value)))
            elif isinstance(event, end):
                self.open.pop()
            elif isinstance(event, yaml.AliasEvent):
                self.node(event, None, None)  # refused by the guard: the data is not used

    def node(self, event: yaml.NodeEvent, value: Any, collection) -> Path_ | None:
        """Puts a value (or a collection, as it opens) in its place; returns its path."""
        line = event.start_mark.line + 1
        if not self.open:
            self.data, self.lines[()] = value, line
            return ()
        parent = self.open[-1]
        if isinstance(parent.value, list):
            if parent.path is None:
                return None
            path = (*parent.path, len(parent.value))
            parent.value.append(value)
            self.lines[path] = line
            return path
        if parent.key is _KEY:
            self.key(parent, event, value, line, is_collection=collection is not None)
            return None
        key, parent.key = parent.key, _KEY
        if key is _SKIP or parent.path is None:
            return None
        path = (*parent.path, key)
        parent.value[key] = value
        self.lines[path] = parent.key_line
        return path

    def key(self, parent: _Collection, event, key: Any, line: int, is_collection: bool) -> None:
        parent.key = _SKIP
        if is_collection or not isinstance(key, str):
            if parent.path is not None:
                self.problems.append(
                    Problem(
                        self.filename,
                        line,
                        str(key) if isinstance(event, yaml.ScalarEvent) else "Feldname",
                        "Feldnamen müssen Text sein (z. B. „titel:“), keine Liste und kein "
                        "Abschnitt. Prüfen Sie Einrückung und Klammern.",
                    )
                )
        elif parent.path is not None and key in parent.value:
            self.problems.append(
                Problem(
                    self.filename,
                    line,
                    dotted((*parent.path, key)),
                    f"steht in diesem Eintrag doppelt (zuerst in Zeile "
                    f"{self.lines[(*parent.path, key)]}). Löschen Sie eine der beiden Zeilen.",
                )
            )
        else:
            parent.key, parent.key_line = key, line


#: Above this size a syntax error is reported with libyaml's wording (translated the same
#: way) instead of parsing the file again with the slower pure-Python parser.
PYTHON_PARSER_LIMIT = 2_000_000


def parse_yaml(text: str, filename: str) -> Parsed:
    """Parse YAML keeping line numbers; syntax errors, duplicate keys and the constructs
    of :mod:`generator.data.yaml_guard` become problems."""
    builder = _Builder(filename)
    try:
        try:
            builder.read(yaml.parse(text, Loader=_FAST_LOADER))
        except yaml.YAMLError:
            if len(text) > PYTHON_PARSER_LIMIT:
                raise  # libyaml's message; the pure-Python parser would take too long
            # Python's parser raises with the messages translated below; the guard
            # still stops it early on deep nesting before the error.
            builder = _Builder(filename)
            builder.read(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        if refused := builder.guard.problems():
            return Parsed(None, {}, refused)  # what the guard saw before the error
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and any(w in (exc.context or "") for w in ("flow", "quoted")):
            mark = exc.context_mark  # where the unclosed "[", "{" or quote opens
        line = mark.line + 1 if mark else 1
        detail = _translate_syntax(f"{exc.context or ''} {exc.problem or ''}")
        hint = _syntax_hint(text, line)
        return Parsed(
            None, {}, [Problem(filename, line, "YAML", f"Syntaxfehler: {detail}. {hint}")]
        )
    except yaml.YAMLError as exc:  # the reader's "unacceptable character"
        position = getattr(exc, "position", 0) or 0
        return Parsed(
            None,
            {},
            [
                Problem(
                    filename,
                    text.count("\n", 0, position) + 1,
                    "YAML",
                    "in dieser Zeile steht ein Zeichen, das in YAML-Dateien nicht erlaubt ist. "
                    "Tippen Sie die Zeile neu (ohne Kopieren aus Word oder PDF).",
                )
            ],
        )
    if refused := builder.guard.problems():
        return Parsed(None, {}, refused)
    return Parsed(builder.data, builder.lines, builder.problems, builder.guard.nodes)


_SYNTAX_MESSAGES = {
    "mapping values are not allowed": "unerwarteter Doppelpunkt",
    "could not find expected ':'": "Doppelpunkt nach dem Feldnamen fehlt",
    "expected <block end>": "die Einrückung passt nicht zu den Zeilen davor",
    "found character '\\t'": "Tabulator gefunden",
    "found unexpected end of stream": "ein Anführungszeichen oder eine Klammer wird nicht geschlossen",
    "found undefined alias": "unbekannter Verweis mit „*“",
    "found duplicate anchor": "doppelter Anker mit „&“",
    "expected a single document": "mehrere Dokumente („---“) in einer Datei",
    "that cannot start any token": "ein Zeichen am Anfang des Werts ist in YAML reserviert (z. B. „@“, „`“ oder „%“); setzen Sie den Wert in Anführungszeichen",
    "while scanning an alias": "„*“ am Anfang eines Werts leitet einen Verweis ein; setzen Sie den Wert in Anführungszeichen",
    "while scanning an anchor": "„&“ am Anfang eines Werts leitet einen Anker ein; setzen Sie den Wert in Anführungszeichen",
    "while scanning a tag": "„!“ am Anfang eines Werts leitet eine Typangabe ein; setzen Sie den Wert in Anführungszeichen",
    "did not find expected key": "die Einrückung passt nicht zu den Zeilen davor",
    "did not find expected '-' indicator": "die Einrückung der Liste passt nicht",
    "did not find expected ',' or ']'": "eine eckige Klammer wird nicht geschlossen",
    "did not find expected ',' or '}'": "eine geschweifte Klammer wird nicht geschlossen",
    "expected ',' or ']'": "die eckige Klammer „[“ wird nicht geschlossen",
    "expected ',' or '}'": "die geschweifte Klammer „{“ wird nicht geschlossen",
}


def _translate_syntax(problem: str) -> str:
    for english, german in _SYNTAX_MESSAGES.items():
        if english in problem:
            return german
    return "die Datei ist an dieser Stelle kein gültiges YAML"


def _syntax_hint(text: str, line: int) -> str:
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in source:
        return "In der Zeile steht ein Tabulator: rücken Sie nur mit Leerzeichen ein."
    return (
        "Prüfen Sie die Einrückung (nur Leerzeichen, gleich tief wie die Nachbarzeilen), "
        "ob nach jedem Feldnamen ein Doppelpunkt mit Leerzeichen folgt und ob Texte mit "
        "„:“ oder „#“ in Anführungszeichen stehen."
    )


def dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path if isinstance(p, str)) or "Eintrag"


def line_for(lines: dict[Path_, int], path: Path_) -> int:
    """The line of the deepest part of ``path`` the file has (a missing field: its entry)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 1)
