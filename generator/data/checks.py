"""Checks across a whole entry that the models cannot make alone: dates that are
possible but implausible, and documentation paths that must stay inside content/.

A typo in a year passes every format check and then fills the calendar: "2101" builds
a month page for each month of a century, "0201" almost two thousand years of them.
So dates must lie between 2000 and five years after the build date.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from generator.data import register as nrw
from generator.data.models import Event, Manager
from generator.data.problems import Problem

#: The network began in 2005 (first certificate course): earlier dates are typos.
EARLIEST_YEAR = 2000
#: Events are announced at most a few years ahead.
YEARS_AHEAD = 5
#: The longest event: two weeks (a course block or a congress is days long; a series of
#: modules is one entry per module). A longer span is a typo in "bis" and would mark
#: every day of the span in the calendar ("Tag 517 von 1095").
MAX_EVENT_DAYS = 14

_YEAR = re.compile(r"^(\d{4})(?=-|$)")


def _distance(a: str, b: str) -> int:
    """Edit distance where swapping two neighbouring digits counts as one edit."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def plausible_years(today: dt.date | None) -> range:
    latest = today.year + YEARS_AHEAD if today else 2099
    return range(EARLIEST_YEAR, latest + 1)


def suggest_year(year: int, today: dt.date | None) -> int | None:
    """The plausible year a typo most likely meant: 2201 -> 2021, 2102 -> 2012."""
    typed = f"{year:04d}"
    reference = today.year if today else 2015
    scored = sorted(
        (_distance(typed, f"{y:04d}"), abs(y - reference), y) for y in plausible_years(today)
    )
    return scored[0][2] if scored and scored[0][0] <= 2 else None


def date_problems(
    item: dict, line: Callable[[str], int], file: str, today: dt.date | None
) -> list[Problem]:
    """Years outside the plausible window in ``datum``, ``bis`` and ``anmeldeschluss`` of
    one raw entry."""
    problems = []
    years = plausible_years(today)
    for field in ("datum", "bis", "anmeldeschluss"):
        value = item.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        match = _YEAR.match(value) if isinstance(value, str) else None
        if match is None or int(match.group(1)) in years:
            continue
        year = int(match.group(1))
        guess = suggest_year(year, today)
        hint = f" Meinten Sie {guess}? Dann schreiben Sie „{guess}{value[4:]}“." if guess else ""
        problems.append(
            Problem(
                file,
                line(field),
                field,
                f"das Jahr {match.group(1)} ist nicht plausibel: möglich sind {years[0]} bis {years[-1]} "
                f"(höchstens {YEARS_AHEAD} Jahre nach heute).{hint} Prüfen Sie die Jahreszahl.",
            )
        )
    return problems


def status_problem(
    event: Event, today: dt.date | None, line: Callable[[str], int], file: str
) -> Problem | None:
    """``status: stattgefunden`` on an event that is not over on the build date: the page
    would say it has taken place. The calendar's rule: over once its last day is past."""
    if today is None or event.status != "stattgefunden" or event.last_day < today:
        return None
    return Problem(
        file,
        line("status"),
        "status",
        f"„stattgefunden“ stimmt noch nicht: die Veranstaltung ({event.datum}) ist am Tag des "
        f"Website-Stands ({today.isoformat()}) nicht vorbei. Löschen Sie die Zeile „status“ "
        "(nach ihrem letzten Tag gilt die Veranstaltung von selbst als stattgefunden) oder "
        "prüfen Sie „datum“.",
    )


def duration_problem(event: Event, line: Callable[[str], int], file: str) -> Problem | None:
    """An event longer than :data:`MAX_EVENT_DAYS`, with the ``bis`` it probably meant."""
    days = (event.end_date - event.start_date).days + 1
    if days <= MAX_EVENT_DAYS:
        return None
    start = event.start_date
    guesses = []
    for candidate in (
        f"{start.year:04d}{event.bis[4:]}",
        f"{start.isoformat()[:8]}{event.bis[8:]}",
    ):
        try:
            day = dt.date.fromisoformat(candidate)
        except ValueError:
            continue
        if 0 < (day - start).days < MAX_EVENT_DAYS and candidate not in guesses:
            guesses.append(candidate)
    hint = f" Meinten Sie „bis: {guesses[0]}“?" if guesses else ""
    return Problem(
        file,
        line("bis"),
        "bis",
        f"die Veranstaltung dauert so {days} Tage ({event.datum} bis {event.bis}); "
        f"höchstens {MAX_EVENT_DAYS} sind möglich.{hint} Eine Reihe von Terminen (z. B. "
        "Kursmodule) tragen Sie als einzelne Veranstaltungen ein.",
    )


