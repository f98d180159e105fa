"""The part of YAML the editors' files may use, checked on the parser's events.

Anchors and aliases (``&x``/``*x``), merge keys (``<<:``) and tags (``!wichtig``,
``!!python/…``, ``!!binary``) are never needed for a list of entries, and aliases let a
few lines expand into gigabytes ("billion laughs"). Nesting deeper than any real entry
is refused too: it is never meant, and PyYAML's own composer would recurse into thousands
of levels and crash. The guard sees each event as the data is built from it
(:mod:`generator.data.yaml_lines`) and stops the reading early, so a hostile file costs
no more than reading it.
"""

from __future__ import annotations

import yaml

from generator.data.problems import Problem

#: Entries are at most four levels deep (list, entry, "kontakt", value); 20 is generous.
MAX_DEPTH = 20
#: A file full of aliases gets this many messages, then a summary.
MAX_REPORTED = 10
#: Values in one file: the shipped files have about 1,500; 50,000 events with most
#: fields filled (benchmarks/bench_site.py) about 1.1 million. Two million is room above
#: that and keeps a file of tiny values from costing more than a few seconds.
MAX_NODES = 2_000_000


def _at(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


class ConstructGuard:
    """Checks the parser's events one at a time: :meth:`stop` says when reading must end
    (too deep, too many values, enough messages); :meth:`problems` lists what was found."""

    def __init__(self, filename: str):
        self.filename = filename
        self.found: list[Problem] = []
        #: One entry per open collection: [is a mapping, the next node is a key].
        self.stack: list[list[bool]] = []
        self.documents = 0
        self.nodes = 0
        #: Reading stopped at a limit: its message is the last and is always shown.
        self.limit_reached = False

    def _add(self, event: yaml.Event, field: str, message: str) -> None:
        self.found.append(Problem(self.filename, _at(event), field, message))

    def stop(self, event: yaml.Event) -> bool:
        stack = self.stack
        # Most events: a plain value without anchor or tag (checked first, for speed).
        if (
            type(event) is yaml.ScalarEvent
            and event.anchor is None
            and event.tag is None
            and event.value != "<<"
            and self.nodes < MAX_NODES
        ):
            self.nodes += 1
            if stack and stack[-1][0]:
                stack[-1][1] = not stack[-1][1]
            return False
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            _toggle(stack)  # the whole collection was one key or value
            return False
        if not isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents == 2:
                    self._add(
                        event,
                        "YAML",
                        "ein zweites Dokument („---“) in derselben Datei ist nicht erlaubt. "
                        "Löschen Sie die Zeile „---“; alle Einträge gehören in eine Liste.",
                    )
            return False
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._add(
                event,
                "Datei",
                f"mehr als {MAX_NODES:_} Werte in einer Datei: so groß ist keine Datendatei ".replace(
                    "_", "."
                )
                + "der Redaktion. Prüfen Sie, ob versehentlich etwas anderes hineinkopiert wurde.",
            )
            self.limit_reached = True
            return True
        is_key = bool(stack) and stack[-1][0] and stack[-1][1]
        if isinstance(event, yaml.AliasEvent):
            self._add(
                event,
                "YAML",
                f"der Verweis „*{event.anchor}“ (YAML-Alias) ist nicht erlaubt. Schreiben Sie "
                "den Wert an dieser Stelle aus, statt auf eine andere Stelle zu verweisen.",
            )
        else:
            if event.anchor is not None:
                self._add(
                    event,
                    "YAML",
                    f"der Anker „&{event.anchor}“ ist nicht erlaubt. Löschen Sie „&{event.anchor}“ "
                    "und schreiben Sie Werte, die mehrfach vorkommen, jeweils aus.",
                )
            if event.tag is not None:
                self._add(
                    event,
                    "YAML",
                    f"die Typangabe „{_tag_text(event.tag)}“ ist nicht erlaubt. Löschen Sie sie; "
                    "Text, der mit „!“ beginnt, setzen Sie in Anführungszeichen.",
                )
            if is_key and isinstance(event, yaml.ScalarEvent) and _is_merge_key(event):
                self._add(
                    event,
                    "YAML",
                    "der Zusammenführungsschlüssel „<<“ ist nicht erlaubt. Schreiben Sie "
                    "die Felder im Eintrag einzeln aus.",
                )
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([isinstance(event, yaml.MappingStartEvent), True])
            if len(stack) > MAX_DEPTH:
                self._add(
                    event,
                    "YAML",
                    f"mehr als {MAX_DEPTH} Ebenen ineinander: so tief ist kein Eintrag. Prüfen "
                    "Sie Einrückung und Klammern „[“ und „{“ (jede muss geschlossen werden).",
                )
                self.limit_reached = True
                return True
        else:
            _toggle(stack)  # a scalar or an alias
        return len(self.found) > MAX_REPORTED

    def problems(self) -> list[Problem]:
        if self.limit_reached or len(self.found) <= MAX_REPORTED:
            return self.found
        first = self.found[:MAX_REPORTED]
        first.append(
            Problem(
                self.filename,
                first[-1].line,
                "YAML",
                "weitere solche Stellen folgen; beheben Sie zuerst die gemeldeten.",
            )
        )
        return first


def _is_merge_key(event: yaml.ScalarEvent) -> bool:
    return event.value == "<<" and not event.style  # "<<" in quotes is an ordinary key


def _toggle(stack: list[list[bool]]) -> None:
    if stack and stack[-1][0]:
        stack[-1][1] = not stack[-1][1]


def _tag_text(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag
