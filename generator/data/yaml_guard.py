"""The part of YAML the editors' files may use, checked on the parser's events.

Anchors and aliases (``&x``/``*x``), merge keys (``<<:``) and tags (``!wichtig``,
``!!python/…``, ``!!binary``) are never needed for a list of entries, and aliases let a
few lines expand into gigabytes ("billion laughs"). Nesting deeper than any real entry
is refused too: PyYAML composes nodes recursively, so thousands of levels would end in a
RecursionError or a crash. The events are read one at a time with a stack, before
anything is composed, so a hostile file costs no more than reading it.
"""

from __future__ import annotations

import yaml

from generator.data.problems import Problem

#: Entries are at most four levels deep (list, entry, "kontakt", value); 20 is generous.
MAX_DEPTH = 20
#: A file full of aliases gets this many messages, then a summary.
MAX_REPORTED = 10
#: Values in one file: the shipped files have about 1,500; 50,000 events have about
#: 750,000. A million is room above that and keeps a file of tiny values from costing
#: more than a few seconds before its first message.
MAX_NODES = 1_000_000


def _at(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def refused_constructs(events, filename: str) -> list[Problem]:
    """Problems for every construct the editors' files must not use; stops early when
    nesting gets too deep. Raises yaml.YAMLError on a syntax error, as the parser does."""
    problems: list[Problem] = []
    #: One entry per open collection: [is a mapping, the next node is a key].
    stack: list[list[bool]] = []
    documents = 0
    nodes = 0

    def add(event: yaml.Event, field: str, message: str) -> None:
        problems.append(Problem(filename, _at(event), field, message))

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents == 2:
                add(
                    event,
                    "YAML",
                    "ein zweites Dokument („---“) in derselben Datei ist nicht erlaubt. "
                    "Löschen Sie die Zeile „---“; alle Einträge gehören in eine Liste.",
                )
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            _toggle(stack)  # the whole collection was one key or value
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        nodes += 1
        if nodes > MAX_NODES:
            add(
                event,
                "Datei",
                f"mehr als {MAX_NODES:_} Werte in einer Datei: so groß ist keine Datendatei ".replace(
                    "_", "."
                )
                + "der Redaktion. Prüfen Sie, ob versehentlich etwas anderes hineinkopiert wurde.",
            )
            return problems
        is_key = bool(stack) and stack[-1][0] and stack[-1][1]
        if isinstance(event, yaml.AliasEvent):
            add(
                event,
                "YAML",
                f"der Verweis „*{event.anchor}“ (YAML-Alias) ist nicht erlaubt. Schreiben Sie "
                "den Wert an dieser Stelle aus, statt auf eine andere Stelle zu verweisen.",
            )
        else:
            if event.anchor is not None:
                add(
                    event,
                    "YAML",
                    f"der Anker „&{event.anchor}“ ist nicht erlaubt. Löschen Sie „&{event.anchor}“ "
                    "und schreiben Sie Werte, die mehrfach vorkommen, jeweils aus.",
                )
            if event.tag is not None:
                add(
                    event,
                    "YAML",
                    f"die Typangabe „{_tag_text(event.tag)}“ ist nicht erlaubt. Löschen Sie sie; "
                    "Text, der mit „!“ beginnt, setzen Sie in Anführungszeichen.",
                )
            if is_key and isinstance(event, yaml.ScalarEvent) and _is_merge_key(event):
                add(
                    event,
                    "YAML",
                    "der Zusammenführungsschlüssel „<<“ ist nicht erlaubt. Schreiben Sie "
                    "die Felder im Eintrag einzeln aus.",
                )
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([isinstance(event, yaml.MappingStartEvent), True])
            if len(stack) > MAX_DEPTH:
                add(
                    event,
                    "YAML",
                    f"mehr als {MAX_DEPTH} Ebenen ineinander: so tief ist kein Eintrag. Prüfen "
                    "Sie Einrückung und Klammern „[“ und „{“ (jede muss geschlossen werden).",
                )
                return problems
        else:
            _toggle(stack)  # a scalar or an alias
        if len(problems) > MAX_REPORTED:
            break
    if len(problems) > MAX_REPORTED:
        first = problems[:MAX_REPORTED]
        last = first[-1]
        first.append(
            Problem(
                filename,
                last.line,
                "YAML",
                "weitere solche Stellen folgen; beheben Sie zuerst die gemeldeten.",
            )
        )
        return first
    return problems


def _is_merge_key(event: yaml.ScalarEvent) -> bool:
    return event.value == "<<" and not event.style  # "<<" in quotes is an ordinary key


def _toggle(stack: list[list[bool]]) -> None:
    if stack and stack[-1][0]:
        stack[-1][1] = not stack[-1][1]


def _tag_text(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag
