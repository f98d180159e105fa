"""The offline chain that gives every manager and event its coordinates.

First hit wins: ``lat``/``lon`` in the YAML entry, the committed cache ``geocache.yaml``,
the GeoNames gazetteer (NRW only). A district stands for its seat; a ``kreis`` picks
among same-named places and must fit the place found. Only the editors' command
``python -m generator geocode --online`` asks Nominatim (``generator.geo.nominatim``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.build_cache import BuildCache, memo
from generator.data import register as nrw
from generator.data.dataset import Dataset, load_dataset
from generator.data.municipalities import MUNICIPALITIES
from generator.data.problems import DataError, Problem
from generator.geo.cache import GeoCache, load_cache
from generator.geo.gazetteer import Gazetteer, GazetteerPlace, km_between, load_gazetteer
from generator.geo.location import Location, PlaceError

#: The command that fills the cache; every "not found" message names it.
FIX_COMMAND = "python -m generator geocode --online"
#: A place named with a Kreis must lie this close to the Kreis seat (NRW's largest
#: district, Kreis Kleve, reaches about 50 km from Kleve).
KREIS_RADIUS_KM = 60.0


def place_query(name: str, kreis: str | None = None, adresse: str | None = None) -> str:
    """The text a place is cached under and sent to Nominatim: "Markt 1, Düren, Kreis Düren"."""
    return ", ".join(part.strip() for part in (adresse, name, kreis) if part)


def district_seat(kreis: str, gazetteer: Gazetteer) -> tuple[str, GazetteerPlace]:
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
    district, seat = district_seat(kreis, gazetteer) if kreis else (None, None)
    in_kreis = lambda point: seat is None or km_between(point, seat) <= KREIS_RADIUS_KM  # noqa: E731
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
        official, place = district_seat(own_district, gazetteer)
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
        near = sorted((km_between(p, seat), p.geonameid, p) for p in places)
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


#: How far coordinates in an entry may lie from the point of the place it names: NRW's
#: largest municipalities reach some 20 km from their centre, a Kreis as far as its seat.
PLACE_RADIUS_KM = 30.0


def _far_from(
    record, name: str, cache: GeoCache, gazetteer: Gazetteer, resolved: dict
) -> str | None:
    """The message for ``lat``/``lon`` far from the place the entry names (the page and
    the JSON-LD would put the town's name on another town's point); None when they fit
    or the place is known only by these coordinates (distances: :func:`km_between`,
    which keeps them)."""
    key = (name, record.kreis, None)
    if key not in resolved:
        try:
            resolved[key] = resolve_place(*key, cache=cache, gazetteer=gazetteer)
        except PlaceError as error:
            resolved[key] = error
    place = resolved[key]
    if isinstance(place, PlaceError):
        return None
    radius = KREIS_RADIUS_KM if nrw.is_district_name(name) else PLACE_RADIUS_KM
    km = km_between(record, place)
    if km <= radius:
        return None
    return (
        f"die Koordinaten ({record.lat}, {record.lon}) liegen {km:.0f} km von {name} entfernt, "
        f"höchstens {radius:.0f} km passen zu diesem Ort. Prüfen Sie lat und lon (vertauscht? "
        "von einem anderen Eintrag kopiert?) und den Ort, oder löschen Sie lat und lon: dann "
        "steht der Eintrag am Ort der Gemeinde."
    )


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
class Locations:
    """Resolved places, by record id, one mapping per file: an event can never take over
    a manager's marker, whatever its id."""

    managers: dict[str, Location] = field(default_factory=dict)
    events: dict[str, Location] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.managers) + len(self.events)

    def all(self) -> list[Location]:
        return [*self.managers.values(), *self.events.values()]


@dataclass(frozen=True)
class Survey:
    """Every record's place, resolved as far as the offline chain reaches."""

    locations: Locations
    problems: list[Problem]
    pending: list[Pending]


def _places(dataset: Dataset) -> Iterator[tuple[str, str | None, object]]:
    """Records with a place; an event whose place the reports do not name has none."""
    for manager in dataset.managers:
        yield "kommune", manager.kommune, manager
    for event in dataset.events:
        if event.ort is not None or event.lat is not None:
            yield "ort", event.ort, event


