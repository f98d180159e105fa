"""The editors' geocode command: what the offline chain misses, looked up on request, and a German summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from generator.data.dataset import Dataset
from generator.data.problems import shown
from generator.geo.cache import load_cache
from generator.geo.gazetteer import load_gazetteer
from generator.geo.location import Location
from generator.geo.nominatim import fetch_pending
from generator.geo.resolver import FIX_COMMAND, Pending, survey

SOURCE_LABELS = {
    "yaml": "mit lat/lon in der Datei",
    "gazetteer": "aus dem Ortsverzeichnis GeoNames",
    "manual": "aus geocache.yaml (von Hand eingetragen)",
    "nominatim": "aus geocache.yaml (Nominatim/OpenStreetMap)",
}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _where(item: Pending) -> str:
    return ", ".join(f"{file}:{line}" for file, line, _ in item.where)


def geocode_command(
    dataset: Dataset,
    cache_path: Path,
    *,
    lookup: Callable[[str], Location] | None,
    today: str,
    out: TextIO,
    progress: TextIO,
) -> int:
    """The editors' command: resolve what is missing, print a German summary, exit code.

    Without ``lookup`` nothing goes online; the command lists what would. Exit code 1
    while a record has no place, 130 after Ctrl-C (answers so far are saved).
    """
    cache, gazetteer = load_cache(cache_path), load_gazetteer()
    todo = survey(dataset, cache, gazetteer).pending
    found: list[tuple[Pending, Location]] = []
    failed: list[tuple[Pending, str]] = []
    if todo and lookup is None:
        print(f"Diese Orte brauchen eine Abfrage im Internet ({FIX_COMMAND}):", file=out)
        for item in todo:
            kind = "genauere Adresse" if item.refinement else "nicht gefunden"
            print(f"  „{shown(item.query)}“ ({kind}; {_where(item)})", file=out)
    elif todo:
        print(
            _plural(len(todo), "Ort wird", "Orte werden")
            + " bei Nominatim abgefragt (höchstens einer pro Sekunde).",
            file=out,
        )
        bar = tqdm(todo, desc="Nominatim", unit="Ort", file=progress, disable=len(todo) < 3)
        try:
            found, failed = fetch_pending(bar, cache, cache_path, lookup, gazetteer, today=today)
        except KeyboardInterrupt:
            bar.close()
            print("Abgebrochen. Alle bis dahin gefundenen Orte stehen in geocache.yaml.", file=out)
            return 130
    result = survey(dataset, cache, gazetteer)

    print(_plural(len(result.locations), "Eintrag hat", "Einträge haben") + " einen Ort:", file=out)
    counts: dict[str, int] = {}
    for location in result.locations.all():
        counts[location.source] = counts.get(location.source, 0) + 1
    for source, label in SOURCE_LABELS.items():
        if counts.get(source):
            print(f"  {counts[source]} {label}", file=out)
    if found:
        print(f"Neu über Nominatim gefunden und in {cache_path.name} gespeichert:", file=out)
        for item, location in found:
            where = f"({location.lat}, {location.lon}) {shown(location.display_name)}"
            print(f"  „{shown(item.query)}“ → {where}", file=out)
    if failed:
        print("Nicht gefunden:", file=out)
        for item, reason in failed:
            print(f"  „{shown(item.query)}“ ({_where(item)}): {reason}", file=out)
    reported = {(file, line) for item, _ in failed for file, line, _ in item.where}
    rest = [p for p in result.problems if (p.file, p.line) not in reported]
    if rest:
        print("Noch ohne Ort:", file=out)
        for problem in rest:
            print(f"  {problem.safe()}", file=out)
    if not result.problems and not todo:
        print("Alle Orte sind ohne Internet auffindbar. Nichts zu tun.", file=out)
    return 1 if result.problems else 0
