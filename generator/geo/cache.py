"""geocache.yaml: coordinates the gazetteer does not know, written by the editors' command."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.data import register as nrw
from generator.data.problems import DataError, Problem
from generator.data.source import read_source
from generator.data.yaml_lines import parse_yaml
from generator.geo.location import Location

CACHE_SOURCES = ("nominatim", "manual", "gazetteer")


@dataclass(frozen=True)
class CacheEntry:
    lat: float
    lon: float
    source: str
    display_name: str
    date: str

    @property
    def location(self) -> Location:
        return Location(self.lat, self.lon, self.source, self.display_name)


@dataclass
class GeoCache:
    """geocache.yaml in memory: query as written -> entry, looked up by folded query.

    A query not found as written is looked up under the other spellings the gazetteer
    accepts too (umlauts dropped, "Stadt"/"Gemeinde" in front): "Gemeinde Hurtgenwald"
    finds the entry "Hürtgenwald".
    """

    entries: dict[str, CacheEntry] = field(default_factory=dict)

    def __post_init__(self):
        self._index: dict[str, str] = {}
        self._spellings: dict[str, str] = {}
        for query in self.entries:
            self._remember(query)

    def _remember(self, query: str) -> None:
        self._index[nrw.fold(query)] = query
        for key in nrw.name_keys(query):
            self._spellings.setdefault(key, query)

    def get(self, query: str) -> CacheEntry | None:
        found = self._index.get(nrw.fold(query))
        if found is None:
            keys = sorted(nrw.name_keys(query))
            found = next((self._spellings[k] for k in keys if k in self._spellings), None)
        return self.entries[found] if found is not None else None

    def add(self, query: str, entry: CacheEntry) -> None:
        """Add a new query; an existing entry is never replaced (edit the file for that)."""
        if self.get(query) is None:
            self.entries[query] = entry
            self._remember(query)


CACHE_HEADER = """\
# Koordinaten für Orte, die das Ortsverzeichnis (GeoNames) nicht kennt, und für Adressen.
# Neue Einträge schreibt „python -m generator geocode --online“ (Quelle: nominatim,
# © OpenStreetMap-Mitwirkende, ODbL). Von Hand ergänzte Einträge bekommen „source: manual“.
# Die Datei wird sortiert neu geschrieben: Kommentare in den Einträgen gehen dabei verloren.
"""


def load_cache(path: Path) -> GeoCache:
    """Read geocache.yaml (a missing file is an empty cache); raise DataError with file:line."""
    if not path.exists() and not path.is_symlink():
        return GeoCache()
    text, problem = read_source(path)
    if problem:
        raise DataError([problem])
    parsed = parse_yaml(text, path.name)
    problems = list(parsed.problems)
    entries: dict[str, CacheEntry] = {}
    data = parsed.data if parsed.data is not None else {}
    if not isinstance(data, dict):
        problems.append(
            Problem(
                path.name,
                1,
                "Datei",
                "die Datei muss aus Einträgen „Ort: …“ bestehen (siehe die Kommentare oben in "
                "der Datei) oder leer sein.",
            )
        )
        data = {}
    for query, value in data.items():
        line = parsed.lines.get((query,), 1)
        if not query.strip():
            problems.append(
                Problem(path.name, line, "Ort", "der Ortsname fehlt vor dem Doppelpunkt.")
            )
            continue
        try:
            entries[query] = _cache_entry(value)
        except ValueError as exc:
            problems.append(Problem(path.name, line, query, str(exc)))
    if problems:
        raise DataError(problems)
    return GeoCache(entries)


def _cache_entry(value) -> CacheEntry:
    if not isinstance(value, dict):
        raise ValueError("Eintrag erwartet mit lat, lon, source, display_name und date.")
    unknown = set(value) - {"lat", "lon", "source", "display_name", "date"}
    if unknown:
        raise ValueError(f"unbekanntes Feld „{sorted(unknown)[0]}“.")
    lat, lon = value.get("lat"), value.get("lon")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        raise ValueError("lat und lon müssen Zahlen sein, z. B. lat: 50.8 und lon: 6.48.")
    if not nrw.in_nrw(lat, lon):
        raise ValueError(
            f"die Koordinaten ({lat}, {lon}) liegen außerhalb von NRW. "
            "Prüfen Sie, ob lat und lon vertauscht sind, oder löschen Sie den Eintrag."
        )
    source = value.get("source")
    if source not in CACHE_SOURCES:
        raise ValueError(f"„source“ muss einer dieser Werte sein: {', '.join(CACHE_SOURCES)}.")
    return CacheEntry(
        float(lat),
        float(lon),
        source,
        str(value.get("display_name") or ""),
        str(value.get("date") or ""),
    )


def dump_cache(cache: GeoCache) -> str:
    """The file text: entries sorted by folded query, fields in a fixed order: small diffs."""
    ordered = {
        query: {
            "lat": round(entry.lat, 6),
            "lon": round(entry.lon, 6),
            "source": entry.source,
            "display_name": entry.display_name,
            "date": entry.date,
        }
        for query, entry in sorted(
            cache.entries.items(), key=lambda item: (nrw.fold(item[0]), item[0])
        )
    }
    body = (
        yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=120) if ordered else ""
    )
    return CACHE_HEADER + body


def save_cache(cache: GeoCache, path: Path) -> None:
    """Write atomically: a crash or Ctrl-C leaves the old file or the new one, never a mix."""
    text = dump_cache(cache)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, path.stat().st_mode if path.exists() else 0o644)  # mkstemp gives 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