def survey(
    dataset: Dataset, cache: GeoCache, gazetteer: Gazetteer, memos: BuildCache | None = None
) -> Survey:
    """Resolve every record offline; collect problems (file:line) and what the network
    could add. ``memos``: the build cache (`mkdocs serve`)."""
    locations = Locations()
    problems: list[Problem] = []
    pending: dict[str, Pending] = {}

    def wait_for(query: str, kreis: str | None, where: tuple[str, int, str], refinement: bool):
        known = pending.get(nrw.fold(query))
        places = (known.where if known else ()) + (where,)
        pending[nrw.fold(query)] = Pending(query, kreis, places, refinement)

    # Thousands of records name the same few hundred places: resolve each place once;
    # with the build cache once for all builds that read geocache.yaml as it is (the
    # gazetteer is the package's), a table the builds fill as they go.
    resolved: dict[tuple, Location | PlaceError] = memo(memos, "places", _key(cache), dict)

    for field_name, name, record in _places(dataset):
        found = locations.managers if field_name == "kommune" else locations.events
        if record.lat is not None:
            # A record read before (the same entry after a save elsewhere) is placed as
            # it was; a record whose hash is cached makes this a lookup.
            if (placed := ("coordinates", record)) not in resolved:
                label = place_query(name or "", None, record.adresse)
                # The same object after every save: the calendar's memo keys compare it.
                point = ("yaml", repr(record.lat), repr(record.lon), label)
                if point not in resolved:
                    resolved[point] = Location(record.lat, record.lon, "yaml", label)
                far = name and _far_from(record, name, cache, gazetteer, resolved)
                resolved[placed] = (resolved[point], far)
            found[record.id], far = resolved[placed]
            if far:
                file, line = dataset.where(record, "lat")
                problems.append(Problem(file, line, "lat", far))
            continue
        key = (name, record.kreis, record.adresse)
        if key not in resolved:
            try:
                resolved[key] = resolve_place(*key, cache=cache, gazetteer=gazetteer)
            except PlaceError as error:
                resolved[key] = error
        outcome = resolved[key]
        if isinstance(outcome, PlaceError):
            file, line = dataset.where(record, field_name)
            problems.append(Problem(file, line, field_name, str(outcome)))
            if outcome.kind == "not_found":
                query = place_query(name, record.kreis, record.adresse)
                wait_for(query, record.kreis, (file, line, field_name), False)
            continue
        found[record.id] = outcome
        if record.adresse and cache.get(query := place_query(*key)) is None:
            file, line = dataset.where(record, "adresse")
            wait_for(query, record.kreis, (file, line, "adresse"), True)
    return Survey(locations, problems, sorted(pending.values(), key=lambda p: nrw.fold(p.query)))


def resolve_locations(
    dataset: Dataset, cache_path: Path, memos: BuildCache | None = None
) -> Locations:
    """The Location of every manager and every event with a place, offline.

    Raises DataError listing every place that cannot be resolved, at its file:line.
    """
    result = survey(dataset, load_cache(cache_path), load_gazetteer(), memos)
    if result.problems:
        raise DataError(result.problems)
    return result.locations


def checked_data(
    managers_path: Path,
    events_path: Path,
    docs_dir: Path | None,
    cache_path: Path,
    *,
    today: dt.date | None = None,
    cache: BuildCache | None = None,
) -> tuple[Dataset, Locations]:
    """Load and validate both files and place every record, offline; one DataError lists
    the problems of both stages. A file that does not load (a syntax error) does not
    hide the places of the other file's records, nor of its own valid entries."""
    try:
        dataset = load_dataset(managers_path, events_path, docs_dir, today=today, cache=cache)
    except DataError as error:
        if error.dataset is None:
            raise
        try:
            more = survey(error.dataset, load_cache(cache_path), load_gazetteer()).problems
        except DataError as cache_error:
            more = list(cache_error.found)
        if not more:
            raise
        raise DataError([*error.found, *more]) from None
    return dataset, resolve_locations(dataset, cache_path, cache)


def _key(cache: GeoCache) -> tuple:
    """A geocache as it was read, for the build cache's keys."""
    return tuple(cache.entries.items())


def municipality_points(
    cache_path: Path, memos: BuildCache | None = None
) -> dict[str, tuple[float, float]]:
    """Every municipality's point (AGS -> lat, lon), offline, for the finder's distances.

    All 396 resolve (tests/test_geo_coverage.py); one that stopped resolving is
    left out rather than stopping the build: its page then names no distances.
    ``memos``: the build cache, which keeps them while geocache.yaml reads the same.
    """
    cache = load_cache(cache_path)
    return memo(memos, "municipality points", _key(cache), partial(_points, cache))


def _points(cache: GeoCache) -> dict[str, tuple[float, float]]:
    gazetteer = load_gazetteer()
    points = {}
    for municipality in MUNICIPALITIES:
        try:
            location = resolve_place(
                municipality.name, municipality.kreis, None, cache=cache, gazetteer=gazetteer
            )
        except PlaceError:
            continue
        points[municipality.ags] = (round(location.lat, 4), round(location.lon, 4))
    return points