def documentation_problem(
    path: str, docs_dir: Path, line: Callable[[str], int], file: str
) -> Problem | None:
    """``dokumentation`` must name a page inside the docs folder, with its exact spelling.

    Paths leaving the folder are refused before the file system is asked, so the
    message never tells whether a file exists elsewhere on the build machine.
    """
    parts = PurePosixPath(path).parts
    folder = docs_dir.name
    if (
        path.startswith("/")
        or "\\" in path
        or any(part in ("..", ".") or part.startswith(".") for part in parts)
        or "//" in path
    ):
        return Problem(
            file,
            line("dokumentation"),
            "dokumentation",
            f"der Pfad muss im Ordner {folder}/ bleiben: schreiben Sie ihn relativ zu "
            f"{folder}/, ohne „/“ am Anfang, ohne „..“ und ohne versteckte Ordner, z. B. "
            "„werkstattreihe/2010-11-bochum-marketing.md“.",
        )
    # Walk the folders by their listed names: "Werkstattreihe/x.md" is found on macOS
    # and Windows, but not on the Linux machine that builds the site.
    here = docs_dir
    for part in parts:
        try:
            names = set(os.listdir(here))
        except OSError:
            names = set()
        if part not in names:
            here = None
            break
        here = here / part
    root = docs_dir.resolve()
    if here is not None and here.is_file() and here.resolve().is_relative_to(root):
        return None
    return Problem(
        file,
        line("dokumentation"),
        "dokumentation",
        f"die Seite „{path}“ gibt es in {folder}/ nicht. Prüfen Sie den Pfad (relativ zum "
        f"Ordner {folder}/, auf Groß- und Kleinschreibung achten) oder löschen Sie die Zeile.",
    )


def spelling_problems(
    events: tuple[Event, ...], where: Callable[[Event], tuple[str, int]]
) -> list[Problem]:
    """One place, one spelling: ``ort`` values that fold to the same name (the one
    comparison of :func:`register.fold`: case, umlauts, accents, punctuation) must be
    written alike, or the Termine filter offers the place twice. Municipalities and
    districts already have their official name; this concerns the other places."""
    first: dict[str, Event] = {}  # where() only for a problem: 10,000 lookups a save
    problems = []
    for event in events:
        if not event.ort:
            continue
        key = nrw.fold(event.ort)
        if key not in first:
            first[key] = event
            continue
        spelling = first[key].ort
        if spelling != event.ort:
            (file, line), (other_file, other_line) = where(event), where(first[key])
            at = (
                f"Zeile {other_line}" if other_file == file else f"{other_file}, Zeile {other_line}"
            )
            problems.append(
                Problem(
                    file,
                    line,
                    "ort",
                    f"„{event.ort}“ ist derselbe Ort wie „{spelling}“ ({at}), aber anders "
                    f"geschrieben. Schreiben Sie ihn überall gleich, z. B. „ort: {spelling}“; "
                    "sonst bietet der Filter der Terminseite ihn doppelt an.",
                )
            )
    return problems


_SALUTATION = re.compile(r"^(?:(?:frau|herr|dr|prof|dipl)\s+)+")


def person_key(name: str) -> str:
    """A person's name for comparison: folded, without salutation or title."""
    return _SALUTATION.sub("", nrw.fold(name))


def person_problems(
    managers: tuple[Manager, ...], where: Callable[[Manager], tuple[str, int]]
) -> tuple[list[Problem], list[Problem]]:
    """The same person (``kontakt.name``) under two ids: (errors, notes).

    In the same ``kommune`` it is an error: the map and the finder would list one
    person twice for one place. In two places it is a note only: a manager may work for
    a Kreis and one of its towns, but more often an entry was copied when someone
    changed jobs and the old one should say ``aktiv: false``."""
    first: dict[str, Manager] = {}
    errors, notes = [], []
    for manager in managers:
        name = manager.kontakt.name if manager.kontakt else None
        if not name or not manager.aktiv or not (key := person_key(name)):
            continue
        if key not in first:
            first[key] = manager
            continue
        other = first[key]
        file, line = where(manager)
        other_file, other_line = where(other)
        at = f"Zeile {other_line}" if other_file == file else f"{other_file}, Zeile {other_line}"
        if other.kommune == manager.kommune:
            errors.append(
                Problem(
                    file,
                    line,
                    "kontakt.name",
                    f"„{name}“ steht schon unter der Kennung „{other.id}“ ({at}) für "
                    f"{manager.kommune}: die Karte würde die Person doppelt zeigen. Führen Sie die "
                    "beiden Einträge zu einem zusammen oder setzen Sie beim alten "
                    "„aktiv: false“.",
                )
            )
        else:
            notes.append(
                Problem(
                    file,
                    line,
                    "kontakt.name",
                    f"„{name}“ steht auch unter der Kennung „{other.id}“ ({at}), dort für "
                    f"{other.kommune}. Ist es dieselbe Person und die alte Stelle nicht mehr "
                    "aktuell, setzen Sie dort „aktiv: false“; ist sie für beide Orte "
                    "zuständig, ist alles in Ordnung.",
                )
            )
    return errors, notes


def duplicate_event_problems(
    events: tuple[Event, ...], where: Callable[[Event], tuple[str, int]]
) -> list[Problem]:
    """The same event under two ids (same title, date and place): the calendar, the
    lists and the feeds would show it twice, and subscribers get two entries."""
    first: dict[tuple, Event] = {}
    problems = []
    for event in events:
        key = (nrw.fold(event.titel), event.datum, event.bis, event.beginn, event.ort)
        if key not in first:
            first[key] = event
            continue
        other = first[key]
        file, line = where(event)
        other_file, other_line = where(other)
        at = f"Zeile {other_line}" if other_file == file else f"{other_file}, Zeile {other_line}"
        problems.append(
            Problem(
                file,
                line,
                "id",
                f"diese Veranstaltung steht schon unter der Kennung „{other.id}“ ({at}): gleicher "
                "Titel, gleiches Datum, gleicher Ort. Kalender und Listen würden sie doppelt "
                "zeigen. Löschen Sie einen der beiden Einträge.",
            )
        )
    return problems
