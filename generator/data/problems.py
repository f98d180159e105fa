"""A problem in the editors' data: file, line, field and what to do, in German."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Longest value quoted in a message („…“): enough to recognise it, short in a CI log.
MAX_SHOWN = 80
#: Longest field name and message; the longest real message (the list of districts)
#: is about 800 characters.
MAX_FIELD, MAX_MESSAGE = 80, 1200

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_QUOTED = re.compile(f"„([^“]{{{MAX_SHOWN + 1},}})“")


def _escape(text: str) -> str:
    r"""Control characters (and bidi overrides) as visible escapes: a value can neither
    start a new line in a terminal or CI log (where ``::error`` or ``::add-mask::`` at a
    line start is a command) nor reorder what the editor reads. ``\n`` becomes ``\\n``."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object) -> str:
    """A value from the data as it may appear in a message: escaped and shortened."""
    return _shorten(_escape(str(value)), MAX_SHOWN)


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def safe(self) -> Problem:
        """The problem as it may be printed: field and quoted values shortened, every
        control character escaped (values from the data end up in field and message)."""
        message = _QUOTED.sub(lambda m: f"„{_shorten(m.group(1), MAX_SHOWN)}“", self.message)
        return Problem(
            _shorten(_escape(self.file), MAX_FIELD),
            self.line,
            _shorten(_escape(self.field), MAX_FIELD),
            _shorten(_escape(message), MAX_MESSAGE),
        )


#: Problems listed in a report (and handed to CI); more only repeat the same mistake.
MAX_LISTED = 200


class DataError(Exception):
    """Raised with every problem found; ``str()`` is the German report for editors."""

    def __init__(self, problems: Sequence[Problem]):
        #: Every problem as found (``problems`` is the shortened, printable list).
        self.found = tuple(problems)
        #: What passed, where a later stage can still check it (set by load_dataset).
        self.dataset = None
        self.count = len(problems)
        self.problems = [p.safe() for p in sorted(problems)[:MAX_LISTED]]
        super().__init__(self.report())

    def report(self) -> str:
        count = self.count
        head = "1 Fehler gefunden" if count == 1 else f"{count} Fehler gefunden"
        lines = [str(p) for p in self.problems]
        if count > len(lines):
            lines.append(f"… und {count - len(lines)} weitere (beheben Sie zuerst die gezeigten).")
        return "\n".join([*lines, f"{head}. Es wurde nichts veröffentlicht."])
