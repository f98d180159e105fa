"""YAML with the line of every value, and syntax errors in German.

The YAML is composed into nodes (not constructed) so every value keeps its line;
dates and times stay text so that "2010-02-30" or "10:00" become a clear message,
not a crash or 600.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.data.problems import Problem
from generator.data.source import clean_text
from generator.data.yaml_guard import refused_constructs

Path_ = tuple[int | str, ...]


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


_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.tag == _STR_TAG:  # most values: the parser has already undone the escapes
        return clean_text(node.value)
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "timestamp":
        return clean_text(node.value)  # validated as text by the models
    if tag in ("int", "float") and ":" in node.value:
        return node.value  # YAML 1.1 reads 10:00 as the number 600
    value = _SCALARS.construct_object(node, deep=True)
    # Escapes such as "\e" or "\v" in double quotes: no control character reaches a page.
    return clean_text(value) if isinstance(value, str) else value


#: Above this size a syntax error is reported with libyaml's wording (translated the same
#: way) instead of parsing the file again with the slower pure-Python parser.
PYTHON_PARSER_LIMIT = 2_000_000


def parse_yaml(text: str, filename: str) -> Parsed:
    """Parse YAML keeping line numbers; syntax errors, duplicate keys and the constructs
    of :mod:`generator.data.yaml_guard` become problems."""
    try:
        try:
            refused = refused_constructs(yaml.parse(text, Loader=_FastLoader), filename)
        except yaml.YAMLError:
            if len(text) > PYTHON_PARSER_LIMIT:
                raise  # libyaml's message; the pure-Python parser would take too long
            # Python's parser raises with the messages translated below; the guard
            # still stops it early on deep nesting before the error.
            refused = refused_constructs(yaml.parse(text, Loader=yaml.SafeLoader), filename)
        if refused:
            return Parsed(None, {}, refused)
        root = yaml.compose(text, Loader=_FastLoader)
    except yaml.MarkedYAMLError as exc:
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
                        str(key) if isinstance(key_node, yaml.ScalarNode) else "Feldname",
                        "Feldnamen müssen Text sein (z. B. „titel:“), keine Liste und kein "
                        "Abschnitt. Prüfen Sie Einrückung und Klammern.",
                    )
                )
                continue
            if key in result:
                problems.append(
                    Problem(
                        filename,
                        key_node.start_mark.line + 1,
                        dotted((*path, key)),
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
