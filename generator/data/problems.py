"""A problem in the editors' data: file, line, field and what to do, in German."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
