"""Record ids: one namespace across managers.yaml and events.yaml, and names that stay
free for the site's own pages.

An event's id becomes the file names ``termine/<id>.md`` and ``termine/<id>.ics``
(:mod:`generator.calendar.paths`), so it must not take the name of a generated page or
folder there, and it must fit in a file name.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.data.problems import Problem

#: Longer ids make file names and addresses no one can type (file systems stop at 255 bytes).
MAX_ID_LENGTH = 100

#: Names below termine/ that generator.calendar.paths uses itself: the list page
#: (index.md), the feed of all events (termine.ics), the folders of the year archive and
#: of the series. Ids of digits only are reserved too: termine/<jahr>/ holds a year's
#: month pages.
RESERVED_EVENT_IDS = frozenset({"index", "termine", "archiv", "reihe"})


def is_reserved_event_id(record_id: str) -> bool:
    return record_id in RESERVED_EVENT_IDS or record_id.isdigit()


def id_problems(
    entries: Iterable[tuple[str, str, int, bool]],
) -> list[Problem]:
    """Problems with ids of both files. ``entries`` are (file, id, line, is an event) in
    file order, managers.yaml first: a repeated id is reported where it comes second."""
    problems = []
    first: dict[str, tuple[str, int]] = {}
    for file, record_id, line, is_event in entries:
        if len(record_id) > MAX_ID_LENGTH:
            problems.append(
                Problem(
                    file,
                    line,
                    "id",
                    f"die Kennung ist {len(record_id)} Zeichen lang, höchstens {MAX_ID_LENGTH} "
                    "sind möglich (sie wird Teil eines Dateinamens). Kürzen Sie sie, z. B. auf "
                    "Datum, Ort und ein Stichwort: „2011-03-15-koeln-workshop“.",
                )
            )
        if is_event and is_reserved_event_id(record_id):
            problems.append(
                Problem(
                    file,
                    line,
                    "id",
                    f"die Kennung „{record_id}“ ist für eine Seite der Website reserviert "
                    f"({', '.join(sorted(RESERVED_EVENT_IDS))} und reine Zahlen). Wählen Sie eine "
                    "andere, z. B. mit Datum und Ort: „2011-03-15-koeln-workshop“.",
                )
            )
        if record_id in first:
            other_file, other_line = first[record_id]
            where = (
                f"Zeile {other_line}" if other_file == file else f"{other_file}, Zeile {other_line}"
            )
            problems.append(
                Problem(
                    file,
                    line,
                    "id",
                    f"die Kennung „{record_id}“ gibt es schon ({where}). Jede Kennung darf in "
                    "beiden Dateien (Personen und Veranstaltungen) zusammen nur einmal vorkommen: hängen Sie "
                    "z. B. „-2“ an.",
                )
            )
        else:
            first[record_id] = (file, line)
    return problems
